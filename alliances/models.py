from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class InstitutionRole(models.TextChoices):
    INSTITUTION_ADMIN = "institution_admin", _("Institution admin")
    PROGRAMME_MANAGER = "programme_manager", _("Programme manager")
    RECOGNITION_OFFICER = "recognition_officer", _("Recognition officer")
    REGISTRAR = "registrar", _("Registrar")
    MENTOR = "mentor", _("Mentor (work-based learning)")


class OrganisationKind(models.TextChoices):
    UNIVERSITY = "university", _("Higher education institution")
    COMPANY = "company", _("Company")
    CHALLENGE_PROVIDER = "challenge_provider", _("Challenge provider")


class AllianceRoleKind(models.TextChoices):
    ALLIANCE_ADMIN = "alliance_admin", _("Alliance admin")


class MembershipRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER = "partner", _("Partner")


slug_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Lower-case letters, digits and hyphens.")
)


class Alliance(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, validators=[slug_validator])
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founded in"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    logo = models.ImageField(_("logo"), upload_to="alliances/logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    institutions: models.ManyToManyField[Institution, Membership] = models.ManyToManyField(
        "Institution", through="Membership", related_name="alliances", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")

    def __str__(self) -> str:
        return self.name


def validate_time_zone(value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(_("Unknown time zone: %(zone)s."), params={"zone": value}) from error


class Institution(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, validators=[slug_validator])
    country = CountryField(_("country"))
    city = models.CharField(_("city"), max_length=120)
    kind = models.CharField(
        _("kind of organisation"),
        max_length=20,
        choices=OrganisationKind.choices,
        default=OrganisationKind.UNIVERSITY,
    )
    website = models.URLField(_("website"), blank=True)
    schac_home_organization = models.CharField(
        _("SCHAC home organisation"),
        max_length=120,
        blank=True,
        help_text=_("The institution's internet domain as used in eduGAIN, e.g. uab.cat."),
        validators=[
            RegexValidator(r"^[a-z0-9.-]+\.[a-z]{2,}$", _("A domain name such as uab.cat."))
        ],
    )
    erasmus_code = models.CharField(
        _("Erasmus code"),
        max_length=20,
        blank=True,
        help_text=_("Erasmus institutional code, e.g. E BARCELO02."),
    )
    pic = models.CharField(
        _("PIC"),
        max_length=9,
        blank=True,
        help_text=_("Participant Identification Code in the EU Funding and Tenders portal."),
        validators=[RegexValidator(r"^\d{9}$", _("Nine digits."))],
    )
    legal_identifier = models.CharField(
        _("legal identifier (eIDAS)"),
        max_length=80,
        blank=True,
        help_text=_(
            "The institution's legal person identifier as in its electronic seal "
            "certificate, e.g. VATES-Q0818002H; European Digital Credentials require it."
        ),
        validators=[
            RegexValidator(
                r"^[A-Z]{3}[A-Z]{2}-\S+$", _("Three letters, the country, a dash: VATES-Q0818002H.")
            )
        ],
    )
    nuts_region = models.CharField(
        _("region (NUTS code)"),
        max_length=5,
        blank=True,
        help_text=_("The NUTS code of the institution's region, e.g. ES511."),
        validators=[RegexValidator(r"^[A-Z]{2}[0-9A-Z]{1,3}$", _("A NUTS code such as ES511."))],
    )
    main_language = models.CharField(
        _("main language"),
        max_length=10,
        default="en",
        help_text=_("Language of the institution's own texts (BCP 47 tag, e.g. es, de)."),
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        help_text=_("IANA time zone of the institution's dates and deadlines, e.g. Europe/Madrid."),
        validators=[validate_time_zone],
    )
    qa_accrediting_body = models.CharField(_("accrediting body"), max_length=255, blank=True)
    qa_procedures = models.TextField(
        _("quality assurance procedures"),
        blank=True,
        help_text=_(
            "How the institution's programmes are quality assured (internal and external)."
        ),
    )
    qa_reports_url = models.URLField(_("quality assurance reports"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="institutions/logos/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(
                fields=["schac_home_organization"],
                condition=~Q(schac_home_organization=""),
                name="institution_schac_unique",
            ),
            models.UniqueConstraint(
                fields=["erasmus_code"],
                condition=~Q(erasmus_code=""),
                name="institution_erasmus_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.legal_name

    @property
    def zone(self) -> ZoneInfo:
        """The time zone its dates and deadlines are stated in."""
        return ZoneInfo(self.time_zone)


class Membership(models.Model):
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="memberships")
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(
        _("role in the alliance"), max_length=20, choices=MembershipRole.choices
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["alliance__name", "role", "institution__legal_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "institution"], name="membership_unique_per_alliance"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} in {self.alliance} ({self.role})"


class StaffRole(models.Model):
    """A person's role at an institution. One row per (person, institution, role)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="institution_roles"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=InstitutionRole.choices)
    granted_at = models.DateTimeField(default=timezone.now)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["institution__legal_name", "user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "institution", "role"], name="staff_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} at {self.institution}"


class AllianceRole(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alliance_roles"
    )
    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(
        _("role"),
        max_length=30,
        choices=AllianceRoleKind.choices,
        default=AllianceRoleKind.ALLIANCE_ADMIN,
    )
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "alliance", "role"], name="alliance_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} - {self.get_role_display()} of {self.alliance}"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(32)


def invitation_expiry() -> datetime:
    return timezone.now() + timedelta(days=14)


class StaffInvitation(models.Model):
    """An invitation, sent by e-mail, to take a role at an institution.

    It is accepted by signing in with the invited address; it expires after two weeks.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=30, choices=InstitutionRole.choices)
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "email", "role"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()} at {self.institution}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )
