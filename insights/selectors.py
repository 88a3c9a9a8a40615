"""Figures of the public observatory, computed from the live data."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances.models import Alliance
from catalogue import selectors as catalogue_selectors
from catalogue.models import (
    Enrolment,
    Occupation,
    OccupationSkillRelation,
    Offering,
    Programme,
    ProgrammeVersion,
    Skill,
)
from catalogue.selectors import catalogue_programmes
from insights.isced import broad_field
from issuance.models import (
    Credential,
    CredentialKind,
    CredentialState,
    CredentialUsage,
    UsageEvent,
)

ECTS_BANDS = [
    (Decimal("2"), _("up to 2 ECTS")),
    (Decimal("5"), _("2.5 to 5 ECTS")),
    (Decimal("10"), _("5.5 to 10 ECTS")),
    (None, _("more than 10 ECTS")),
]
TOP = 15
# Public statistics never show a group of fewer people than this (a count of 1 to 4 could
# single someone out); see docs/recognition.md, "Reporting".
SMALLEST_GROUP = 5
SUPPRESSED = "<5"


@dataclass
class Figure:
    """One observatory figure: the same numbers drawn as a chart, listed in a table and
    downloadable as CSV."""

    slug: str
    title: str
    description: str
    columns: list[str]
    rows: list[list[Any]]
    kind: str = "bar"  # "bar": label and one value per row; "line": month and one value per series
    series: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(chart_value(row[1]) for row in self.rows) if self.kind == "bar" else 0


def chart_value(cell: Any) -> int:
    """A cell as drawn: a suppressed small group is drawn as nothing."""
    return 0 if cell == SUPPRESSED else int(cell)


def suppress_small_groups(figure: Figure) -> Figure:
    """Hide counts of people below `SMALLEST_GROUP`: bar rows are left out, monthly cells
    show "<5" (drawn as 0), and a series whose whole total is that small is left out."""
    if figure.kind == "bar":
        figure.rows = [row for row in figure.rows if int(row[1]) >= SMALLEST_GROUP]
    else:
        kept = [
            position
            for position, _name in enumerate(figure.series)
            if sum(int(row[1 + position]) for row in figure.rows) >= SMALLEST_GROUP
        ]
        figure.series = [figure.series[position] for position in kept]
        figure.columns = [figure.columns[0], *figure.series]
        figure.rows = [
            [
                row[0],
                *(
                    SUPPRESSED if 0 < int(row[1 + position]) < SMALLEST_GROUP else row[1 + position]
                    for position in kept
                ),
            ]
            for row in figure.rows
        ]
    note = _("Groups of fewer than five people are not shown.")
    figure.description = f"{figure.description} {note}"
    return figure


def _months(count: int = 12) -> list[date]:
    today = timezone.localdate().replace(day=1)
    months = []
    year, month = today.year, today.month
    for _index in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def _programmes(alliance: Alliance | None) -> QuerySet[Programme]:
    programmes = catalogue_programmes().select_related("published_version")
    return programmes.filter(alliance=alliance) if alliance else programmes


def programmes_by_eqf(alliance: Alliance | None) -> Figure:
    counts = Counter(_programmes(alliance).values_list("published_version__eqf_level", flat=True))
    return Figure(
        slug="programmes-by-eqf-level",
        title=_("Programmes by EQF level"),
        description=_(
            "Published micro-credential programmes by the level of the learning (EQF 1 to 8)."
        ),
        columns=[_("EQF level"), _("Programmes")],
        rows=[[_("EQF %(level)s") % {"level": level}, counts[level]] for level in sorted(counts)],
    )


def programmes_by_ects(alliance: Alliance | None) -> Figure:
    counts: Counter[str] = Counter()
    for ects in _programmes(alliance).values_list("published_version__ects", flat=True):
        for limit, label in ECTS_BANDS:
            if limit is None or ects <= limit:
                counts[str(label)] += 1
                break
    return Figure(
        slug="programmes-by-ects",
        title=_("Programmes by workload"),
        description=_(
            "Published programmes by notional workload in ECTS credits (1 ECTS is 25 to 30 hours)."
        ),
        columns=[_("Workload"), _("Programmes")],
        rows=[[str(label), counts[str(label)]] for _limit, label in ECTS_BANDS],
    )


def programmes_by_field(alliance: Alliance | None) -> Figure:
    counts = Counter(
        broad_field(code or "")
        for code in _programmes(alliance).values_list("isced_f_code", flat=True)
    )
    return Figure(
        slug="programmes-by-field",
        title=_("Programmes by field of education"),
        description=_("Published programmes by ISCED-F 2013 broad field."),
        columns=[_("Field"), _("Programmes")],
        rows=[[label, count] for label, count in counts.most_common()],
    )


def _monthly(
    queryset: QuerySet[Any], date_field: str, alliance_field: str, alliance: Alliance | None
) -> tuple[list[date], dict[str, list[int]]]:
    months = _months()
    if alliance:
        queryset = queryset.filter(**{f"{alliance_field}_id": alliance.pk})
    counts = (
        queryset.filter(**{f"{date_field}__gte": datetime.combine(months[0], time.min, tzinfo=UTC)})
        .annotate(month=TruncMonth(date_field))
        .values("month", f"{alliance_field}__name")
        .annotate(n=Count("pk"))
    )
    names = sorted(
        {row[f"{alliance_field}__name"] for row in counts if row[f"{alliance_field}__name"]}
    )
    if alliance and alliance.name not in names:
        names = [alliance.name]
    series: dict[str, list[int]] = {name: [0] * len(months) for name in names}
    index = {month: position for position, month in enumerate(months)}
    for row in counts:
        month = row["month"].date() if hasattr(row["month"], "date") else row["month"]
        name = row[f"{alliance_field}__name"]
        if name in series and month in index:
            series[name][index[month]] += row["n"]
    return months, series


def _series_figure(
    slug: str, title: str, description: str, months: list[date], series: dict[str, list[int]]
) -> Figure:
    names = list(series)
    return Figure(
        slug=slug,
        title=title,
        description=description,
        columns=[_("Month"), *names],
        rows=[
            [month.strftime("%Y-%m"), *(series[name][position] for name in names)]
            for position, month in enumerate(months)
        ],
        kind="line",
        series=names,
    )


def enrolments_over_time(alliance: Alliance | None) -> Figure:
    months, series = _monthly(
        Enrolment.objects.filter(enrolled_at__isnull=False),
        "enrolled_at",
        "offering__programme__alliance",
        alliance,
    )
    return _series_figure(
        "enrolments-over-time",
        _("Enrolments per month"),
        _(
            "Learners who took a place in an offering, per month, over the last twelve months, by alliance."
        ),
        months,
        series,
    )


def _issued_micro_credentials() -> QuerySet[Credential]:
    return Credential.objects.filter(state=CredentialState.ISSUED, kind=CredentialKind.MICRO)


def credentials_over_time(alliance: Alliance | None) -> Figure:
    months, series = _monthly(
        _issued_micro_credentials(), "issued_at", "programme_version__programme__alliance", alliance
    )
    return _series_figure(
        "credentials-over-time",
        _("Micro-credentials issued per month"),
        _(
            "Signed micro-credentials issued to learners, per month, over the last twelve months, by alliance."
        ),
        months,
        series,
    )


def credentials_by_institution(alliance: Alliance | None) -> Figure:
    credentials = _issued_micro_credentials()
    if alliance:
        credentials = credentials.filter(programme_version__programme__alliance=alliance)
    counts = (
        credentials.values("issuer__legal_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "issuer__legal_name")[:TOP]
    )
    return Figure(
        slug="credentials-by-institution",
        title=_("Micro-credentials issued by institution"),
        description=_("Signed micro-credentials by issuing (coordinating) institution, all time."),
        columns=[_("Institution"), _("Credentials")],
        rows=[[row["issuer__legal_name"], row["n"]] for row in counts],
    )


def top_skills(alliance: Alliance | None) -> Figure:
    version_ids = _programmes(alliance).values_list("published_version_id", flat=True)
    through = ProgrammeVersion.skills.through
    counts = (
        through.objects.filter(programmeversion_id__in=version_ids)
        .values("skill__preferred_label", "skill__uri")
        .annotate(n=Count("programmeversion_id"))
        .order_by("-n", "skill__preferred_label")[:TOP]
    )
    return Figure(
        slug="most-taught-skills",
        title=_("Most taught ESCO skills"),
        description=_(
            "ESCO skills linked to the learning outcomes of the most published programmes."
        ),
        columns=[_("Skill"), _("Programmes")],
        rows=[[row["skill__preferred_label"], row["n"]] for row in counts],
    )


def _people(build: Any) -> Any:
    """A figure that counts people, with its small groups suppressed."""

    def built(alliance: Alliance | None) -> Figure:
        return suppress_small_groups(build(alliance))

    return built


FIGURES = {
    "programmes-by-eqf-level": programmes_by_eqf,
    "programmes-by-ects": programmes_by_ects,
    "programmes-by-field": programmes_by_field,
    "enrolments-over-time": _people(enrolments_over_time),
    "credentials-over-time": _people(credentials_over_time),
    "credentials-by-institution": _people(credentials_by_institution),
    "most-taught-skills": top_skills,
}


def observatory_figures(*, alliance: Alliance | None = None) -> list[Figure]:
    return [build(alliance) for build in FIGURES.values()]


def figure_by_slug(slug: str, *, alliance: Alliance | None = None) -> Figure | None:
    build = FIGURES.get(slug)
    return build(alliance) if build else None


def alliances_for_filter() -> QuerySet[Alliance]:
    return Alliance.objects.order_by("name")


def grouped_totals(figure: Figure) -> dict[str, int]:
    """Per-series totals of a line figure (shown under the chart)."""
    totals: dict[str, int] = defaultdict(int)
    for row in figure.rows:
        for name, value in zip(figure.series, row[1:], strict=True):
            totals[name] += chart_value(value)
    return dict(totals)


# -- career pathways ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    programme: Programme
    covers: list[Skill]


@dataclass(frozen=True)
class CareerPlan:
    occupation: Occupation
    covered: list[Skill]
    missing: list[Skill]
    suggestions: list[Suggestion]

    @property
    def percent(self) -> int:
        total = len(self.covered) + len(self.missing)
        return round(100 * len(self.covered) / total) if total else 0


def held_skill_uris(learner: Any) -> set[str]:
    """ESCO skills of the valid credentials the learner holds."""
    return set(
        Skill.objects.filter(
            programme_versions__credentials__learner=learner,
            programme_versions__credentials__state=CredentialState.ISSUED,
            programme_versions__credentials__revoked_at__isnull=True,
        ).values_list("uri", flat=True)
    )


def career_plan(*, learner: Any, occupation: Occupation, limit: int = 10) -> CareerPlan:
    """Which essential skills of the occupation the learner's credentials cover, and which
    published programmes would cover the rest, best fit first (most missing skills covered,
    then least workload)."""
    essential = list(
        Skill.objects.filter(
            occupation_links__occupation=occupation,
            occupation_links__relation=OccupationSkillRelation.ESSENTIAL,
        ).order_by("preferred_label")
    )
    held = held_skill_uris(learner)
    covered = [skill for skill in essential if skill.uri in held]
    missing = [skill for skill in essential if skill.uri not in held]
    missing_by_id = {skill.pk: skill for skill in missing}
    passed_programmes = set(
        Credential.objects.filter(learner=learner, state=CredentialState.ISSUED).values_list(
            "programme_version__programme_id", flat=True
        )
    )
    candidates = (
        catalogue_programmes()
        .filter(published_version__skills__in=list(missing_by_id))
        .exclude(pk__in=passed_programmes)
        .select_related("published_version", "coordinator")
        .prefetch_related("published_version__skills")
        .distinct()
    )
    suggestions = []
    for programme in candidates:
        version = programme.published_version
        assert version is not None
        covers = [
            missing_by_id[skill.pk] for skill in version.skills.all() if skill.pk in missing_by_id
        ]
        suggestions.append(Suggestion(programme=programme, covers=covers))
    suggestions.sort(
        key=lambda s: (-len(s.covers), s.programme.published_version.ects, s.programme.slug)  # type: ignore[union-attr]
    )
    return CareerPlan(
        occupation=occupation, covered=covered, missing=missing, suggestions=suggestions[:limit]
    )


def occupations_for_choice() -> QuerySet[Occupation]:
    return (
        Occupation.objects.filter(links__relation=OccupationSkillRelation.ESSENTIAL)
        .distinct()
        .order_by("preferred_label")
    )


# --- issuer analytics ------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferingUsage:
    offering: Offering
    issued: int
    shared: int
    viewed: int
    verified: int


@dataclass(frozen=True)
class ProgrammeUsage:
    programme: Programme
    offerings: list[OfferingUsage]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.offerings)

    @property
    def issued(self) -> int:
        return self.total("issued")

    @property
    def shared(self) -> int:
        return self.total("shared")

    @property
    def viewed(self) -> int:
        return self.total("viewed")

    @property
    def verified(self) -> int:
        return self.total("verified")


def issuer_analytics(*, user: Any) -> list[ProgrammeUsage]:
    """Per programme the user's institutions coordinate or partner in, and per offering:
    credentials issued, and how often they were shared, viewed through a share link and
    verified (counts only, `issuance.models.CredentialUsage`)."""
    programmes = list(catalogue_selectors.list_programmes_for_staff(user=user)[:200])
    offerings = list(
        Offering.objects.filter(programme__in=programmes).order_by("programme_id", "-starts_on")
    )
    ids = [offering.pk for offering in offerings]
    issued = dict(
        Credential.objects.filter(state=CredentialState.ISSUED, result__offering_id__in=ids)
        .values_list("result__offering_id")
        .annotate(total=Count("pk"))
        .values_list("result__offering_id", "total")
    )
    usage: dict[tuple[int, str], int] = {
        (offering_id, event): total
        for offering_id, event, total in CredentialUsage.objects.filter(offering_id__in=ids)
        .values("offering_id", "event")
        .annotate(total=Sum("count"))
        .values_list("offering_id", "event", "total")
    }
    by_programme: dict[int, list[OfferingUsage]] = {}
    for offering in offerings:
        by_programme.setdefault(offering.programme_id, []).append(
            OfferingUsage(
                offering=offering,
                issued=issued.get(offering.pk, 0),
                shared=usage.get((offering.pk, UsageEvent.SHARED), 0),
                viewed=usage.get((offering.pk, UsageEvent.VIEWED), 0),
                verified=usage.get((offering.pk, UsageEvent.VERIFIED), 0),
            )
        )
    return [
        ProgrammeUsage(programme, by_programme.get(programme.pk, [])) for programme in programmes
    ]
