from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Institution
from catalogue.models import AssessmentResult, Offering, Pathway, ProgrammeVersion
from credential_format.reading import DEFAULT_LANGUAGE, has_language, text_in
from credential_format.status_list import status_purposes

# Bitstring Status List minimum (herd privacy): 131,072 entries, 16 KiB per bitstring.
STATUS_LIST_SIZE = 131_072


class KeyState(models.TextChoices):
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class SigningKey(models.Model):
    """An institution's Ed25519 signing key.

    The private key exists only wrapped (AES-256-GCM) under the key encryption key, with the
    institution and key id bound as associated data, so a wrapped key copied to another
    institution's row does not unwrap. Retired keys stay published in the DID document so the
    credentials they signed keep verifying.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="signing_keys"
    )
    key_id = models.SlugField(max_length=64)
    public_key_multibase = models.CharField(max_length=64, unique=True)
    wrapped_private_key = models.TextField()
    kek_fingerprint = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=10, choices=KeyState.choices, default=KeyState.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["institution_id", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "key_id"], name="signing_key_id_unique_per_institution"
            ),
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(state="active"),
                name="signing_key_one_active_per_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} {self.key_id} ({self.state})"

    def __repr__(self) -> str:
        # Never let the wrapped key reach a log line or a traceback.
        return f"<SigningKey {self.pk} {self.institution_id}/{self.key_id} {self.state}>"


class StatusList(models.Model):
    """A numbered pair of Bitstring Status Lists (revocation and suspension) of one issuer.

    A credential gets one random index, used in both lists. Workers allocate indices while
    holding this row's lock; a second worker skips a locked list and takes (or opens) another,
    so issuing in parallel never waits and never hands out an index twice.
    """

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="status_lists"
    )
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField(default=STATUS_LIST_SIZE)
    allocated = models.BinaryField()
    allocated_count = models.PositiveIntegerField(default=0)
    revoked = models.BinaryField()
    suspended = models.BinaryField()
    is_full = models.BooleanField(default=False)
    signed_revocation_list = models.JSONField(null=True, blank=True)
    signed_suspension_list = models.JSONField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set for the lists of credentials issued through the VC-API under the did:key of one of
    # the institution's keys: such a list is issued and signed by that did:key too, because a
    # verifier accepts a status list only from the credential's own issuer.
    did_key_signing_key = models.ForeignKey(
        "SigningKey",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["institution_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "number"], name="status_list_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution} status list {self.number}"


class CredentialKind(models.TextChoices):
    MICRO = "micro", _("Micro-credential")
    PATHWAY = "pathway", _("Pathway credential")
    RECOGNITION = "recognition", _("Recognition decision")


class CredentialState(models.TextChoices):
    PENDING = "pending", _("Waiting to be issued")
    COSIGNING = "cosigning", _("Waiting for partner signatures")
    ISSUED = "issued", _("Issued")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATES = [CredentialState.PENDING, CredentialState.COSIGNING, CredentialState.ISSUED]


class IssuanceJob(models.Model):
    """A group of credentials issued together (a results upload, or "issue all passes of this
    offering"); its progress is read from the states of its credentials."""

    offering = models.ForeignKey(
        Offering, null=True, blank=True, on_delete=models.PROTECT, related_name="issuance_jobs"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="issuance_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.description or f"issuance job {self.pk}"


class Credential(models.Model):
    """A credential the portal issues, from the intent (pending) to the signed document.

    `natural_key` says what the credential is for ("result:<id>", "pathway:<id>:<learner>",
    "recognition:<id>"): at most one open credential exists per natural key, which is what
    makes a retried or duplicated task harmless.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    natural_key = models.CharField(max_length=120)
    kind = models.CharField(max_length=12, choices=CredentialKind.choices)
    state = models.CharField(
        max_length=10, choices=CredentialState.choices, default=CredentialState.PENDING
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="credentials"
    )
    issuer = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="issued_credentials"
    )
    programme_version = models.ForeignKey(
        ProgrammeVersion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    result = models.ForeignKey(
        AssessmentResult,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credentials",
    )
    pathway = models.ForeignKey(
        Pathway, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    job = models.ForeignKey(
        IssuanceJob,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="credentials",
    )
    # What the builder needs beyond the rows above (pathway constituents, recognition decision).
    claims = models.JSONField(default=dict, blank=True)
    title = models.CharField(max_length=300, blank=True)
    # The signed credential exactly as issued (byte for byte what learners download).
    document_json = models.TextField(blank=True)
    digest_multibase = models.CharField(max_length=80, blank=True)
    status_list = models.ForeignKey(
        StatusList, null=True, blank=True, on_delete=models.PROTECT, related_name="credentials"
    )
    status_index = models.PositiveIntegerField(null=True, blank=True)
    failure_reason = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    issued_at = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    # A pathway credential whose constituent was revoked: still signed as it was, flagged for
    # its issuer to decide (revoke, or reissue once the learner qualifies again).
    constituent_revoked_at = models.DateTimeField(null=True, blank=True)
    constituent_revocation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["natural_key"],
                condition=Q(state__in=["pending", "cosigning", "issued"], revoked_at__isnull=True),
                name="credential_one_open_per_natural_key",
            ),
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="credential_status_index_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "created_at"], name="credential_state_idx"),
            models.Index(fields=["learner", "state"], name="credential_learner_idx"),
            models.Index(fields=["natural_key"], name="credential_natural_key_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title or self.natural_key} ({self.state})"

    @property
    def document(self) -> dict[str, Any] | None:
        """The signed credential, parsed; None until issued."""
        return json.loads(self.document_json) if self.document_json else None

    @property
    def names(self) -> dict[str, str]:
        """The credential's name by language as it was signed (its plain `name`, read as the
        portal's credential language, and each translation it carries); the stored title until
        it is issued."""
        document = self.document or {}
        translations = document.get("nameLanguages")
        names = {
            code: text_in(document, "name", code)
            for code in (translations if isinstance(translations, dict) else {})
            if has_language(document, "name", code)
        }
        names[DEFAULT_LANGUAGE] = text_in(document, "name") or self.title
        return {code: name for code, name in names.items() if name}

    @property
    def credential_id(self) -> str:
        return f"urn:uuid:{self.uuid}"

    @property
    def carries_suspension_entry(self) -> bool:
        """Whether the signed credential has a suspension status entry (credentials issued
        before docs/decisions/one-status-entry-per-open-badge.md do): only then can a
        suspension be seen by every verifier."""
        document = self.document
        return document is not None and "suspension" in status_purposes(document)

    def lifecycle_status(self, now: Any = None) -> str:
        """valid, suspended, revoked, expired, or the issuing state when not issued yet."""
        if self.state != CredentialState.ISSUED:
            return str(self.state)
        if self.revoked_at is not None:
            return "revoked"
        if self.suspended_at is not None:
            return "suspended"
        if self.valid_until is not None and self.valid_until <= (now or timezone.now()):
            return "expired"
        return "valid"


# -- VC-API -------------------------------------------------------------------------------------


class VcApiClient(models.Model):
    """An OAuth2 client (client-credentials grant) that issues and updates the status of
    credentials through the VC-API for one institution, and for no other."""

    application = models.OneToOneField(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        on_delete=models.CASCADE,
        related_name="vc_api_client",
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="vc_api_clients"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"VC-API client {self.application_id} of {self.institution}"


class VcApiCredential(models.Model):
    """A credential issued through the VC-API: its id, and its position in the issuer's
    status lists, so the VC-API status endpoint can revoke or suspend it."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="vc_api_credentials"
    )
    client = models.ForeignKey(
        VcApiClient, on_delete=models.SET_NULL, null=True, related_name="credentials"
    )
    credential_id = models.CharField(max_length=500, blank=True, db_index=True)
    issuer_id = models.CharField(max_length=500)
    status_list = models.ForeignKey(StatusList, on_delete=models.PROTECT, related_name="+")
    status_index = models.PositiveIntegerField()
    issued_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    # Credentials issued before docs/decisions/one-status-entry-per-open-badge.md carry a
    # suspension entry too; only those can be suspended.
    carries_suspension_entry = models.BooleanField(default=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="vc_api_credential_status_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.credential_id or f"VC-API credential {self.pk}"


# -- seals --------------------------------------------------------------------------------------


class SealState(models.TextChoices):
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Replaced")


class SealCertificate(models.Model):
    """An institution's X.509 certificate for electronic seals (EDC exports) and its private
    key, wrapped under the key encryption key and bound to the institution and seal id."""

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="seal_certificates"
    )
    seal_id = models.SlugField(max_length=64)
    certificate_pem = models.TextField()
    chain_pem = models.TextField(blank=True)
    wrapped_private_key = models.TextField()
    kek_fingerprint = models.CharField(max_length=64)
    subject = models.CharField(max_length=500)
    issuer = models.CharField(max_length=500)
    fingerprint_sha256 = models.CharField(max_length=64)
    not_valid_before = models.DateTimeField()
    not_valid_after = models.DateTimeField()
    is_self_signed = models.BooleanField(default=False)
    # Generated by the portal for the demo (issued by a demo CA of the institution).
    is_demo = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=SealState.choices, default=SealState.ACTIVE)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["institution_id", "-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "seal_id"], name="seal_id_unique_per_institution"
            ),
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(state="active"),
                name="seal_one_active_per_institution",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} seal {self.seal_id}"

    def __repr__(self) -> str:
        return f"<SealCertificate {self.pk} {self.institution_id}/{self.seal_id} {self.state}>"


class UsageEvent(models.TextChoices):
    SHARED = "shared", _("Shared")
    VIEWED = "viewed", _("Viewed through a share link")
    VERIFIED = "verified", _("Verified")


class CredentialUsage(models.Model):
    """How often credentials of an offering were shared, viewed and verified, per day.

    Only counts: no learner, no credential, no viewer, no address, so the figures can be shown
    to staff and kept without touching anyone's personal data."""

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="usage")
    event = models.CharField(max_length=10, choices=UsageEvent.choices)
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["offering", "event", "day"], name="credential_usage_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.day}: {self.count}"
