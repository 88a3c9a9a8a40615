"""Recognition (credit transfer) under the Lisbon Recognition Convention.

A learner asks a receiving institution to recognise one or more credentials towards one of
its published targets (a course or module) or as free-elective credits. The institution
publishes its procedure in advance (`RecognitionPolicy`: time limit, appeal period, who
decides appeals). Each request is pre-assessed automatically, decided by an officer (or
automatically under an `RecognitionAgreement`), and may be appealed once.

Invariants worth knowing before reading the services:

- What was assessed is a snapshot owned here (`SubmittedCredential`): the credential JSON
  exactly as submitted, its digest and the verification report at submission time. A later
  change in a wallet never changes a case.
- `RecognitionRequest.status` changes only in `recognition.services`, while the request row
  is locked (`select_for_update`), so two officers can never both decide one case.
- The clock: `deadline_at` is the received time plus the published time limit plus every
  closed pause (information requests); while a pause is open the deadline moves with it
  (`recognition.clock`).
- Decisions are never edited: an appeal that overturns a decision adds a new one
  (`Decision.supersedes`), and the request's `final_decision` points at the one that stands.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Alliance, Institution
from catalogue.models import Programme, ProgrammeVersion


class AppealRoute(models.TextChoices):
    OTHER_OFFICER = "other_officer", _("Another recognition officer of the institution")
    INSTITUTION_ADMIN = "institution_admin", _("The institution's administration")


class RecognitionPolicy(models.Model):
    """The procedure an institution publishes in advance (Lisbon Recognition Convention,
    Art. III.5): the time limit for a decision, the appeal period and the appeal route.

    Time limits are counted in calendar days (see docs/recognition.md)."""

    institution = models.OneToOneField(
        Institution, on_delete=models.CASCADE, related_name="recognition_policy"
    )
    time_limit_days = models.PositiveSmallIntegerField(
        _("time limit for a decision (calendar days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    appeal_period_days = models.PositiveSmallIntegerField(
        _("appeal period (calendar days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    appeals_decided_by = models.CharField(
        _("appeals are decided by"),
        max_length=20,
        choices=AppealRoute.choices,
        default=AppealRoute.OTHER_OFFICER,
    )
    procedure = models.TextField(
        _("procedure"),
        blank=True,
        help_text=_("What learners should know: documents to provide, contacts, languages."),
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("recognition policy")
        verbose_name_plural = _("recognition policies")

    def __str__(self) -> str:
        return f"{self.institution}: {self.time_limit_days} days"


class RecognitionTarget(models.Model):
    """A course or module of the receiving institution that credits can count towards."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="recognition_targets"
    )
    code = models.CharField(_("code"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    programme_title = models.CharField(
        _("programme"),
        max_length=255,
        blank=True,
        help_text=_("The degree programme it is part of."),
    )
    ects = models.DecimalField(
        _("ECTS credits"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    eqf_level = models.PositiveSmallIntegerField(
        _("EQF level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    learning_outcomes = models.JSONField(_("learning outcomes"), default=list, blank=True)
    skill_uris = models.JSONField(_("ESCO skills"), default=list, blank=True)
    assessment_type = models.CharField(_("type of assessment"), max_length=255, blank=True)
    is_active = models.BooleanField(_("open for requests"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["institution_id", "code"]
        verbose_name = _("recognition target")
        verbose_name_plural = _("recognition targets")
        constraints = [
            models.UniqueConstraint(fields=["institution", "code"], name="target_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class TargetUpload(models.Model):
    """A targets CSV kept between its preview and its confirmation."""

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
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


class RequestKind(models.TextChoices):
    COURSE = "course", _("Towards a course or module")
    FREE_ELECTIVE = "free_elective", _("As free-elective credits")


class RequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for an officer")
    IN_REVIEW = "in_review", _("Being assessed")
    AWAITING_LEARNER = "awaiting_learner", _("Waiting for the learner's information")
    DECIDED = "decided", _("Decided (appeal possible)")
    APPEALED = "appealed", _("Under appeal")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW, RequestStatus.AWAITING_LEARNER)
DECIDABLE_STATUSES = (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW)


class ChecksStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to run")
    DONE = "done", _("Done")


class RecognitionRequest(models.Model):
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recognition_requests"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="recognition_requests"
    )
    kind = models.CharField(max_length=16, choices=RequestKind.choices, default=RequestKind.COURSE)
    target = models.ForeignKey(
        RecognitionTarget,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    motivation = models.TextField(_("motivation"), blank=True)
    status = models.CharField(
        max_length=20, choices=RequestStatus.choices, default=RequestStatus.SUBMITTED
    )
    received_at = models.DateTimeField(default=timezone.now)
    # Copied from the policy at submission: a later policy change never moves a deadline.
    time_limit_days = models.PositiveSmallIntegerField()
    appeal_period_days = models.PositiveSmallIntegerField()
    appeals_decided_by = models.CharField(max_length=20, choices=AppealRoute.choices)
    deadline_at = models.DateTimeField()
    paused_since = models.DateTimeField(null=True, blank=True)
    # An officer takes a case for a while so that two people do not assess it at once.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_recognition_requests",
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    checks_status = models.CharField(
        max_length=10, choices=ChecksStatus.choices, default=ChecksStatus.PENDING
    )
    checks = models.JSONField(default=dict, blank=True)
    checks_completed_at = models.DateTimeField(null=True, blank=True)
    # The learner's name as the audited record had it when the request arrived; the holder
    # check compares with this, never with the (later) account name.
    learner_name = models.CharField(max_length=200, blank=True)
    final_decision = models.ForeignKey(
        "Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_deadline_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # When the overdue case was escalated to the institution's admins (once per case).
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline_at", "id"]
        verbose_name = _("recognition request")
        verbose_name_plural = _("recognition requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RequestKind.FREE_ELECTIVE) | Q(target__isnull=False),
                name="request_course_has_target",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "deadline_at"], name="request_queue_idx"),
            models.Index(fields=["learner", "status"], name="request_learner_idx"),
            models.Index(fields=["checks_status", "received_at"], name="request_checks_idx"),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"

    @property
    def reference(self) -> str:
        return f"R-{self.pk:06d}" if self.pk else "R-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def lease_held_by_other(self, user: Any, now: datetime) -> bool:
        return (
            self.assigned_to_id is not None
            and self.assigned_to_id != getattr(user, "pk", None)
            and self.lease_expires_at is not None
            and self.lease_expires_at > now
        )


class CredentialSource(models.TextChoices):
    ISSUED_HERE = "issued_here", _("Issued on this portal")
    IMPORTED = "imported", _("Imported into the learner's wallet")
    UPLOADED = "uploaded", _("Uploaded with the request")


class VerificationVerdict(models.TextChoices):
    VERIFIED = "verified", _("Verified")
    NOT_CHECKED = "not_checked", _("Could not be fully checked")
    FAILED = "failed", _("Failed verification")


class IssuerTrust(models.TextChoices):
    MEMBER = "member", _("Institution registered on this portal")
    REGISTERED = "registered", _("Issuer in the trust registry")
    UNKNOWN = "unknown", _("Unknown issuer")


class HolderStatus(models.TextChoices):
    """Whether the learner who submitted a credential is shown to be the person it was issued
    to. Only the first three count as proof."""

    ISSUED_HERE = "issued_here", _("Issued on this portal to this learner")
    PRESENTATION = "presentation", _("Holder proven by a signed presentation")
    OFFICER = "officer", _("Identity checked by an officer")
    NOT_PROVEN = "not_proven", _("Holder not proven")
    ISSUED_TO_OTHER = "issued_to_other", _("Issued to someone else")


PROVEN_HOLDER_STATUSES = (HolderStatus.ISSUED_HERE, HolderStatus.PRESENTATION, HolderStatus.OFFICER)


class TrustedIssuer(models.Model):
    """An issuer outside the portal that an operator registered (by hand or imported from a
    registry list such as the DCC issuer registry). The portal's own institutions are
    registered by being institutions; together they are the trust registry
    (`recognition.issuers`). Display names come only from here, never from a credential."""

    name = models.CharField(_("name"), max_length=300)
    did = models.CharField(_("DID"), max_length=500, unique=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    legal_identifiers = models.JSONField(_("legal identifiers"), default=list, blank=True)
    # Multibase Ed25519 keys the issuer publishes (for did:web issuers the portal cannot fetch).
    public_keys = models.JSONField(_("public keys (multibase)"), default=list, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    registered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("trusted issuer")
        verbose_name_plural = _("trusted issuers")

    def __str__(self) -> str:
        return f"{self.name} ({self.did})"


class SubmittedCredential(models.Model):
    """A credential exactly as the learner submitted it, with what the portal read from it.

    The parsed columns are what the comparison uses; elements the credential does not state
    are listed in `not_stated` and become named elements to examine."""

    request = models.ForeignKey(
        RecognitionRequest, on_delete=models.CASCADE, related_name="credentials"
    )
    position = models.PositiveSmallIntegerField(default=1)
    document = models.JSONField()
    digest_multibase = models.CharField(max_length=80)
    source = models.CharField(max_length=16, choices=CredentialSource.choices)
    # The wallet row it came from (issued or imported credential), when it came from a wallet.
    source_id = models.BigIntegerField(null=True, blank=True)
    verification = models.JSONField(default=dict, blank=True)
    verdict = models.CharField(
        max_length=12, choices=VerificationVerdict.choices, default=VerificationVerdict.FAILED
    )
    credential_id = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=500, blank=True)
    issuer_id = models.CharField(max_length=500, blank=True)
    issuer_name = models.CharField(
        _("issuer name as the credential states it"), max_length=500, blank=True
    )
    issuer_institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    programme_version = models.ForeignKey(
        ProgrammeVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    achievement_id = models.CharField(max_length=500, blank=True)
    ects = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    eqf_level = models.PositiveSmallIntegerField(null=True, blank=True)
    learning_outcomes = models.JSONField(default=list, blank=True)
    skill_uris = models.JSONField(default=list, blank=True)
    assessment_type = models.TextField(blank=True)
    supervision = models.CharField(max_length=60, blank=True)
    quality_assurance = models.TextField(blank=True)
    grade = models.CharField(max_length=40, blank=True)
    not_stated = models.JSONField(default=list, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    # Trust registry and holder binding (docs/recognition.md, "Holder and issuer").
    subject_id = models.CharField(max_length=500, blank=True)
    proof_value = models.CharField(max_length=200, blank=True)
    issuer_trust = models.CharField(
        max_length=12, choices=IssuerTrust.choices, default=IssuerTrust.UNKNOWN
    )
    trusted_issuer = models.ForeignKey(
        TrustedIssuer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    holder_status = models.CharField(
        max_length=16, choices=HolderStatus.choices, default=HolderStatus.NOT_PROVEN
    )
    holder_note = models.TextField(blank=True)

    class Meta:
        ordering = ["request_id", "position"]
        indexes = [
            models.Index(fields=["programme_version"], name="credential_version_idx"),
            models.Index(fields=["achievement_id"], name="credential_achievement_idx"),
            models.Index(fields=["credential_id"], name="credential_id_idx"),
            models.Index(fields=["digest_multibase"], name="credential_digest_idx"),
            models.Index(fields=["proof_value"], name="credential_proof_idx"),
        ]

    def __str__(self) -> str:
        return self.title or self.credential_id or f"credential {self.pk}"

    @property
    def registered_issuer_name(self) -> str:
        """The issuer's name from the trust registry; empty for an unknown issuer (never the
        name the credential claims)."""
        if self.issuer_institution is not None:
            return str(self.issuer_institution.legal_name)
        if self.trusted_issuer is not None:
            return self.trusted_issuer.name
        return ""

    @property
    def holder_proven(self) -> bool:
        return self.holder_status in PROVEN_HOLDER_STATUSES


class HolderChallenge(models.Model):
    """A one-time challenge the learner's wallet signs (with the domain) in a presentation that
    proves control of a credential's subject DID. Bound to one request and its learner."""

    request = models.ForeignKey(
        RecognitionRequest, on_delete=models.CASCADE, related_name="holder_challenges"
    )
    challenge = models.CharField(max_length=64, unique=True)
    domain = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"challenge for {self.request_id}"


def attachment_path(instance: RequestAttachment, filename: str) -> str:
    # The stored name never comes from the uploader: no path tricks, no collisions.
    return f"recognition/{instance.request_id}/{timezone.now():%Y%m%d%H%M%S%f}.bin"


class RequestAttachment(models.Model):
    request = models.ForeignKey(
        RecognitionRequest, on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class MessageKind(models.TextChoices):
    INFORMATION_REQUEST = "information_request", _("Request for information")
    ANSWER = "answer", _("Answer")


class CaseMessage(models.Model):
    """The thread between officers and the learner about one case."""

    request = models.ForeignKey(
        RecognitionRequest, on_delete=models.CASCADE, related_name="messages"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=MessageKind.choices)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.request_id}"


class ClockPause(models.Model):
    """A time the clock stood still because the officer waited for the learner."""

    request = models.ForeignKey(RecognitionRequest, on_delete=models.CASCADE, related_name="pauses")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    question = models.ForeignKey(CaseMessage, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"], condition=Q(ended_at__isnull=True), name="one_open_pause"
            )
        ]

    def __str__(self) -> str:
        return f"pause of {self.request_id} from {self.started_at:%Y-%m-%d}"

    @property
    def duration(self) -> timedelta | None:
        return None if self.ended_at is None else self.ended_at - self.started_at


class DecisionOutcome(models.TextChoices):
    FULL = "full", _("Recognised in full")
    PARTIAL = "partial", _("Recognised in part")
    REFUSED = "refused", _("Not recognised")


class DifferenceElement(models.TextChoices):
    """The five elements officers compare (and the credential's authenticity)."""

    LEVEL = "level", _("Level")
    WORKLOAD = "workload", _("Workload")
    LEARNING_OUTCOMES = "learning_outcomes", _("Learning outcomes")
    QUALITY = "quality", _("Quality assurance")
    PROFILE = "profile", _("Profile and assessment")
    AUTHENTICITY = "authenticity", _("Authenticity of the credential")


class CredentialStatus(models.TextChoices):
    NOT_DUE = "not_due", _("No credential (refusal or not final yet)")
    DUE = "due", _("To be issued")
    ISSUED = "issued", _("Issued")


class Decision(models.Model):
    """A decision on a request. Never edited: an overturned decision is superseded by the
    appeal's new decision."""

    request = models.ForeignKey(
        RecognitionRequest, on_delete=models.PROTECT, related_name="decisions"
    )
    outcome = models.CharField(max_length=10, choices=DecisionOutcome.choices)
    credits_granted = models.DecimalField(max_digits=5, decimal_places=1, default=Decimal("0"))
    counts_towards = models.CharField(_("counts towards"), max_length=300, blank=True)
    component_replaced = models.CharField(_("component replaced"), max_length=300, blank=True)
    # [{"element": "workload", "reason": "..."}], required for partial recognition and refusal.
    substantial_differences = models.JSONField(default=list, blank=True)
    compensatory_measures = models.TextField(blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recognition_decisions",
    )
    automatic = models.BooleanField(default=False)
    agreement = models.ForeignKey(
        "RecognitionAgreement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    within_time_limit = models.BooleanField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    final_at = models.DateTimeField(null=True, blank=True)
    credential_status = models.CharField(
        max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.NOT_DUE
    )
    # The recognition credential's id, chosen when it becomes due (issuance signs it).
    credential_id = models.CharField(max_length=100, blank=True)
    # What the decision applied besides an agreement: a countersigned alliance rule, or the
    # pre-approval the institution gave before the learner enrolled.
    blanket_rule = models.ForeignKey(
        "BlanketRule", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    preapproval = models.ForeignKey(
        "PreApproval", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    # Set when a credential the decision was built on is revoked by its issuer: the decision
    # stays as it was taken, flagged for the institution to reconsider.
    basis_revoked_at = models.DateTimeField(null=True, blank=True)
    basis_revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(automatic=False, decided_by__isnull=False)
                | Q(automatic=True, decided_by__isnull=True),
                name="decision_automatic_xor_officer",
            ),
            models.CheckConstraint(
                condition=Q(credits_granted__gte=0), name="decision_credits_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["decided_at"], name="decision_date_idx")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} for {self.request_id}"

    @property
    def recognises(self) -> bool:
        return self.outcome in (DecisionOutcome.FULL, DecisionOutcome.PARTIAL)


class AppealStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a decision")
    DECIDED = "decided", _("Decided")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("The decision stands")
    OVERTURNED = "overturned", _("The decision was changed")


class Appeal(models.Model):
    request = models.OneToOneField(
        RecognitionRequest, on_delete=models.PROTECT, related_name="appeal"
    )
    # Empty for an appeal against the institution's failure to decide within its time limit.
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal"
    )
    against_inaction = models.BooleanField(default=False)
    grounds = models.TextField(_("grounds"))
    lodged_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=AppealStatus.choices, default=AppealStatus.OPEN
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=12, choices=AppealOutcome.choices, blank=True)
    outcome_reasons = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    new_decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["lodged_at", "id"]

    def __str__(self) -> str:
        return f"appeal on {self.request_id}"

    # The request's facts the appeal rule reads (`recognition.permissions.can_decide_appeal`).
    @property
    def institution_id(self) -> int:
        return self.request.institution_id

    @property
    def decided_by_id(self) -> int | None:
        return self.decision.decided_by_id if self.decision is not None else None

    @property
    def learner_id(self) -> int:
        return self.request.learner_id

    @property
    def route(self) -> str:
        return self.request.appeals_decided_by


class RecognitionAgreement(models.Model):
    """Automatic recognition: credentials of `programme` (from `from_version`, with at
    least `minimum_grade`) count towards `target` with `ects` credits. Recorded by the
    receiving institution, or by an alliance on behalf of a member (`alliance`)."""

    target = models.ForeignKey(
        RecognitionTarget, on_delete=models.PROTECT, related_name="agreements"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    from_version = models.PositiveIntegerField(null=True, blank=True)
    minimum_grade = models.CharField(max_length=20, blank=True)
    ects = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    alliance = models.ForeignKey(
        Alliance, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(default=timezone.localdate)
    valid_until = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["target_id", "programme_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "programme"],
                condition=Q(is_active=True),
                name="agreement_one_active_per_pair",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="agreement_valid_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} -> {self.target_id}"

    @property
    def institution_id(self) -> int:
        return self.target.institution_id


class BlanketRule(models.Model):
    """An alliance-wide rule: any micro-credential issued by a member institution at EQF level
    `minimum_eqf_level` or above counts as free-elective credits, up to `max_ects_per_year` per
    learner and calendar year. Proposed by an alliance admin; binding for an institution only
    once it countersigns (`BlanketRuleSignature`)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    minimum_eqf_level = models.PositiveSmallIntegerField(
        _("minimum EQF level"), validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    max_ects_per_year = models.DecimalField(
        _("free-elective ECTS per learner and year"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))],
    )
    notes = models.TextField(_("notes"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["alliance_id", "-proposed_at", "id"]
        verbose_name = _("alliance recognition rule")
        verbose_name_plural = _("alliance recognition rules")

    def __str__(self) -> str:
        return self.title


class BlanketRuleSignature(models.Model):
    """An institution's countersignature: from then on the rule binds it."""

    rule = models.ForeignKey(BlanketRule, on_delete=models.CASCADE, related_name="signatures")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "institution"], name="blanket_rule_signed_once")
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} signed {self.rule_id}"


class PreApprovalStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the institution")
    APPROVED = "approved", _("Approved: applies once the credential is issued")
    REFUSED = "refused", _("Refused")
    APPLIED = "applied", _("Applied: credits recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PreApproval(models.Model):
    """A commitment before enrolment, in the spirit of the EWP learning agreement: the home
    institution states what a programme will count for once the learner holds its credential.
    When the holder-bound credential is issued, the portal opens a recognition request and
    decides it as committed."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recognition_preapprovals"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="recognition_preapprovals"
    )
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=RequestKind.choices)
    target = models.ForeignKey(
        RecognitionTarget, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    ects = models.DecimalField(max_digits=4, decimal_places=1)
    agreement = models.ForeignKey(
        RecognitionAgreement, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    blanket_rule = models.ForeignKey(
        BlanketRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    motivation = models.TextField(_("motivation"), blank=True)
    status = models.CharField(
        max_length=12, choices=PreApprovalStatus.choices, default=PreApprovalStatus.REQUESTED
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    case = models.OneToOneField(
        RecognitionRequest,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="preapproval",
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RequestKind.FREE_ELECTIVE) | Q(target__isnull=False),
                name="preapproval_course_has_target",
            ),
            models.UniqueConstraint(
                fields=["learner", "institution", "programme"],
                condition=Q(status__in=["requested", "approved"]),
                name="preapproval_one_pending_per_programme",
            ),
        ]

    def __str__(self) -> str:
        return f"pre-approval {self.pk}"

    @property
    def reference(self) -> str:
        return f"P-{self.pk:06d}" if self.pk else "P-new"


# Models kept in their own modules; imported here so Django registers them with the app.
from recognition.booking.models import BookingStatus, CreditType, DecisionBooking  # noqa: E402, F401
from recognition.emrex.models import ElmoTranscript, TranscriptSignature  # noqa: E402, F401
from recognition.grading.models import (  # noqa: E402, F401
    ConversionMethod,
    DecisionGrade,
    GradingTable,
    GradingTableSource,
)
