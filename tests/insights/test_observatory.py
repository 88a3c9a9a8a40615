"""The observatory's figures are the database's numbers."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from django.urls import reverse

from catalogue.models import Enrolment
from catalogue.selectors import catalogue_programmes
from insights import selectors
from issuance.models import Credential
from tests.factories import UserFactory
from tests.issuance.factories import enrol_all, programme_with_offering, record_pass


@pytest.fixture
def activity(alice, charlie, institution_a, institution_b):
    _first, first_offering = programme_with_offering(alice, institution_a, slug="first")
    _second, second_offering = programme_with_offering(charlie, institution_b, slug="second")
    for enrolment in enrol_all(first_offering, [UserFactory() for _ in range(5)]):
        record_pass(alice, enrolment)
    enrol_all(second_offering, [UserFactory() for _ in range(2)])
    return first_offering, second_offering


def _figure(slug):
    return selectors.figure_by_slug(slug)


def test_programme_figures_match_the_catalogue(activity):
    programmes = list(catalogue_programmes().select_related("published_version"))
    eqf = _figure("programmes-by-eqf-level")
    assert eqf.total == len(programmes) == 2
    assert {row[0]: row[1] for row in eqf.rows} == {
        f"EQF {level}": count
        for level, count in Counter(p.published_version.eqf_level for p in programmes).items()
    }
    assert _figure("programmes-by-ects").total == 2
    assert _figure("programmes-by-field").total == 2


def test_monthly_figures_match_enrolments_and_credentials(activity):
    enrolments = _figure("enrolments-over-time")
    assert enrolments.series == ["Test Alliance"]
    assert (
        sum(row[1] for row in enrolments.rows)
        == Enrolment.objects.filter(enrolled_at__isnull=False).count()
        == 7
    )
    credentials = _figure("credentials-over-time")
    assert (
        sum(row[1] for row in credentials.rows)
        == Credential.objects.filter(state="issued").count()
        == 5
    )
    by_institution = _figure("credentials-by-institution")
    assert by_institution.rows == [["Universitat A", 5]]


def test_most_taught_skills_count_programmes(activity):
    skills = _figure("most-taught-skills")
    assert skills.rows
    top_label, top_count = skills.rows[0]
    assert (
        top_count
        == catalogue_programmes()
        .filter(published_version__skills__preferred_label=top_label)
        .count()
    )


def test_alliance_filter(activity, other_alliance):
    empty = selectors.figure_by_slug("programmes-by-eqf-level", alliance=other_alliance)
    assert empty.rows == []


def test_observatory_page_draws_charts_tables_and_csv_links(client, activity):
    response = client.get(reverse("insights:observatory"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<svg class="chart"') == 7
    assert body.count("<table") == 7
    assert reverse("insights:figure_csv", args=["most-taught-skills"]) in body


def test_csv_download_has_the_same_rows(client, activity):
    response = client.get(reverse("insights:figure_csv", args=["credentials-by-institution"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [["Institution", "Credentials"], ["Universitat A", "5"]]


def test_csv_cells_cannot_inject_formulas(client, activity, institution_a):
    institution_a.legal_name = '=HYPERLINK("http://evil")'
    institution_a.save()
    response = client.get(reverse("insights:figure_csv", args=["credentials-by-institution"]))
    text = b"".join(response.streaming_content).decode()
    assert "\n=HYPERLINK" not in text
    assert "'=HYPERLINK" in text


def test_unknown_figure_is_404(client, db):
    assert client.get("/observatory/nothing.csv").status_code == 404
