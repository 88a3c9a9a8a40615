from __future__ import annotations

import pytest

from issuance.models import Credential
from tests.factories import UserFactory
from tests.issuance.factories import (
    as_issued_with_two_status_entries,
    enrol_all,
    issue_credential,
    programme_with_offering,
    record_pass,
    run_on_commit,
)


@pytest.fixture
def credential(alice, institution_a, dana):
    return issue_credential(alice, institution_a, dana)


def test_staff_list_their_institutions_credentials(api_as, alice, charlie, credential):
    body = api_as(alice).get("/api/v1/credentials/").json()
    assert [item["id"] for item in body["results"]] == [str(credential.uuid)]
    assert body["results"][0]["status"] == "valid"
    assert api_as(charlie).get("/api/v1/credentials/").json()["count"] == 0


def test_revoke_through_the_api(api_as, alice, credential):
    client = api_as(alice)
    missing = client.post(f"/api/v1/credentials/{credential.uuid}/revoke/", {}, format="json")
    assert missing.status_code == 400
    assert missing["Content-Type"] == "application/problem+json"
    response = client.post(
        f"/api/v1/credentials/{credential.uuid}/revoke/", {"reason": "Fraud"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == "revoked"
    again = client.post(
        f"/api/v1/credentials/{credential.uuid}/revoke/", {"reason": "Fraud"}, format="json"
    )
    assert again.status_code == 409


def test_suspend_and_reinstate_through_the_api(api_as, alice, credential):
    as_issued_with_two_status_entries(credential)
    client = api_as(alice)
    assert (
        client.post(
            f"/api/v1/credentials/{credential.uuid}/suspend/", {"reason": "Check"}, format="json"
        ).json()["status"]
        == "suspended"
    )
    assert (
        client.post(f"/api/v1/credentials/{credential.uuid}/unsuspend/").json()["status"] == "valid"
    )


def test_suspending_a_credential_with_one_status_entry_is_a_409_problem(api_as, alice, credential):
    client = api_as(alice)
    detail = client.get(f"/api/v1/credentials/{credential.uuid}/").json()
    assert detail["carries_suspension_entry"] is False
    response = client.post(
        f"/api/v1/credentials/{credential.uuid}/suspend/", {"reason": "Check"}, format="json"
    )
    assert response.status_code == 409
    assert "cannot be suspended" in response.json()["detail"]
    assert client.get(f"/api/v1/credentials/{credential.uuid}/").json()["status"] == "valid"


@pytest.mark.parametrize("outsider", ["charlie", "dana", "eve", "bob"])
def test_outsiders_get_404_problems(request, api_as, credential, outsider):
    client = api_as(request.getfixturevalue(outsider))
    for method, path in [
        ("get", f"/api/v1/credentials/{credential.uuid}/"),
        ("post", f"/api/v1/credentials/{credential.uuid}/revoke/"),
        ("post", f"/api/v1/credentials/{credential.uuid}/suspend/"),
        ("post", f"/api/v1/credentials/{credential.uuid}/retry/"),
    ]:
        response = getattr(client, method)(path, {"reason": "x"}, format="json")
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/problem+json"
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_the_document_cannot_be_written_through_the_api(api_as, alice, credential):
    before = credential.document_json
    response = api_as(alice).patch(
        f"/api/v1/credentials/{credential.uuid}/", {"document": {}}, format="json"
    )
    assert response.status_code == 405
    credential.refresh_from_db()
    assert credential.document_json == before


def test_offering_issuance_plan_and_job(api_as, alice, charlie, institution_a):
    _programme, offering = programme_with_offering(alice, institution_a)
    (enrolment,) = enrol_all(offering, [UserFactory(email="x@learner.example")])
    record_pass(alice, enrolment)
    Credential.objects.update(state="failed", failure_reason="broken")
    client = api_as(alice)
    plan = client.get(f"/api/v1/offerings/{offering.pk}/issuance/").json()
    assert plan == {
        "to_issue": [],
        "failed_to_retry": ["x@learner.example"],
        "already_issued_or_in_progress": 0,
    }
    with run_on_commit():
        started = client.post(f"/api/v1/offerings/{offering.pk}/issuance/")
    assert started.status_code == 201
    job = client.get(f"/api/v1/issuance-jobs/{started.json()['id']}/").json()
    assert job["progress"]["done"] == 1
    assert job["items"][0]["state"] == "issued"
    assert api_as(charlie).get(f"/api/v1/offerings/{offering.pk}/issuance/").status_code == 404
    assert api_as(charlie).get(f"/api/v1/issuance-jobs/{started.json()['id']}/").status_code == 404
