"""Lisbon Recognition Convention procedure: silence is appealable, overdue cases escalate,
appeal periods are shown and enforced, deadlines are dates in the institution's time zone, an
alliance cannot bind a member by an agreement; and a revoked credential flags what was built
on it."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from issuance import services as issuance_services
from issuance.models import Credential, CredentialKind, CredentialState
from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent
from recognition import services, tasks
from recognition.credentials import recognition_claims
from recognition.models import RequestStatus
from tests.catalogue.factories import published_programme
from tests.issuance.factories import pass_learner, run_on_commit
from tests.recognition.factories import RECEIVED, signed_credential, submit, without

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


# --- silence and escalation -------------------------------------------------------------


def test_the_learner_may_appeal_once_no_decision_came_in_time(
    bob, brian, dana, institution_a, course_a
):
    case = submit(dana, institution_a, course_a)
    with pytest.raises(ConflictError) as early:
        services.lodge_inaction_appeal(
            learner=dana, case=case, grounds="Nothing yet.", now=RECEIVED + 10 * DAY
        )
    assert early.value.code == "not_overdue"
    mail.outbox.clear()
    with run_on_commit():
        appeal = services.lodge_inaction_appeal(
            learner=dana, case=case, grounds="No decision after 31 days.", now=RECEIVED + 31 * DAY
        )
    case.refresh_from_db()
    assert appeal.against_inaction
    assert appeal.decision is None
    assert case.status == RequestStatus.APPEALED
    assert {m.to[0] for m in mail.outbox} >= {bob.email, brian.email}
    with pytest.raises(DomainError, match="no decision to uphold"):
        services.decide_appeal(reviewer=brian, appeal=appeal, outcome="upheld", reasons="x")
    services.decide_appeal(
        reviewer=brian,
        appeal=appeal,
        outcome="overturned",
        reasons="Decided on appeal: the course matches.",
        new_outcome="full",
        now=RECEIVED + 33 * DAY,
    )
    case.refresh_from_db()
    assert case.status == RequestStatus.CLOSED
    decision = case.final_decision
    assert not decision.within_time_limit
    assert recognition_claims(decision).appeal_information.startswith(
        "Decided on appeal against the absence of a decision in time"
    )


def test_only_the_learner_appeals_against_silence(bob, eve, dana, institution_a, course_a):
    case = submit(dana, institution_a, course_a)
    for other in (bob, eve):
        with pytest.raises(Http404):
            services.lodge_inaction_appeal(
                learner=other, case=case, grounds="x", now=RECEIVED + 31 * DAY
            )


def test_a_paused_clock_is_not_silence(bob, dana, institution_a, course_a):
    case = submit(dana, institution_a, course_a)
    services.request_information(officer=bob, case=case, question="?", now=RECEIVED + 2 * DAY)
    case.refresh_from_db()
    with pytest.raises(ConflictError):
        services.lodge_inaction_appeal(
            learner=dana, case=case, grounds="x", now=RECEIVED + 40 * DAY
        )


def test_appealing_silence_through_the_api_and_the_page(
    api_as, as_user, eve, dana, institution_a, course_a
):
    overdue = submit(dana, institution_a, course_a, now=timezone.now() - 40 * DAY)
    page = as_user(dana).get(f"/recognition/requests/{overdue.pk}/").content.decode()
    assert "No decision within the time limit" in page
    assert (
        api_as(eve)
        .post(f"/api/v1/recognition/requests/{overdue.pk}/appeal/", {"grounds": "x"}, format="json")
        .status_code
        == 404
    )
    response = api_as(dana).post(
        f"/api/v1/recognition/requests/{overdue.pk}/appeal/",
        {"grounds": "Forty days without an answer."},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["against_inaction"] is True
    assert response.json()["decision"] is None
    # The learner still does not see the automatic recommendation: there is no decision.
    detail = api_as(dana).get(f"/api/v1/recognition/requests/{overdue.pk}/").json()
    assert detail["status"] == "appealed"
    assert detail["recommendation"] is None


def test_a_running_case_not_overdue_offers_no_appeal(
    as_user, api_as, dana, institution_a, course_a
):
    running = submit(dana, institution_a, course_a, now=timezone.now())
    assert "No decision within the time limit" not in (
        as_user(dana).get(f"/recognition/requests/{running.pk}/").content.decode()
    )
    response = api_as(dana).post(
        f"/api/v1/recognition/requests/{running.pk}/appeal/", {"grounds": "x"}, format="json"
    )
    assert response.status_code == 409


def test_overdue_cases_are_escalated_once_to_the_institutions_admins(
    alice, bob, dana, institution_a, course_a
):
    overdue = submit(dana, institution_a, course_a, now=timezone.now() - 31 * DAY)
    on_time = submit(
        dana,
        institution_a,
        course_a,
        now=timezone.now(),
        documents=[without(signed_credential(), "name")],
    )
    mail.outbox.clear()
    with run_on_commit():
        tasks.escalate_overdue_cases_task()
    overdue.refresh_from_db()
    on_time.refresh_from_db()
    assert overdue.escalated_at is not None
    assert on_time.escalated_at is None
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "Overdue recognition request" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(action="recognition.escalated").count() == 1
    with run_on_commit():
        tasks.escalate_overdue_cases_task()
    assert len(mail.outbox) == 1


def test_the_beat_schedule_runs_the_escalation(settings):
    schedules = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "recognition.tasks.escalate_overdue_cases_task" in schedules


# --- appeal periods and deadlines -------------------------------------------------------


def refuse(case, officer, now):
    return services.decide_request(
        officer=officer,
        case=case,
        outcome="refused",
        differences=[services.DifferenceInput("level", "EQF 4 against 6.")],
        now=now,
    )


def test_the_appeal_period_ends_with_the_day_shown(bob, dana, institution_a, course_a):
    case = submit(dana, institution_a, course_a)
    refuse(case, bob, RECEIVED + 2 * DAY)  # 4 March: 14 days to 18 March, Brussels time
    case.refresh_from_db()
    local = case.appeal_deadline_at.astimezone(institution_a.zone)
    assert (local.date().isoformat(), local.hour, local.minute) == ("2026-03-18", 23, 59)
    with pytest.raises(DomainError) as late:
        services.lodge_appeal(
            learner=dana, case=case, grounds="x", now=case.appeal_deadline_at + timedelta(seconds=1)
        )
    assert late.value.code == "appeal_period_over"
    assert "2026-03-18" in late.value.message
    # At 23:00 on the last day the appeal is still in time.
    services.lodge_appeal(
        learner=dana,
        case=case,
        grounds="Level is 6.",
        now=case.appeal_deadline_at - timedelta(hours=1),
    )


def test_the_request_page_shows_the_appeal_period_and_dates_in_the_institutions_zone(
    as_user, bob, dana, institution_a, course_a
):
    institution_a.time_zone = "Europe/Madrid"
    institution_a.save()
    case = submit(dana, institution_a, course_a, now=timezone.now())
    page = as_user(dana).get(f"/recognition/requests/{case.pk}/").content.decode()
    assert "14 calendar days from the decision" in page
    assert "(end of the day, Europe/Madrid)" in page
    refuse(case, bob, timezone.now())
    page = as_user(dana).get(f"/recognition/requests/{case.pk}/").content.decode()
    assert "You may appeal until" in page
    assert "Europe/Madrid" in page


def test_an_institutions_time_zone_must_exist(institution_a):
    institution_a.time_zone = "Mars/Olympus"
    with pytest.raises(ValidationError):
        institution_a.full_clean()


# --- agreements bind only the institution that records them ----------------------------


def test_an_alliance_admin_cannot_record_a_binding_agreement_through_the_api(
    api_as, alice, olga, carol, institution_a, course_b
):
    programme = published_programme(alice, institution_a)
    body = {
        "target": course_b.pk,
        "programme": programme.slug,
        "ects": "5.0",
        "alliance": "test-alliance",
    }
    assert (
        api_as(olga).post("/api/v1/recognition/agreements/", body, format="json").status_code == 404
    )
    assert (
        api_as(alice).post("/api/v1/recognition/agreements/", body, format="json").status_code
        == 404
    )
    assert (
        api_as(carol).post("/api/v1/recognition/agreements/", body, format="json").status_code
        == 201
    )


# --- revocation flows through ------------------------------------------------------------


def test_revoking_a_credential_flags_the_decisions_built_on_it_and_tells_the_institution(
    as_user, alice, carol, charlie, dana, institution_a, institution_b, course_b
):
    with run_on_commit():
        pass_learner(alice, institution_a, dana)
    issued = Credential.objects.get(learner=dana, kind=CredentialKind.MICRO)
    case = submit(dana, institution_b, course_b, documents=[issued.document])
    decision = services.decide_request(officer=carol, case=case, outcome="full")
    mail.outbox.clear()
    with run_on_commit():
        issuance_services.revoke_credential(actor=alice, credential=issued, reason="Exam fraud.")
    decision.refresh_from_db()
    assert decision.basis_revoked_at is not None
    assert decision.basis_revocation_reason == "Exam fraud."
    assert decision.outcome == "full"  # the decision itself is not rewritten
    told = {m.to[0] for m in mail.outbox if "A credential behind recognition" in m.subject}
    assert told == {carol.email, charlie.email}
    assert AuditEvent.objects.filter(action="recognition.basis_revoked").exists()
    page = as_user(carol).get(f"/recognition/manage/cases/{case.pk}/").content.decode()
    assert "relied on was revoked by its issuer" in page


def test_revoking_a_constituent_flags_the_pathway_credential(alice, dana, institution_a):
    with run_on_commit():
        pass_learner(alice, institution_a, dana)
    constituent = Credential.objects.get(learner=dana, kind=CredentialKind.MICRO)
    pathway_credential = Credential.objects.create(
        natural_key=f"pathway:test:{dana.pk}",
        kind=CredentialKind.PATHWAY,
        state=CredentialState.ISSUED,
        learner=dana,
        issuer=institution_a,
        claims={"constituents": [constituent.pk], "ects": "5.0"},
    )
    issuance_services.revoke_credential(actor=alice, credential=constituent, reason="Withdrawn.")
    pathway_credential.refresh_from_db()
    assert pathway_credential.constituent_revoked_at is not None
    assert pathway_credential.constituent_revocation_reason == "Withdrawn."
    assert AuditEvent.objects.filter(action="credential.constituent_revoked").exists()


def test_a_revoked_credential_is_no_longer_a_precedent_for_prospects(
    alice, carol, dana, institution_a, institution_b, course_b
):
    from recognition import commitments

    with run_on_commit():
        pass_learner(alice, institution_a, dana)
    issued = Credential.objects.get(learner=dana, kind=CredentialKind.MICRO)
    case = submit(dana, institution_b, course_b, documents=[issued.document])
    decision = services.decide_request(officer=carol, case=case, outcome="full")
    programme = issued.programme_version.programme
    assert [p.basis for p in commitments.prospects_for(programme, on=timezone.localdate())] == [
        "precedent"
    ]
    issuance_services.revoke_credential(actor=alice, credential=issued, reason="Fraud.")
    assert commitments.prospects_for(programme, on=timezone.localdate()) == []
    decision.refresh_from_db()
    assert decision.credits_granted == Decimal("5.0")  # the decision stands, flagged


def test_an_institution_admin_sets_its_time_zone_and_the_queue_shows_its_dates(
    api_as, as_user, alice, bob, charlie, dana, institution_a, course_a
):
    url = f"/api/v1/institutions/{institution_a.slug}/"
    assert api_as(alice).patch(url, {"time_zone": "Mars/Olympus"}, format="json").status_code == 400
    assert api_as(charlie).patch(
        url, {"time_zone": "America/Bogota"}, format="json"
    ).status_code in (
        403,
        404,
    )
    assert (
        api_as(alice).patch(url, {"time_zone": "America/Bogota"}, format="json").status_code == 200
    )
    institution_a.refresh_from_db()
    assert institution_a.time_zone == "America/Bogota"
    # Received on 1 March at 20:00 in Bogotá (2 March, 01:00 UTC): due on 31 March there,
    # which is 1 April in UTC.
    from datetime import UTC, datetime

    case = submit(dana, institution_a, course_a, now=datetime(2026, 3, 2, 1, 0, tzinfo=UTC))
    assert case.deadline_at.astimezone(UTC).date().isoformat() == "2026-04-01"
    queue = as_user(bob).get("/recognition/manage/").content.decode()
    assert "31/03/2026" in queue or "03/31/2026" in queue
