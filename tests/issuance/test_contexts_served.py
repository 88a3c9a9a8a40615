"""The micro-credential context is served where issued credentials say it is, byte for byte the
file whose digest they pin."""

from __future__ import annotations

import json

from django.test import override_settings

from credential_format.builders import MICROCREDENTIAL_CONTEXT_DIGEST
from credential_format.contexts import (
    MICROCREDENTIAL_V1_URL,
    authored_context_bytes,
    digest_multibase,
)
from credential_format.verification import verify_credential
from issuance import identity
from tests.issuance.factories import issue_credential


def test_the_context_is_served_as_json_ld_to_any_origin(client):
    response = client.get("/contexts/microcredential/v1", HTTP_ORIGIN="https://verifier.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content == authored_context_bytes(MICROCREDENTIAL_V1_URL)
    assert digest_multibase(response.content) == MICROCREDENTIAL_CONTEXT_DIGEST
    assert "@context" in json.loads(response.content)


def test_the_context_cannot_be_posted_to(client):
    assert client.post("/contexts/microcredential/v1").status_code == 405


def test_issued_credentials_reference_the_served_context_and_pin_its_digest(
    client, alice, institution_a, dana, portal_fetcher, settings
):
    document = issue_credential(alice, institution_a, dana).document
    served_at = f"{settings.PORTAL_BASE_URL}/contexts/microcredential/v1"
    assert document["@context"][-1] == served_at
    assert {"id": served_at, "digestMultibase": MICROCREDENTIAL_CONTEXT_DIGEST} in document[
        "relatedResource"
    ]
    path = served_at.removeprefix(settings.PORTAL_BASE_URL)
    assert digest_multibase(client.get(path).content) == MICROCREDENTIAL_CONTEXT_DIGEST
    assert verify_credential(document, fetcher=portal_fetcher).verified


def test_a_permanent_context_url_can_be_configured(alice, institution_a, dana, portal_fetcher):
    permanent = "https://w3id.org/example-alliance/contexts/"
    with override_settings(CREDENTIAL_CONTEXT_BASE_URL=permanent):
        assert identity.vocabulary_context_url() == permanent + "microcredential/v1"
        document = issue_credential(alice, institution_a, dana).document
    assert document["@context"][-1] == permanent + "microcredential/v1"
    assert verify_credential(document, fetcher=portal_fetcher).verified
