from __future__ import annotations

import csv
from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from alliances import permissions
from alliances.models import Alliance
from catalogue import permissions as catalogue_permissions
from catalogue.models import Offering
from insights import charts, reporting, selectors
from portal.auth import signed_in_user
from portal.uploads import escape_spreadsheet_cell

# The figures aggregate whole tables; a few minutes of staleness is fine for a public page.
CACHE_SECONDS = 300


def _alliance(request: HttpRequest) -> Alliance | None:
    slug = request.GET.get("alliance", "")[:60]
    return Alliance.objects.filter(slug=slug).first() if slug else None


def _figures(alliance: Alliance | None) -> list[selectors.Figure]:
    key = f"observatory:{alliance.pk if alliance else 'all'}:{get_language()}"
    figures = cache.get(key)
    if figures is None:
        figures = selectors.observatory_figures(alliance=alliance)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def observatory(request: HttpRequest) -> HttpResponse:
    alliance = _alliance(request)
    figures = _figures(alliance)
    drawn = []
    for figure in figures:
        if figure.kind == "line":
            chart = charts.line_chart(
                [row[0] for row in figure.rows],
                {
                    name: [selectors.chart_value(row[1 + i]) for row in figure.rows]
                    for i, name in enumerate(figure.series)
                },
            )
            drawn.append(
                {"figure": figure, "line": chart, "totals": selectors.grouped_totals(figure)}
            )
        else:
            drawn.append(
                {
                    "figure": figure,
                    "bar": charts.bar_chart(
                        [(str(row[0]), float(selectors.chart_value(row[1]))) for row in figure.rows]
                    ),
                }
            )
    return render(
        request,
        "insights/observatory.html",
        {"figures": drawn, "alliance": alliance, "alliances": selectors.alliances_for_filter()},
    )


def figure_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    figure = selectors.figure_by_slug(slug, alliance=_alliance(request))
    if figure is None:
        raise Http404

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(figure.columns)
        for row in figure.rows:
            yield writer.writerow([escape_spreadsheet_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{figure.slug}.csv"'
    return response


@login_required
def careers(request: HttpRequest) -> HttpResponse:
    learner = signed_in_user(request)
    occupations = selectors.occupations_for_choice()
    chosen = request.GET.get("occupation", "")
    occupation = occupations.filter(uri=chosen).first() if chosen else None
    plan = selectors.career_plan(learner=learner, occupation=occupation) if occupation else None
    return render(
        request,
        "insights/careers.html",
        {
            "occupations": occupations,
            "occupation": occupation,
            "plan": plan,
            "invalid_choice": bool(chosen and not occupation),
        },
        status=400 if chosen and not occupation else 200,
    )


@login_required
def issuer_analytics(request: HttpRequest) -> HttpResponse:
    """For staff: per programme and offering, credentials issued, shared, viewed and verified."""
    if not catalogue_permissions.programme_institution_ids_managed_by(
        request.user
    ) and not permissions.is_operator(request.user):
        raise Http404
    return render(
        request,
        "insights/analytics.html",
        {"programmes": selectors.issuer_analytics(user=request.user)},
    )


@login_required
def offering_mobility_csv(request: HttpRequest, code: str) -> StreamingHttpResponse:
    """The offering's participants for Erasmus+ mobility and BIP reporting (staff of a
    delivering institution; anyone else gets 404)."""
    offering = (
        Offering.objects.select_related("programme__coordinator", "version")
        .filter(code=code)
        .first()
    )
    if offering is None or not catalogue_permissions.can_record_results(request.user, offering):
        raise Http404

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(reporting.COLUMNS)
        for row in reporting.mobility_rows(offering):
            yield writer.writerow([escape_spreadsheet_cell(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{offering.code}-mobility.csv"'
    return response
