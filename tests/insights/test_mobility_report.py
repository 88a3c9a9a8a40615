"""The Erasmus+ mobility / BIP reporting export of an offering."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from insights.reporting import COLUMNS
from tests.factories import UserFactory
from tests.issuance.factories import enrol_all, programme_with_offering, record_pass


def _rows(client):
    return list(csv.reader(io.StringIO(b"".join(client.streaming_content).decode())))


def test_the_export_lists_each_participant_with_the_beneficiary_module_fields(
    as_user, alice, institution_a
):
    _programme, offering = programme_with_offering(alice, institution_a, slug="bip")
    learners = [UserFactory(full_name=f"Learner {n}") for n in range(2)]
    enrolments = enrol_all(offering, learners)
    record_pass(alice, enrolments[0])
    url = reverse("insights:offering_mobility_csv", kwargs={"code": offering.code})
    response = as_user(alice).get(url)
    assert response.status_code == 200
    rows = _rows(response)
    assert rows[0] == COLUMNS
    assert len(rows) == 3
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["Participant name"] == "Learner 0"
    assert first["Receiving organisation"] == "Universitat A"
    assert first["Field of education (ISCED-F)"] == "0613"
    assert first["Result"] == "passed"
    assert int(first["Duration (days)"]) > 0
    assert first["ECTS credits"]


def test_staff_of_another_institution_and_learners_get_404(
    as_user, alice, charlie, dana, institution_a
):
    _programme, offering = programme_with_offering(alice, institution_a, slug="bip")
    url = reverse("insights:offering_mobility_csv", kwargs={"code": offering.code})
    for outsider in (charlie, dana):
        assert as_user(outsider).get(url).status_code == 404
