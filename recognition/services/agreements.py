"""Recognition agreements between institutions: creating and ending them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Alliance
from catalogue.models import Programme
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition.models import (
    RecognitionAgreement,
    RecognitionTarget,
)
from recognition.services.common import _full_clean


@transaction.atomic
def create_agreement(
    *,
    actor: User,
    target: RecognitionTarget,
    programme: Programme,
    ects: Decimal,
    from_version: int | None = None,
    minimum_grade: str = "",
    alliance: Alliance | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    notes: str = "",
) -> RecognitionAgreement:
    """Record that credentials of a programme are recognised for a target automatically.
    An alliance admin records it on behalf of a member institution (`alliance`)."""
    permissions.require(permissions.can_manage_recognition_agreements(actor, target.institution_id))
    if programme.published_version_id is None:
        raise DomainError(
            _("Only published programmes can be covered by an agreement."), field="programme"
        )
    if (
        alliance is not None
        and not target.institution.memberships.filter(
            alliance=alliance, left_on__isnull=True
        ).exists()
    ):
        raise DomainError(_("The institution is not a member of this alliance."), field="alliance")
    if RecognitionAgreement.objects.filter(
        target=target, programme=programme, is_active=True
    ).exists():
        raise ConflictError(
            _("An agreement for this programme and course already exists; end it first.")
        )
    agreement = RecognitionAgreement(
        target=target,
        programme=programme,
        ects=ects,
        from_version=from_version,
        minimum_grade=minimum_grade.strip(),
        alliance=alliance,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
        notes=notes.strip(),
        recorded_by=actor,
    )
    _full_clean(agreement, exclude=["target", "programme", "alliance", "recorded_by"])
    if ects > target.ects:
        raise DomainError(
            _("An agreement cannot grant more than the course's %(ects)s ECTS.")
            % {"ects": target.ects},
            field="ects",
        )
    agreement.save()
    record_event(
        actor=actor,
        action="recognition.agreement_created",
        target=agreement,
        institution_id=target.institution_id,
        data={"programme": programme.slug, "target": target.code, "ects": str(ects)},
    )
    return agreement


@transaction.atomic
def end_agreement(*, actor: User, agreement: RecognitionAgreement) -> RecognitionAgreement:
    agreement = (
        RecognitionAgreement.objects.select_for_update()
        .select_related("target")
        .get(pk=agreement.pk)
    )
    permissions.require(
        permissions.can_manage_recognition_agreements(actor, agreement.target.institution_id)
    )
    if not agreement.is_active:
        raise ConflictError(_("This agreement has already ended."))
    agreement.is_active = False
    agreement.valid_until = max(timezone.localdate(), agreement.valid_from)
    agreement.save(update_fields=["is_active", "valid_until"])
    record_event(
        actor=actor,
        action="recognition.agreement_ended",
        target=agreement,
        institution_id=agreement.target.institution_id,
    )
    return agreement
