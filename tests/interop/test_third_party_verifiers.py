"""Credentials of a running portal verified by two verifiers we did not write: the Digital
Credentials Consortium's verifier-core and Digital Bazaar's @digitalbazaar/vc (eddsa-rdfc-2022),
run in Node.js (tests/interop/js/verifiers.mjs).

The portal runs behind TLS on loopback; the verifiers bundle only the standard contexts their
packages ship and fetch the portal's context, DID documents and status lists from it. Every
kind of credential verifies; a revoked one is reported revoked; a credential issued earlier with
a suspension entry still verifies, and its suspension is seen by both."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from issuance import services
from tests.interop.tls_portal import make_certificate, tls_live_server
from tests.issuance.every_kind import EveryKind, issue_every_kind
from tests.issuance.factories import as_issued_with_two_status_entries, issue_credential
from tests.recognition.conftest import course_a  # noqa: F401 (fixture)

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPOSITORY_ROOT / "tests" / "interop" / "js" / "verifiers.mjs"
SCHEMAS = REPOSITORY_ROOT / "tests" / "standards" / "openbadges"
PUBLISHED_SCHEMAS = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"

pytestmark = [
    pytest.mark.interop,
    pytest.mark.skipif(
        shutil.which("node") is None
        or not (
            REPOSITORY_ROOT / "node_modules" / "@digitalcredentials" / "verifier-core"
        ).is_dir(),
        reason="Node.js or node_modules is missing: install Node.js and run `npm ci`",
    ),
]


def run_verifiers(credentials: list[dict[str, Any]], base_url: str, ca: Path) -> dict[str, Any]:
    request = {
        "credentials": credentials,
        "portalOrigin": base_url,
        "schemaFiles": {
            PUBLISHED_SCHEMAS + name: str(SCHEMAS / name)
            for name in (
                "ob_v3p0_achievementcredential_schema.json",
                "ob_v3p0_endorsementcredential_schema.json",
            )
        },
    }
    result = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=300,
        check=False,
        env={**os.environ, "NODE_EXTRA_CA_CERTS": str(ca)},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def portal(settings, tmp_path):
    """The portal's public address is the TLS live server's, so DIDs, the context URL and
    status lists point at it."""
    certificate, key = make_certificate(tmp_path)
    with tls_live_server(certificate, key) as base_url:
        settings.PORTAL_BASE_URL = base_url
        settings.CREDENTIAL_CONTEXT_BASE_URL = f"{base_url}/contexts/"
        settings.ALLOWED_HOSTS = ["127.0.0.1"]
        yield base_url, certificate


@pytest.fixture
def issued(portal, alice, bob, charlie, institution_a, institution_b, dana, eve, course_a):  # noqa: F811
    return issue_every_kind(
        alice=alice,
        bob=bob,
        charlie=charlie,
        institution_a=institution_a,
        institution_b=institution_b,
        dana=dana,
        eve=eve,
        course_a=course_a,
    )


def _schema_errors(result: dict[str, Any]) -> list[tuple[str, str]]:
    (check,) = result["dcc"]["schema"]
    return [
        (error["instancePath"], error["message"]) for error in check["result"].get("errors", [])
    ]


@pytest.mark.django_db(transaction=True)
def test_every_kind_verifies_in_both_and_a_revoked_one_is_revoked(portal, issued: EveryKind):
    base_url, certificate = portal
    valid = issued.valid()
    # Every kind states its texts in several languages (context v2's language maps).
    assert all("nameLanguages" in credential.document for credential in valid.values())
    tampered = copy.deepcopy(issued.micro.document)
    tampered["credentialSubject"]["creditsEarned"] = 60
    outcome = run_verifiers(
        [
            *(credential.document for credential in valid.values()),
            issued.revoked.document,
            tampered,
        ],
        base_url,
        certificate,
    )
    *results, revoked, forged = outcome["results"]
    for kind, result in zip(valid, results, strict=True):
        theirs = result["digitalBazaar"]
        assert theirs["verified"], (kind, theirs)
        assert theirs["statusChecked"], (kind, theirs)
        assert not theirs["revoked"], kind
        dcc = result["dcc"]
        assert dcc["errors"] == [], (kind, dcc)
        assert (dcc["signature"], dcc["expiration"], dcc["revocation"]) == (True, True, True), kind
        assert _schema_errors(result) == [], kind

    assert revoked["digitalBazaar"]["revoked"] is True
    assert revoked["dcc"]["signature"] is True
    assert revoked["dcc"]["revocation"] is False

    assert not forged["digitalBazaar"]["verified"]
    assert forged["dcc"]["signature"] is not True

    # Nothing of the portal was preloaded: its context, DID documents and status lists were
    # fetched from the running portal.
    assert {
        f"{base_url}/contexts/microcredential/v2",
        f"{base_url}/institutions/uni-a/did.json",
        f"{base_url}/institutions/uni-a/status/1/revocation",
    } <= set(outcome["fetched"])


@pytest.mark.django_db(transaction=True)
def test_a_credential_issued_with_two_status_entries_still_verifies_and_shows_its_suspension(
    portal, alice, institution_a, dana
):
    earlier = as_issued_with_two_status_entries(
        issue_credential(alice, institution_a, dana, slug="earlier")
    )
    suspended = as_issued_with_two_status_entries(
        issue_credential(alice, institution_a, dana, slug="suspended")
    )
    services.suspend_credential(actor=alice, credential=suspended, reason="Under review")
    base_url, certificate = portal
    valid, held = run_verifiers([earlier.document, suspended.document], base_url, certificate)[
        "results"
    ]
    assert valid["digitalBazaar"]["verified"], valid
    assert valid["digitalBazaar"]["statusChecked"], valid
    assert (valid["dcc"]["signature"], valid["dcc"]["revocation"]) == (True, True), valid
    assert (valid["digitalBazaar"]["suspended"], valid["dcc"]["suspension"]) == (False, True)
    assert held["digitalBazaar"]["suspended"] is True, held
    assert held["digitalBazaar"]["revoked"] is False, held
    assert (held["dcc"]["revocation"], held["dcc"]["suspension"]) == (True, False), held
