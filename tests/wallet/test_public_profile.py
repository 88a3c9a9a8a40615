"""A public profile a learner may publish: off by default, lists only the chosen credentials,
never the e-mail address, and unpublishing removes it."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.urls import reverse

from issuance import services
from portal import privacy
from portal.errors import DomainError
from tests.catalogue.factories import published_programme
from tests.issuance.factories import issue_credential
from wallet import profiles
from wallet.models import PublicProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_credential(alice, institution_a, dana):
    programme = published_programme(alice, institution_a, slug="second-programme")
    return issue_credential(
        manager=alice, institution=institution_a, learner=dana, programme=programme
    )


def test_there_is_no_profile_until_the_learner_publishes_one(as_user, dana, dana_credential):
    assert not PublicProfile.objects.exists()
    page = as_user(dana).get(reverse("wallet:public_profile_settings")).content.decode()
    assert "Off: nobody can see a profile of yours" in page


def test_publishing_lists_the_chosen_credentials_only_and_unpublishing_removes_it(
    as_user, client, dana, dana_credential, second_credential
):
    learner = as_user(dana)
    response = learner.post(
        reverse("wallet:public_profile_settings"),
        {"headline": "Data engineer in training", "credentials": [str(dana_credential.uuid)]},
    )
    assert response.status_code == 302
    profile = PublicProfile.objects.get(learner=dana)
    address = reverse("wallet:public_profile", kwargs={"slug": profile.slug})
    page = client.get(address).content.decode()
    assert "Dana Learner" in page
    assert "Data engineer in training" in page
    assert reverse("verification:verify_stored_credential", args=[dana_credential.uuid]) in page
    assert str(second_credential.uuid) not in page
    assert "dana@learner.example" not in page

    learner.post(reverse("wallet:public_profile_unpublish"))
    assert not PublicProfile.objects.exists()
    assert client.get(address).status_code == 404


def test_a_credential_revoked_after_publication_shows_its_status(
    client, alice, dana, dana_credential
):
    profile = profiles.publish_profile(learner=dana, credentials=[dana_credential])
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    page = client.get(reverse("wallet:public_profile", kwargs={"slug": profile.slug}))
    assert "Revoked" in page.content.decode()
    dana_credential.refresh_from_db()
    with pytest.raises(DomainError, match="revoked or suspended"):
        profiles.publish_profile(learner=dana, credentials=[dana_credential])


def test_another_learner_cannot_show_danas_credential(as_user, eve, dana_credential):
    with pytest.raises(Http404):
        profiles.publish_profile(learner=eve, credentials=[dana_credential])
    response = as_user(eve).post(
        reverse("wallet:public_profile_settings"), {"credentials": [str(dana_credential.uuid)]}
    )
    assert response.status_code == 200
    assert not PublicProfile.objects.exists()


def test_deleting_the_account_removes_the_profile(client, dana, dana_credential):
    profile = profiles.publish_profile(learner=dana, credentials=[dana_credential])
    privacy.delete_account(user=dana, confirmation=dana.email)
    assert not PublicProfile.objects.exists()
    assert (
        client.get(reverse("wallet:public_profile", kwargs={"slug": profile.slug})).status_code
        == 404
    )
