"""The learner's wallet: share links, credentials imported from other providers, and offers
that deliver a credential to a mobile wallet (OpenID4VCI).

The tables keep the names they had when these models lived in the issuance app
(`issuance_sharelink`, ...), so moving the models moved no data.
"""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alliances.models import Institution
from issuance.models import Credential


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class ShareLink(models.Model):
    """A link a learner hands out (to an employer, another university) showing one or more of
    their credentials with a live verification. Named by the learner, optionally expiring,
    revocable at any time; the token is the only way in, so it is long and random."""

    token = models.CharField(max_length=64, unique=True, default=new_share_token)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    name = models.CharField(_("name"), max_length=120)
    credentials: models.ManyToManyField[Credential, Any] = models.ManyToManyField(
        Credential, related_name="share_links", blank=True
    )
    imported_credentials: models.ManyToManyField[ImportedCredential, Any] = models.ManyToManyField(
        "ImportedCredential", related_name="share_links", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "issuance_sharelink"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        # The token is a bearer secret: keep it out of logs.
        return f"<ShareLink {self.pk} learner={self.learner_id}>"

    @property
    def credential_count(self) -> int:
        """Issued and imported credentials together (the wallet prefetches both)."""
        return len(self.credentials.all()) + len(self.imported_credentials.all())

    def state(self, now: Any = None) -> str:
        """active, expired or revoked."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= (now or timezone.now()):
            return "expired"
        return "active"


class CredentialFormat(models.TextChoices):
    """The format an imported credential came in; the last two are legacy formats."""

    OPEN_BADGES_3 = "ob3", _("Open Badges 3.0")
    VC_2 = "vc2", _("Verifiable Credential 2.0")
    VC_1_1 = "vc11", _("Verifiable Credential 1.1 (legacy format)")
    OPEN_BADGES_2_SIGNED = "ob2-signed", _("Open Badges 2.0 signed assertion (legacy format)")
    OPEN_BADGES_2_HOSTED = "ob2-hosted", _("Open Badges 2.0 hosted assertion (legacy format)")


LEGACY_FORMATS = frozenset(
    {
        CredentialFormat.VC_1_1,
        CredentialFormat.OPEN_BADGES_2_SIGNED,
        CredentialFormat.OPEN_BADGES_2_HOSTED,
    }
)


class ImportedCredential(models.Model):
    """A credential from another provider that a learner brought into their wallet. It was
    verified on intake; the issuer is shown as the credential states it, next to what the
    alliance registry knows about it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="imported_credentials"
    )
    document = models.JSONField()
    content_sha256 = models.CharField(max_length=64)
    credential_id = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=300, blank=True)
    issuer_id = models.CharField(max_length=500)
    issuer_name = models.CharField(max_length=300, blank=True)
    # This portal's institution behind the issuer's DID, when there is one.
    registered_institution = models.ForeignKey(
        Institution,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    issuer_known = models.BooleanField(default=False)
    verification = models.JSONField(default=dict)
    imported_at = models.DateTimeField(default=timezone.now)
    credential_format = models.CharField(
        max_length=20, choices=CredentialFormat.choices, default=CredentialFormat.VC_2
    )
    # The credential as signed when that is not the JSON document itself (an Open Badges 2.0
    # signed assertion is a JWS whose payload is `document`).
    signed_form = models.TextField(blank=True)

    class Meta:
        db_table = "issuance_importedcredential"
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "content_sha256"], name="imported_credential_once_per_learner"
            )
        ]

    def __str__(self) -> str:
        return self.title or self.credential_id or f"imported credential {self.pk}"

    @property
    def is_legacy_format(self) -> bool:
        return self.credential_format in LEGACY_FORMATS


class WalletOffer(models.Model):
    """An OpenID4VCI credential offer (pre-authorized code flow) for one issued credential.

    Only SHA-256 hashes of the pre-authorized code, the transaction code and the access token
    are stored: the database never holds a usable secret. The offer is single-use: the code is
    exchanged once, and the credential is delivered once.
    """

    credential = models.ForeignKey(
        Credential, on_delete=models.CASCADE, related_name="wallet_offers"
    )
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wallet_offers"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    tx_code_hash = models.CharField(max_length=64, blank=True)
    failed_tx_code_attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    code_redeemed_at = models.DateTimeField(null=True, blank=True)
    access_token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    holder_did = models.CharField(max_length=300, blank=True)
    # A Learner Credential Wallet exchange: the challenge its DID Authentication must sign
    # (wallet.lcw); OpenID4VCI offers need none (their nonces are stateless).
    challenge = models.CharField(max_length=100, blank=True)

    class Meta:
        db_table = "issuance_walletoffer"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"wallet offer {self.pk} for {self.credential_id}"


def new_profile_slug() -> str:
    return secrets.token_urlsafe(9)


class PublicProfile(models.Model):
    """A page a learner chooses to publish, listing the credentials they picked. Off until the
    learner publishes it; unpublishing deletes it, so its address stops working at once. The
    address is random, so profiles cannot be listed by guessing."""

    learner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_profile"
    )
    slug = models.CharField(max_length=20, unique=True, default=new_profile_slug)
    headline = models.CharField(_("headline"), max_length=160, blank=True)
    credentials: models.ManyToManyField[Credential, Any] = models.ManyToManyField(
        Credential, related_name="public_profiles", blank=True
    )
    published_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Public profile {self.slug}"
