"""A review step per offering: passes are issued when saved (the default) or held until staff
release them on the bulk issuing page; the credential states the award date (the assessment,
Open Badges `awardedDate`) apart from the issue date (`validFrom`)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalogue.models import CredentialRelease, Offering
from issuance.models import Credential, CredentialState
from tests.catalogue.factories import past, published_programme
from tests.issuance.factories import enrol_all, programme_with_offering, record_pass, run_on_commit

pytestmark = pytest.mark.django_db


def test_a_pass_is_issued_on_save_by_default_with_its_award_date(alice, institution_a, dana):
    _programme, offering = programme_with_offering(alice, institution_a)
    assert offering.credential_release == CredentialRelease.ON_SAVE
    result = record_pass(alice, enrol_all(offering, [dana])[0])
    credential = Credential.objects.get(learner=dana)
    assert credential.state == CredentialState.ISSUED
    document = credential.document
    assert document["awardedDate"] == f"{result.assessed_on.isoformat()}T00:00:00Z"
    assert document["validFrom"][:10] == timezone.now().date().isoformat()
    assert document["awardedDate"][:10] != document["validFrom"][:10]


def test_a_held_offering_issues_only_when_staff_release_the_passes(
    as_user, alice, institution_a, dana, eve
):
    _programme, offering = programme_with_offering(alice, institution_a)
    Offering.objects.filter(pk=offering.pk).update(credential_release=CredentialRelease.HELD)
    offering.refresh_from_db()
    for enrolment in enrol_all(offering, [dana, eve]):
        record_pass(alice, enrolment)
    assert not Credential.objects.exists()

    page = as_user(alice).get(reverse("issuance:offering_issuance", args=[offering.pk]))
    assert page.status_code == 200
    with run_on_commit():
        as_user(alice).post(reverse("issuance:offering_issuance", args=[offering.pk]))
    issued = Credential.objects.filter(state=CredentialState.ISSUED)
    assert sorted(c.learner_id for c in issued) == sorted([dana.pk, eve.pk])
    assert all(c.document["awardedDate"] == f"{past().isoformat()}T00:00:00Z" for c in issued)


def test_staff_of_another_institution_cannot_release_held_passes(
    as_user, alice, charlie, institution_a, dana
):
    _programme, offering = programme_with_offering(alice, institution_a)
    Offering.objects.filter(pk=offering.pk).update(credential_release=CredentialRelease.HELD)
    record_pass(alice, enrol_all(offering, [dana])[0])
    response = as_user(charlie).post(reverse("issuance:offering_issuance", args=[offering.pk]))
    assert response.status_code == 404
    assert not Credential.objects.exists()


def _offering_data(today, **extra):
    return {
        "starts_on": str(today + timedelta(days=10)),
        "ends_on": str(today + timedelta(days=40)),
        "enrolment_opens_on": str(today),
        "enrolment_closes_on": str(today + timedelta(days=5)),
        "capacity": 12,
        "language": "en",
        **extra,
    }


def test_the_review_step_is_chosen_on_the_offering_form(as_user, alice, institution_a):
    programme = published_programme(alice, institution_a)
    today = timezone.localdate()
    client = as_user(alice)
    form = client.get(reverse("catalogue:offering_create", args=[programme.pk])).content.decode()
    assert "Hold for staff release" in form
    response = client.post(
        reverse("catalogue:offering_create", args=[programme.pk]),
        {
            "code": "reviewed",
            "delivery_institutions": [institution_a.pk],
            "credential_release": "held",
            **_offering_data(today),
        },
    )
    assert response.status_code == 302
    offering = programme.offerings.get()
    assert offering.credential_release == CredentialRelease.HELD
    page = client.get(reverse("catalogue:offering_manage", args=[offering.pk])).content.decode()
    assert "Review and release the held passes" in page


def test_the_review_step_through_the_api(api_as, alice, institution_a):
    programme = published_programme(alice, institution_a)
    client = api_as(alice)
    today = timezone.localdate()
    created = client.post(
        f"/api/v1/manage/programmes/{programme.pk}/offerings/",
        {
            "code": "api-held",
            "delivery_institutions": ["uni-a"],
            "credential_release": "held",
            **_offering_data(today),
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    assert created.json()["credential_release"] == "held"
    offering_id = created.json()["id"]
    changed = client.patch(
        f"/api/v1/manage/offerings/{offering_id}/", {"credential_release": "on_save"}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["credential_release"] == "on_save"
    refused = client.patch(
        f"/api/v1/manage/offerings/{offering_id}/", {"credential_release": "later"}, format="json"
    )
    assert refused.status_code == 400
