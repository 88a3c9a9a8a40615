"""A person's own data: download all of it as one ZIP archive, or delete the account.

Each app contributes through the signals of `portal.signals`, connected in its
`AppConfig.ready()`, so apps above this one plug in without this module importing them:

- `personal_data_export`: receivers `f(user) -> {file name: bytes | str | JSON}`;
- `account_deleting`: receivers `f(user) -> None`, run inside the deletion's transaction to
  remove or anonymise that app's personal data.

Deleting an account keeps what other records must keep (credentials already issued stay
verifiable: their rows, signed documents, status list positions and the institutions' DID
documents stay, so their public check pages and the share links that show them keep answering
with the verdict and status but without the learner's name or grade; the enrolments and
results behind them stay for the institutions' records) and removes the person: the user row
is anonymised and deactivated, e-mail addresses, API tokens, second-factor authenticators,
imported credentials and wallet offers are deleted, share links lose their names, and audit
events lose the link to the person (the only change the audit trigger allows). See
docs/decisions/credentials-outlive-deleted-accounts.md.
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
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import ApiToken, AuditEvent, User
from portal.signals import account_deleting, personal_data_export


def iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def export_account(user: User, **_signal: Any) -> dict[str, Any]:
    return {
        "account.json": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": iso(user.date_joined),
            "email_addresses": [
                {"email": address.email, "verified": address.verified, "primary": address.primary}
                for address in EmailAddress.objects.filter(user=user)
            ],
        },
        "activity.json": [
            {
                "at": iso(event.created_at),
                "action": event.action,
                "object": event.object_repr,
                "ip_address": event.ip_address,
            }
            for event in AuditEvent.objects.filter(actor=user).order_by("created_at", "pk")
        ],
    }


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
                "recognition/ holds your recognition requests with the credentials and files you\n"
                "submitted, the messages, the decisions and any appeal.\n"
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
