"""The wallet's part of a person's data export and account deletion (see `portal.privacy`):
the credentials they hold (issued here and imported), share links and wallet deliveries."""

from __future__ import annotations

from typing import Any

from issuance import selectors
from portal.models import User
from portal.privacy import iso
from wallet.models import ImportedCredential, PublicProfile, ShareLink, WalletOffer


def export_credentials(user: User, **_signal: Any) -> dict[str, Any]:
    files: dict[str, Any] = {}
    index: list[dict[str, Any]] = []
    for credential in selectors.learner_credentials(learner=user):
        files[f"credentials/{credential.uuid}.json"] = credential.document
        index.append(
            {
                "file": f"credentials/{credential.uuid}.json",
                "title": credential.title,
                "issuer": credential.issuer.legal_name,
                "issued_at": iso(credential.issued_at),
                "status": credential.lifecycle_status(),
                "revocation_reason": credential.revocation_reason,
                "suspension_reason": credential.suspension_reason,
            }
        )
    for imported in ImportedCredential.objects.filter(learner=user):
        files[f"imported/{imported.uuid}.json"] = imported.document
        index.append(
            {
                "file": f"imported/{imported.uuid}.json",
                "title": imported.title,
                "issuer": imported.issuer_name or imported.issuer_id,
                "imported_at": iso(imported.imported_at),
                "issuer_known": imported.issuer_known,
            }
        )
    files["credentials/index.json"] = index
    files["share-links.json"] = [
        {
            "name": link.name,
            "created_at": iso(link.created_at),
            "expires_at": iso(link.expires_at),
            "revoked_at": iso(link.revoked_at),
            "views": link.view_count,
            "credentials": [str(c.uuid) for c in link.credentials.all()]
            + [str(i.uuid) for i in link.imported_credentials.all()],
        }
        for link in ShareLink.objects.filter(learner=user).prefetch_related(
            "credentials", "imported_credentials"
        )
    ]
    profile = PublicProfile.objects.filter(learner=user).first()
    files["public-profile.json"] = (
        {
            "address": profile.slug,
            "headline": profile.headline,
            "published_at": iso(profile.published_at),
            "credentials": [str(c.uuid) for c in profile.credentials.all()],
        }
        if profile
        else None
    )
    files["wallet-deliveries.json"] = [
        {
            "credential": str(offer.credential.uuid),
            "created_at": iso(offer.created_at),
            "delivered_at": iso(offer.delivered_at),
            "wallet_did": offer.holder_did,
        }
        for offer in WalletOffer.objects.filter(learner=user).select_related("credential")
    ]
    return files


def delete_wallet_data(user: User, **_signal: Any) -> None:
    """This app's part of account deletion: imported credentials and wallet offers go; issued
    credentials stay, and so do the share links that show them (the learner handed those
    addresses out), without their names and without imported credentials. Links that showed
    only imported credentials go. The public profile goes."""
    PublicProfile.objects.filter(learner=user).delete()
    ShareLink.objects.filter(learner=user, credentials__isnull=True).delete()
    ShareLink.objects.filter(learner=user).update(name="")
    ImportedCredential.objects.filter(learner=user).delete()
    WalletOffer.objects.filter(learner=user).delete()
