"""Public statistics never show a group of fewer than five people."""

from __future__ import annotations

import pytest
from django.urls import reverse

from insights import selectors
from tests.factories import UserFactory
from tests.issuance.factories import enrol_all, programme_with_offering, record_pass


@pytest.fixture
def four_and_five(alice, charlie, institution_a, institution_b):
    """Four learners pass at A, five at B."""
    for manager, institution, slug, count in (
        (alice, institution_a, "four", 4),
        (charlie, institution_b, "five", 5),
    ):
        _programme, offering = programme_with_offering(manager, institution, slug=slug)
        for enrolment in enrol_all(offering, [UserFactory() for _ in range(count)]):
            record_pass(manager, enrolment)


def test_a_group_of_four_is_hidden_and_a_group_of_five_shown(four_and_five):
    by_institution = selectors.figure_by_slug("credentials-by-institution")
    assert by_institution.rows == [["Universität B", 5]]
    assert "fewer than five" in by_institution.description


def test_the_page_and_the_csv_hide_the_group_of_four(client, four_and_five):
    page = client.get(reverse("insights:observatory")).content.decode()
    assert "Universität B" in page
    assert "Universitat A" not in page
    csv_text = client.get(
        reverse("insights:figure_csv", kwargs={"slug": "credentials-by-institution"})
    )
    body = b"".join(csv_text.streaming_content).decode()
    assert "Universitat A" not in body
    assert "Universität B,5" in body


def test_monthly_cells_below_five_are_shown_as_suppressed():
    figure = selectors.Figure(
        slug="x",
        title="x",
        description="",
        columns=["Month", "Big", "Small"],
        rows=[["2026-01", 3, 1], ["2026-02", 9, 2]],
        kind="line",
        series=["Big", "Small"],
    )
    shown = selectors.suppress_small_groups(figure)
    assert shown.series == ["Big"]
    assert shown.rows == [["2026-01", "<5"], ["2026-02", 9]]
    assert selectors.grouped_totals(shown) == {"Big": 9}
