"""Decisions a registrar can book: the booking's contents, the EMREX/ELMO export (validated
against the official ELMO schema) and the ELM export, and the registrar's confirmation."""

from __future__ import annotations

import pytest
from lxml import etree

from alliances.models import InstitutionRole
from recognition import checks, services
from recognition.grading import services as grading
from recognition.models import DecisionBooking
from tests.catalogue.factories import published_programme
from tests.credential_format.elm_shacl import violations
from tests.factories import UserFactory, grant
from tests.recognition.elmo_schema import elmo_schema
from tests.recognition.factories import PortalFetcher, issued_to, submit

ELMO_NS = {"e": "https://github.com/emrex-eu/elmo-schemas/tree/v1"}


@pytest.fixture
def rita(institution_b):
    """The registrar of institution B."""
    return grant(UserFactory(email="rita@b.example"), institution_b, InstitutionRole.REGISTRAR)


@pytest.fixture
def recognised(alice, carol, dana, institution_a, institution_b, course_b, monkeypatch):
    """Dana's credential from A (grade 8) recognised in full by B, with a converted grade."""
    monkeypatch.setattr(checks, "verification_fetcher", lambda: PortalFetcher(institution_a))
    programme = published_programme(alice, institution_a)
    document = issued_to(dana, programme.published_version, institution_a, grade="8")
    request = submit(dana, institution_b, course_b, documents=[document])
    decision = services.decide_request(officer=carol, case=request, outcome="full")
    grading.convert_decision_grade(officer=carol, decision=decision, converted_grade="1.7")
    return decision


def _prepare(api_as, carol, decision, **values):
    return api_as(carol).post(
        f"/api/v1/recognition/decisions/{decision.pk}/booking/",
        {"term": "2026/27 autumn", **values},
        format="json",
    )


def test_the_booking_states_everything_the_student_system_needs(carol, recognised, api_as):
    response = _prepare(api_as, carol, recognised)
    assert response.status_code == 201, response.content
    booking = response.json()
    assert booking["course_code"] == "B-DS"
    assert booking["term"] == "2026/27 autumn"
    assert booking["credit_type"] == "course"
    assert booking["credits_granted"] == "5.0"
    assert booking["converted_grade"] == "1.7"
    assert "Universität B" in booking["competent_body"]
    assert "Lisbon" in booking["legal_basis"]
    assert "14 calendar days" in booking["remedies"]
    assert booking["status"] == "to_book"
    assert _prepare(api_as, carol, recognised).status_code == 409


def test_the_elmo_export_is_valid_against_the_official_schema(carol, rita, recognised, api_as):
    booking_id = _prepare(api_as, carol, recognised).json()["id"]
    response = api_as(rita).get(f"/api/v1/recognition/bookings/{booking_id}/elmo.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    elmo_schema().validate(response.content.decode())
    document = etree.fromstring(response.content)
    instance = document.find(
        "e:report/e:learningOpportunitySpecification/e:specifies/e:learningOpportunityInstance",
        ELMO_NS,
    )
    assert instance.findtext("e:resultLabel", namespaces=ELMO_NS) == "1.7"
    assert instance.findtext("e:credit/e:value", namespaces=ELMO_NS) == "5.0"
    assert (
        document.findtext(
            "e:report/e:learningOpportunitySpecification/e:identifier[@type='local']",
            namespaces=ELMO_NS,
        )
        == "B-DS"
    )
    assert document.find("e:report/e:gradingScheme[@localId='de']", ELMO_NS) is not None


def test_the_elm_export_conforms_to_the_commissions_shapes(
    carol, rita, recognised, api_as, institution_b
):
    institution_b.legal_identifier = "DE-HRB-123456"
    institution_b.save()
    booking_id = _prepare(api_as, carol, recognised).json()["id"]
    document = api_as(rita).get(f"/api/v1/recognition/bookings/{booking_id}/elm.jsonld").json()
    found = violations(document, with_vocabularies=False)
    assert found == [], "\n".join(found)
    claim = document["credentialSubject"]["hasClaim"][0]
    assert claim["provenBy"][0]["grade"]["noteLiteral"]["en"] == "1.7"
    assert claim["specifiedBy"]["creditPoint"][0]["point"] == "5.0"


def test_the_registrar_confirms_the_booking(carol, rita, recognised, api_as):
    booking_id = _prepare(api_as, carol, recognised).json()["id"]
    queue = api_as(rita).get("/api/v1/recognition/bookings/?status=to_book").json()
    assert [row["id"] for row in queue] == [booking_id]
    response = api_as(rita).post(
        f"/api/v1/recognition/bookings/{booking_id}/confirm/",
        {"sis_reference": "SIS-2026-0042"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "booked"
    assert response.json()["sis_reference"] == "SIS-2026-0042"
    again = api_as(rita).post(
        f"/api/v1/recognition/bookings/{booking_id}/confirm/",
        {"sis_reference": "SIS-2026-0043"},
        format="json",
    )
    assert again.status_code == 409
    assert DecisionBooking.objects.get().sis_reference == "SIS-2026-0042"


def test_only_the_receiving_institutions_registrar_confirms(
    bob, carol, dana, institution_a, recognised, api_as
):
    other_registrar = grant(UserFactory(), institution_a, InstitutionRole.REGISTRAR)
    booking_id = _prepare(api_as, carol, recognised).json()["id"]
    for outsider in (other_registrar, carol, dana, bob):
        response = api_as(outsider).post(
            f"/api/v1/recognition/bookings/{booking_id}/confirm/",
            {"sis_reference": "X"},
            format="json",
        )
        assert response.status_code == 404, outsider
    for outsider in (other_registrar, dana):
        assert (
            api_as(outsider).get(f"/api/v1/recognition/bookings/{booking_id}/elmo.xml").status_code
            == 404
        )
    assert api_as(other_registrar).get("/api/v1/recognition/bookings/").json() == []


def test_a_registrar_cannot_prepare_and_an_undecided_case_is_not_booked(
    carol, rita, dana, institution_b, course_b, recognised, api_as
):
    assert _prepare(api_as, rita, recognised).status_code == 404
    pending = submit(dana, institution_b, course_b)
    services.take_case(officer=carol, case=pending)
    from recognition.services import DifferenceInput

    refusal = services.decide_request(
        officer=carol,
        case=pending,
        outcome="refused",
        differences=[DifferenceInput("level", "Below the level of the course.")],
    )
    response = _prepare(api_as, carol, refusal)
    assert response.status_code == 409
