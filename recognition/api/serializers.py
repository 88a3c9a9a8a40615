"""Input and output serializers of the recognition API. Inputs are parsed here and passed to
the services; institution, status, deadlines, decided_by and the checks are never writable."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recognition.grading.serializers import DecisionGradeSerializer
from recognition.models import (
    Appeal,
    AppealOutcome,
    AppealRoute,
    CaseMessage,
    Decision,
    DecisionOutcome,
    DifferenceElement,
    RecognitionAgreement,
    RecognitionPolicy,
    RecognitionRequest,
    RecognitionTarget,
    RequestAttachment,
    RequestKind,
    RequestStatus,
    SubmittedCredential,
)
from recognition.texts import checks_in_english


class PolicySerializer(serializers.ModelSerializer):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = RecognitionPolicy
        fields = [
            "institution",
            "time_limit_days",
            "appeal_period_days",
            "appeals_decided_by",
            "procedure",
            "updated_at",
        ]
        read_only_fields = ["institution", "updated_at"]


class PolicyInputSerializer(serializers.Serializer):
    time_limit_days = serializers.IntegerField(min_value=1, max_value=365)
    appeal_period_days = serializers.IntegerField(min_value=1, max_value=365)
    appeals_decided_by = serializers.ChoiceField(choices=AppealRoute.choices)
    procedure = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


class StatisticsSerializer(serializers.Serializer):
    requests = serializers.IntegerField()
    decided = serializers.IntegerField()
    recognised = serializers.IntegerField()
    recognition_rate = serializers.FloatField(allow_null=True)
    median_days_to_decision = serializers.FloatField(allow_null=True)
    within_time_limit_share = serializers.FloatField(allow_null=True)
    automatic_share = serializers.FloatField(allow_null=True)
    appeals = serializers.IntegerField()
    overturned = serializers.IntegerField()


class TargetSerializer(serializers.ModelSerializer):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    learning_outcomes = serializers.ListField(child=serializers.CharField())
    skill_uris = serializers.ListField(child=serializers.URLField())

    class Meta:
        model = RecognitionTarget
        fields = [
            "id",
            "institution",
            "code",
            "title",
            "programme_title",
            "ects",
            "eqf_level",
            "assessment_type",
            "learning_outcomes",
            "skill_uris",
            "is_active",
        ]


class TargetInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=255)
    programme_title = serializers.CharField(max_length=255, required=False, allow_blank=True)
    ects = serializers.DecimalField(max_digits=4, decimal_places=1)
    eqf_level = serializers.IntegerField(min_value=1, max_value=8)
    assessment_type = serializers.CharField(max_length=255, required=False, allow_blank=True)
    learning_outcomes = serializers.ListField(
        child=serializers.CharField(max_length=1000), required=False
    )
    skill_uris = serializers.ListField(child=serializers.URLField(max_length=200), required=False)
    is_active = serializers.BooleanField(required=False)


class TargetCreateSerializer(TargetInputSerializer):
    institution = serializers.SlugField(help_text="Slug of your institution.")


class TargetRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    values = serializers.DictField(child=serializers.CharField(allow_blank=True))
    problems = serializers.ListField(source="errors", child=serializers.CharField())
    valid = serializers.BooleanField()
    saves_as = serializers.SerializerMethodField(help_text="new or update")

    def get_saves_as(self, row: Any) -> str:
        return "update" if row.existing is not None else "new"


class TargetUploadPreviewSerializer(serializers.Serializer):
    upload = serializers.IntegerField(source="upload.pk")
    confirmed_at = serializers.DateTimeField(source="upload.confirmed_at", allow_null=True)
    rows = TargetRowSerializer(many=True)


class TargetUploadInputSerializer(serializers.Serializer):
    institution = serializers.SlugField()
    file = serializers.FileField()


class CredentialSerializer(serializers.ModelSerializer):
    issuer_institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )
    programme_version: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    verification = serializers.JSONField()
    document = serializers.JSONField()
    registered_issuer_name = serializers.CharField(
        read_only=True,
        help_text="The issuer's name from the trust registry; empty for an unknown issuer.",
    )

    class Meta:
        model = SubmittedCredential
        fields = [
            "position",
            "source",
            "source_id",
            "credential_id",
            "digest_multibase",
            "verdict",
            "title",
            "issuer_id",
            "issuer_name",
            "issuer_institution",
            "programme_version",
            "achievement_id",
            "ects",
            "eqf_level",
            "learning_outcomes",
            "skill_uris",
            "assessment_type",
            "supervision",
            "quality_assurance",
            "grade",
            "not_stated",
            "subject_id",
            "issuer_trust",
            "registered_issuer_name",
            "holder_status",
            "verification",
            "document",
        ]


class DifferenceSerializer(serializers.Serializer):
    element = serializers.ChoiceField(choices=DifferenceElement.choices)
    reason = serializers.CharField(max_length=2000)


class DecisionSerializer(serializers.ModelSerializer):
    decided_by = serializers.EmailField(source="decided_by.email", allow_null=True, default=None)
    substantial_differences = DifferenceSerializer(many=True)
    superseded = serializers.SerializerMethodField()
    grade = serializers.SerializerMethodField()

    class Meta:
        model = Decision
        fields = [
            "id",
            "outcome",
            "credits_granted",
            "counts_towards",
            "component_replaced",
            "substantial_differences",
            "compensatory_measures",
            "reasons",
            "decided_by",
            "automatic",
            "agreement",
            "supersedes",
            "superseded",
            "decided_at",
            "within_time_limit",
            "reviewed_at",
            "final_at",
            "credential_status",
            "blanket_rule",
            "preapproval",
            "basis_revoked_at",
            "basis_revocation_reason",
            "credential_id",
            "grade",
        ]

    def get_superseded(self, decision: Decision) -> bool:
        return hasattr(decision, "superseded_by")

    @extend_schema_field(DecisionGradeSerializer(allow_null=True))
    def get_grade(self, decision: Decision) -> dict[str, Any] | None:
        """The converted grade, once an officer recorded it."""
        grade = getattr(decision, "grade", None)
        return DecisionGradeSerializer(grade).data if grade is not None else None


class DecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)
    credits_granted = serializers.DecimalField(
        max_digits=5, decimal_places=1, required=False, allow_null=True, min_value=0
    )
    counts_towards = serializers.CharField(max_length=300, required=False, allow_blank=True)
    component_replaced = serializers.CharField(max_length=300, required=False, allow_blank=True)
    substantial_differences = DifferenceSerializer(many=True, required=False)
    compensatory_measures = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    reasons = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class AppealSerializer(serializers.ModelSerializer):
    request: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    reviewer = serializers.EmailField(source="reviewer.email", allow_null=True, default=None)

    class Meta:
        model = Appeal
        fields = [
            "id",
            "request",
            "decision",
            "against_inaction",
            "grounds",
            "lodged_at",
            "status",
            "reviewer",
            "outcome",
            "outcome_reasons",
            "decided_at",
            "new_decision",
        ]


class AppealInputSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=4000)


class AppealDecisionInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AppealOutcome.choices)
    reasons = serializers.CharField(max_length=4000)
    new_decision = DecisionInputSerializer(
        required=False, help_text="Required when the outcome is overturned."
    )


class MessageSerializer(serializers.ModelSerializer):
    author = serializers.EmailField(source="author.email", allow_null=True, default=None)

    class Meta:
        model = CaseMessage
        fields = ["id", "kind", "author", "body", "created_at"]


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(
        max_length=4000,
        help_text="Officers: a question (the clock pauses). The learner: the answer (it resumes).",
    )


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequestAttachment
        fields = ["id", "original_name", "content_type", "size", "uploaded_at"]


class HolderChallengeSerializer(serializers.Serializer):
    challenge = serializers.CharField()
    domain = serializers.CharField()
    expires_at = serializers.DateTimeField()


class HolderProofInputSerializer(serializers.Serializer):
    presentation = serializers.JSONField(
        help_text="A Verifiable Presentation signed by the credential's subject DID (proof "
        "purpose authentication) with the challenge and domain from holder-challenge/."
    )


class IdentityCheckInputSerializer(serializers.Serializer):
    position = serializers.IntegerField(min_value=1, max_value=5)
    note = serializers.CharField(max_length=2000)


class AttachmentInputSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(), max_length=5)


DECIDED_STATUSES = (RequestStatus.DECIDED, RequestStatus.APPEALED, RequestStatus.CLOSED)


def has_decision(case: RecognitionRequest) -> bool:
    """Decided, appealed or closed with a decision (an appeal against a missing decision has
    none yet): what the learner must see before the recommendation is shown."""
    return case.status in DECIDED_STATUSES and case.decisions.exists()


class RequestSummarySerializer(serializers.ModelSerializer):
    institution: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    learner = serializers.EmailField(source="learner.email")
    target: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True
    )
    assigned_to = serializers.EmailField(source="assigned_to.email", allow_null=True, default=None)
    recommendation = serializers.SerializerMethodField()
    time_zone = serializers.CharField(
        source="institution.time_zone",
        read_only=True,
        help_text="The institution's time zone: deadlines are the end of their day there.",
    )

    class Meta:
        model = RecognitionRequest
        fields = [
            "id",
            "reference",
            "institution",
            "learner",
            "kind",
            "target",
            "status",
            "received_at",
            "deadline_at",
            "paused_since",
            "assigned_to",
            "lease_expires_at",
            "checks_status",
            "recommendation",
            "appeal_deadline_at",
            "closed_at",
            "escalated_at",
            "time_zone",
        ]

    def get_recommendation(self, request: RecognitionRequest) -> str | None:
        if not request.checks:
            return None
        if self.context.get("learner_view") and not has_decision(request):
            # Shown to the learner only together with the decision.
            return None
        return str(request.checks.get("recommendation", {}).get("kind") or "") or None


class RequestDetailSerializer(RequestSummarySerializer):
    credentials = CredentialSerializer(many=True)
    decisions = DecisionSerializer(many=True)
    messages = MessageSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    checks = serializers.SerializerMethodField(
        help_text="The automated pre-assessment (docs/recognition.md), its texts in English."
    )
    motivation = serializers.CharField()
    time_limit_days = serializers.IntegerField()
    appeal_period_days = serializers.IntegerField()
    appeals_decided_by = serializers.CharField()

    class Meta(RequestSummarySerializer.Meta):
        fields = [
            *RequestSummarySerializer.Meta.fields,
            "motivation",
            "time_limit_days",
            "appeal_period_days",
            "appeals_decided_by",
            "credentials",
            "checks",
            "decisions",
            "messages",
            "attachments",
        ]

    @extend_schema_field(serializers.JSONField())
    def get_checks(self, request: RecognitionRequest) -> dict[str, Any]:
        return checks_in_english(request.checks)


class RequestInputSerializer(serializers.Serializer):
    institution = serializers.SlugField(help_text="The receiving institution.")
    kind = serializers.ChoiceField(choices=RequestKind.choices, default=RequestKind.COURSE)
    target = serializers.IntegerField(required=False, allow_null=True)
    motivation = serializers.CharField(
        max_length=4000, required=False, allow_blank=True, default=""
    )
    credentials = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        default=list,
        max_length=5,
        help_text="Credentials exactly as issued (JSON objects).",
    )
    wallet_credentials = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        max_length=5,
        help_text="`source_id`s from /recognition/available-credentials/.",
    )


class AgreementSerializer(serializers.ModelSerializer):
    target: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    institution = serializers.SlugField(source="target.institution.slug", read_only=True)
    programme: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )
    alliance: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = RecognitionAgreement
        fields = [
            "id",
            "target",
            "institution",
            "programme",
            "from_version",
            "minimum_grade",
            "ects",
            "alliance",
            "valid_from",
            "valid_until",
            "is_active",
            "notes",
            "recorded_at",
        ]


class AgreementInputSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    programme = serializers.SlugField()
    ects = serializers.DecimalField(max_digits=4, decimal_places=1, min_value=Decimal("0.5"))
    from_version = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    minimum_grade = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    alliance = serializers.SlugField(required=False, allow_null=True)
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReviewInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class AuditEventSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    step = serializers.CharField(source="action")
    details = serializers.JSONField(source="data")


class AvailableCredentialSerializer(serializers.Serializer):
    origin = serializers.CharField(source="source", help_text="issued_here or imported")
    source_id = serializers.IntegerField()
    title = serializers.CharField()
    issuer_name = serializers.CharField()
    programme_version_id = serializers.IntegerField(allow_null=True)
