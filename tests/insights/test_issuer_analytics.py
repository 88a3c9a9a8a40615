"""Issuer analytics: staff see, per programme and offering, credentials issued and how often
they were shared, viewed through a share link and verified; only counts are kept, and staff of
another institution see none of it."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from issuance import usage
from issuance.models import CredentialUsage
from wallet import sharing

pytestmark = pytest.mark.django_db


def _counts(credential) -> dict[str, int]:
    return {
        usage.event: usage.count
        for usage in CredentialUsage.objects.filter(offering=credential.result.offering)
    }


def test_sharing_viewing_and_verifying_are_counted_per_offering(
    client, api_client, dana, dana_credential
):
    link = sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])
    client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    client.get(
        reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    )
    client.post(reverse("verification:verify"), {"document": json.dumps(dana_credential.document)})
    api_client.post(
        "/api/v1/credentials/verify",
        {"verifiableCredential": dana_credential.document},
        format="json",
    )
    # Views counted in Redis, where there is one, are written by the periodic tasks.
    sharing.write_buffered_share_views()
    usage.write_buffered_usage()
    assert _counts(dana_credential) == {"shared": 1, "viewed": 2, "verified": 3}


def test_a_tampered_copy_is_not_counted_as_verified(client, dana_credential):
    document = dict(dana_credential.document, validFrom="2020-01-01T00:00:00Z")
    client.post(reverse("verification:verify"), {"document": json.dumps(document)})
    assert _counts(dana_credential) == {}


def test_the_counts_hold_nothing_about_people():
    fields = {field.name for field in CredentialUsage._meta.get_fields()}
    assert fields == {"id", "offering", "event", "day", "count"}


def test_staff_see_the_figures_of_their_programmes(as_user, alice, dana, dana_credential):
    sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])
    html = as_user(alice).get(reverse("insights:issuer_analytics")).content.decode()
    row = html[html.index(dana_credential.result.offering.code) :]
    cells = [cell.strip() for cell in row.split("<td>")[1:5]]
    assert [cell.split("<")[0] for cell in cells] == ["1", "1", "0", "0"]


def test_staff_of_another_institution_see_none_of_it(as_user, charlie, dana_credential):
    response = as_user(charlie).get(reverse("insights:issuer_analytics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert dana_credential.result.offering.code not in html


def test_learners_are_refused(as_user, dana):
    assert as_user(dana).get(reverse("insights:issuer_analytics")).status_code == 404
