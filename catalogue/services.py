"""Writes of the catalogue: programmes and their publication workflow, versions, pathways,
offerings, enrolment and assessment results.

Every function checks the actor's right with `alliances.permissions` (404 when refused),
owns its transaction and writes an audit event. Rule violations a user can fix raise
`DomainError` / `ConflictError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Alliance, Institution, InstitutionRole
from alliances.selectors import current_memberships
from catalogue.models import (
    ACTIVE_ENROLMENT,
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    GradingScheme,
    LearningOutcome,
    Offering,
    Pathway,
    PathwayRule,
    Programme,
    ProgrammePartner,
    ProgrammeStatus,
    ProgrammeVersion,
    ResultOutcome,
    ResultUpload,
    Skill,
)
from catalogue.signals import result_passed, result_withdrawn
from catalogue.snapshots import build_snapshot, missing_elements, search_text_of
from catalogue.texts import clean_language_map
from portal import uploads
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify_by_email

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


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from error


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
        search_text=search_text_of(snapshot),
        published_by=actor,
    )
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
def submit_programme(*, actor: User, programme: Programme) -> Programme:
    """Send a complete draft to the partners. Without partners it is published at once."""
    permissions.require(permissions.can_edit_programme(actor, programme))
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
    permissions.require(permissions.can_approve_programme(actor, programme, institution.pk))
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise ConflictError(_("This programme is not waiting for approval."))
    link = ProgrammePartner.objects.get(programme=programme, institution=institution)
    if link.approved_at is None:
        link.approved_at = timezone.now()
        link.approved_by = actor
        link.save(update_fields=["approved_at", "approved_by"])
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
    permissions.require(permissions.can_approve_programme(actor, programme, institution.pk))
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.SUBMITTED:
        raise ConflictError(_("This programme is not waiting for approval."))
    if not comment.strip():
        raise DomainError(_("Say what should change."), field="comment")
    programme.status = ProgrammeStatus.DRAFT
    programme.updated_at = timezone.now()
    programme.save(update_fields=["status", "updated_at"])
    ProgrammePartner.objects.filter(programme=programme).update(approved_at=None, approved_by=None)
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
    permissions.require(permissions.can_edit_programme(actor, programme))
    programme = _lock(programme)
    if programme.status != ProgrammeStatus.ARCHIVED:
        programme.status = ProgrammeStatus.ARCHIVED
        programme.updated_at = timezone.now()
        programme.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action="programme.archived",
            target=programme,
            institution_id=programme.coordinator_id,
        )
    return programme


# --- pathways ------------------------------------------------------------------------------


@transaction.atomic
def create_pathway(
    *,
    actor: User,
    owner: Institution,
    alliance: Alliance,
    slug: str,
    title: dict[str, str],
    rule: str,
    programme_ids: Iterable[int],
    description: dict[str, str] | None = None,
    required_count: int | None = None,
    min_ects: Decimal | None = None,
) -> Pathway:
    permissions.require(permissions.can_create_programme(actor, owner.pk))
    _check_alliance_members(alliance, [owner.pk])
    wanted = set(programme_ids)
    programmes = list(
        Programme.objects.filter(pk__in=wanted, alliance=alliance, published_version__isnull=False)
        .exclude(status=ProgrammeStatus.ARCHIVED)
        .order_by("pk")
    )
    if not programmes or len(programmes) != len(wanted):
        raise DomainError(
            _("Choose published programmes of the pathway's alliance."), field="programmes"
        )
    if rule not in PathwayRule.values:
        raise DomainError(_("Unknown rule."), field="rule")
    if rule == PathwayRule.N_OF and not (required_count and 0 < required_count <= len(programmes)):
        raise DomainError(
            _("Say how many of the %(count)s programmes are needed.") % {"count": len(programmes)},
            field="required_count",
        )
    if rule == PathwayRule.MIN_ECTS and not (min_ects and min_ects > 0):
        raise DomainError(_("Say how many ECTS credits are needed."), field="min_ects")
    if not clean_language_map(title).get("en"):
        raise DomainError(_("Give the pathway an English title."), field="title")
    if Pathway.objects.filter(slug=slug).exists():
        raise ConflictError(_("Another pathway already uses this address name."), field="slug")
    pathway = Pathway.objects.create(
        owner=owner,
        alliance=alliance,
        slug=slug,
        title=clean_language_map(title),
        description=clean_language_map(description or {}),
        rule=rule,
        required_count=required_count if rule == PathwayRule.N_OF else None,
        min_ects=min_ects,
    )
    pathway.programmes.set(programmes)
    record_event(actor=actor, action="pathway.created", target=pathway, institution_id=owner.pk)
    return pathway


# --- offerings and enrolment ---------------------------------------------------------------

OFFERING_FIELDS = {
    "starts_on",
    "ends_on",
    "enrolment_opens_on",
    "enrolment_closes_on",
    "capacity",
    "language",
}


def _check_offering_dates(offering: Offering) -> None:
    if offering.ends_on < offering.starts_on:
        raise DomainError(_("The offering must end after it starts."), field="ends_on")
    if offering.enrolment_closes_on < offering.enrolment_opens_on:
        raise DomainError(_("Enrolment must close after it opens."), field="enrolment_closes_on")
    if offering.enrolment_closes_on > offering.ends_on:
        raise DomainError(
            _("Enrolment must close before the offering ends."), field="enrolment_closes_on"
        )


def _check_delivery(programme: Programme, delivery_ids: set[int]) -> None:
    allowed = {programme.coordinator_id} | programme.partner_institution_ids
    if not delivery_ids or not delivery_ids <= allowed:
        raise DomainError(
            _("Delivering institutions must be the coordinator or partners of the programme."),
            field="delivery_institutions",
        )


@transaction.atomic
def create_offering(
    *,
    actor: User,
    programme: Programme,
    code: str,
    data: dict[str, Any],
    delivery_institution_ids: Iterable[int],
) -> Offering:
    """Open a cohort of the current published version."""
    permissions.require(permissions.can_manage_offerings(actor, programme))
    programme = _lock(programme)
    if programme.published_version is None or programme.status == ProgrammeStatus.ARCHIVED:
        raise ConflictError(_("Publish the programme before opening offerings."))
    unknown = set(data) - OFFERING_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    delivery = set(delivery_institution_ids)
    _check_delivery(programme, delivery)
    if Offering.objects.filter(code=code).exists():
        raise ConflictError(_("Another offering already uses this reference."), field="code")
    offering = Offering(programme=programme, version=programme.published_version, code=code, **data)
    _full_clean(offering, exclude=["programme", "version"])
    _check_offering_dates(offering)
    if offering.language not in programme.published_version.snapshot["languages"]:
        raise DomainError(
            _("Choose one of the programme's languages of instruction."), field="language"
        )
    offering.save()
    offering.delivery_institutions.set(delivery)
    record_event(
        actor=actor,
        action="offering.created",
        target=offering,
        institution_id=programme.coordinator_id,
        data={"version": programme.published_version.number},
    )
    return offering


def _lock_offering(offering_id: int) -> Offering:
    # Lock the offering row only: joined rows (programme, version) stay free, so enrolments
    # in other offerings of the same programme do not wait for each other.
    return (
        Offering.objects.select_for_update(of=("self",))
        .select_related("programme", "version")
        .get(pk=offering_id)
    )


def _promote_waiting(offering: Offering) -> list[Enrolment]:
    """Move learners from the waiting list into free places, first come first served.
    The caller holds the offering's row lock."""
    free = offering.capacity - offering.enrolled_count
    if free <= 0:
        return []
    promoted = list(
        Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.WAITLISTED)
        .select_related("learner")
        .order_by("waitlisted_at", "id")[:free]
    )
    now = timezone.now()
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = now
        enrolment.save(update_fields=["status", "enrolled_at"])
        record_event(
            actor=None,
            action="enrolment.promoted",
            target=enrolment,
            institution_id=offering.programme.coordinator_id,
            data={"learner": enrolment.learner_id},
        )
        notify_by_email(
            recipient=enrolment.learner.email,
            template="catalogue/email/promoted",
            context={
                "learner": enrolment.learner,
                "offering": offering,
                "title": offering.version.title_en,
                "url": settings.PORTAL_BASE_URL + reverse("dashboard"),
            },
            language=enrolment.learner.preferred_language or None,
        )
    if promoted:
        offering.enrolled_count += len(promoted)
        offering.save(update_fields=["enrolled_count"])
    return promoted


@transaction.atomic
def update_offering(
    *,
    actor: User,
    offering: Offering,
    data: dict[str, Any],
    delivery_institution_ids: Iterable[int] | None = None,
) -> Offering:
    """Change dates or capacity; a larger capacity promotes learners from the waiting list."""
    permissions.require(permissions.can_manage_offerings(actor, offering.programme))
    offering = _lock_offering(offering.pk)
    unknown = set(data) - OFFERING_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for name, value in data.items():
        setattr(offering, name, value)
    _full_clean(offering, exclude=["programme", "version", "code"])
    _check_offering_dates(offering)
    if offering.capacity < offering.enrolled_count:
        raise ConflictError(
            _("%(count)s learners are enrolled: the capacity cannot be smaller.")
            % {"count": offering.enrolled_count},
            field="capacity",
        )
    offering.save()
    if delivery_institution_ids is not None:
        delivery = set(delivery_institution_ids)
        _check_delivery(_reload(offering.programme), delivery)
        offering.delivery_institutions.set(delivery)
    _promote_waiting(offering)
    record_event(
        actor=actor,
        action="offering.updated",
        target=offering,
        institution_id=offering.programme.coordinator_id,
        data={"fields": sorted(data)},
    )
    return offering


class NotInCatalogueError(DomainError):
    """An offering of a programme that is not (or no longer) in the catalogue."""

    status_code = 404
    code = "not_found"

    def __init__(self) -> None:
        super().__init__(_("This offering is not in the catalogue."))


@transaction.atomic
def enrol(*, learner: User, offering: Offering) -> Enrolment:
    """Enrol the learner, or put them on the waiting list when the offering is full.

    The offering row is locked for the whole decision, so two learners racing for the last
    place are serialised: one gets it, the other is waitlisted.
    """
    offering = _lock_offering(offering.pk)
    programme = offering.programme
    if programme.published_version is None or programme.status == ProgrammeStatus.ARCHIVED:
        raise NotInCatalogueError()
    if not offering.is_open_on(timezone.localdate()):
        raise ConflictError(
            _("Enrolment for this offering is open from %(opens)s to %(closes)s.")
            % {"opens": offering.enrolment_opens_on, "closes": offering.enrolment_closes_on}
        )
    if Enrolment.objects.filter(ACTIVE_ENROLMENT, offering=offering, learner=learner).exists():
        raise ConflictError(_("You are already enrolled or on the waiting list."))
    now = timezone.now()
    if offering.enrolled_count < offering.capacity:
        status = EnrolmentStatus.ENROLLED
        offering.enrolled_count += 1
        offering.save(update_fields=["enrolled_count"])
    else:
        status = EnrolmentStatus.WAITLISTED
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                offering=offering,
                learner=learner,
                version=offering.version,
                status=status,
                enrolled_at=now if status == EnrolmentStatus.ENROLLED else None,
                waitlisted_at=now if status == EnrolmentStatus.WAITLISTED else None,
            )
    except IntegrityError as error:
        raise ConflictError(_("You are already enrolled or on the waiting list.")) from error
    record_event(
        actor=learner,
        action=f"enrolment.{status}",
        target=enrolment,
        institution_id=programme.coordinator_id,
        data={"offering": offering.code},
    )
    return enrolment


@transaction.atomic
def withdraw(*, actor: User, enrolment: Enrolment) -> Enrolment:
    """The learner leaves an offering (or its waiting list); a freed place goes to the
    first learner waiting."""
    if enrolment.learner_id != actor.pk:
        permissions.require(False)
    offering = _lock_offering(enrolment.offering_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return enrolment
    if AssessmentResult.objects.filter(enrolment=enrolment).exists():
        raise ConflictError(_("Your result is recorded: you can no longer withdraw."))
    was_enrolled = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    if was_enrolled:
        offering.enrolled_count -= 1
        offering.save(update_fields=["enrolled_count"])
        _promote_waiting(offering)
    record_event(
        actor=actor,
        action="enrolment.withdrawn",
        target=enrolment,
        institution_id=offering.programme.coordinator_id,
    )
    return enrolment


# --- assessment results --------------------------------------------------------------------

ECTS_GRADES = ["A", "B", "C", "D", "E", "FX", "F"]
ECTS_PASSING = {"A", "B", "C", "D", "E"}
BOOLEAN_WORDS = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "": False,
}


def normalise_grade(scheme: str, outcome: str, grade: str) -> str:
    """Check a grade against the programme's grading scheme and the outcome; return it in
    canonical form. A grade that contradicts the outcome (an F for a pass) is refused."""
    grade = (grade or "").strip()
    if outcome not in ResultOutcome.values:
        raise DomainError(_("The outcome must be passed or failed."), field="outcome")
    passed = outcome == ResultOutcome.PASSED
    if scheme == GradingScheme.PASS_FAIL:
        if grade and grade.lower() not in {"pass", "fail"}:
            raise DomainError(_("Use pass or fail as the grade, or leave it empty."), field="grade")
        if grade and (grade.lower() == "pass") != passed:
            raise DomainError(_("The grade contradicts the outcome."), field="grade")
        return grade.lower()
    if not grade:
        raise DomainError(_("Give the grade."), field="grade")
    if scheme == GradingScheme.ECTS:
        value = grade.upper()
        if value not in ECTS_GRADES:
            raise DomainError(_("ECTS grades are A, B, C, D, E, FX or F."), field="grade")
        if (value in ECTS_PASSING) != passed:
            raise DomainError(_("The grade contradicts the outcome."), field="grade")
        return value
    limit, threshold = (
        (Decimal(10), Decimal(5))
        if scheme == GradingScheme.NUMERIC_10
        else (Decimal(100), Decimal(50))
    )
    try:
        number = Decimal(grade.replace(",", "."))
    except InvalidOperation as error:
        raise DomainError(_("The grade must be a number."), field="grade") from error
    if not (0 <= number <= limit) or number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError(
            _("The grade must be between 0 and %(limit)s.") % {"limit": limit}, field="grade"
        )
    if (number >= threshold) != passed:
        raise DomainError(_("The grade contradicts the outcome."), field="grade")
    return str(number.normalize()) if number == number.to_integral() else str(number)


@dataclass(frozen=True)
class ResultEntry:
    enrolment: Enrolment
    outcome: str
    grade: str
    assessed_on: date
    identity_verified: bool


@dataclass
class SavedResults:
    created: list[AssessmentResult] = field(default_factory=list)
    updated: list[AssessmentResult] = field(default_factory=list)
    newly_passed: list[AssessmentResult] = field(default_factory=list)
    passes_withdrawn: list[AssessmentResult] = field(default_factory=list)


def _send_results(signal: Signal, results: list[AssessmentResult]) -> None:
    """Tell the signal's receivers of the whole batch, inside the caller's transaction: a
    receiver that fails rolls the results back with it."""
    if not results:
        return
    signal.send(sender=AssessmentResult, results=results)


def _save_results(actor: User, entries: Sequence[ResultEntry]) -> SavedResults:
    enrolment_ids = [entry.enrolment.pk for entry in entries]
    existing = {
        result.enrolment_id: result
        for result in AssessmentResult.objects.select_for_update().filter(
            enrolment_id__in=enrolment_ids
        )
    }
    now = timezone.now()
    saved = SavedResults()
    for entry in entries:
        enrolment = entry.enrolment
        result = existing.get(enrolment.pk)
        if result is None:
            result = AssessmentResult(
                enrolment=enrolment,
                offering_id=enrolment.offering_id,
                learner_id=enrolment.learner_id,
                version_id=enrolment.version_id,
                recorded_by=actor,
                recorded_at=now,
            )
            was_passed = False
            saved.created.append(result)
        else:
            was_passed = result.passed
            saved.updated.append(result)
        result.outcome = entry.outcome
        result.grade = entry.grade
        result.assessed_on = entry.assessed_on
        result.identity_verified = entry.identity_verified
        result.updated_at = now
        if result.passed and not was_passed:
            saved.newly_passed.append(result)
        elif was_passed and not result.passed:
            saved.passes_withdrawn.append(result)
    AssessmentResult.objects.bulk_create(saved.created)
    if saved.updated:
        AssessmentResult.objects.bulk_update(
            saved.updated,
            ["outcome", "grade", "assessed_on", "identity_verified", "updated_at"],
        )
    offering_ids = sorted({entry.enrolment.offering_id for entry in entries})
    record_event(
        actor=actor,
        action="results.recorded",
        data={
            "offerings": offering_ids,
            "created": len(saved.created),
            "corrected": len(saved.updated),
            "passed": len(saved.newly_passed),
            "passes_withdrawn": [result.pk for result in saved.passes_withdrawn],
        },
    )
    _send_results(result_passed, saved.newly_passed)
    _send_results(result_withdrawn, saved.passes_withdrawn)
    return saved


class ConflictOfInterestError(DomainError):
    """Staff acting on their own record: a second person has to do it."""

    status_code = 403
    code = "conflict_of_interest"


def own_result_error() -> ConflictOfInterestError:
    return ConflictOfInterestError(
        _("You cannot record your own result: a colleague has to record it."), field="enrolment"
    )


def before_start_message(offering: Offering) -> str:
    return _("The assessment date is before the offering started (%(date)s).") % {
        "date": offering.starts_on.isoformat()
    }


def _check_entry(actor: User, enrolment: Enrolment) -> None:
    if not permissions.can_record_results(actor, enrolment.offering):
        permissions.require(False)
    # A manager who enrolled in his own offering must not pass himself (and so be issued a
    # credential): results are always recorded by someone other than the learner.
    if enrolment.learner_id == actor.pk:
        raise own_result_error()
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ConflictError(_("Only enrolled learners get a result."))


@transaction.atomic
def record_result(
    *,
    actor: User,
    enrolment: Enrolment,
    outcome: str,
    grade: str,
    assessed_on: date,
    identity_verified: bool,
) -> AssessmentResult:
    """Record (or correct) one learner's result. A new pass sends `result_passed`, a pass
    corrected to a fail `result_withdrawn` (catalogue.signals)."""
    enrolment = Enrolment.objects.select_related("offering__programme", "version").get(
        pk=enrolment.pk
    )
    _check_entry(actor, enrolment)
    if assessed_on > timezone.localdate():
        raise DomainError(_("The assessment date cannot be in the future."), field="assessed_on")
    if assessed_on < enrolment.offering.starts_on:
        raise DomainError(before_start_message(enrolment.offering), field="assessed_on")
    grade = normalise_grade(enrolment.offering.programme.grading_scheme, outcome, grade)
    saved = _save_results(
        actor, [ResultEntry(enrolment, outcome, grade, assessed_on, identity_verified)]
    )
    return (saved.created or saved.updated)[0]


# --- results CSV ---------------------------------------------------------------------------

UPLOAD_COLUMNS = [
    "offering",
    "learner_email",
    "outcome",
    "grade",
    "assessed_on",
    "identity_verified",
]
REQUIRED_COLUMNS = {"offering", "learner_email", "outcome", "assessed_on"}


@dataclass
class UploadRow:
    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)
    entry: ResultEntry | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class UploadPreview:
    upload: ResultUpload
    rows: list[UploadRow]

    @property
    def valid_rows(self) -> list[UploadRow]:
        return [row for row in self.rows if row.valid]

    @property
    def invalid_rows(self) -> list[UploadRow]:
        return [row for row in self.rows if not row.valid]


def check_upload_size(size: int) -> None:
    uploads.check_upload_size(size, limit=settings.RESULTS_UPLOAD_MAX_BYTES)


def _parse_rows(content: str) -> list[tuple[int, dict[str, str]]]:
    return uploads.parse_csv_rows(
        content,
        columns=UPLOAD_COLUMNS,
        required=REQUIRED_COLUMNS,
        max_rows=settings.RESULTS_UPLOAD_MAX_ROWS,
    )


def _validate_rows(actor: User, parsed: list[tuple[int, dict[str, str]]]) -> list[UploadRow]:
    codes = {values.get("offering", "") for _, values in parsed}
    emails = {values.get("learner_email", "").lower() for _, values in parsed}
    offerings = {
        offering.code: offering
        for offering in Offering.objects.filter(code__in=codes)
        .select_related("programme")
        .prefetch_related("delivery_institutions")
    }
    # Another institution's offering reads exactly like an unknown one: no existence leak.
    offerings = {
        code: offering
        for code, offering in offerings.items()
        if permissions.can_record_results(actor, offering)
    }
    learners = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    enrolments = {
        (enrolment.offering_id, enrolment.learner_id): enrolment
        for enrolment in Enrolment.objects.filter(
            offering__in=offerings.values(), learner__in=learners.values()
        )
        .filter(ACTIVE_ENROLMENT)
        .select_related("offering__programme", "version")
    }
    today = timezone.localdate()
    seen: dict[tuple[int, int], int] = {}
    rows = []
    for line, values in parsed:
        row = UploadRow(line=line, values=values)
        rows.append(row)
        if uploads.starts_like_formula(values.values()):
            row.errors.append(_("A cell starts like a spreadsheet formula (=, +, -, @)."))
            continue
        offering = offerings.get(values.get("offering", ""))
        learner = learners.get(values.get("learner_email", "").lower())
        if offering is None:
            row.errors.append(_("Unknown offering, or not one your institution delivers."))
        if learner is None:
            row.errors.append(_("Unknown learner: no account has this e-mail address."))
        enrolment = None
        if learner is not None and learner.pk == actor.pk:
            row.errors.append(own_result_error().message)
        elif offering is not None and learner is not None:
            enrolment = enrolments.get((offering.pk, learner.pk))
            if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
                row.errors.append(_("Wrong offering: this learner is not enrolled in it."))
                enrolment = None
            else:
                key = (offering.pk, learner.pk)
                if key in seen:
                    row.errors.append(
                        _("Duplicate: line %(line)s has the same learner and offering.")
                        % {"line": seen[key]}
                    )
                    enrolment = None
                else:
                    seen[key] = line
        outcome = values.get("outcome", "").lower()
        grade = values.get("grade", "")
        if offering is not None:
            try:
                grade = normalise_grade(offering.programme.grading_scheme, outcome, grade)
            except DomainError as error:
                row.errors.append(error.message)
        assessed_on = (
            parse_date(values.get("assessed_on", "")) if values.get("assessed_on") else None
        )
        if assessed_on is None:
            row.errors.append(_("The assessment date must be given as YYYY-MM-DD."))
        elif assessed_on > today:
            row.errors.append(_("The assessment date cannot be in the future."))
        elif offering is not None and assessed_on < offering.starts_on:
            row.errors.append(before_start_message(offering))
        verified = values.get("identity_verified", "").lower()
        if verified not in BOOLEAN_WORDS:
            row.errors.append(_("identity_verified must be yes or no."))
        if not row.errors and enrolment is not None and assessed_on is not None:
            row.entry = ResultEntry(enrolment, outcome, grade, assessed_on, BOOLEAN_WORDS[verified])
    return rows


@transaction.atomic
def preview_results_upload(*, actor: User, filename: str, size: int, data: bytes) -> UploadPreview:
    """Check a results CSV row by row without saving any result; keep the file so that
    the staff member can confirm the preview."""
    if not permissions.programme_institution_ids_managed_by(actor) and not permissions.is_operator(
        actor
    ):
        permissions.require(False)
    check_upload_size(size)
    content = uploads.decode_csv(data)
    rows = _validate_rows(actor, _parse_rows(content))
    upload = ResultUpload.objects.create(
        uploaded_by=actor, filename=filename[:200], content=content
    )
    record_event(
        actor=actor,
        action="results.upload_previewed",
        target=upload,
        data={"rows": len(rows), "invalid": sum(1 for row in rows if not row.valid)},
    )
    return UploadPreview(upload=upload, rows=rows)


def preview_stored_upload(*, actor: User, upload: ResultUpload) -> UploadPreview:
    if upload.uploaded_by_id != actor.pk:
        permissions.require(False)
    return UploadPreview(upload=upload, rows=_validate_rows(actor, _parse_rows(upload.content)))


@transaction.atomic
def confirm_results_upload(*, actor: User, upload: ResultUpload) -> UploadPreview:
    """Save every valid row of a previewed upload in one transaction (rows are checked
    again: enrolments may have changed since the preview)."""
    upload = ResultUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.uploaded_by_id != actor.pk:
        permissions.require(False)
    if upload.confirmed_at is not None:
        raise ConflictError(_("This upload was already saved."))
    preview = UploadPreview(upload=upload, rows=_validate_rows(actor, _parse_rows(upload.content)))
    entries = [row.entry for row in preview.rows if row.entry is not None]
    if entries:
        _save_results(actor, entries)
    upload.confirmed_at = timezone.now()
    upload.saved_rows = len(entries)
    upload.save(update_fields=["confirmed_at", "saved_rows"])
    return preview
