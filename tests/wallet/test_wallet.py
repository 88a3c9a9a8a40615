"""The learner's wallet: grouped by pathway with progress, per-credential downloads and
links, the held-credentials selector, and who may see what (another learner: 404)."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from catalogue import services as catalogue_services
from tests.catalogue.factories import published_programme
from tests.credential_format.foreign import foreign_credential
from tests.issuance.factories import issue_credential
from wallet import selectors as wallet
from wallet.imports import import_credential

pytestmark = pytest.mark.django_db


def test_the_wallet_groups_credentials_by_pathway_with_progress(
    as_user, alice, alliance, institution_a, dana
):
    first = published_programme(alice, institution_a, slug="first-step")
    second = published_programme(alice, institution_a, slug="second-step")
    pathway = catalogue_services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=alliance,
        slug="data-track",
        title={"en": "Data track"},
        rule="all",
        programme_ids=[first.pk, second.pk],
    )
    credential = issue_credential(
        manager=alice, institution=institution_a, learner=dana, programme=first
    )
    overview = wallet.wallet_overview(learner=dana)
    assert [group.pathway for group in overview.groups] == [pathway]
    assert overview.groups[0].credentials == [credential]
    assert overview.groups[0].progress.percent == 50
    assert overview.other == []
    page = as_user(dana).get(reverse("wallet:wallet")).content.decode()
    assert "Data track" in page
    assert 'value="50"' in page
    assert credential.title in page


def test_the_credential_page_shows_elements_downloads_and_linkedin(as_user, dana, dana_credential):
    response = as_user(dana).get(
        reverse("wallet:wallet_credential", kwargs={"uuid": dana_credential.uuid})
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "EQF 6" in content
    assert "analyse big data" in content
    assert reverse("wallet:credential_pdf", kwargs={"uuid": dana_credential.uuid}) in content
    assert "https://www.linkedin.com/profile/add?" in content


def test_the_linkedin_link_is_prefilled(dana_credential):
    url = wallet.linkedin_add_url(dana_credential)
    query = parse_qs(urlsplit(url).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["Data literacy for engineers"]
    assert query["organizationName"] == ["Universitat A"]
    assert query["issueYear"] == [str(dana_credential.issued_at.year)]
    assert query["issueMonth"] == [str(dana_credential.issued_at.month)]
    assert query["certId"] == [str(dana_credential.uuid)]
    assert query["certUrl"] == [wallet.public_verification_url(dana_credential)]


def test_the_json_download_is_the_signed_credential(as_user, dana, dana_credential):
    response = as_user(dana).get(
        reverse("wallet:credential_download", kwargs={"uuid": dana_credential.uuid})
    )
    assert response["Content-Type"] == "application/vc"
    assert json.loads(response.content) == dana_credential.document


@pytest.mark.parametrize(
    "url_name",
    [
        "wallet:wallet_credential",
        "wallet:credential_download",
        "wallet:credential_elm",
        "wallet:credential_pdf",
    ],
)
def test_eve_cannot_open_danas_credential(as_user, eve, dana_credential, url_name):
    response = as_user(eve).get(reverse(url_name, kwargs={"uuid": dana_credential.uuid}))
    assert response.status_code == 404


def test_eve_cannot_ask_a_wallet_offer_for_danas_credential(as_user, eve, dana_credential):
    response = as_user(eve).post(
        reverse("wallet:wallet_offer_create", kwargs={"uuid": dana_credential.uuid})
    )
    assert response.status_code == 404


@pytest.mark.parametrize("url_name", ["wallet:credential_pdf", "wallet:credential_elm"])
def test_another_institutions_staff_cannot_download_exports(
    as_user, charlie, dana_credential, url_name
):
    response = as_user(charlie).get(reverse(url_name, kwargs={"uuid": dana_credential.uuid}))
    assert response.status_code == 404


def test_the_issuing_institutions_staff_can_download_the_pdf(as_user, alice, dana_credential):
    response = as_user(alice).get(
        reverse("wallet:credential_pdf", kwargs={"uuid": dana_credential.uuid})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_the_wallet_needs_sign_in(client):
    response = client.get(reverse("wallet:wallet"))
    assert response.status_code == 302


def test_held_credentials_lists_issued_and_imported_with_documents(
    dana, eve, dana_credential, foreign_documents
):
    imported = import_credential(learner=dana, data=json.dumps(foreign_credential()))
    held = wallet.held_credentials(dana)
    assert {item.origin for item in held} == {"issued", "imported"}
    by_origin = {item.origin: item for item in held}
    assert by_origin["issued"].document == dana_credential.document
    assert by_origin["issued"].status == "valid"
    assert by_origin["imported"].document == imported.document
    assert by_origin["imported"].is_external
    assert wallet.held_credentials(eve) == []


def test_the_wallet_api_lists_only_my_credentials(api_as, dana, eve, dana_credential):
    mine = api_as(dana).get("/api/v1/wallet/credentials/").json()
    assert [item["id"] for item in mine] == [str(dana_credential.uuid)]
    assert mine[0]["document"]["id"] == dana_credential.credential_id
    assert api_as(eve).get("/api/v1/wallet/credentials/").json() == []
    assert api_as(None).get("/api/v1/wallet/credentials/").status_code == 401


def test_the_wallet_page_keeps_its_query_count_flat(
    as_user, alice, institution_a, dana, dana_credential, django_assert_max_num_queries
):
    issue_credential(manager=alice, institution=institution_a, learner=dana, slug="another-one")
    client = as_user(dana)
    client.get(reverse("wallet:wallet"))
    with django_assert_max_num_queries(25):
        client.get(reverse("wallet:wallet"))
