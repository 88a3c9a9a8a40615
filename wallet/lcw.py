"""Adding a credential to the Digital Credentials Consortium's Learner Credential Wallet.

The wallet is opened with a credential-request deep link (`dccrequest://request?...`, shown
as a link and a QR code) naming a one-time exchange address here and a challenge. The wallet
signs a DID Authentication presentation (holder = its DID, proof purpose authentication, over
the challenge) and posts it to that address; the portal verifies it and answers the
credential bound to the wallet's DID, newly signed by the issuing institutions (as OpenID4VCI
delivery does: `wallet.oid4vci.bind_to_holder`). The exchange is a `WalletOffer` row: its
secret is the exchange address's last part (only its hash is stored), the challenge is kept
until the single delivery. Only did:key holders are accepted: nothing is fetched to resolve
the wallet's DID. See docs/decisions/learner-credential-wallet-request.md.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from credential_format.verification import verify_presentation
from issuance.models import Credential
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from verification.fetching import verification_fetcher
from wallet import permissions as wallet_permissions
from wallet.models import WalletOffer
from wallet.oid4vci import _hash, bind_to_holder

DEEP_LINK_PREFIX = "dccrequest://request?"


class ExchangeRefused(DomainError):
    status_code = 400
    code = "exchange_refused"


@dataclass(frozen=True)
class CredentialRequest:
    offer: WalletOffer
    deep_link: str
    exchange_url: str


def create_credential_request(*, learner: User, credential: Credential) -> CredentialRequest:
    """A one-time exchange for the learner's valid credential, and its deep link."""
    permissions.require(wallet_permissions.can_share_credential(learner, credential))
    if credential.lifecycle_status() != "valid":
        raise ConflictError(_("Only a valid credential can be added to a wallet."))
    secret = secrets.token_urlsafe(32)
    challenge = secrets.token_urlsafe(24)
    offer = WalletOffer.objects.create(
        credential=credential,
        learner=learner,
        code_hash=_hash(secret),
        challenge=challenge,
        expires_at=timezone.now() + timedelta(seconds=settings.WALLET_OFFER_SECONDS),
    )
    exchange_url = settings.PORTAL_BASE_URL + reverse(
        "wallet:lcw_exchange", kwargs={"secret": secret}
    )
    deep_link = DEEP_LINK_PREFIX + urlencode(
        {
            "issuer": settings.PORTAL_BASE_URL,
            "auth_type": "bearer",
            "challenge": challenge,
            "vc_request_url": exchange_url,
        }
    )
    record_event(
        actor=learner,
        action="wallet_offer.created",
        target=offer,
        institution_id=credential.issuer_id,
        data={"credential": str(credential.uuid), "wallet": "learner-credential-wallet"},
    )
    return CredentialRequest(offer, deep_link, exchange_url)


def deliver_to_wallet(*, secret: str, presentation: Any) -> dict[str, Any]:
    """The exchange address: a DID Authentication over the challenge gets the credential,
    bound to the presenting DID, once."""
    with transaction.atomic():
        offer = (
            WalletOffer.objects.select_for_update()
            .select_related("credential")
            .filter(code_hash=_hash(secret), access_token_hash__isnull=True)
            .first()
        )
        if offer is None or offer.expires_at <= timezone.now() or offer.delivered_at:
            raise ExchangeRefused(_("This request has expired or was already used."))
        if offer.credential.lifecycle_status() != "valid":
            raise ExchangeRefused(_("Only a valid credential can be added to a wallet."))
        holder = presentation.get("holder") if isinstance(presentation, dict) else None
        if not isinstance(holder, str) or not holder.startswith("did:key:"):
            raise ExchangeRefused(_("Send a DID Authentication presentation from a did:key."))
        report = verify_presentation(
            presentation, fetcher=verification_fetcher(), challenge=offer.challenge
        )
        if not report.verified or not report.verified_methods:
            raise ExchangeRefused(
                _("The presentation's signature or challenge is not valid: ask for a new code.")
            )
        document = bind_to_holder(offer.credential, holder)
        offer.delivered_at = timezone.now()
        offer.holder_did = holder[:300]
        offer.challenge = ""
        offer.save(update_fields=["delivered_at", "holder_did", "challenge"])
        record_event(
            actor=None,
            action="wallet_offer.delivered",
            target=offer,
            institution_id=offer.credential.issuer_id,
            data={"credential": str(offer.credential.uuid), "holder": holder},
        )
    return document
