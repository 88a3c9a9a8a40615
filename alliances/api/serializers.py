from __future__ import annotations

from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from alliances.models import (
    Alliance,
    Institution,
    InstitutionRole,
    Membership,
    MembershipRole,
    StaffInvitation,
    StaffRole,
)


class MembershipOfInstitutionSerializer(serializers.ModelSerializer):
    alliance: serializers.SlugRelatedField[Alliance] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Membership
        fields = ["alliance", "role", "joined_on", "left_on"]


class MembershipOfAllianceSerializer(serializers.ModelSerializer):
    institution: serializers.SlugRelatedField[Institution] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Membership
        fields = ["institution", "role", "joined_on", "left_on"]


class AllianceOutputSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Alliance
        fields = ["slug", "name", "description", "website", "founded_year", "member_count"]


class AllianceDetailOutputSerializer(AllianceOutputSerializer):
    members = MembershipOfAllianceSerializer(source="current_memberships", many=True)

    class Meta(AllianceOutputSerializer.Meta):
        fields = [*AllianceOutputSerializer.Meta.fields, "members"]


class AllianceInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=60)
    description = serializers.CharField(required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    founded_year = serializers.IntegerField(
        required=False, allow_null=True, min_value=1950, max_value=2100
    )


class AllianceUpdateSerializer(AllianceInputSerializer):
    slug = None  # type: ignore[assignment]
    name = serializers.CharField(max_length=200, required=False)


class InstitutionOutputSerializer(serializers.ModelSerializer):
    country = CountryField()
    memberships = MembershipOfInstitutionSerializer(source="current_memberships", many=True)
    quality_assurance = serializers.SerializerMethodField()

    class Meta:
        model = Institution
        fields = [
            "slug",
            "legal_name",
            "short_name",
            "country",
            "city",
            "kind",
            "website",
            "schac_home_organization",
            "erasmus_code",
            "pic",
            "legal_identifier",
            "nuts_region",
            "main_language",
            "time_zone",
            "quality_assurance",
            "memberships",
        ]

    def get_quality_assurance(self, institution: Institution) -> dict[str, str]:
        return {
            "accrediting_body": institution.qa_accrediting_body,
            "procedures": institution.qa_procedures,
            "reports_url": institution.qa_reports_url,
        }


class InstitutionUpdateSerializer(serializers.Serializer):
    legal_name = serializers.CharField(max_length=255, required=False)
    short_name = serializers.CharField(max_length=80, required=False)
    country = CountryField(required=False)
    city = serializers.CharField(max_length=120, required=False)
    website = serializers.URLField(required=False, allow_blank=True)
    schac_home_organization = serializers.CharField(
        max_length=120, required=False, allow_blank=True
    )
    erasmus_code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    pic = serializers.RegexField(r"^\d{9}$", required=False, allow_blank=True)
    legal_identifier = serializers.RegexField(
        r"^[A-Z]{3}[A-Z]{2}-\S+$", max_length=80, required=False, allow_blank=True
    )
    nuts_region = serializers.RegexField(
        r"^[A-Z]{2}[0-9A-Z]{1,3}$", max_length=5, required=False, allow_blank=True
    )
    main_language = serializers.CharField(max_length=10, required=False)
    time_zone = serializers.CharField(
        max_length=64,
        required=False,
        help_text="IANA time zone of the institution's dates and deadlines, e.g. Europe/Madrid.",
    )
    qa_accrediting_body = serializers.CharField(max_length=255, required=False, allow_blank=True)
    qa_procedures = serializers.CharField(required=False, allow_blank=True)
    qa_reports_url = serializers.URLField(required=False, allow_blank=True)


class InstitutionCreateSerializer(InstitutionUpdateSerializer):
    alliance = serializers.SlugRelatedField(slug_field="slug", queryset=Alliance.objects.all())
    role = serializers.ChoiceField(choices=MembershipRole.choices, default=MembershipRole.PARTNER)
    legal_name = serializers.CharField(max_length=255)
    slug = serializers.SlugField(max_length=60)
    country = CountryField()
    city = serializers.CharField(max_length=120)


class StaffRoleOutputSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")
    full_name = serializers.CharField(source="user.full_name")

    class Meta:
        model = StaffRole
        fields = ["id", "email", "full_name", "role", "granted_at"]


class InvitationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = StaffInvitation
        fields = ["id", "email", "role", "created_at", "expires_at"]


class InvitationInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    role = serializers.ChoiceField(choices=InstitutionRole.choices)


class InstitutionRoleSerializer(serializers.Serializer):
    institution = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    full_name = serializers.CharField()
    institutions = InstitutionRoleSerializer(many=True)
    alliance_admin_of = serializers.ListField(child=serializers.CharField())
    mfa_enabled = serializers.BooleanField()
