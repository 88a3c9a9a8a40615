"""Micro-credential programmes (joint, versioned), ESCO skills, pathways, offerings,
enrolments and assessment results.

Invariants worth knowing before reading the services:

- A `Programme` row is the editable working copy. What learners see, enrol in and are
  assessed against is a `ProgrammeVersion`: an immutable snapshot frozen at publication.
  `Programme.published_version` points at the current one; editing a published programme
  starts a revision that needs the partners' approval again, while the published version
  stays in the catalogue.
- `ProgrammeVersion.listed` marks the version the catalogue shows: the published version of
  a programme that is not archived. Only the publication services change it; catalogue
  search reads the versions table alone through it.
- Offerings, enrolments and results each record the version the learner takes, so a later
  revision never changes what a credential describes.
- `Offering.enrolled_count` is the number of enrolments in state `enrolled`; it only
  changes while the offering row is locked (`select_for_update`), which is what makes
  enrolment safe under concurrency.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Institution

LanguageMap = dict[str, str]


class SearchDocumentField(SearchVectorField):
    """A precomputed full-text document: `tsvector` on PostgreSQL (GIN-indexed, migration
    0003), plain text left empty on SQLite, whose catalogue search uses icontains instead."""

    def db_type(self, connection: Any) -> str | None:
        if connection.vendor == "postgresql":
            return "tsvector"
        return "text"


class SkillType(models.TextChoices):
    KNOWLEDGE = "knowledge", _("Knowledge")
    SKILL = "skill/competence", _("Skill or competence")


class Skill(models.Model):
    """An ESCO skill or knowledge concept (see catalogue/data/README.md)."""

    uri = models.URLField(_("ESCO URI"), max_length=200, unique=True)
    preferred_label = models.CharField(_("label"), max_length=255, db_index=True)
    skill_type = models.CharField(
        _("type"), max_length=20, choices=SkillType.choices, default=SkillType.SKILL
    )
    reuse_level = models.CharField(_("reuse level"), max_length=30, blank=True)
    collections = models.CharField(_("ESCO collections"), max_length=100, blank=True)

    class Meta:
        ordering = ["preferred_label"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.preferred_label


class Occupation(models.Model):
    uri = models.URLField(_("ESCO URI"), max_length=200, unique=True)
    preferred_label = models.CharField(_("label"), max_length=255, db_index=True)
    skills: models.ManyToManyField[Skill, OccupationSkill] = models.ManyToManyField(
        Skill, through="OccupationSkill", related_name="occupations"
    )

    class Meta:
        ordering = ["preferred_label"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return self.preferred_label


class OccupationSkillRelation(models.TextChoices):
    ESSENTIAL = "essential", _("Essential")
    OPTIONAL = "optional", _("Optional")


class OccupationSkill(models.Model):
    occupation = models.ForeignKey(Occupation, on_delete=models.CASCADE, related_name="links")
    skill = models.ForeignKey(Skill, on_delete=models.CASCADE, related_name="occupation_links")
    relation = models.CharField(max_length=10, choices=OccupationSkillRelation.choices)
    # "esco" for ESCO's own occupation-skill relations, "curated" for the project's mapping.
    source = models.CharField(max_length=10, default="curated")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occupation", "skill"], name="occupation_skill_unique")
        ]

    def __str__(self) -> str:
        return f"{self.occupation_id} {self.relation} {self.skill_id}"


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for partner approval")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ParticipationForm(models.TextChoices):
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")
    ONSITE = "onsite", _("On-site")
    WORK_BASED = "work_based", _("Work-based (at a company, with a mentor)")


class QFEHEACycle(models.TextChoices):
    SHORT = "short", _("Short cycle")
    FIRST = "first", _("First cycle (bachelor)")
    SECOND = "second", _("Second cycle (master)")
    THIRD = "third", _("Third cycle (doctorate)")


# QF-EHEA cycles correspond to EQF levels 5 to 8.
CYCLE_EQF_LEVEL = {
    QFEHEACycle.SHORT: 5,
    QFEHEACycle.FIRST: 6,
    QFEHEACycle.SECOND: 7,
    QFEHEACycle.THIRD: 8,
}


class SupervisionVerification(models.TextChoices):
    """Annex I: supervision and identity verification during assessment."""

    UNSUPERVISED = "unsupervised", _("Unsupervised, no identity verification")
    SUPERVISED = "supervised", _("Supervised, no identity verification")
    SUPERVISED_VERIFIED = (
        "supervised_verified",
        _("Supervised online or on-site, with identity verification"),
    )


class GradingScheme(models.TextChoices):
    PASS_FAIL = "pass_fail", _("Pass or fail")
    ECTS = "ects", _("ECTS grades A to F")
    NUMERIC_10 = "numeric_10", _("0 to 10 (pass from 5)")
    PERCENTAGE = "percentage", _("Percentage (pass from 50)")


class Stackability(models.TextChoices):
    STANDALONE = "standalone", _("Stand-alone micro-credential")
    STACKABLE = "stackable", _("Stackable towards a larger credential")
    INTEGRATED = "integrated", _("Integrated into a larger credential")


class Programme(models.Model):
    """The working copy of a joint micro-credential programme.

    Text that learners read is stored as language maps (`{"en": ..., "es": ...}`), like ELM.
    """

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="programmes")
    coordinator = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="coordinated_programmes"
    )
    partners: models.ManyToManyField[Institution, ProgrammePartner] = models.ManyToManyField(
        Institution, through="ProgrammePartner", related_name="partner_programmes", blank=True
    )
    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    status = models.CharField(
        max_length=12, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    title = models.JSONField(_("title"), default=dict, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    ects = models.DecimalField(
        _("workload in ECTS credits"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    workload_hours = models.PositiveSmallIntegerField(
        _("notional workload in hours"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1800)],
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    qf_ehea_cycle = models.CharField(
        _("QF-EHEA cycle"), max_length=10, choices=QFEHEACycle.choices, blank=True
    )
    assessment_type = models.JSONField(_("type of assessment"), default=dict, blank=True)
    participation_form = models.CharField(
        _("form of participation"), max_length=10, choices=ParticipationForm.choices, blank=True
    )
    quality_assurance = models.JSONField(_("type of quality assurance"), default=dict, blank=True)
    prerequisites = models.JSONField(_("prerequisites"), default=dict, blank=True)
    supervision = models.CharField(
        _("supervision and identity verification"),
        max_length=24,
        choices=SupervisionVerification.choices,
        blank=True,
    )
    grading_scheme = models.CharField(
        _("grading scheme"),
        max_length=12,
        choices=GradingScheme.choices,
        default=GradingScheme.PASS_FAIL,
    )
    stackability = models.CharField(
        _("integration and stackability"),
        max_length=12,
        choices=Stackability.choices,
        default=Stackability.STANDALONE,
    )
    further_information = models.JSONField(_("further information"), default=dict, blank=True)
    # Languages of instruction as a delimited list (",en,es,") so that one LIKE filter works
    # the same on PostgreSQL and SQLite; `language_codes` gives the list.
    languages = models.CharField(_("languages of instruction"), max_length=100, blank=True)
    isced_f_code = models.CharField(
        _("ISCED-F field"),
        max_length=4,
        blank=True,
        help_text=_("ISCED-F 2013 code, e.g. 0613 (software development)."),
    )
    fee_amount = models.DecimalField(
        _("fee"), max_digits=8, decimal_places=2, default=Decimal("0.00")
    )
    fee_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    published_version = models.OneToOneField(
        "ProgrammeVersion",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.title.get("en") or self.slug

    @property
    def language_codes(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]

    @property
    def partner_institution_ids(self) -> frozenset[int]:
        """Ids of partner institutions (uses prefetched `partner_links` when present)."""
        return frozenset(link.institution_id for link in self.partner_links.all())


class ProgrammePartner(models.Model):
    """A partner institution of a joint programme and its approval of the submitted text."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partner_links")
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="programme_partnerships"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["institution__short_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "institution"], name="programme_partner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} in {self.programme}"


class LearningOutcome(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="learning_outcomes"
    )
    position = models.PositiveSmallIntegerField(default=1)
    text = models.JSONField(default=dict)
    skills: models.ManyToManyField[Skill, Any] = models.ManyToManyField(
        Skill, related_name="learning_outcomes", blank=True
    )

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text.get("en", "")[:80]


class ProgrammeVersion(models.Model):
    """An immutable, numbered snapshot of a published programme.

    `snapshot` holds every Annex I element, the awarding bodies, the learning outcomes
    with their ESCO skills and the optional elements (shape in `catalogue/snapshots.py`),
    so issuance builds credentials from it without reading mutable programme rows. The
    columns beside it are copies of snapshot values that the catalogue filters and sorts on.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    title_en = models.CharField(max_length=300)
    ects = models.DecimalField(max_digits=4, decimal_places=1)
    eqf_level = models.PositiveSmallIntegerField()
    participation_form = models.CharField(max_length=10, choices=ParticipationForm.choices)
    languages = models.CharField(max_length=100)
    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="+")
    search_text = models.TextField(blank=True)
    search_document = SearchDocumentField(null=True, editable=False)
    # Whether the catalogue shows this version (see the module docstring): the one flag
    # that changes on a version, so that search needs no join to the programmes.
    listed = models.BooleanField(default=False, editable=False)
    # Filled once at publication (many-to-many rows never change the version row itself).
    skills: models.ManyToManyField[Skill, Any] = models.ManyToManyField(
        Skill, related_name="programme_versions", blank=True
    )
    awarding_bodies: models.ManyToManyField[Institution, Any] = models.ManyToManyField(
        Institution, related_name="awarded_programme_versions"
    )
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme_id", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="programme_version_number_unique"
            )
        ]
        indexes = [
            models.Index(fields=["eqf_level"], name="version_eqf_idx"),
            # With the level and ECTS indexes, the catalogue's facet filters combine as
            # bitmaps instead of reading every version.
            models.Index(fields=["participation_form"], name="version_form_idx"),
            models.Index(fields=["ects"], name="version_ects_idx"),
            models.Index(fields=["title_en"], name="version_title_idx"),
            # The catalogue's order, read in order for unfiltered pages.
            models.Index(
                fields=["title_en", "programme"],
                name="version_listed_title_idx",
                condition=Q(listed=True),
            ),
            # Every facet and the sort key of the listed versions: facet filters and their
            # count read this index alone on PostgreSQL instead of the wide version rows.
            models.Index(
                fields=[
                    "eqf_level",
                    "participation_form",
                    "ects",
                    "languages",
                    "alliance",
                    "title_en",
                    "programme",
                ],
                name="version_listed_facets_idx",
                condition=Q(listed=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title_en} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A version is what credentials point to: its content must never change.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("Programme versions are immutable; publish a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("Programme versions are immutable")


class PathwayRule(models.TextChoices):
    ALL = "all", _("All of the programmes")
    N_OF = "n_of", _("A number of the programmes")
    MIN_ECTS = "min_ects", _("A minimum of ECTS credits from the programmes")


class Pathway(models.Model):
    """A group of programmes (possibly of several institutions) that stacks into a larger
    credential when the rule is met."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="pathways")
    owner = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="pathways")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.JSONField(default=dict)
    description = models.JSONField(default=dict, blank=True)
    rule = models.CharField(max_length=10, choices=PathwayRule.choices, default=PathwayRule.ALL)
    required_count = models.PositiveSmallIntegerField(null=True, blank=True)
    min_ects = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    programmes: models.ManyToManyField[Programme, Any] = models.ManyToManyField(
        Programme, related_name="pathways"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title.get("en") or self.slug


class CredentialRelease(models.TextChoices):
    """When a recorded pass becomes a signed credential."""

    ON_SAVE = "on_save", _("Issue when the pass is saved")
    HELD = "held", _("Hold for staff release")


class Offering(models.Model):
    """A cohort of a programme: dates, enrolment window, capacity, delivery institutions."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="offerings")
    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.PROTECT, related_name="offerings"
    )
    code = models.SlugField(
        _("reference"),
        max_length=60,
        unique=True,
        help_text=_("Short unique reference used in result uploads, e.g. data-literacy-2026-s."),
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    enrolment_opens_on = models.DateField(_("enrolment opens on"))
    enrolment_closes_on = models.DateField(_("enrolment closes on"))
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    language = models.CharField(_("language of instruction"), max_length=10)
    delivery_institutions: models.ManyToManyField[Institution, Any] = models.ManyToManyField(
        Institution, related_name="delivered_offerings"
    )
    enrolled_count = models.PositiveIntegerField(default=0)
    # "held": passes wait until staff release them on the bulk issuing page (a review step).
    credential_release = models.CharField(
        _("credential release"),
        max_length=10,
        choices=CredentialRelease.choices,
        default=CredentialRelease.ON_SAVE,
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="offering_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(enrolment_closes_on__gte=models.F("enrolment_opens_on")),
                name="offering_enrolment_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(enrolled_count__lte=models.F("capacity")),
                name="offering_not_over_capacity",
            ),
        ]
        indexes = [models.Index(fields=["programme", "starts_on"], name="offering_start_idx")]

    def __str__(self) -> str:
        return self.code

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.enrolled_count, 0)

    @property
    def delivery_institution_ids(self) -> frozenset[int]:
        return frozenset(institution.pk for institution in self.delivery_institutions.all())

    def is_open_on(self, day: Any) -> bool:
        return self.enrolment_opens_on <= day <= self.enrolment_closes_on


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITLISTED = "waitlisted", _("On the waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_ENROLMENT = Q(status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED])


class Enrolment(models.Model):
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="enrolments")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.PROTECT, related_name="enrolments"
    )
    status = models.CharField(max_length=12, choices=EnrolmentStatus.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # Waiting-list order: first come, first promoted.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    enrolled_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Set when the learner passes (and cleared if the pass is corrected to a fail): the
    # enrolment stays "enrolled" for results and places, the learner sees "Completed".
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "learner"],
                condition=ACTIVE_ENROLMENT,
                name="enrolment_one_active_per_learner",
            )
        ]
        indexes = [
            models.Index(
                fields=["offering", "status", "waitlisted_at"], name="enrolment_queue_idx"
            ),
            models.Index(fields=["learner", "status"], name="enrolment_learner_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.learner} in {self.offering} ({self.status})"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None and self.status == EnrolmentStatus.ENROLLED

    @property
    def learner_status_label(self) -> str:
        """The state the learner sees: completed once passed, else the enrolment status."""
        return str(_("Completed")) if self.is_completed else self.get_status_display()


class ResultOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class AssessmentResult(models.Model):
    """A learner's result in an offering. A pass is what issuance turns into a credential
    (through the `catalogue.signals.result_passed` signal); `version` is the programme version the
    learner completed and the one a credential describes."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.PROTECT, related_name="result")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="results")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessment_results"
    )
    version = models.ForeignKey(ProgrammeVersion, on_delete=models.PROTECT, related_name="results")
    outcome = models.CharField(max_length=8, choices=ResultOutcome.choices)
    grade = models.CharField(max_length=20, blank=True)
    assessed_on = models.DateField()
    identity_verified = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["offering_id", "learner_id"]
        indexes = [models.Index(fields=["learner", "outcome"], name="result_learner_idx")]

    def __str__(self) -> str:
        return f"{self.learner} {self.outcome} {self.offering}"

    @property
    def passed(self) -> bool:
        return self.outcome == ResultOutcome.PASSED


class ResultUpload(models.Model):
    """A results CSV kept between its preview and its confirmation."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    saved_rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename or f"upload {self.pk}"


class ProgrammeBadge(models.Model):
    """The badge image staff uploaded for a programme (a PNG re-encoded on upload, see
    `catalogue/badge_images.py`). Kept in its own table so that reading programmes never
    loads image bytes; without a row the portal draws the badge."""

    programme = models.OneToOneField(Programme, on_delete=models.CASCADE, related_name="badge")
    png = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"badge of programme {self.programme_id}"


class ApprovalMessageKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted to the partners")
    CHANGES_REQUESTED = "changes_requested", _("Asked for changes")
    APPROVED = "approved", _("Approved")


class ApprovalMessage(models.Model):
    """One step of the approval conversation between a joint programme's coordinator and its
    partners, kept on the programme page: each submission (with the coordinator's reply and
    the text submitted, to show what changed since the previous one), each request for changes
    with its comment, and each approval."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="approval_messages"
    )
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ApprovalMessageKind.choices)
    text = models.TextField(blank=True)
    # The programme as submitted (a snapshot without version number); empty for other kinds.
    snapshot = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.programme}"


class OfferingMentor(models.Model):
    """A mentor of a company or challenge provider assigned to assess an offering's
    work-based learning: they record its results, and nowhere else."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="mentors")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentored_offerings"
    )
    organisation = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offering", "mentor"], name="offering_mentor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.offering}"


class ChallengeTeam(models.Model):
    """Learners of an offering working together on one challenge (challenge-based learning),
    optionally set by a challenge provider of the alliance."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("team name"), max_length=120)
    challenge = models.TextField(_("challenge"))
    provider = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    members: models.ManyToManyField[Enrolment, Any] = models.ManyToManyField(
        Enrolment, related_name="teams"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["offering_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "name"], name="challenge_team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
