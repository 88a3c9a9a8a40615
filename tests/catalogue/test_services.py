from __future__ import annotations

from contextlib import ContextDecorator
from datetime import timedelta

import pytest
from django.core import mail
from django.http import Http404

from catalogue import services
from catalogue.models import (
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    Offering,
    ProgrammeStatus,
    ProgrammeVersion,
)
from catalogue.signals import result_passed, result_withdrawn
from catalogue.snapshots import missing_elements
from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent
from portal.uploads import escape_spreadsheet_cell
from tests.catalogue.factories import (
    complete_data,
    draft_programme,
    learners,
    open_offering,
    past,
    published_programme,
)

PASSED_CALLS: list[list[int]] = []
WITHDRAWN_CALLS: list[list[int]] = []


def remember_passed(results, **_signal):
    PASSED_CALLS.append([result.pk for result in results])


def remember_withdrawn(results, **_signal):
    WITHDRAWN_CALLS.append([result.pk for result in results])


@pytest.fixture(autouse=True)
def _reset_hook_calls():
    PASSED_CALLS.clear()
    WITHDRAWN_CALLS.clear()


class _OnlyTestReceivers(ContextDecorator):
    """The catalogue alone: while it is active, the test's receivers replace every app's
    receivers of `result_passed` and `result_withdrawn`."""

    def __enter__(self) -> None:
        self._saved = [
            (signal, signal.receivers[:]) for signal in (result_passed, result_withdrawn)
        ]
        for signal, _receivers in self._saved:
            signal.receivers = []
            signal.sender_receivers_cache.clear()
        result_passed.connect(remember_passed)
        result_withdrawn.connect(remember_withdrawn)

    def __exit__(self, *exc: object) -> None:
        for signal, receivers in self._saved:
            signal.receivers = receivers
            signal.sender_receivers_cache.clear()


HOOKS = _OnlyTestReceivers()


# --- completeness -------------------------------------------------------------------------


def test_a_complete_programme_has_no_missing_element(alice, institution_a):
    assert missing_elements(draft_programme(alice, institution_a)) == []


def test_completeness_lists_every_missing_mandatory_element(alice, institution_a, alliance):
    programme = services.create_programme(
        actor=alice, coordinator=institution_a, alliance=alliance, slug="empty", data={}
    )
    fields = {element.field for element in missing_elements(programme)}
    assert {
        "title_en",
        "summary_en",
        "outcomes",
        "ects",
        "workload_hours",
        "eqf_level",
        "assessment_type_en",
        "participation_form",
        "quality_assurance_en",
        "languages",
    } <= fields


def test_the_institutions_language_is_required_besides_english(alice, institution_a):
    programme = draft_programme(alice, institution_a, title={"en": "Only English"})
    assert [element.field for element in missing_elements(programme)] == ["title_es"]
    institution_a.main_language = "de"
    institution_a.save()
    assert missing_elements(draft_programme(alice, institution_a, slug="de-version")) == []


def test_the_institutions_language_is_optional_when_the_programme_is_not_taught_in_it(
    alice, institution_a
):
    programme = draft_programme(
        alice, institution_a, title={"en": "Only English"}, languages=["en"]
    )
    assert missing_elements(programme) == []


def test_a_cycle_that_contradicts_the_eqf_level_is_reported(alice, institution_a):
    programme = draft_programme(alice, institution_a, eqf_level=7, qf_ehea_cycle="first")
    assert [element.field for element in missing_elements(programme)] == ["qf_ehea_cycle"]


def test_submitting_an_incomplete_programme_is_refused(alice, institution_a):
    programme = draft_programme(alice, institution_a, ects=None)
    with pytest.raises(DomainError, match="ECTS"):
        services.submit_programme(actor=alice, programme=programme)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT


# --- partner approval ---------------------------------------------------------------------


def test_every_partner_must_approve_before_publication(
    alice, charlie, institution_a, institution_b
):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    programme = services.submit_programme(actor=alice, programme=programme)
    assert programme.status == ProgrammeStatus.SUBMITTED
    assert programme.published_version is None
    programme = services.approve_programme(
        actor=charlie, programme=programme, institution=institution_b
    )
    assert programme.status == ProgrammeStatus.PUBLISHED
    assert programme.published_version.number == 1
    assert AuditEvent.objects.filter(action="programme.approved").count() == 1


def test_without_partners_submission_publishes(alice, institution_a):
    programme = services.submit_programme(
        actor=alice, programme=draft_programme(alice, institution_a)
    )
    assert programme.status == ProgrammeStatus.PUBLISHED


def test_a_partner_can_send_the_programme_back(alice, charlie, institution_a, institution_b):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    programme = services.submit_programme(actor=alice, programme=programme)
    programme = services.request_changes(
        actor=charlie, programme=programme, institution=institution_b, comment="Add 2 ECTS"
    )
    assert programme.status == ProgrammeStatus.DRAFT


def test_partner_managers_are_asked_by_email_to_approve(
    alice, bob, charlie, carol, institution_a, institution_b, django_capture_on_commit_callbacks
):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_programme(actor=alice, programme=programme)
    # Charlie manages programmes at the partner; Carol is only its recognition officer and
    # Bob works at the coordinator.
    assert [message.to for message in mail.outbox] == [[charlie.email]]
    notice = mail.outbox[0]
    assert programme.title["en"] in notice.subject
    assert institution_a.legal_name in notice.body
    assert f"/manage/programmes/{programme.pk}/" in notice.body


def test_the_coordinator_is_told_what_the_partner_wants_changed(
    alice, bob, charlie, institution_a, institution_b, django_capture_on_commit_callbacks
):
    programme = services.submit_programme(
        actor=alice, programme=draft_programme(alice, institution_a, partners=[institution_b])
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.request_changes(
            actor=charlie, programme=programme, institution=institution_b, comment="Add 2 ECTS"
        )
    assert [message.to for message in mail.outbox] == [[alice.email]]
    assert "Add 2 ECTS" in mail.outbox[0].body
    assert institution_b.legal_name in mail.outbox[0].body


@pytest.mark.parametrize("outsider", ["bob", "carol", "dana", "olga"])
def test_only_partner_managers_approve(
    request, alice, institution_a, institution_b, charlie, outsider
):
    programme = services.submit_programme(
        actor=alice, programme=draft_programme(alice, institution_a, partners=[institution_b])
    )
    with pytest.raises(Http404):
        services.approve_programme(
            actor=request.getfixturevalue(outsider), programme=programme, institution=institution_b
        )


def test_staff_of_c_cannot_approve_for_b(alice, institution_a, institution_b, institution_c):
    from tests.factories import ADMIN, UserFactory, grant

    carl = grant(UserFactory(), institution_c, ADMIN)
    programme = services.submit_programme(
        actor=alice, programme=draft_programme(alice, institution_a, partners=[institution_b])
    )
    with pytest.raises(Http404):
        services.approve_programme(actor=carl, programme=programme, institution=institution_b)
    with pytest.raises(Http404):
        services.approve_programme(actor=carl, programme=programme, institution=institution_c)


def test_the_coordinator_cannot_approve_for_a_partner(alice, institution_a, institution_b):
    programme = services.submit_programme(
        actor=alice, programme=draft_programme(alice, institution_a, partners=[institution_b])
    )
    with pytest.raises(Http404):
        services.approve_programme(actor=alice, programme=programme, institution=institution_b)


def test_partners_must_belong_to_the_alliance(alice, institution_a, institution_c):
    with pytest.raises(DomainError, match="members"):
        draft_programme(alice, institution_a, partners=[institution_c])


@pytest.mark.parametrize("outsider", ["bob", "charlie", "dana", "olga"])
def test_only_coordinator_managers_edit(request, alice, institution_a, institution_b, outsider):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    with pytest.raises(Http404):
        services.update_programme(
            actor=request.getfixturevalue(outsider),
            programme=programme,
            data={"ects": 6},
        )


def test_programmes_are_created_only_at_ones_own_institution(charlie, alliance, institution_a):
    with pytest.raises(Http404):
        services.create_programme(
            actor=charlie, coordinator=institution_a, alliance=alliance, slug="x", data={}
        )


# --- versions -----------------------------------------------------------------------------


def test_editing_a_published_programme_never_changes_its_published_version(
    alice, charlie, institution_a, institution_b
):
    programme = published_programme(
        alice, institution_a, partners=[institution_b], approvers=[charlie]
    )
    version = programme.published_version
    frozen = dict(version.snapshot)
    programme = services.update_programme(
        actor=alice,
        programme=programme,
        data={"ects": 6, "title": {"en": "Data literacy II", "es": "Datos II"}},
    )
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.published_version_id == version.pk
    version.refresh_from_db()
    assert version.snapshot == frozen
    assert version.snapshot["workload"]["ects"] == "5.0"

    programme = services.submit_programme(actor=alice, programme=programme)
    programme = services.approve_programme(
        actor=charlie, programme=programme, institution=institution_b
    )
    assert programme.published_version.number == 2
    assert programme.published_version.snapshot["title"]["en"] == "Data literacy II"
    version.refresh_from_db()
    assert version.snapshot == frozen


def test_a_version_row_refuses_to_change(alice, institution_a):
    programme = published_programme(alice, institution_a)
    version = ProgrammeVersion.objects.get(pk=programme.published_version_id)
    version.title_en = "Tampered"
    with pytest.raises(ValueError, match="immutable"):
        version.save()
    with pytest.raises(ValueError, match="immutable"):
        version.delete()


def test_snapshot_carries_every_annex_element(alice, charlie, institution_a, institution_b):
    snapshot = published_programme(
        alice, institution_a, partners=[institution_b], approvers=[charlie]
    ).published_version.snapshot
    assert [body["slug"] for body in snapshot["awarding_bodies"]] == ["uni-a", "uni-b"]
    assert snapshot["awarding_bodies"][0]["country"] == "ES"
    assert snapshot["learning_outcomes"][0]["skills"][0]["uri"].startswith(
        "http://data.europa.eu/esco/skill/"
    )
    assert snapshot["workload"] == {"ects": "5.0", "hours": 125}
    assert snapshot["eqf_level"] == 6
    for key in ("assessment_type", "participation_form", "quality_assurance", "title"):
        assert snapshot[key]


def test_results_keep_the_version_the_learner_took(alice, institution_a, dana):
    programme = published_programme(alice, institution_a)
    offering = open_offering(alice, programme)
    enrolment = services.enrol(learner=dana, offering=offering)
    services.update_programme(actor=alice, programme=programme, data={"ects": 6})
    services.submit_programme(actor=alice, programme=programme)
    result = services.record_result(
        actor=alice,
        enrolment=enrolment,
        outcome="passed",
        grade="7",
        assessed_on=past(),
        identity_verified=True,
    )
    assert result.version.number == 1
    assert result.version.snapshot["workload"]["ects"] == "5.0"


# --- offerings and enrolment --------------------------------------------------------------


def test_a_full_offering_puts_learners_on_the_waiting_list(alice, institution_a):
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=1)
    first, second, third = learners(3)
    assert services.enrol(learner=first, offering=offering).status == EnrolmentStatus.ENROLLED
    assert services.enrol(learner=second, offering=offering).status == EnrolmentStatus.WAITLISTED
    assert services.enrol(learner=third, offering=offering).status == EnrolmentStatus.WAITLISTED
    offering.refresh_from_db()
    assert offering.enrolled_count == 1


def test_a_freed_place_goes_to_the_first_learner_waiting(
    alice, institution_a, django_capture_on_commit_callbacks
):
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=1)
    first, second, third = learners(3)
    taken = services.enrol(learner=first, offering=offering)
    waiting = services.enrol(learner=second, offering=offering)
    services.enrol(learner=third, offering=offering)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(actor=first, enrolment=taken)
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED
    assert [message.to for message in mail.outbox] == [[second.email]]
    assert "A place is yours" in mail.outbox[0].subject
    assert Enrolment.objects.get(learner=third).status == EnrolmentStatus.WAITLISTED
    assert Offering.objects.get(pk=offering.pk).enrolled_count == 1


def test_raising_the_capacity_promotes_waiting_learners(alice, institution_a):
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=1)
    for learner in learners(3):
        services.enrol(learner=learner, offering=offering)
    services.update_offering(actor=alice, offering=offering, data={"capacity": 2})
    assert Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED).count() == 2


def test_capacity_cannot_drop_below_the_enrolled_count(alice, institution_a):
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=2)
    for learner in learners(2):
        services.enrol(learner=learner, offering=offering)
    with pytest.raises(ConflictError):
        services.update_offering(actor=alice, offering=offering, data={"capacity": 1})


def test_enrolling_twice_is_refused(alice, institution_a, dana):
    offering = open_offering(alice, published_programme(alice, institution_a))
    services.enrol(learner=dana, offering=offering)
    with pytest.raises(ConflictError):
        services.enrol(learner=dana, offering=offering)


def test_enrolment_outside_the_window_is_refused(alice, institution_a, dana):
    offering = open_offering(
        alice,
        published_programme(alice, institution_a),
        enrolment_opens_on=past(10),
        enrolment_closes_on=past(2),
    )
    with pytest.raises(ConflictError, match="open from"):
        services.enrol(learner=dana, offering=offering)


def test_a_learner_cannot_withdraw_someone_else(alice, institution_a, dana, eve):
    offering = open_offering(alice, published_programme(alice, institution_a))
    enrolment = services.enrol(learner=dana, offering=offering)
    with pytest.raises(Http404):
        services.withdraw(actor=eve, enrolment=enrolment)


def test_offerings_need_a_published_programme(alice, institution_a):
    with pytest.raises(ConflictError):
        open_offering(alice, draft_programme(alice, institution_a))


@pytest.mark.parametrize("outsider", ["bob", "charlie", "dana"])
def test_only_the_coordinator_opens_offerings(request, alice, institution_a, outsider):
    programme = published_programme(alice, institution_a)
    with pytest.raises(Http404):
        open_offering(request.getfixturevalue(outsider), programme)


# --- results ------------------------------------------------------------------------------


@pytest.fixture
def enrolled(alice, institution_a, dana):
    offering = open_offering(alice, published_programme(alice, institution_a))
    return services.enrol(learner=dana, offering=offering)


@HOOKS
def test_a_pass_calls_the_passed_handlers_once_per_batch(alice, enrolled):
    result = services.record_result(
        actor=alice,
        enrolment=enrolled,
        outcome="passed",
        grade="8.5",
        assessed_on=past(),
        identity_verified=True,
    )
    assert [[result.pk]] == PASSED_CALLS
    assert result.grade == "8.5"
    services.record_result(
        actor=alice,
        enrolment=enrolled,
        outcome="passed",
        grade="9",
        assessed_on=past(),
        identity_verified=True,
    )
    assert [[result.pk]] == PASSED_CALLS, "a corrected grade is not a new pass"


def test_a_receiver_that_fails_rolls_the_recorded_pass_back(alice, enrolled):
    def refuse(**_signal):
        raise RuntimeError("refused")

    result_passed.connect(refuse)
    try:
        with pytest.raises(RuntimeError, match="refused"):
            services.record_result(
                actor=alice,
                enrolment=enrolled,
                outcome="passed",
                grade="8.5",
                assessed_on=past(),
                identity_verified=True,
            )
    finally:
        result_passed.disconnect(refuse)
    assert not AssessmentResult.objects.filter(enrolment=enrolled).exists()


@HOOKS
def test_correcting_a_pass_to_a_fail_calls_the_withdrawn_handlers(alice, enrolled):
    result = services.record_result(
        actor=alice,
        enrolment=enrolled,
        outcome="passed",
        grade="6",
        assessed_on=past(),
        identity_verified=False,
    )
    services.record_result(
        actor=alice,
        enrolment=enrolled,
        outcome="failed",
        grade="3",
        assessed_on=past(),
        identity_verified=False,
    )
    assert [[result.pk]] == WITHDRAWN_CALLS
    assert AssessmentResult.objects.get().outcome == "failed"


@pytest.mark.parametrize(
    ("scheme", "outcome", "grade"),
    [
        ("numeric_10", "passed", "4"),
        ("numeric_10", "passed", "11"),
        ("numeric_10", "passed", "abc"),
        ("ects", "passed", "F"),
        ("ects", "failed", "A"),
        ("ects", "passed", "Z"),
        ("percentage", "failed", "80"),
        ("pass_fail", "passed", "fail"),
        ("pass_fail", "maybe", ""),
    ],
)
def test_bad_grades_are_refused(scheme, outcome, grade):
    with pytest.raises(DomainError):
        services.normalise_grade(scheme, outcome, grade)


def test_results_of_another_institution_are_refused(charlie, enrolled):
    with pytest.raises(Http404):
        services.record_result(
            actor=charlie,
            enrolment=enrolled,
            outcome="passed",
            grade="7",
            assessed_on=past(),
            identity_verified=True,
        )


def test_a_learner_cannot_withdraw_after_the_result(alice, enrolled, dana):
    services.record_result(
        actor=alice,
        enrolment=enrolled,
        outcome="failed",
        grade="2",
        assessed_on=past(),
        identity_verified=True,
    )
    with pytest.raises(ConflictError):
        services.withdraw(actor=dana, enrolment=enrolled)


# --- results CSV --------------------------------------------------------------------------


def _upload(actor, text: str, encoding: str = "utf-8"):
    data = text.encode(encoding)
    return services.preview_results_upload(
        actor=actor, filename="results.csv", size=len(data), data=data
    )


@HOOKS
def test_csv_preview_reports_bad_rows_and_saves_only_valid_ones(
    alice, charlie, institution_a, institution_b, eve
):
    programme = published_programme(alice, institution_a)
    offering = open_offering(alice, programme, code="a-1")
    ana, ben, cleo = learners(3)
    for learner in (ana, ben, cleo):
        services.enrol(learner=learner, offering=offering)
    b_programme = published_programme(charlie, institution_b, slug="b-prog")
    b_offering = open_offering(charlie, b_programme, code="b-1")
    services.enrol(learner=ana, offering=b_offering)
    day = past(3).isoformat()
    text = (
        "offering,learner_email,outcome,grade,assessed_on,identity_verified\n"
        f"a-1,{ana.email},passed,8,{day},yes\n"
        f"a-1,{ben.email},failed,3,{day},no\n"
        f"a-1,nobody@example.org,passed,8,{day},yes\n"
        f"a-1,{eve.email},passed,8,{day},yes\n"
        f"a-1,{cleo.email},passed,12,{day},yes\n"
        f"a-1,{ana.email},passed,9,{day},yes\n"
        f"b-1,{ana.email},passed,9,{day},yes\n"
        f"=cmd|' /C calc'!A0,{cleo.email},passed,8,{day},yes\n"
    )
    preview = _upload(alice, text)
    assert [row.line for row in preview.valid_rows] == [2, 3]
    errors = {row.line: " ".join(row.errors) for row in preview.invalid_rows}
    assert "Unknown learner" in errors[4]
    assert "Wrong offering" in errors[5]
    assert "between 0 and 10" in errors[6]
    assert "Duplicate" in errors[7]
    assert "Unknown offering" in errors[8]
    assert "formula" in errors[9]
    assert not AssessmentResult.objects.exists()

    preview = services.confirm_results_upload(actor=alice, upload=preview.upload)
    assert AssessmentResult.objects.count() == 2
    assert len(PASSED_CALLS) == 1
    assert len(PASSED_CALLS[0]) == 1
    with pytest.raises(ConflictError):
        services.confirm_results_upload(actor=alice, upload=preview.upload)


def test_csv_with_a_byte_order_mark_is_read(alice, enrolled, dana):
    text = (
        "\ufeffoffering,learner_email,outcome,grade,assessed_on,identity_verified\n"
        f"cohort-1,{dana.email},passed,7,{past().isoformat()},yes\n"
    )
    assert len(_upload(alice, text).valid_rows) == 1


def test_csv_in_another_encoding_is_refused_with_advice(alice, enrolled):
    text = "offering,learner_email,outcome,grade,assessed_on\ncohort-1,dána@example.org,passed,7,2026-01-01\n"
    with pytest.raises(DomainError, match="UTF-8"):
        _upload(alice, text, encoding="utf-16")


def test_csv_over_the_size_cap_is_refused_before_parsing(alice, enrolled, settings):
    settings.RESULTS_UPLOAD_MAX_BYTES = 10
    with pytest.raises(DomainError, match="limit"):
        services.preview_results_upload(actor=alice, filename="big.csv", size=11, data=b"\xff" * 11)


def test_csv_over_the_row_cap_is_refused(alice, enrolled, settings):
    settings.RESULTS_UPLOAD_MAX_ROWS = 2
    rows = "".join(f"cohort-1,x{n}@example.org,passed,7,2026-01-01,yes\n" for n in range(3))
    with pytest.raises(DomainError, match="more than 2 rows"):
        _upload(
            alice, "offering,learner_email,outcome,grade,assessed_on,identity_verified\n" + rows
        )


def test_csv_without_the_columns_is_refused(alice, enrolled):
    with pytest.raises(DomainError, match="missing"):
        _upload(alice, "name,score\nana,7\n")


def test_someone_elses_upload_answers_404(alice, charlie, enrolled, dana):
    preview = _upload(
        alice,
        "offering,learner_email,outcome,grade,assessed_on\n"
        f"cohort-1,{dana.email},passed,7,{past().isoformat()}\n",
    )
    with pytest.raises(Http404):
        services.confirm_results_upload(actor=charlie, upload=preview.upload)


def test_learners_cannot_upload_results(dana):
    with pytest.raises(Http404):
        _upload(dana, "offering,learner_email,outcome,assessed_on\n")


def test_exported_cells_cannot_run_as_formulas():
    assert escape_spreadsheet_cell("=1+1") == "'=1+1"
    assert escape_spreadsheet_cell("@SUM(A1)") == "'@SUM(A1)"
    assert escape_spreadsheet_cell("Ana") == "Ana"


def test_future_assessment_dates_are_refused(alice, enrolled):
    from django.utils import timezone

    with pytest.raises(DomainError, match="future"):
        services.record_result(
            actor=alice,
            enrolment=enrolled,
            outcome="passed",
            grade="7",
            assessed_on=timezone.localdate() + timedelta(days=1),
            identity_verified=True,
        )


def test_complete_data_is_complete_for_an_english_institution(alice, institution_a):
    institution_a.main_language = "en"
    institution_a.save()
    programme = draft_programme(
        alice, institution_a, title={"en": "Only English"}, summary={"en": "x"}
    )
    assert missing_elements(programme) == []
    assert complete_data()["ects"]
