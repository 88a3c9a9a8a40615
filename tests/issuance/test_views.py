from __future__ import annotations

import json

import pytest
from django.urls import reverse

from issuance.models import Credential, CredentialState
from tests.factories import UserFactory
from tests.issuance.factories import (
    as_issued_with_two_status_entries,
    enrol_all,
    issue_credential,
    programme_with_offering,
    record_pass,
)


@pytest.fixture
def credential(alice, institution_a, dana):
    return issue_credential(alice, institution_a, dana)


def test_status_list_is_a_signed_credential_with_cache_headers(client, credential):
    entry = credential.document["credentialStatus"]
    path = entry["statusListCredential"].replace("https://portal.test", "")
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc"
    # Short: a revocation reaches verifiers behind a CDN within a minute.
    assert response["Cache-Control"] == "public, max-age=60"
    assert response["Access-Control-Allow-Origin"] == "*"
    listed = json.loads(response.content)
    assert listed["id"] == entry["statusListCredential"]
    assert listed["credentialSubject"]["statusPurpose"] == entry["statusPurpose"]
    assert listed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/institutions/no-such/did.json",
        "/institutions/uni-a/status/999/revocation",
        "/institutions/uni-a/status/1/other",
    ],
)
def test_unknown_public_documents_are_404(client, credential, path):
    assert client.get(path).status_code == 404


def test_staff_list_and_detail(as_user, alice, credential):
    client = as_user(alice)
    listing = client.get(reverse("issuance:staff_credentials")).content.decode()
    assert "Dana Learner" in listing
    detail = client.get(reverse("issuance:staff_credential", args=[credential.uuid]))
    assert detail.status_code == 200
    assert "Revoke permanently" in detail.content.decode()


def test_staff_list_runs_a_fixed_number_of_queries(
    as_user, alice, institution_a, django_assert_max_num_queries
):
    _programme, offering = programme_with_offering(alice, institution_a)
    for enrolment in enrol_all(offering, [UserFactory() for _ in range(8)]):
        record_pass(alice, enrolment)
    client = as_user(alice)
    client.get(reverse("issuance:staff_credentials"))
    with django_assert_max_num_queries(10):
        assert client.get(reverse("issuance:staff_credentials")).status_code == 200


@pytest.mark.parametrize("outsider", ["charlie", "bob", "dana", "eve", "carol"])
def test_outsiders_cannot_open_or_act_on_a_credential(request, as_user, credential, outsider):
    client = as_user(request.getfixturevalue(outsider))
    assert (
        client.get(reverse("issuance:staff_credential", args=[credential.uuid])).status_code == 404
    )
    for action in ("revoke", "suspend", "unsuspend", "retry"):
        response = client.post(
            reverse(f"issuance:{action}", args=[credential.uuid]), {f"{action}-reason": "x"}
        )
        assert response.status_code == 404
    credential.refresh_from_db()
    assert credential.revoked_at is None
    assert credential.suspended_at is None


def test_the_page_explains_why_a_new_credential_cannot_be_suspended(as_user, alice, credential):
    client = as_user(alice)
    page = client.get(reverse("issuance:staff_credential", args=[credential.uuid])).content
    assert b'id="no-suspension"' in page
    assert reverse("issuance:suspend", args=[credential.uuid]).encode() not in page
    response = client.post(
        reverse("issuance:suspend", args=[credential.uuid]),
        {"suspend-reason": "Complaint"},
        follow=True,
    )
    assert "cannot be suspended" in response.content.decode()
    credential.refresh_from_db()
    assert credential.suspended_at is None


def test_suspending_and_reinstating_a_credential_with_a_suspension_entry(
    as_user, alice, credential
):
    as_issued_with_two_status_entries(credential)
    client = as_user(alice)
    page = client.get(reverse("issuance:staff_credential", args=[credential.uuid])).content
    assert reverse("issuance:suspend", args=[credential.uuid]).encode() in page
    response = client.post(
        reverse("issuance:suspend", args=[credential.uuid]),
        {"suspend-reason": "Complaint"},
        follow=True,
    )
    assert "was suspended" in response.content.decode()
    client.post(reverse("issuance:unsuspend", args=[credential.uuid]))
    credential.refresh_from_db()
    assert credential.suspended_at is None


def test_revoking_through_the_page(as_user, alice, credential):
    client = as_user(alice)
    response = client.post(
        reverse("issuance:revoke", args=[credential.uuid]), {"revoke-reason": "Fraud"}, follow=True
    )
    assert "was revoked" in response.content.decode()
    credential.refresh_from_db()
    assert credential.revocation_reason == "Fraud"


def test_revoking_without_a_reason_changes_nothing(as_user, alice, credential):
    response = as_user(alice).post(
        reverse("issuance:revoke", args=[credential.uuid]), {"revoke-reason": ""}, follow=True
    )
    assert "Give the reason" in response.content.decode()
    credential.refresh_from_db()
    assert credential.revoked_at is None


def test_offering_issuance_dry_run_and_job_page(as_user, alice, institution_a):
    _programme, offering = programme_with_offering(alice, institution_a)
    client = as_user(alice)
    dry_run = client.get(reverse("issuance:offering_issuance", args=[offering.pk]))
    assert dry_run.status_code == 200
    # With nothing to issue there is no button, so no talk of pressing it.
    assert "dry run" not in dry_run.content.decode()
    assert "Issue these credentials" not in dry_run.content.decode()
    (enrolment,) = enrol_all(offering, [UserFactory()])
    record_pass(alice, enrolment)
    job = Credential.objects.get().job
    offering_page = client.get(reverse("catalogue:offering_manage", args=[offering.pk]))
    assert (
        reverse("issuance:offering_issuance", args=[offering.pk]) in offering_page.content.decode()
    )
    dry_run = client.get(reverse("issuance:offering_issuance", args=[offering.pk]))
    assert reverse("issuance:job", args=[job.pk]) in dry_run.content.decode()
    page = client.get(reverse("issuance:job", args=[job.pk])).content.decode()
    assert "<progress" in page
    # Nothing is left to resume once every credential is issued, and nothing to reload for.
    assert reverse("issuance:job_resume", args=[job.pk]) not in page
    assert "Reload to see" not in page
    progress = client.get(reverse("issuance:job_progress", args=[job.pk])).json()
    assert progress == {"total": 1, "done": 1, "failed": 0, "remaining": 0}


def test_outsiders_cannot_see_jobs_or_start_them(as_user, alice, charlie, dana, institution_a):
    _programme, offering = programme_with_offering(alice, institution_a)
    (enrolment,) = enrol_all(offering, [UserFactory()])
    record_pass(alice, enrolment)
    job = Credential.objects.get().job
    for user in (charlie, dana):
        client = as_user(user)
        assert client.get(reverse("issuance:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("issuance:job_progress", args=[job.pk])).status_code == 404
        assert client.post(reverse("issuance:job_resume", args=[job.pk])).status_code == 404
        assert (
            client.post(reverse("issuance:offering_issuance", args=[offering.pk])).status_code
            == 404
        )


def test_learner_sees_and_downloads_only_their_credentials(as_user, credential, dana, eve):
    page = as_user(dana).get(reverse("wallet:wallet")).content.decode()
    assert credential.title in page
    download = as_user(dana).get(reverse("wallet:credential_download", args=[credential.uuid]))
    assert download["Content-Type"] == "application/vc"
    assert json.loads(download.content) == credential.document
    assert (
        as_user(eve).get(reverse("wallet:credential_download", args=[credential.uuid])).status_code
        == 404
    )
    assert credential.title not in as_user(eve).get(reverse("wallet:wallet")).content.decode()


def test_failed_credential_shows_its_reason_and_retry(as_user, alice, credential):
    Credential.objects.filter(pk=credential.pk).update(
        state=CredentialState.FAILED, failure_reason="The signing service was down."
    )
    page = (
        as_user(alice)
        .get(reverse("issuance:staff_credential", args=[credential.uuid]))
        .content.decode()
    )
    assert "The signing service was down." in page
    assert "Retry issuing" in page
