"""Reads of the catalogue. Public reads show published versions only; staff reads narrow
to what the viewer may see and answer 404 otherwise."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from alliances import permissions
from alliances.models import Alliance
from catalogue import badge_images
from catalogue import permissions as catalogue_permissions
from catalogue.diffs import FieldChange, snapshot_changes
from catalogue.models import (
    ApprovalMessage,
    ApprovalMessageKind,
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    Occupation,
    Offering,
    Pathway,
    PathwayRule,
    Programme,
    ProgrammeBadge,
    ProgrammePartner,
    ProgrammeStatus,
    ProgrammeVersion,
    ResultOutcome,
    Skill,
)
from catalogue.services import SEARCH_CONFIG, programme_queryset
from portal.uploads import escape_spreadsheet_cell


def full_text_search_available() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class CatalogueFilters:
    query: str = ""
    skill: str = ""
    eqf_level: int | None = None
    ects_min: Decimal | None = None
    ects_max: Decimal | None = None
    language: str = ""
    participation_form: str = ""
    institution: str = ""
    alliance: str = ""
    starts_from: date | None = None


# Large columns a catalogue list never shows: the working copy's texts (the list shows the
# published version's) and the search columns.
LIST_DEFERRED_FIELDS = [
    "title",
    "summary",
    "assessment_type",
    "quality_assurance",
    "prerequisites",
    "further_information",
    "published_version__search_text",
    "published_version__search_document",
    "coordinator__qa_procedures",
    "alliance__description",
]


def catalogue_programmes() -> QuerySet[Programme]:
    """Programmes with a published version that are not archived."""
    return Programme.objects.filter(published_version__isnull=False).exclude(
        status=ProgrammeStatus.ARCHIVED
    )


def _text_query(query: str) -> SearchQuery:
    return SearchQuery(query, config=SEARCH_CONFIG, search_type="websearch")


def search_catalogue_ids(filters: CatalogueFilters) -> QuerySet[Any]:
    """The catalogue page and API: ids of the published programmes matching text and
    filters, best match (or title) first. Paginate them, then load the page with
    `catalogue_rows`. Only the listed versions are read (no join to the programmes): their
    partial indexes hold every filter column, so facet filters and counts stay in an index
    at any catalogue size."""
    today = timezone.localdate()
    versions = ProgrammeVersion.objects.filter(listed=True)
    if filters.query and full_text_search_available():
        versions = versions.filter(search_document=_text_query(filters.query))
    elif filters.query:
        for word in filters.query.split()[:8]:
            versions = versions.filter(search_text__icontains=word)
    if filters.skill:
        versions = versions.filter(
            Exists(
                ProgrammeVersion.skills.through.objects.filter(
                    programmeversion_id=OuterRef("pk"), skill__uri=filters.skill
                )
            )
        )
    if filters.institution:
        versions = versions.filter(
            Exists(
                ProgrammeVersion.awarding_bodies.through.objects.filter(
                    programmeversion_id=OuterRef("pk"), institution__slug=filters.institution
                )
            )
        )
    if filters.alliance:
        versions = versions.filter(
            alliance_id=Subquery(Alliance.objects.filter(slug=filters.alliance).values("pk"))
        )
    if filters.eqf_level:
        versions = versions.filter(eqf_level=filters.eqf_level)
    if filters.ects_min is not None:
        versions = versions.filter(ects__gte=filters.ects_min)
    if filters.ects_max is not None:
        versions = versions.filter(ects__lte=filters.ects_max)
    if filters.language:
        versions = versions.filter(languages__contains=f",{filters.language},")
    if filters.participation_form:
        versions = versions.filter(participation_form=filters.participation_form)
    if filters.starts_from:
        versions = versions.filter(
            Exists(
                Offering.objects.filter(
                    programme_id=OuterRef("programme_id"),
                    ends_on__gte=today,
                    starts_on__gte=filters.starts_from,
                )
            )
        )
    if filters.query and full_text_search_available():
        rank = SearchRank(F("search_document"), _text_query(filters.query))
        versions = versions.annotate(rank=rank).order_by("-rank", "title_en", "programme_id")
    else:
        versions = versions.order_by("title_en", "programme_id")
    return versions.values_list("programme_id", flat=True)


def catalogue_rows(ids: list[int]) -> list[Programme]:
    """The programmes of one catalogue page, in the order of `ids`, with what the list
    shows. The page's ids come from `search_catalogue_ids` first, so that the database sorts
    narrow rows instead of whole versions."""
    today = timezone.localdate()
    upcoming = Offering.objects.filter(programme=OuterRef("pk"), ends_on__gte=today)
    rows = {
        row.pk: row
        for row in Programme.objects.filter(pk__in=ids)
        .annotate(next_start=Subquery(upcoming.order_by("starts_on").values("starts_on")[:1]))
        .select_related("published_version", "coordinator", "alliance")
        .defer(*LIST_DEFERRED_FIELDS)
    }
    return [rows[pk] for pk in ids if pk in rows]


def get_catalogue_programme(*, slug: str) -> Programme:
    """A published programme with its upcoming offerings; 404 otherwise."""
    today = timezone.localdate()
    programme = (
        catalogue_programmes()
        .select_related("published_version", "coordinator", "alliance")
        .prefetch_related(
            Prefetch(
                "offerings",
                queryset=Offering.objects.filter(ends_on__gte=today)
                .select_related("version")
                .prefetch_related("delivery_institutions")
                .order_by("starts_on", "pk"),
                to_attr="upcoming_offerings",
            )
        )
        .filter(slug=slug)
        .first()
    )
    if programme is None:
        raise Http404
    return programme


def active_enrolments_of(*, learner: Any, offering_ids: list[int]) -> dict[int, Enrolment]:
    if not getattr(learner, "is_authenticated", False) or not offering_ids:
        return {}
    return {
        enrolment.offering_id: enrolment
        for enrolment in Enrolment.objects.filter(
            learner=learner,
            offering_id__in=offering_ids,
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED],
        )
    }


# --- staff --------------------------------------------------------------------------------


def list_programmes_for_staff(*, user: Any) -> QuerySet[Programme]:
    """Programmes the user's institutions coordinate or partner in."""
    programmes = Programme.objects.all()
    if not permissions.is_operator(user):
        ids = catalogue_permissions.programme_institution_ids_managed_by(user)
        programmes = programmes.filter(
            Q(coordinator_id__in=ids)
            | Exists(
                ProgrammePartner.objects.filter(programme=OuterRef("pk"), institution_id__in=ids)
            )
        )
    return programmes.select_related("coordinator", "alliance", "published_version").order_by(
        "-updated_at", "-pk"
    )


def get_programme_for_staff(*, user: Any, pk: int) -> Programme:
    return permissions.get_object_or_404_for(
        programme_queryset().select_related("published_version"),
        user,
        catalogue_permissions.can_view_programme_work,
        pk=pk,
    )


def get_programme_for_editing(*, user: Any, pk: int) -> Programme:
    return permissions.get_object_or_404_for(
        programme_queryset().select_related("published_version"),
        user,
        catalogue_permissions.can_edit_programme,
        pk=pk,
    )


def list_approvals_waiting(*, user: Any) -> QuerySet[ProgrammePartner]:
    """Partner approvals the user's institutions still owe on submitted programmes."""
    links = ProgrammePartner.objects.filter(
        approved_at__isnull=True, programme__status=ProgrammeStatus.SUBMITTED
    )
    if not permissions.is_operator(user):
        links = links.filter(
            institution_id__in=catalogue_permissions.programme_institution_ids_managed_by(user)
        )
    return links.select_related("programme__coordinator", "institution").order_by(
        "programme__updated_at", "pk"
    )


def list_versions(*, programme: Programme) -> QuerySet[ProgrammeVersion]:
    return programme.versions.select_related("published_by").order_by("-number")


def offering_queryset() -> QuerySet[Offering]:
    return Offering.objects.select_related("programme", "version").prefetch_related(
        "delivery_institutions", "programme__partner_links"
    )


def list_offerings_for_staff(*, programme: Programme) -> QuerySet[Offering]:
    return offering_queryset().filter(programme=programme).order_by("starts_on", "pk")


def get_offering_for_staff(*, user: Any, pk: int) -> Offering:
    return permissions.get_object_or_404_for(
        offering_queryset(), user, catalogue_permissions.can_view_offering_staff_data, pk=pk
    )


def list_offerings_delivered_by(*, user: Any) -> QuerySet[Offering]:
    offerings = offering_queryset()
    if not permissions.is_operator(user):
        ids = catalogue_permissions.programme_institution_ids_managed_by(user)
        offerings = offerings.filter(
            Q(delivery_institutions__in=ids) | Q(programme__coordinator_id__in=ids)
        ).distinct()
    return offerings.filter(ends_on__gte=timezone.localdate()).order_by("starts_on", "pk")


def list_enrolments(*, offering: Offering) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(offering=offering)
        .select_related("learner", "result")
        .order_by("status", "waitlisted_at", "enrolled_at", "pk")
    )


RESULT_EXPORT_COLUMNS = [
    "offering",
    "learner_email",
    "learner_name",
    "outcome",
    "grade",
    "assessed_on",
    "identity_verified",
    "programme_version",
]


def export_results_csv(*, offering: Offering) -> Iterator[str]:
    """The offering's results as CSV lines (same columns as the upload, plus context);
    every cell is escaped so that a spreadsheet never runs one as a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(RESULT_EXPORT_COLUMNS)
    yield flush()
    results = (
        AssessmentResult.objects.filter(offering=offering)
        .select_related("learner", "version")
        .order_by("learner__email")
    )
    for result in results.iterator(chunk_size=500):
        writer.writerow(
            [
                escape_spreadsheet_cell(value)
                for value in (
                    offering.code,
                    result.learner.email,
                    result.learner.full_name,
                    result.outcome,
                    result.grade,
                    result.assessed_on.isoformat(),
                    "yes" if result.identity_verified else "no",
                    result.version.number,
                )
            ]
        )
        yield flush()


# --- learners ------------------------------------------------------------------------------


def list_learner_enrolments(*, learner: Any) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(learner=learner)
        .exclude(status=EnrolmentStatus.WITHDRAWN)
        .select_related("offering__programme", "version", "result")
        .order_by("offering__starts_on", "pk")
    )


def get_enrolment_of(*, learner: Any, pk: int) -> Enrolment:
    enrolment = Enrolment.objects.filter(pk=pk, learner=learner).select_related("offering").first()
    if enrolment is None:
        raise Http404
    return enrolment


@dataclass(frozen=True)
class PathwayProgress:
    """How far a learner is towards a pathway's larger credential."""

    pathway: Pathway
    programme_count: int
    passed_programme_ids: frozenset[int]
    passed_results: tuple[AssessmentResult, ...]
    ects_earned: Decimal
    needed_programmes: int
    complete: bool = False
    missing_programme_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def percent(self) -> int:
        if self.pathway.rule == PathwayRule.MIN_ECTS and self.pathway.min_ects:
            return min(100, int(self.ects_earned * 100 / self.pathway.min_ects))
        if not self.needed_programmes:
            return 100
        return min(100, len(self.passed_programme_ids) * 100 // self.needed_programmes)


def _progress(pathway: Pathway, passed: dict[int, AssessmentResult]) -> PathwayProgress:
    programme_ids = {programme.pk for programme in pathway.programmes.all()}
    mine = {pid: result for pid, result in passed.items() if pid in programme_ids}
    ects = sum((result.version.ects for result in mine.values()), Decimal(0))
    if pathway.rule == PathwayRule.ALL:
        needed = len(programme_ids)
    elif pathway.rule == PathwayRule.N_OF:
        needed = pathway.required_count or len(programme_ids)
    else:
        needed = 0
    complete = len(mine) >= needed and bool(programme_ids)
    if pathway.min_ects:
        complete = complete and ects >= pathway.min_ects
    return PathwayProgress(
        pathway=pathway,
        programme_count=len(programme_ids),
        passed_programme_ids=frozenset(mine),
        passed_results=tuple(sorted(mine.values(), key=lambda result: result.pk)),
        ects_earned=ects,
        needed_programmes=needed,
        complete=complete,
        missing_programme_ids=frozenset(programme_ids - set(mine)),
    )


def pathway_progress(
    *, learner: Any, pathways: QuerySet[Pathway] | None = None
) -> list[PathwayProgress]:
    """Progress towards each pathway (default: those the learner has started) from the
    learner's passed results. The earliest pass per programme counts, with the ECTS of the
    version passed. Issuance calls this to decide when a pathway credential is due."""
    passed: dict[int, AssessmentResult] = {}
    for result in (
        AssessmentResult.objects.filter(learner=learner, outcome=ResultOutcome.PASSED)
        .select_related("version")
        .order_by("assessed_on", "pk")
    ):
        passed.setdefault(result.version.programme_id, result)
    if pathways is None:
        enrolled_in = (
            Enrolment.objects.filter(learner=learner)
            .exclude(status=EnrolmentStatus.WITHDRAWN)
            .values("offering__programme_id")
        )
        pathways = Pathway.objects.filter(
            Q(programmes__in=list(passed)) | Q(programmes__in=Subquery(enrolled_in))
        ).distinct()
    return [
        _progress(pathway, passed)
        for pathway in pathways.prefetch_related("programmes").order_by("slug")
    ]


def list_pathways() -> QuerySet[Pathway]:
    return Pathway.objects.select_related("owner", "alliance").prefetch_related(
        Prefetch(
            "programmes",
            queryset=catalogue_programmes().select_related("published_version"),
            to_attr="catalogue_programmes",
        )
    )


def pathway_programme_choices(*, alliances: Any) -> QuerySet[Programme]:
    """Published programmes a pathway of these alliances may group."""
    return (
        catalogue_programmes()
        .filter(alliance__in=alliances)
        .select_related("published_version", "coordinator", "alliance")
        .order_by("alliance__name", "published_version__title_en")
    )


def list_pathways_owned_by(*, user: Any) -> QuerySet[Pathway]:
    """Pathways owned by the institutions where the user manages programmes."""
    owned = Pathway.objects.select_related("alliance", "owner").order_by("slug")
    if permissions.is_operator(user):
        return owned
    return owned.filter(
        owner_id__in=catalogue_permissions.programme_institution_ids_managed_by(user)
    )


def get_pathway(*, slug: str) -> Pathway:
    pathway = list_pathways().filter(slug=slug).first()
    if pathway is None:
        raise Http404
    return pathway


# --- skills and occupations -----------------------------------------------------------------


def skills_in_catalogue() -> QuerySet[Skill]:
    """Skills that some published version teaches (for the catalogue's skill filter)."""
    return Skill.objects.filter(
        Exists(ProgrammeVersion.skills.through.objects.filter(skill_id=OuterRef("pk")))
    ).order_by("preferred_label")


def search_skills(*, text: str = "", limit: int = 50) -> QuerySet[Skill]:
    skills = Skill.objects.all()
    for word in text.split()[:5]:
        skills = skills.filter(preferred_label__icontains=word)
    return skills.order_by("preferred_label")[:limit]


def learner_skill_uris(*, learner: Any) -> set[str]:
    """ESCO skills of the programme versions the learner passed."""
    return set(
        Skill.objects.filter(
            programme_versions__results__learner=learner,
            programme_versions__results__outcome=ResultOutcome.PASSED,
        ).values_list("uri", flat=True)
    )


def essential_skills_covered(
    *, learner: Any, occupation: Occupation
) -> tuple[list[Skill], list[Skill]]:
    """(covered, missing) essential skills of an occupation for a learner."""
    essential = list(
        Skill.objects.filter(
            occupation_links__occupation=occupation, occupation_links__relation="essential"
        ).order_by("preferred_label")
    )
    mine = learner_skill_uris(learner=learner)
    return (
        [skill for skill in essential if skill.uri in mine],
        [skill for skill in essential if skill.uri not in mine],
    )


# -- badge images -----------------------------------------------------------------------------


def badge_text_for_version(version: ProgrammeVersion) -> badge_images.BadgeText:
    """What the drawn badge of a programme version says (from the frozen snapshot)."""
    snapshot = version.snapshot
    title = snapshot.get("title") or {}
    coordinator = (snapshot.get("awarding_bodies") or [{}])[0]
    return badge_images.BadgeText(
        title=title.get("en") or next(iter(title.values()), "") or version.title_en,
        institution=coordinator.get("short_name") or coordinator.get("legal_name", ""),
        colour_seed=coordinator.get("slug", ""),
    )


def badge_text_for_pathway(pathway: Pathway) -> badge_images.BadgeText:
    title = pathway.title or {}
    return badge_images.BadgeText(
        title=title.get("en") or next(iter(title.values()), "") or pathway.slug,
        institution=pathway.owner.short_name or pathway.owner.legal_name,
        colour_seed=pathway.owner.slug,
    )


def pathway_badge(*, slug: str, as_png: bool = False) -> tuple[bytes, str]:
    """A pathway's badge image, drawn (SVG, or PNG when asked for)."""
    text = badge_text_for_pathway(
        get_object_or_404(Pathway.objects.select_related("owner"), slug=slug)
    )
    if as_png:
        return badge_images.generated_png(text), "image/png"
    return badge_images.generated_svg(text), "image/svg+xml"


def version_badge(*, version_id: int, as_png: bool = False) -> tuple[bytes, str]:
    """A programme version's badge image and its media type: the upload when there is one,
    otherwise the drawn badge (SVG, or PNG when asked for)."""
    version = get_object_or_404(ProgrammeVersion.objects.select_related("programme"), pk=version_id)
    uploaded = ProgrammeBadge.objects.filter(programme_id=version.programme_id).first()
    if uploaded is not None:
        return bytes(uploaded.png), "image/png"
    text = badge_text_for_version(version)
    if as_png:
        return badge_images.generated_png(text), "image/png"
    return badge_images.generated_svg(text), "image/svg+xml"


@dataclass(frozen=True)
class ConversationEntry:
    message: ApprovalMessage
    # For a resubmission: what changed since the previous submission; None otherwise.
    changes: list[FieldChange] | None = None


def approval_conversation(*, programme: Programme) -> list[ConversationEntry]:
    """The approval conversation, oldest first, each resubmission with its field-by-field
    changes since the submission before it."""
    entries = []
    previous: dict[str, Any] | None = None
    for message in programme.approval_messages.select_related("institution", "author"):
        changes = None
        if message.kind == ApprovalMessageKind.SUBMITTED:
            if previous is not None:
                changes = snapshot_changes(previous, message.snapshot)
            previous = message.snapshot
        entries.append(ConversationEntry(message, changes))
    return entries
