"""The micro-credential context is served where issued credentials say it is, byte for byte the
file whose digest they pin."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from credential_format.builders import MICROCREDENTIAL_CONTEXT_DIGEST
from credential_format.contexts import (
    AUTHORED_CONTEXT_DIGESTS,
    MICROCREDENTIAL_V1_URL,
    MICROCREDENTIAL_V2_URL,
    authored_context_bytes,
    digest_multibase,
)
from credential_format.verification import verify_credential
from issuance import identity
from tests.issuance.factories import issue_credential


@pytest.mark.parametrize(
    ("path", "canonical_url"),
    [
        ("/contexts/microcredential/v1", MICROCREDENTIAL_V1_URL),
        ("/contexts/microcredential/v2", MICROCREDENTIAL_V2_URL),
    ],
)
def test_every_context_version_is_served_as_json_ld_to_any_origin(client, path, canonical_url):
    response = client.get(path, HTTP_ORIGIN="https://verifier.example")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.content == authored_context_bytes(canonical_url)
    assert AUTHORED_CONTEXT_DIGESTS[digest_multibase(response.content)] == canonical_url
    assert "@context" in json.loads(response.content)


def test_the_first_context_version_is_still_served_byte_for_byte_as_credentials_pin_it(client):
    # The digest that credentials issued before version 2 carry in `relatedResource`.
    v1 = client.get("/contexts/microcredential/v1").content
    assert digest_multibase(v1) == "uEiCnJPs7V89MWHafMZSKiXDKxYCtuyVj0JCyzSrkf6zxIQ"


def test_the_context_cannot_be_posted_to(client):
    assert client.post("/contexts/microcredential/v1").status_code == 405
    assert client.post("/contexts/microcredential/v2").status_code == 405


def test_issued_credentials_reference_the_served_context_and_pin_its_digest(
    client, alice, institution_a, dana, portal_fetcher, settings
):
    document = issue_credential(alice, institution_a, dana).document
    served_at = f"{settings.PORTAL_BASE_URL}/contexts/microcredential/v2"
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
        assert identity.vocabulary_context_url() == permanent + "microcredential/v2"
        document = issue_credential(alice, institution_a, dana).document
    assert document["@context"][-1] == permanent + "microcredential/v2"
    assert verify_credential(document, fetcher=portal_fetcher).verified
