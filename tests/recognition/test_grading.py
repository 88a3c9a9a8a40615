"""Grades: national schemes, ECTS grading tables from results, conversion by percentile
position, and the converted grade a recognition decision carries."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from catalogue import services as catalogue_services
from portal.errors import ConflictError, DomainError
from recognition import checks, services
from recognition.grading import conversion
from recognition.grading import services as grading
from recognition.grading.models import ConversionMethod, GradingTable
from recognition.grading.schemes import SCHEMES
from tests.catalogue.factories import learners, open_offering, published_programme
from tests.recognition.factories import PortalFetcher, issued_to, submit

# --- schemes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "grade", "grade_class"),
    [
        ("es", "7,5", "7"),
        ("es", "10", "9"),
        ("es", "4.9", None),
        ("ca", "5", "5"),
        ("de", "1,3", "1.3"),
        ("de", "5.0", None),
        ("de", "1.5", None),
        ("fr", "12.5", "12"),
        ("fr", "9.99", None),
        ("it", "30 e lode", "30L"),
        ("it", "17", None),
        ("nl", "5.5", "6"),
        ("nl", "5", None),
        ("fi", "3", "3"),
        ("fi", "0", None),
        ("se_af", "B", "B"),
        ("se_af", "FX", None),
        ("se_ugvg", "VG", "VG"),
        ("se_ugvg", "U", None),
        ("lt", "10", "10"),
        ("pt", "14", "14"),
        ("ie", "H2.1", "H2.1"),
        ("ie", "72%", "H1"),
        ("ie", "39", None),
        ("percentage", "95", "90-100"),
        ("pass_fail", "pass", "pass"),
    ],
)
def test_a_scheme_places_a_grade_in_its_class_and_a_fail_nowhere(code, grade, grade_class):
    assert SCHEMES[code].classify(grade) == grade_class


def test_every_scheme_states_its_source():
    assert {"es", "ca", "de", "fr", "it", "nl", "fi", "se_af", "se_ugvg", "lt", "pt", "ie"} <= set(
        SCHEMES
    )
    assert all(len(scheme.source) > 20 for scheme in SCHEMES.values())


def test_conversion_reads_the_same_percentile_position_in_the_target_table():
    # Source: 40 % of passes are 5, 30 % are 6 ... the learner's 6 sits from 40 % to 70 %.
    spanish = {"5": 40, "6": 30, "7": 20, "8": 8, "9": 2}
    # Target (German, best last): position 55 % falls in the class 2.3 (50 % to 60 %).
    german = {"4.0": 10, "3.7": 10, "3.3": 10, "3.0": 10, "2.7": 10}
    german |= {"2.3": 10, "2.0": 10, "1.7": 10, "1.3": 10, "1.0": 10}
    result = conversion.convert(
        source=SCHEMES["es"],
        source_counts=spanish,
        grade_class="6",
        target=SCHEMES["de"],
        target_counts=german,
    )
    assert result.converted_grade == "2.3"
    assert result.source_band == ("40.0", "70.0")
    assert result.position == "55.0"
    assert result.target_band == ("50.0", "60.0")


def test_the_best_grade_converts_to_the_best_class_used():
    result = conversion.convert(
        source=SCHEMES["it"],
        source_counts={"30L": 5, "18": 95},
        grade_class="30L",
        target=SCHEMES["fr"],
        target_counts={"10": 50, "15": 50},
    )
    assert result.converted_grade == "15"


# --- grading tables from results ----------------------------------------------------------


def test_a_grading_table_counts_the_passes_of_an_institution_per_field(alice, bob, institution_a):
    programme = published_programme(alice, institution_a)
    offering = open_offering(alice, programme)
    for learner, grade in zip(learners(4), ["5", "7.5", "7", "3"], strict=True):
        enrolment = catalogue_services.enrol(learner=learner, offering=offering)
        catalogue_services.record_result(
            actor=alice,
            enrolment=enrolment,
            outcome="passed" if Decimal(grade) >= 5 else "failed",
            grade=grade,
            assessed_on=timezone.localdate() - timedelta(days=1),
            identity_verified=True,
        )
    [table] = grading.compute_grading_tables(institution=institution_a)
    assert (table.isced_f_code, table.scheme) == ("0613", "numeric_10")
    # Only passes count; 7.5 and 7 share the class 7.
    assert table.distribution == {"5": 1, "6": 0, "7": 2, "8": 0, "9": 0}
    assert table.cohort == 3


def test_an_officer_declares_a_table_for_their_institution_only(bob, carol, institution_a):
    table = grading.declare_grading_table(
        actor=bob,
        institution=institution_a,
        isced_f_code="0613",
        scheme_code="es",
        distribution={"5": 30, "6": 30, "7": 25, "8": 10, "9": 5},
    )
    assert table.cohort == 100
    from django.http import Http404

    with pytest.raises(Http404):
        grading.declare_grading_table(
            actor=carol,
            institution=institution_a,
            isced_f_code="0613",
            scheme_code="es",
            distribution={"5": 1},
        )
    with pytest.raises(DomainError, match="passing grade class"):
        grading.declare_grading_table(
            actor=bob,
            institution=institution_a,
            isced_f_code="0613",
            scheme_code="es",
            distribution={"4": 3},
        )


# --- the decision carries the converted grade ---------------------------------------------


@pytest.fixture
def recognised(alice, bob, carol, dana, institution_a, institution_b, course_b, monkeypatch):
    """Dana's credential from A (grade 6 on 0-10) recognised in full by B (Germany)."""
    monkeypatch.setattr(checks, "verification_fetcher", lambda: PortalFetcher(institution_a))
    programme = published_programme(alice, institution_a)
    document = issued_to(dana, programme.published_version, institution_a, grade="6")
    request = submit(dana, institution_b, course_b, documents=[document])
    return services.decide_request(officer=carol, case=request, outcome="full")


def _tables(bob, carol, institution_a, institution_b):
    grading.declare_grading_table(
        actor=bob,
        institution=institution_a,
        isced_f_code="0613",
        scheme_code="numeric_10",
        distribution={"5": 40, "6": 30, "7": 20, "8": 8, "9": 2},
    )
    german = {"4.0": 10, "3.7": 10, "3.3": 10, "3.0": 10, "2.7": 10}
    german |= {"2.3": 10, "2.0": 10, "1.7": 10, "1.3": 10, "1.0": 10}
    grading.declare_grading_table(
        actor=carol,
        institution=institution_b,
        isced_f_code="0613",
        scheme_code="de",
        distribution=german,
    )


def test_a_recognition_carries_the_grade_converted_through_both_tables(
    bob, carol, institution_a, institution_b, recognised, api_as
):
    _tables(bob, carol, institution_a, institution_b)
    response = api_as(carol).post(f"/api/v1/recognition/decisions/{recognised.pk}/grade/", {})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["converted_grade"] == "2.3"
    assert body["source_grade"] == "6"
    assert (body["source_scheme"], body["target_scheme"]) == ("numeric_10", "de")
    assert body["method"] == ConversionMethod.GRADING_TABLES
    assert body["explanation"]["position"] == "55.0"
    assert body["explanation"]["source_table"]["cohort"] == 100
    detail = api_as(carol).get(f"/api/v1/recognition/requests/{recognised.request_id}/").json()
    assert detail["decisions"][0]["grade"]["converted_grade"] == "2.3"
    # Recorded once, like the decision.
    again = api_as(carol).post(f"/api/v1/recognition/decisions/{recognised.pk}/grade/", {})
    assert again.status_code == 409


def test_another_institutions_officer_and_the_learner_cannot_convert(
    bob, carol, dana, institution_a, institution_b, recognised, api_as
):
    _tables(bob, carol, institution_a, institution_b)
    for outsider in (bob, dana):
        response = api_as(outsider).post(
            f"/api/v1/recognition/decisions/{recognised.pk}/grade/", {}
        )
        assert response.status_code == 404
    # The learner reads the grade once converted; another institution does not.
    api_as(carol).post(f"/api/v1/recognition/decisions/{recognised.pk}/grade/", {})
    assert (
        api_as(dana).get(f"/api/v1/recognition/decisions/{recognised.pk}/grade/").status_code == 200
    )
    assert (
        api_as(bob).get(f"/api/v1/recognition/decisions/{recognised.pk}/grade/").status_code == 404
    )


def test_without_a_large_enough_table_the_officer_states_the_grade(
    bob, carol, institution_a, institution_b, recognised, settings
):
    settings.RECOGNITION_GRADING_TABLE_MINIMUM_COHORT = 500
    _tables(bob, carol, institution_a, institution_b)
    with pytest.raises(DomainError) as refused:
        grading.convert_decision_grade(officer=carol, decision=recognised)
    assert refused.value.code == "no_grading_table"
    with pytest.raises(DomainError):
        grading.convert_decision_grade(officer=carol, decision=recognised, converted_grade="5.0")
    grade = grading.convert_decision_grade(
        officer=carol, decision=recognised, converted_grade="3,0"
    )
    assert grade.method == ConversionMethod.OFFICER
    assert grade.explanation["source_table"]["usable"] is False
    with pytest.raises(ConflictError):
        grading.convert_decision_grade(officer=carol, decision=recognised, converted_grade="2.0")


def test_a_refusal_carries_no_grade(carol, dana, institution_b, course_b, monkeypatch):
    from recognition.services import DifferenceInput
    from tests.recognition.factories import signed_credential

    request = submit(dana, institution_b, course_b, documents=[signed_credential()])
    refusal = services.decide_request(
        officer=carol,
        case=request,
        outcome="refused",
        differences=[DifferenceInput("level", "Below the course's level.")],
    )
    with pytest.raises(DomainError) as refused:
        grading.convert_decision_grade(officer=carol, decision=refusal)
    assert refused.value.code == "not_recognised"


def test_public_tables_and_schemes(bob, institution_a, api_client):
    grading.declare_grading_table(
        actor=bob,
        institution=institution_a,
        isced_f_code="0613",
        scheme_code="es",
        distribution={"5": 3},
    )
    schemes = api_client.get("/api/v1/recognition/grading-schemes/").json()
    assert {row["code"] for row in schemes} >= {"de", "it", "ie", "se_ugvg"}
    tables = api_client.get(
        f"/api/v1/recognition/institutions/{institution_a.slug}/grading-tables/"
    )
    assert tables.json()[0]["distribution"]["5"] == 3
    assert GradingTable.objects.count() == 1
    refused = api_client.post(
        f"/api/v1/recognition/institutions/{institution_a.slug}/grading-tables/",
        {"isced_f_code": "0613", "scheme": "es", "distribution": {"5": 9}},
        format="json",
    )
    assert refused.status_code in (401, 403)
