"""Writes for alliances, institutions and staff. Every function checks the actor's right
with `alliances.permissions` (404 when refused) and writes an audit event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import (
    Alliance,
    Institution,
    InstitutionRole,
    Membership,
    StaffInvitation,
    StaffRole,
)
from alliances.selectors import look_alike_institution_name
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify_by_email

INSTITUTION_EDITABLE_FIELDS = {
    "legal_name",
    "short_name",
    "country",
    "city",
    "website",
    "schac_home_organization",
    "erasmus_code",
    "pic",
    "legal_identifier",
    "nuts_region",
    "main_language",
    "time_zone",
    "qa_accrediting_body",
    "qa_procedures",
    "qa_reports_url",
}
ALLIANCE_EDITABLE_FIELDS = {"name", "description", "website", "founded_year"}


def _refuse_look_alike_name(institution: Institution) -> None:
    """An institution's names must not imitate another's (a Cyrillic "o" in "Twente"): the
    names are what people trust on credentials and in recognition."""
    clash = look_alike_institution_name(institution)
    if clash is not None:
        name, other = clash
        raise DomainError(
            _("%(name)s looks like the name of another institution (%(other)s).")
            % {"name": name, "other": other},
            code="confusable_name",
            field="legal_name",
        )


def _apply(obj: Any, fields: set[str], data: dict[str, Any]) -> list[str]:
    unknown = set(data) - fields
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    changed = []
    for name, value in data.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def create_alliance(*, actor: User, name: str, slug: str, **data: Any) -> Alliance:
    permissions.require(permissions.can_create_alliance(actor))
    alliance = Alliance(name=name, slug=slug)
    _apply(alliance, ALLIANCE_EDITABLE_FIELDS, data)
    alliance.full_clean()
    alliance.save()
    record_event(actor=actor, action="alliance.created", target=alliance)
    return alliance


@transaction.atomic
def update_alliance(*, actor: User, alliance: Alliance, data: dict[str, Any]) -> Alliance:
    permissions.require(permissions.can_edit_alliance(actor, alliance))
    changed = _apply(alliance, ALLIANCE_EDITABLE_FIELDS, data)
    if changed:
        alliance.full_clean()
        alliance.save(update_fields=changed)
        record_event(
            actor=actor, action="alliance.updated", target=alliance, data={"fields": changed}
        )
    return alliance


@transaction.atomic
def create_institution(
    *, actor: User, alliance: Alliance, legal_name: str, slug: str, role: str, **data: Any
) -> Institution:
    """Register an institution as a member of an alliance (alliance admins and operators)."""
    permissions.require(permissions.can_edit_alliance(actor, alliance))
    institution = Institution(legal_name=legal_name, slug=slug)
    _apply(institution, INSTITUTION_EDITABLE_FIELDS, data)
    if not institution.short_name:
        institution.short_name = legal_name[:80]
    _refuse_look_alike_name(institution)
    institution.full_clean()
    institution.save()
    Membership.objects.create(
        alliance=alliance, institution=institution, role=role, joined_on=timezone.localdate()
    )
    record_event(
        actor=actor,
        action="institution.created",
        target=institution,
        institution_id=institution.pk,
        data={"alliance": alliance.slug, "role": role},
    )
    permissions.forget_roles(actor)
    return institution


@transaction.atomic
def update_institution(
    *, actor: User, institution: Institution, data: dict[str, Any]
) -> Institution:
    permissions.require(permissions.can_edit_institution(actor, institution))
    changed = _apply(institution, INSTITUTION_EDITABLE_FIELDS, data)
    if {"legal_name", "short_name"} & set(changed):
        _refuse_look_alike_name(institution)
    if changed:
        institution.full_clean()
        institution.save(update_fields=changed)
        record_event(
            actor=actor,
            action="institution.updated",
            target=institution,
            institution_id=institution.pk,
            data={"fields": changed},
        )
    return institution


@transaction.atomic
def invite_staff(
    *, actor: User, institution: Institution, email: str, role: str
) -> StaffInvitation:
    permissions.require(permissions.can_manage_staff(actor, institution))
    if role not in InstitutionRole.values:
        raise DomainError(_("Unknown role."), field="role")
    email = User.objects.normalize_email(email).lower()
    if StaffRole.objects.filter(
        institution=institution, user__email__iexact=email, role=role
    ).exists():
        raise ConflictError(
            _("%(email)s already has this role at %(institution)s.")
            % {"email": email, "institution": institution},
            field="email",
        )
    # An expired invitation must not block a fresh one for the same person and role.
    StaffInvitation.objects.filter(
        institution=institution,
        email=email,
        role=role,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__lte=timezone.now(),
    ).update(revoked_at=timezone.now())
    try:
        with transaction.atomic():
            invitation = StaffInvitation.objects.create(
                institution=institution, email=email, role=role, invited_by=actor
            )
    except IntegrityError as exc:
        raise ConflictError(
            _("An invitation for this person and role is already waiting to be accepted."),
            field="email",
        ) from exc
    record_event(
        actor=actor,
        action="staff.invited",
        target=invitation,
        institution_id=institution.pk,
        data={"email": email, "role": role},
    )
    notify_by_email(
        recipient=email,
        template="alliances/email/invitation",
        context={
            "invitation": invitation,
            "inviter": actor,
            "accept_url": settings.PORTAL_BASE_URL
            + reverse("alliances:accept_invitation", args=[invitation.token]),
        },
        # The invitee's own language when they already have an account; else the inviter's.
        language=User.objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
        or None,
    )
    return invitation


@transaction.atomic
def revoke_invitation(*, actor: User, invitation: StaffInvitation) -> StaffInvitation:
    permissions.require(permissions.can_manage_staff(actor, invitation.institution))
    if invitation.accepted_at is not None:
        raise ConflictError(_("This invitation has already been accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_event(
            actor=actor,
            action="staff.invitation_revoked",
            target=invitation,
            institution_id=invitation.institution_id,
        )
    return invitation


def _verified_emails(user: User) -> set[str]:
    from allauth.account.models import EmailAddress

    return {
        address.lower()
        for address in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


@transaction.atomic
def accept_invitation(*, user: User, token: str) -> StaffRole:
    try:
        invitation = StaffInvitation.objects.select_for_update().get(token=token)
    except StaffInvitation.DoesNotExist as exc:
        raise DomainError(_("This invitation link is not valid.")) from exc
    if not invitation.is_open:
        raise ConflictError(
            _("This invitation is no longer open. Ask the institution admin for a new one.")
        )
    if invitation.email.lower() not in _verified_emails(user):
        raise DomainError(
            _(
                "This invitation was sent to another e-mail address. Sign in with that "
                "address, or add and verify it in your account."
            )
        )
    role, _created = StaffRole.objects.get_or_create(
        user=user,
        institution=invitation.institution,
        role=invitation.role,
        defaults={"granted_by": invitation.invited_by},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        actor=user,
        action="staff.invitation_accepted",
        target=role,
        institution_id=invitation.institution_id,
        data={"role": invitation.role},
    )
    permissions.forget_roles(user)
    return role


@transaction.atomic
def remove_staff_role(*, actor: User, staff_role: StaffRole) -> None:
    institution = staff_role.institution
    permissions.require(permissions.can_manage_staff(actor, institution))
    if staff_role.role == InstitutionRole.INSTITUTION_ADMIN:
        # Lock the admins so two admins removing each other cannot leave nobody in charge.
        admins = list(
            StaffRole.objects.select_for_update()
            .filter(institution=institution, role=InstitutionRole.INSTITUTION_ADMIN)
            .values_list("pk", flat=True)
        )
        if admins == [staff_role.pk]:
            raise ConflictError(
                _("An institution needs at least one admin. Invite another admin first.")
            )
    record_event(
        actor=actor,
        action="staff.removed",
        target=staff_role,
        institution_id=institution.pk,
        data={"user": staff_role.user.email, "role": staff_role.role},
    )
    staff_role.delete()
    permissions.forget_roles(staff_role.user)
