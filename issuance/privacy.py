"""A person's own data: download all of it as one ZIP archive, or delete the account.

Each app contributes through the signals of `portal.signals`, connected in its
`AppConfig.ready()`, so apps above this one plug in without this module importing them:

- `personal_data_export`: receivers `f(user) -> {file name: bytes | str | JSON}`;
- `account_deleting`: receivers `f(user) -> None`, run inside the deletion's transaction to
  remove or anonymise that app's personal data.

Deleting an account keeps what other records must keep (credentials already issued stay
verifiable: their rows, status list positions and the institutions' DID documents stay; the
enrolments and results behind them stay for the institutions' records) and removes the person:
the user row is anonymised and deactivated, e-mail addresses, API tokens, second-factor
authenticators, share links, imported credentials and wallet offers are deleted, and audit
events lose the link to the person (the only change the audit trigger allows).
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile
from typing import Any, cast

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from catalogue.models import AssessmentResult, Enrolment
from issuance import selectors
from issuance.models import ImportedCredential, ShareLink, WalletOffer
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import ApiToken, AuditEvent, User
from portal.signals import account_deleting, personal_data_export


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_account(user: User, **_signal: Any) -> dict[str, Any]:
    return {
        "account.json": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
        },
        "activity.json": [
            {
                "at": _iso(event.created_at),
                "action": event.action,
                "object": event.object_repr,
                "ip_address": event.ip_address,
            }
            for event in AuditEvent.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }


def export_learning(user: User, **_signal: Any) -> dict[str, Any]:
    return {
        "learning/enrolments.json": [
            {
                "offering": enrolment.offering.code,
                "programme": enrolment.version.title_en,
                "status": enrolment.status,
                "created_at": _iso(enrolment.created_at),
                "enrolled_at": _iso(enrolment.enrolled_at),
                "withdrawn_at": _iso(enrolment.withdrawn_at),
            }
            for enrolment in Enrolment.objects.filter(learner=user).select_related(
                "offering", "version"
            )
        ],
        "learning/results.json": [
            {
                "offering": result.offering.code,
                "outcome": result.outcome,
                "grade": result.grade,
                "assessed_on": _iso(result.assessed_on),
                "identity_verified": result.identity_verified,
            }
            for result in AssessmentResult.objects.filter(learner=user).select_related("offering")
        ],
    }


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
                "issued_at": _iso(credential.issued_at),
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
                "imported_at": _iso(imported.imported_at),
                "issuer_known": imported.issuer_known,
            }
        )
    files["credentials/index.json"] = index
    files["share-links.json"] = [
        {
            "name": link.name,
            "created_at": _iso(link.created_at),
            "expires_at": _iso(link.expires_at),
            "revoked_at": _iso(link.revoked_at),
            "views": link.view_count,
            "credentials": [str(c.uuid) for c in link.credentials.all()]
            + [str(i.uuid) for i in link.imported_credentials.all()],
        }
        for link in ShareLink.objects.filter(learner=user).prefetch_related(
            "credentials", "imported_credentials"
        )
    ]
    files["wallet-deliveries.json"] = [
        {
            "credential": str(offer.credential.uuid),
            "created_at": _iso(offer.created_at),
            "delivered_at": _iso(offer.delivered_at),
            "wallet_did": offer.holder_did,
        }
        for offer in WalletOffer.objects.filter(learner=user).select_related("credential")
    ]
    return files


def personal_data_archive(*, user: User) -> bytes:
    """Everything the portal holds about the user, from every app's exporter, as a ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            _(
                "Your data from Alliance Credentials, exported on %(date)s.\n"
                "credentials/ holds your signed credentials as issued (JSON, application/vc);\n"
                "each can be verified on its own, anywhere.\n"
            )
            % {"date": timezone.now().date().isoformat()},
        )
        for _exporter, files in personal_data_export.send(sender=User, user=user):
            # (django-stubs types a receiver's answer as `str | None`; ours are file maps.)
            for name, content in cast(dict[str, Any], files).items():
                if isinstance(content, bytes):
                    data = content
                elif isinstance(content, str):
                    data = content.encode("utf-8")
                else:
                    data = json.dumps(content, indent=2, ensure_ascii=False).encode("utf-8")
                archive.writestr(name, data)
    record_event(actor=user, action="account.data_exported", target=user)
    return buffer.getvalue()


def delete_wallet_data(user: User, **_signal: Any) -> None:
    """This app's part of account deletion: share links (and so their pages), imported
    credentials and wallet offers go; issued credentials stay."""
    ShareLink.objects.filter(learner=user).delete()
    ImportedCredential.objects.filter(learner=user).delete()
    WalletOffer.objects.filter(learner=user).delete()


@transaction.atomic
def delete_account(*, user: User, confirmation: str) -> None:
    """Remove the person from the portal (see the module docstring for what stays)."""
    if not user.is_active:
        raise DomainError(_("This account is already deleted."))
    if confirmation.strip().lower() != user.email.lower():
        raise DomainError(
            _("Type your e-mail address exactly to confirm the deletion."), field="confirmation"
        )
    if permissions.is_staff_somewhere(user):
        raise DomainError(
            _(
                "You hold a staff or administrator role. Ask your institution's administrator "
                "to remove your roles first, then delete your account."
            )
        )
    user_id = user.pk
    account_deleting.send(sender=User, user=user)
    EmailAddress.objects.filter(user=user).delete()
    ApiToken.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = f"deleted-{user_id}-{secrets.token_hex(4)}@deleted.invalid"
    user.full_name = ""
    user.preferred_language = ""
    user.is_active = False
    user.set_unusable_password()
    user.save(update_fields=["email", "full_name", "preferred_language", "is_active", "password"])
    # The append-only trigger lets exactly this through: the link to the person goes, the
    # record of what happened stays.
    AuditEvent.objects.filter(actor_id=user_id).update(actor=None, actor_label=_("deleted account"))
    record_event(actor=None, action="account.deleted", data={"user_id": user_id})
