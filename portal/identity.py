"""Names are identity data: credentials are issued in them and recognition compares them.

Every change of a user's full name is recorded (`NameChange`) and audited. Once a user holds
credentials or has an open recognition request, a change needs a reason and waits for a
staff member's approval; until then the old name stays. Higher apps say when a name is
locked by answering the `portal.signals.name_change_lock` signal, so this module never
imports them.

`name_at(user, moment)` reads the name a user had at a moment from the recorded changes, so
a check made at submission cannot be undone by renaming later.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import NameChange, NameChangeStatus, User
from portal.signals import name_change_lock


def name_change_needs_approval(user: User) -> bool:
    """Whether a change of the user's name waits for staff approval."""
    return any(locked for _receiver, locked in name_change_lock.send(sender=User, user=user))


def pending_name_change(user: User) -> NameChange | None:
    return NameChange.objects.filter(user=user, status=NameChangeStatus.PENDING).first()


@transaction.atomic
def change_name(
    *, user: User, new_name: str, reason: str = "", now: datetime | None = None
) -> NameChange | None:
    """Change the user's name, or ask staff to approve the change when the name is locked.
    Returns None when nothing changes."""
    now = now or timezone.now()
    user = User.objects.select_for_update().get(pk=user.pk)
    new_name = " ".join(new_name.split())[:200]
    if new_name == user.full_name:
        return None
    if not new_name:
        raise DomainError(_("Enter your full name."), field="full_name")
    locked = name_change_needs_approval(user)
    if locked and pending_name_change(user) is not None:
        raise ConflictError(
            _("A change of your name is already waiting for approval."), code="name_change_pending"
        )
    if locked and not reason.strip():
        raise DomainError(
            _(
                "Your name appears on credentials or in a recognition request: give a reason; "
                "the change takes effect once staff approve it."
            ),
            code="reason_required",
            field="name_change_reason",
        )
    change = NameChange.objects.create(
        user=user,
        old_name=user.full_name,
        new_name=new_name,
        reason=reason.strip()[:2000],
        status=NameChangeStatus.PENDING if locked else NameChangeStatus.APPLIED,
        requested_at=now,
        applied_at=None if locked else now,
    )
    if not locked:
        user.full_name = new_name
        user.save(update_fields=["full_name"])
    record_event(
        actor=user,
        action="account.name_change_requested" if locked else "account.name_changed",
        target=change,
        data={"old_name": change.old_name, "new_name": new_name},
    )
    return change


@transaction.atomic
def decide_name_change(
    *, actor: User, change: NameChange, approve: bool, note: str, now: datetime | None = None
) -> NameChange:
    """Staff approve (the name changes) or reject a pending change, always with a note."""
    if not (actor.is_active and actor.is_staff):
        raise DomainError(_("Only staff can approve a change of name."), code="forbidden")
    change = NameChange.objects.select_for_update().get(pk=change.pk)
    if change.status != NameChangeStatus.PENDING:
        raise ConflictError(_("This change of name was already decided."))
    if change.user_id == actor.pk:
        raise DomainError(_("Nobody approves a change of their own name."), code="forbidden")
    if not note.strip():
        raise DomainError(_("Give a reason."), code="reason_required", field="note")
    now = now or timezone.now()
    change.decided_by = actor
    change.decision_note = note.strip()[:2000]
    if approve:
        user = User.objects.select_for_update().get(pk=change.user_id)
        change.old_name = user.full_name
        change.status = NameChangeStatus.APPLIED
        change.applied_at = now
        user.full_name = change.new_name
        user.save(update_fields=["full_name"])
    else:
        change.status = NameChangeStatus.REJECTED
    change.save()
    record_event(
        actor=actor,
        action="account.name_change_approved" if approve else "account.name_change_rejected",
        target=change,
        data={"user": change.user_id, "new_name": change.new_name, "note": change.decision_note},
    )
    return change


def name_at(user: User, moment: datetime) -> str:
    """The user's name at `moment`, from the recorded changes."""
    applied = NameChange.objects.filter(user=user, status=NameChangeStatus.APPLIED)
    later = applied.filter(applied_at__gt=moment).order_by("applied_at", "id").first()
    if later is not None:
        return later.old_name
    return str(User.objects.filter(pk=user.pk).values_list("full_name", flat=True).first() or "")


def name_changes_between(user: User, start: datetime, end: datetime) -> list[NameChange]:
    return list(
        NameChange.objects.filter(
            user=user,
            status=NameChangeStatus.APPLIED,
            applied_at__gt=start,
            applied_at__lte=end,
        ).order_by("applied_at", "id")
    )
