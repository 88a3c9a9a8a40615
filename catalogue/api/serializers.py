"""Input and output serializers of the catalogue API. Inputs are parsed here and passed to
the services; fields such as institution, status or approvals are never writable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalogue.models import (
    AssessmentResult,
    CredentialRelease,
    Enrolment,
    GradingScheme,
    Offering,
    ParticipationForm,
    Pathway,
    PathwayRule,
    Programme,
    ProgrammePartner,
    ProgrammeVersion,
    QFEHEACycle,
    ResultOutcome,
    Skill,
    Stackability,
    SupervisionVerification,
)

LanguageMap = serializers.DictField(child=serializers.CharField(allow_blank=True))


def language_map(**kwargs: Any) -> serializers.DictField:
    return serializers.DictField(child=serializers.CharField(allow_blank=True), **kwargs)


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["uri", "preferred_label", "skill_type", "reuse_level"]


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeVersion
        fields = ["id", "number", "published_at", "title_en", "ects", "eqf_level"]


class VersionSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    snapshot = serializers.JSONField(
        help_text="Every EU Council Recommendation element, frozen at publication "
        "(shape documented in catalogue/snapshots.py)."
    )

    class Meta:
        model = ProgrammeVersion
        fields = ["id", "programme", "number", "published_at", "snapshot"]


class CatalogueProgrammeSerializer(serializers.ModelSerializer):
    """A programme as the catalogue lists it: its current published version."""

    coordinator: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    alliance: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    title = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="published_version.number")
    ects = serializers.DecimalField(source="published_version.ects", max_digits=4, decimal_places=1)
    eqf_level = serializers.IntegerField(source="published_version.eqf_level")
    participation_form = serializers.CharField(source="published_version.participation_form")
    languages = serializers.SerializerMethodField()
    next_start = serializers.DateField(allow_null=True)

    class Meta:
        model = Programme
        fields = [
            "slug",
            "title",
            "summary",
            "coordinator",
            "alliance",
            "version",
            "ects",
            "eqf_level",
            "participation_form",
            "languages",
            "next_start",
        ]

    @extend_schema_field(LanguageMap)
    def get_title(self, programme: Programme) -> dict[str, str]:
        return programme.published_version.snapshot["title"]  # type: ignore[union-attr]

    @extend_schema_field(LanguageMap)
    def get_summary(self, programme: Programme) -> dict[str, str]:
        return programme.published_version.snapshot["summary"]  # type: ignore[union-attr]

    def get_languages(self, programme: Programme) -> list[str]:
        return programme.published_version.snapshot["languages"]  # type: ignore[union-attr]


class OfferingSerializer(serializers.ModelSerializer):
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    version = serializers.IntegerField(source="version.number")
    delivery_institutions: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    places_left = serializers.IntegerField()

    class Meta:
        model = Offering
        fields = [
            "id",
            "code",
            "programme",
            "version",
            "starts_on",
            "ends_on",
            "enrolment_opens_on",
            "enrolment_closes_on",
            "capacity",
            "enrolled_count",
            "places_left",
            "language",
            "delivery_institutions",
            "credential_release",
        ]


class CatalogueProgrammeDetailSerializer(CatalogueProgrammeSerializer):
    published_version = VersionSerializer()
    offerings = OfferingSerializer(source="upcoming_offerings", many=True)

    class Meta(CatalogueProgrammeSerializer.Meta):
        fields = [*CatalogueProgrammeSerializer.Meta.fields, "published_version", "offerings"]


class PartnerSerializer(serializers.ModelSerializer):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = ProgrammePartner
        fields = ["institution", "approved_at"]


class MissingElementSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class OutcomeOutputSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    text = language_map()
    skills = serializers.ListField(child=serializers.URLField())


class StaffProgrammeSerializer(serializers.ModelSerializer):
    """The working copy, for staff of the coordinator and partners."""

    coordinator: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    alliance: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    partners = PartnerSerializer(source="partner_links", many=True)
    learning_outcomes = serializers.SerializerMethodField()
    languages = serializers.ListField(source="language_codes", child=serializers.CharField())
    published_version = VersionSummarySerializer(allow_null=True)
    missing_elements = serializers.SerializerMethodField()
    title = language_map()
    summary = language_map()
    assessment_type = language_map()
    quality_assurance = language_map()
    prerequisites = language_map()
    further_information = language_map()

    class Meta:
        model = Programme
        fields = [
            "id",
            "slug",
            "status",
            "coordinator",
            "alliance",
            "partners",
            "title",
            "summary",
            "learning_outcomes",
            "ects",
            "workload_hours",
            "eqf_level",
            "qf_ehea_cycle",
            "assessment_type",
            "participation_form",
            "quality_assurance",
            "prerequisites",
            "supervision",
            "grading_scheme",
            "stackability",
            "further_information",
            "languages",
            "isced_f_code",
            "fee_amount",
            "fee_currency",
            "published_version",
            "missing_elements",
            "updated_at",
        ]

    @extend_schema_field(OutcomeOutputSerializer(many=True))
    def get_learning_outcomes(self, programme: Programme) -> list[dict[str, Any]]:
        return [
            {
                "position": outcome.position,
                "text": outcome.text,
                "skills": [skill.uri for skill in outcome.skills.all()],
            }
            for outcome in programme.learning_outcomes.all()
        ]

    @extend_schema_field(MissingElementSerializer(many=True))
    def get_missing_elements(self, programme: Programme) -> list[dict[str, str]]:
        from catalogue.snapshots import missing_elements

        return [
            {"field": element.field, "label": str(element.label)}
            for element in missing_elements(programme)
        ]


class OutcomeInputSerializer(serializers.Serializer):
    text = language_map()
    skills = serializers.ListField(child=serializers.URLField(), required=False, default=list)


class ProgrammeUpdateSerializer(serializers.Serializer):
    title = language_map(required=False)
    summary = language_map(required=False)
    ects = serializers.DecimalField(max_digits=4, decimal_places=1, required=False, allow_null=True)
    workload_hours = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    eqf_level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=8)
    qf_ehea_cycle = serializers.ChoiceField(
        choices=QFEHEACycle.choices, required=False, allow_blank=True
    )
    assessment_type = language_map(required=False)
    participation_form = serializers.ChoiceField(
        choices=ParticipationForm.choices, required=False, allow_blank=True
    )
    quality_assurance = language_map(required=False)
    prerequisites = language_map(required=False)
    supervision = serializers.ChoiceField(
        choices=SupervisionVerification.choices, required=False, allow_blank=True
    )
    grading_scheme = serializers.ChoiceField(choices=GradingScheme.choices, required=False)
    stackability = serializers.ChoiceField(choices=Stackability.choices, required=False)
    further_information = language_map(required=False)
    languages = serializers.ListField(child=serializers.CharField(max_length=10), required=False)
    isced_f_code = serializers.RegexField(r"^(\d{2,4})?$", required=False, allow_blank=True)
    fee_amount = serializers.DecimalField(
        max_digits=8, decimal_places=2, required=False, min_value=0
    )
    fee_currency = serializers.RegexField(r"^[A-Z]{3}$", required=False)
    partners = serializers.ListField(
        child=serializers.SlugField(), required=False, help_text="Slugs of partner institutions."
    )
    learning_outcomes = OutcomeInputSerializer(many=True, required=False)


class ProgrammeCreateSerializer(ProgrammeUpdateSerializer):
    coordinator = serializers.SlugField(help_text="Slug of one of your institutions.")
    alliance = serializers.SlugField()
    slug = serializers.SlugField(max_length=80)


class ApprovalSerializer(serializers.Serializer):
    institution = serializers.SlugField(help_text="The partner institution you approve for.")


class RequestChangesSerializer(ApprovalSerializer):
    comment = serializers.CharField(max_length=2000)


class SubmitSerializer(serializers.Serializer):
    reply = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="Your answer to the partners' requests for changes, kept on the programme page.",
    )


class OfferingInputSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=60)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    enrolment_opens_on = serializers.DateField()
    enrolment_closes_on = serializers.DateField()
    capacity = serializers.IntegerField(min_value=1)
    language = serializers.CharField(max_length=10)
    delivery_institutions = serializers.ListField(child=serializers.SlugField())
    credential_release = serializers.ChoiceField(
        choices=CredentialRelease.choices,
        default=CredentialRelease.ON_SAVE,
        help_text="on_save: a pass is issued when saved; held: passes wait for staff release.",
    )


class OfferingUpdateSerializer(OfferingInputSerializer):
    code = None  # type: ignore[assignment]
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    enrolment_opens_on = serializers.DateField(required=False)
    enrolment_closes_on = serializers.DateField(required=False)
    capacity = serializers.IntegerField(min_value=1, required=False)
    language = serializers.CharField(max_length=10, required=False)
    delivery_institutions = serializers.ListField(child=serializers.SlugField(), required=False)
    credential_release = serializers.ChoiceField(choices=CredentialRelease.choices, required=False)


class EnrolmentSerializer(serializers.ModelSerializer):
    offering: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    programme = serializers.CharField(source="offering.programme.slug")
    version = serializers.IntegerField(source="version.number")
    learner = serializers.EmailField(source="learner.email")

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "offering",
            "programme",
            "version",
            "learner",
            "status",
            "created_at",
            "enrolled_at",
            "waitlisted_at",
            "withdrawn_at",
            "completed_at",
        ]


class EnrolInputSerializer(serializers.Serializer):
    offering = serializers.IntegerField(help_text="Id of the offering.")


class ResultSerializer(serializers.ModelSerializer):
    offering: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    learner = serializers.EmailField(source="learner.email")
    version = serializers.IntegerField(source="version.number")
    version_id = serializers.IntegerField()

    class Meta:
        model = AssessmentResult
        fields = [
            "id",
            "enrolment",
            "offering",
            "learner",
            "version",
            "version_id",
            "outcome",
            "grade",
            "assessed_on",
            "identity_verified",
            "recorded_at",
            "updated_at",
        ]


class ResultInputSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField()
    outcome = serializers.ChoiceField(choices=ResultOutcome.choices)
    grade = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    assessed_on = serializers.DateField()
    identity_verified = serializers.BooleanField(default=False)


class UploadInputSerializer(serializers.Serializer):
    file = serializers.FileField()


class UploadRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    values = serializers.DictField(child=serializers.CharField(allow_blank=True))
    errors = serializers.ListField(child=serializers.CharField())  # type: ignore[assignment]
    valid = serializers.BooleanField()


class UploadPreviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="upload.pk")
    filename = serializers.CharField(source="upload.filename")
    confirmed_at = serializers.DateTimeField(source="upload.confirmed_at", allow_null=True)
    saved_rows = serializers.IntegerField(source="upload.saved_rows")
    rows = UploadRowSerializer(many=True)


class PathwaySerializer(serializers.ModelSerializer):
    owner: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    alliance: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    programmes: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    title = language_map()
    description = language_map()

    class Meta:
        model = Pathway
        fields = [
            "slug",
            "title",
            "description",
            "owner",
            "alliance",
            "rule",
            "required_count",
            "min_ects",
            "programmes",
        ]


class PathwayProgressSerializer(serializers.Serializer):
    pathway = serializers.CharField(source="pathway.slug")
    programme_count = serializers.IntegerField()
    needed_programmes = serializers.IntegerField()
    passed_programmes = serializers.SerializerMethodField()
    ects_earned = serializers.DecimalField(max_digits=6, decimal_places=1)
    complete = serializers.BooleanField()
    percent = serializers.IntegerField()

    def get_passed_programmes(self, progress: Any) -> list[int]:
        return sorted(progress.passed_programme_ids)


class PathwayCreateSerializer(serializers.Serializer):
    owner = serializers.SlugField(help_text="Slug of the owning institution")
    alliance = serializers.SlugField()
    slug = serializers.SlugField(max_length=80)
    title = language_map()
    description = language_map(required=False)
    rule = serializers.ChoiceField(choices=PathwayRule.choices)
    programmes = serializers.ListField(
        child=serializers.SlugField(), min_length=1, max_length=100, help_text="Programme slugs"
    )
    required_count = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    min_ects = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, min_value=Decimal("0.5")
    )
