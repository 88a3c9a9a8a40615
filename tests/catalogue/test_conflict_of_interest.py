"""A programme manager who enrols in his own offering must not be able to pass himself and
receive a credential; nor may anyone record a result dated before the offering started.
Every path is tried: the offering page's form, the results CSV, the API and bulk issuance."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalogue import services
from catalogue.models import AssessmentResult
from issuance import services as issuance_services
from issuance.models import Credential
from portal.errors import DomainError
from tests.catalogue.factories import open_offering, published_programme

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def offering(alice, institution_a):
    """An offering of alice's programme that started ten days ago."""
    today = TODAY()
    return open_offering(
        alice,
        published_programme(alice, institution_a),
        starts_on=today - timedelta(days=10),
        enrolment_opens_on=today - timedelta(days=20),
    )


@pytest.fixture
def own_enrolment(alice, offering):
    return services.enrol(learner=alice, offering=offering)


def _result(enrolment, **overrides):
    data = {
        "enrolment": enrolment.pk,
        "outcome": "passed",
        "grade": "9",
        "assessed_on": (TODAY() - timedelta(days=1)).isoformat(),
        "identity_verified": True,
    }
    data.update(overrides)
    return data


def test_manager_cannot_record_his_own_pass_in_the_service(alice, own_enrolment):
    with pytest.raises(DomainError, match="your own result"):
        services.record_result(
            actor=alice,
            enrolment=own_enrolment,
            outcome="passed",
            grade="9",
            assessed_on=TODAY() - timedelta(days=1),
            identity_verified=True,
        )
    assert not AssessmentResult.objects.exists()
    assert not Credential.objects.exists()


def test_manager_cannot_record_his_own_pass_through_the_api(api_as, alice, offering, own_enrolment):
    response = api_as(alice).post(
        f"/api/v1/manage/offerings/{offering.pk}/results/", _result(own_enrolment), format="json"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "conflict_of_interest"
    assert not AssessmentResult.objects.exists()


def test_manager_cannot_record_his_own_pass_through_the_form(
    as_user, alice, offering, own_enrolment
):
    data = _result(own_enrolment, identity_verified="on")
    response = as_user(alice).post(reverse("catalogue:offering_manage", args=[offering.pk]), data)
    assert response.status_code in (400, 403)
    assert "your own result" in response.content.decode()
    assert not AssessmentResult.objects.exists()


def test_manager_cannot_pass_himself_in_a_results_csv(api_as, alice, offering, own_enrolment):
    text = (
        "offering,learner_email,outcome,grade,assessed_on,identity_verified\n"
        f"{offering.code},{alice.email},passed,9,{(TODAY() - timedelta(days=1)).isoformat()},yes\n"
    )
    response = api_as(alice).post(
        "/api/v1/manage/result-uploads/",
        {"file": SimpleUploadedFile("r.csv", text.encode())},
        format="multipart",
    )
    assert response.status_code == 201
    (row,) = response.json()["rows"]
    assert not row["valid"]
    assert any("your own result" in error for error in row["errors"])
    api_as(alice).post(f"/api/v1/manage/result-uploads/{response.json()['id']}/confirm/")
    assert not AssessmentResult.objects.exists()


def test_a_colleague_may_record_the_managers_result_but_he_may_not_issue_it(
    alice, institution_a, offering, own_enrolment
):
    from tests.factories import MANAGER, UserFactory, grant

    colleague = grant(UserFactory(), institution_a, MANAGER)
    # The colleague's pass issues the credential through the pass hook: a second person acted.
    services.record_result(
        actor=colleague,
        enrolment=own_enrolment,
        outcome="passed",
        grade="9",
        assessed_on=TODAY() - timedelta(days=1),
        identity_verified=True,
    )
    Credential.objects.all().delete()
    plan = issuance_services.plan_offering_issuance(actor=alice, offering=offering)
    assert all(result.learner_id != alice.pk for result in plan.to_issue)
    assert [result.learner_id for result in plan.left_to_a_colleague] == [alice.pk]
    with pytest.raises(DomainError, match="to yourself"):
        issuance_services.issue_offering_passes(actor=alice, offering=offering)
    # The colleague may issue it.
    issuance_services.issue_offering_passes(actor=colleague, offering=offering)
    assert Credential.objects.filter(learner=alice).exists()
    Credential.objects.all().delete()
    assert not Credential.objects.filter(learner=alice).exists()


def test_results_dated_before_the_offering_started_are_refused(alice, offering, dana):
    enrolment = services.enrol(learner=dana, offering=offering)
    with pytest.raises(DomainError, match="before the offering started") as refused:
        services.record_result(
            actor=alice,
            enrolment=enrolment,
            outcome="passed",
            grade="9",
            assessed_on=offering.starts_on - timedelta(days=1),
            identity_verified=True,
        )
    assert refused.value.field == "assessed_on"
    # The first day of the offering is fine.
    services.record_result(
        actor=alice,
        enrolment=enrolment,
        outcome="passed",
        grade="9",
        assessed_on=offering.starts_on,
        identity_verified=True,
    )


def test_results_dated_before_the_offering_started_are_refused_in_the_api_and_csv(
    api_as, alice, offering, dana
):
    enrolment = services.enrol(learner=dana, offering=offering)
    early = (offering.starts_on - timedelta(days=1)).isoformat()
    response = api_as(alice).post(
        f"/api/v1/manage/offerings/{offering.pk}/results/",
        _result(enrolment, assessed_on=early),
        format="json",
    )
    assert response.status_code == 400
    assert "before the offering started" in response.json()["errors"]["assessed_on"][0]
    text = (
        "offering,learner_email,outcome,grade,assessed_on,identity_verified\n"
        f"{offering.code},{dana.email},passed,9,{early},yes\n"
    )
    response = api_as(alice).post(
        "/api/v1/manage/result-uploads/",
        {"file": SimpleUploadedFile("r.csv", text.encode())},
        format="multipart",
    )
    (row,) = response.json()["rows"]
    assert any("before the offering started" in error for error in row["errors"])


def test_a_result_dated_before_the_start_is_a_form_error(as_user, alice, offering, dana):
    enrolment = services.enrol(learner=dana, offering=offering)
    early = (offering.starts_on - timedelta(days=1)).isoformat()
    response = as_user(alice).post(
        reverse("catalogue:offering_manage", args=[offering.pk]),
        _result(enrolment, assessed_on=early, identity_verified="on"),
    )
    assert response.status_code == 400
    assert "before the offering started" in response.content.decode()
    assert not AssessmentResult.objects.exists()


def test_a_manager_cannot_retry_his_own_failed_credential(
    alice, institution_a, offering, own_enrolment
):
    from issuance.models import CredentialState
    from tests.factories import MANAGER, UserFactory, grant

    colleague = grant(UserFactory(), institution_a, MANAGER)
    services.record_result(
        actor=colleague,
        enrolment=own_enrolment,
        outcome="passed",
        grade="9",
        assessed_on=TODAY() - timedelta(days=1),
        identity_verified=True,
    )
    credential = Credential.objects.get(learner=alice)
    Credential.objects.filter(pk=credential.pk).update(state=CredentialState.FAILED)
    with pytest.raises(DomainError, match="to yourself"):
        issuance_services.retry_failed_credential(actor=alice, credential=credential)
    issuance_services.retry_failed_credential(actor=colleague, credential=credential)
