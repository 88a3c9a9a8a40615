"""A programme's publication workflow: submitting it, the partners' approval, requests
for changes, publishing a version (and its search text) and archiving.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution, InstitutionRole
from catalogue import permissions as catalogue_permissions
from catalogue.models import (
    ApprovalMessage,
    ApprovalMessageKind,
    Programme,
    ProgrammePartner,
    ProgrammeStatus,
    ProgrammeVersion,
    Skill,
)
from catalogue.services.programmes import SEARCH_CONFIG, _lock, _reload
from catalogue.snapshots import build_snapshot, missing_elements, search_text_of
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify_by_email


def fill_search_documents(versions: Any) -> None:
    """Compute the full-text documents of versions on PostgreSQL (derived from the frozen
    `search_text`, so updating them never changes what a version says)."""
    if connection.vendor == "postgresql":
        versions.update(search_document=SearchVector("search_text", config=SEARCH_CONFIG))


def _require_complete(programme: Programme) -> None:
    missing = missing_elements(programme)
    if missing:
        raise DomainError(
            _("Complete the programme first. Missing: %s")
            % "; ".join(str(element.label) for element in missing),
            code="incomplete",
        )


def _publish(programme: Programme, actor: User) -> ProgrammeVersion:
    _require_complete(programme)
    # The completeness rule guarantees both; the asserts tell the type checker.
    assert programme.ects is not None
    assert programme.eqf_level is not None
    number = (programme.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    snapshot = build_snapshot(programme, number)
    version = ProgrammeVersion.objects.create(
        programme=programme,
        number=number,
        snapshot=snapshot,
        title_en=programme.title["en"][:300],
        ects=programme.ects,
        eqf_level=programme.eqf_level,
        participation_form=programme.participation_form,
        languages=programme.languages,
        alliance_id=programme.alliance_id,
        search_text=search_text_of(snapshot),
        published_by=actor,
        listed=True,
    )
    programme.versions.exclude(pk=version.pk).filter(listed=True).update(listed=False)
    fill_search_documents(ProgrammeVersion.objects.filter(pk=version.pk))
    version.skills.set(Skill.objects.filter(uri__in=[skill["uri"] for skill in snapshot["skills"]]))
    version.awarding_bodies.set([body["id"] for body in snapshot["awarding_bodies"]])
    programme.published_version = version
    programme.status = ProgrammeStatus.PUBLISHED
    programme.updated_at = timezone.now()
    programme.save(update_fields=["published_version", "status", "updated_at"])
    record_event(
        actor=actor,
        action="programme.published",
        target=programme,
        institution_id=programme.coordinator_id,
        data={"version": number},
    )
    return version


@transaction.atomic
def submit_programme(*, actor: User, programme: Programme, reply: str = "") -> Programme:
    """Send a complete draft to the partners (with the coordinator's reply to their comments,
    if any). Without partners it is published at once."""
    permissions.require(catalogue_permissions.can_edit_programme(actor, programme))
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.DRAFT:
        raise ConflictError(_("Only a draft can be submitted."))
    _require_complete(programme)
    ProgrammePartner.objects.filter(programme=programme).update(approved_at=None, approved_by=None)
    record_event(
        actor=actor,
        action="programme.submitted",
        target=programme,
        institution_id=programme.coordinator_id,
    )
    if not programme.partner_links.exists():
        _publish(programme, actor)
    else:
        programme.status = ProgrammeStatus.SUBMITTED
        programme.updated_at = timezone.now()
        programme.save(update_fields=["status", "updated_at"])
        ApprovalMessage.objects.create(
            programme=programme,
            institution_id=programme.coordinator_id,
            author=actor,
            kind=ApprovalMessageKind.SUBMITTED,
            text=reply.strip()[:2000],
            snapshot=build_snapshot(programme, number=0),
        )
        partner_ids = list(programme.partner_links.values_list("institution_id", flat=True))
        _notify_programme_staff(
            programme,
            institution_ids=partner_ids,
            template="catalogue/email/approval_requested",
            context={"coordinator": programme.coordinator},
        )
    return _reload(programme)


def _notify_programme_staff(
    programme: Programme,
    *,
    institution_ids: Iterable[int],
    template: str,
    context: dict[str, Any],
) -> None:
    """E-mail the programme managers and admins of the given institutions about a programme."""
    recipients = (
        User.objects.filter(
            is_active=True,
            institution_roles__institution_id__in=list(institution_ids),
            institution_roles__role__in=[
                InstitutionRole.PROGRAMME_MANAGER,
                InstitutionRole.INSTITUTION_ADMIN,
            ],
        )
        .distinct()
        .order_by("pk")
    )
    url = settings.PORTAL_BASE_URL + reverse("catalogue:programme_manage", args=[programme.pk])
    for recipient in recipients:
        notify_by_email(
            recipient=recipient.email,
            template=template,
            context={
                "recipient": recipient,
                "title": programme.title.get("en", ""),
                "url": url,
                **context,
            },
            language=recipient.preferred_language or None,
        )


@transaction.atomic
def approve_programme(*, actor: User, programme: Programme, institution: Institution) -> Programme:
    """A partner institution approves the submitted text; the last approval publishes it."""
    permissions.require(
        catalogue_permissions.can_approve_programme(actor, programme, institution.pk)
    )
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise ConflictError(_("This programme is not waiting for approval."))
    link = ProgrammePartner.objects.get(programme=programme, institution=institution)
    if link.approved_at is None:
        link.approved_at = timezone.now()
        link.approved_by = actor
        link.save(update_fields=["approved_at", "approved_by"])
        ApprovalMessage.objects.create(
            programme=programme,
            institution=institution,
            author=actor,
            kind=ApprovalMessageKind.APPROVED,
        )
        record_event(
            actor=actor,
            action="programme.approved",
            target=programme,
            institution_id=institution.pk,
        )
    if not ProgrammePartner.objects.filter(programme=programme, approved_at__isnull=True).exists():
        _publish(_reload(programme), actor)
    return _reload(programme)


@transaction.atomic
def request_changes(
    *, actor: User, programme: Programme, institution: Institution, comment: str
) -> Programme:
    """A partner sends the submitted text back to the coordinator with a comment."""
    permissions.require(
        catalogue_permissions.can_approve_programme(actor, programme, institution.pk)
    )
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise ConflictError(_("This programme is not waiting for approval."))
    if not comment.strip():
        raise DomainError(_("Say what should change."), field="comment")
    programme.status = ProgrammeStatus.DRAFT
    programme.updated_at = timezone.now()
    programme.save(update_fields=["status", "updated_at"])
    ProgrammePartner.objects.filter(programme=programme).update(approved_at=None, approved_by=None)
    ApprovalMessage.objects.create(
        programme=programme,
        institution=institution,
        author=actor,
        kind=ApprovalMessageKind.CHANGES_REQUESTED,
        text=comment.strip()[:2000],
    )
    record_event(
        actor=actor,
        action="programme.changes_requested",
        target=programme,
        institution_id=institution.pk,
        data={"comment": comment.strip()[:2000]},
    )
    _notify_programme_staff(
        programme,
        institution_ids=[programme.coordinator_id],
        template="catalogue/email/changes_requested",
        context={"partner": institution, "comment": comment.strip()[:2000]},
    )
    return _reload(programme)


@transaction.atomic
def archive_programme(*, actor: User, programme: Programme) -> Programme:
    """Take a programme out of the catalogue. Its versions stay: credentials point to them."""
    permissions.require(catalogue_permissions.can_edit_programme(actor, programme))
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.ARCHIVED:
        programme.status = ProgrammeStatus.ARCHIVED
        programme.updated_at = timezone.now()
        programme.save(update_fields=["status", "updated_at"])
        programme.versions.filter(listed=True).update(listed=False)
        record_event(
            actor=actor,
            action="programme.archived",
            target=programme,
            institution_id=programme.coordinator_id,
        )
    return programme
