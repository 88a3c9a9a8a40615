"""OpenID4VCI 1.0 with a wallet the portal did not write: the OpenWallet Foundation's
`@openid4vc/openid4vci` client (tests/interop/js/openid4vci_wallet.mjs), run by Node against
the portal served over HTTPS on loopback. The wallet resolves the offer and the metadata,
takes the pre-authorized code (with a transaction code) to the token endpoint, fetches a nonce,
signs a `jwt` key proof and receives a credential the portal's verifier accepts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from typing import Any

import pytest

from tests.interop.dbstack import REPOSITORY_ROOT
from tests.interop.tls_issuer import https_portal, make_certificates
from tests.issuance.factories import issue_credential
from verification.verify import verify_credential_document
from wallet import oid4vci
from wallet.models import WalletOffer

SCRIPT = REPOSITORY_ROOT / "tests" / "interop" / "js" / "openid4vci_wallet.mjs"

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        shutil.which("node") is None
        or not (REPOSITORY_ROOT / "node_modules" / "@openid4vc" / "openid4vci").is_dir(),
        reason="Node.js or node_modules is missing: install Node.js and run `npm ci`",
    ),
]


def run_wallet(request: dict[str, Any], authority: str) -> dict[str, Any]:
    result = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=120,
        check=False,
        env={**os.environ, "NODE_EXTRA_CA_CERTS": authority},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def portal(transactional_db, settings, tmp_path):
    files = make_certificates(tmp_path)
    with https_portal(files) as base_url:
        settings.PORTAL_BASE_URL = base_url
        yield base_url, str(files.authority)


@pytest.mark.parametrize("with_tx_code", [False, True], ids=["open", "transaction-code"])
def test_an_independent_wallet_receives_a_credential_the_portal_verifies(
    portal, alice, institution_a, dana, with_tx_code
):
    base_url, authority = portal
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    created = oid4vci.create_wallet_offer(
        learner=dana, credential=credential, with_tx_code=with_tx_code
    )
    answer = run_wallet({"offerUri": created.uri, "txCode": created.tx_code}, authority)
    assert answer["ok"], answer
    # The client recognised the metadata as OpenID4VCI 1.0 and found the display under
    # credential_metadata.
    assert answer["metadataVersion"] == "V1"
    assert answer["display"][0]["name"]
    delivered = answer["credentialResponse"]["credentials"][0]["credential"]
    assert delivered["credentialSubject"]["id"] == answer["holderDid"]
    assert delivered["id"] == credential.credential_id
    report = verify_credential_document(delivered)
    assert report.verdict == "valid", report.to_dict()["errors"]
    assert report.signers[0].institution.legal_name == "Universitat A"
    assert WalletOffer.objects.get().holder_did == answer["holderDid"]
    assert base_url.startswith("https://localhost:")


def test_the_independent_wallet_is_refused_a_used_offer(portal, alice, institution_a, dana):
    _, authority = portal
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    created = oid4vci.create_wallet_offer(learner=dana, credential=credential)
    assert run_wallet({"offerUri": created.uri}, authority)["ok"]
    again = run_wallet({"offerUri": created.uri}, authority)
    assert not again["ok"]
    assert "invalid_grant" in json.dumps(again)
