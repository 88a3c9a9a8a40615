"""Adding a credential to the Learner Credential Wallet: the deep link names a one-time
exchange and a challenge; a DID Authentication presentation signed by an implementation we did
not write (Digital Bazaar's @digitalbazaar/vc, as the wallet uses) gets the credential bound to
the wallet's DID, verifiable here; replays, other challenges and other learners are refused."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from credential_format.keys import did_key_for, private_key_from_seed
from tests.interop.dbstack import REPOSITORY_ROOT, requires_node_stack
from verification.verify import verify_credential_document
from wallet import lcw

pytestmark = pytest.mark.django_db

WALLET_SEED = bytes([31]) * 32
WALLET_DID = did_key_for(private_key_from_seed(WALLET_SEED))


def did_auth(challenge: str, seed: bytes = WALLET_SEED) -> dict:
    result = subprocess.run(
        ["node", str(REPOSITORY_ROOT / "tests" / "interop" / "js" / "present.mjs")],
        input=json.dumps({"seedHex": seed.hex(), "challenge": challenge, "domain": "lcw.app"}),
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["presentation"]


def _request(as_user, dana, credential):
    response = as_user(dana).post(
        reverse("wallet:lcw_request_create", kwargs={"uuid": credential.uuid})
    )
    assert response.status_code == 200
    link = response.context["deep_link"]
    assert link.startswith("dccrequest://request?")
    query = {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}
    assert query["auth_type"] == "bearer"
    return query


@requires_node_stack
@pytest.mark.interop
def test_the_wallet_gets_the_credential_bound_to_its_did(client, as_user, dana, dana_credential):
    query = _request(as_user, dana, dana_credential)
    path = urlsplit(query["vc_request_url"]).path
    response = client.post(path, did_auth(query["challenge"]), content_type="application/json")
    assert response.status_code == 200, response.content
    document = response.json()
    assert document["credentialSubject"]["id"] == WALLET_DID
    assert document["id"] == dana_credential.document["id"]
    assert verify_credential_document(document).verdict == "valid"
    # Once only.
    again = client.post(path, did_auth(query["challenge"]), content_type="application/json")
    assert again.status_code == 400
    assert again["Content-Type"] == "application/problem+json"


@requires_node_stack
@pytest.mark.interop
def test_a_presentation_over_another_challenge_is_refused(client, as_user, dana, dana_credential):
    query = _request(as_user, dana, dana_credential)
    path = urlsplit(query["vc_request_url"]).path
    response = client.post(path, did_auth("not-the-challenge"), content_type="application/json")
    assert response.status_code == 400
    assert "not valid" in response.json()["detail"]


def test_an_unsigned_or_malformed_request_is_refused_with_a_problem(
    client, as_user, dana, dana_credential
):
    query = _request(as_user, dana, dana_credential)
    path = urlsplit(query["vc_request_url"]).path
    unsigned = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "holder": WALLET_DID,
    }
    for body in (json.dumps(unsigned), "not json", "[]", json.dumps({"holder": "did:web:x"})):
        response = client.post(path, body, content_type="application/json")
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_exchange_is_refused(client):
    response = client.post(
        reverse("wallet:lcw_exchange", kwargs={"secret": "guessed"}),
        "{}",
        content_type="application/json",
    )
    assert response.status_code == 400


def test_another_learner_cannot_request_danas_credential(as_user, eve, dana_credential):
    response = as_user(eve).post(
        reverse("wallet:lcw_request_create", kwargs={"uuid": dana_credential.uuid})
    )
    assert response.status_code == 404


def test_the_deep_link_is_single_use_and_expires(dana, dana_credential, settings):
    settings.WALLET_OFFER_SECONDS = 0
    created = lcw.create_credential_request(learner=dana, credential=dana_credential)
    secret = created.exchange_url.rsplit("/", 1)[1]
    with pytest.raises(lcw.ExchangeRefused, match="expired"):
        lcw.deliver_to_wallet(secret=secret, presentation={})
