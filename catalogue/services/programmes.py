"""Writing a programme: creating it and editing its fields, outcomes and partners."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Alliance, Institution
from alliances.selectors import current_memberships
from catalogue.models import (
    LearningOutcome,
    Programme,
    ProgrammePartner,
    ProgrammeStatus,
    Skill,
)
from catalogue.services.common import _full_clean
from catalogue.texts import clean_language_map
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User

# Text search configuration: "simple" (no stemming) because programmes are multilingual.
SEARCH_CONFIG = "simple"


LANGUAGE_MAP_FIELDS = {
    "title",
    "summary",
    "assessment_type",
    "quality_assurance",
    "prerequisites",
    "further_information",
}


PROGRAMME_EDITABLE_FIELDS = LANGUAGE_MAP_FIELDS | {
    "ects",
    "workload_hours",
    "eqf_level",
    "qf_ehea_cycle",
    "participation_form",
    "supervision",
    "grading_scheme",
    "stackability",
    "languages",
    "isced_f_code",
    "fee_amount",
    "fee_currency",
}


@dataclass(frozen=True)
class OutcomeInput:
    """A learning outcome as entered: its text in several languages and ESCO skill URIs."""

    text: dict[str, str]
    skill_uris: Sequence[str] = ()


def programme_queryset() -> Any:
    """Programmes with everything the completeness rule and the snapshot read."""
    return Programme.objects.select_related("coordinator", "alliance").prefetch_related(
        "partner_links__institution", "learning_outcomes__skills"
    )


def _reload(programme: Programme) -> Programme:
    return programme_queryset().get(pk=programme.pk)


def _lock(programme: Programme) -> Programme:
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    return _reload(programme)


def _check_alliance_members(alliance: Alliance, institution_ids: Iterable[int]) -> None:
    wanted = set(institution_ids)
    members = set(
        current_memberships()
        .filter(alliance=alliance, institution_id__in=wanted)
        .values_list("institution_id", flat=True)
    )
    if wanted - members:
        raise DomainError(
            _("Partners and the coordinator must be current members of %(alliance)s.")
            % {"alliance": alliance.name},
            field="partners",
        )


def _apply_programme_data(programme: Programme, data: dict[str, Any]) -> list[str]:
    unknown = set(data) - PROGRAMME_EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    changed = []
    for name, value in data.items():
        if name in LANGUAGE_MAP_FIELDS:
            value = clean_language_map(value or {})
        elif name == "languages":
            codes = [str(code).strip().lower() for code in (value or []) if str(code).strip()]
            value = "," + ",".join(dict.fromkeys(codes)) + "," if codes else ""
        elif name in {"qf_ehea_cycle", "supervision", "isced_f_code", "participation_form"}:
            value = value or ""
        if getattr(programme, name) != value:
            setattr(programme, name, value)
            changed.append(name)
    return changed


def _replace_outcomes(programme: Programme, outcomes: Sequence[OutcomeInput]) -> None:
    programme.learning_outcomes.all().delete()
    uris = {uri for outcome in outcomes for uri in outcome.skill_uris}
    skills = {skill.uri: skill for skill in Skill.objects.filter(uri__in=uris)}
    unknown = uris - set(skills)
    if unknown:
        raise DomainError(
            _("Unknown ESCO skills: %s") % ", ".join(sorted(unknown)), field="outcomes"
        )
    for position, outcome in enumerate(outcomes, start=1):
        text = clean_language_map(outcome.text)
        if not text:
            continue
        row = LearningOutcome.objects.create(programme=programme, position=position, text=text)
        row.skills.set([skills[uri] for uri in outcome.skill_uris])


def _set_partners(programme: Programme, partner_ids: Iterable[int]) -> None:
    wanted = set(partner_ids) - {programme.coordinator_id}
    _check_alliance_members(programme.alliance, wanted)
    ProgrammePartner.objects.filter(programme=programme).exclude(institution_id__in=wanted).delete()
    existing = set(
        ProgrammePartner.objects.filter(programme=programme).values_list(
            "institution_id", flat=True
        )
    )
    ProgrammePartner.objects.bulk_create(
        ProgrammePartner(programme=programme, institution_id=institution_id)
        for institution_id in sorted(wanted - existing)
    )


@transaction.atomic
def create_programme(
    *,
    actor: User,
    coordinator: Institution,
    alliance: Alliance,
    slug: str,
    data: dict[str, Any],
    partner_ids: Iterable[int] = (),
    outcomes: Sequence[OutcomeInput] = (),
) -> Programme:
    """Start a draft programme coordinated by one of the actor's institutions."""
    permissions.require(permissions.can_create_programme(actor, coordinator.pk))
    _check_alliance_members(alliance, [coordinator.pk])
    if Programme.objects.filter(slug=slug).exists():
        raise ConflictError(_("Another programme already uses this address name."), field="slug")
    programme = Programme(coordinator=coordinator, alliance=alliance, slug=slug, created_by=actor)
    _apply_programme_data(programme, data)
    _full_clean(programme, exclude=["published_version", "created_by"])
    programme.save()
    _set_partners(programme, partner_ids)
    _replace_outcomes(programme, outcomes)
    record_event(
        actor=actor,
        action="programme.created",
        target=programme,
        institution_id=coordinator.pk,
        data={"slug": slug},
    )
    return _reload(programme)


@transaction.atomic
def update_programme(
    *,
    actor: User,
    programme: Programme,
    data: dict[str, Any],
    partner_ids: Iterable[int] | None = None,
    outcomes: Sequence[OutcomeInput] | None = None,
) -> Programme:
    """Edit the working copy. A submitted or published programme goes back to draft (a
    revision): partners approve again, and the published version stays in the catalogue
    until the revision is published."""
    permissions.require(permissions.can_edit_programme(actor, programme))
    programme = _lock(programme)
    if programme.status == ProgrammeStatus.ARCHIVED:
        raise ConflictError(_("An archived programme cannot be edited."))
    changed = _apply_programme_data(programme, data)
    _full_clean(programme, exclude=["published_version", "created_by"])
    if partner_ids is not None:
        _set_partners(programme, partner_ids)
        changed.append("partners")
    if outcomes is not None:
        _replace_outcomes(programme, outcomes)
        changed.append("learning_outcomes")
    if not changed:
        return programme
    previous = programme.status
    if previous in (ProgrammeStatus.SUBMITTED, ProgrammeStatus.PUBLISHED):
        programme.status = ProgrammeStatus.DRAFT
        ProgrammePartner.objects.filter(programme=programme).update(
            approved_at=None, approved_by=None
        )
    programme.updated_at = timezone.now()
    programme.save()
    record_event(
        actor=actor,
        action="programme.updated",
        target=programme,
        institution_id=programme.coordinator_id,
        data={"fields": sorted(changed), "previous_status": previous},
    )
    return _reload(programme)
