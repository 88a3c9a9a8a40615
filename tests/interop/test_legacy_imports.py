"""Importing the formats that came before Open Badges 3.0 / VC 2.0, made by implementations
the portal did not write (tests/interop/js/legacy_credentials.mjs): VC 1.1 credentials with
Ed25519Signature2020 proofs signed by Digital Bazaar's suite (the Learner Credential Wallet's
older credentials), and Open Badges 2.0 signed assertions made with the `jose` JWS library."""

from __future__ import annotations

import base64
import copy
import json
import shutil
import subprocess
from typing import Any

import pytest
from django.urls import reverse

from tests.interop.dbstack import REPOSITORY_ROOT
from wallet.models import CredentialFormat, ImportedCredential

SCRIPT = REPOSITORY_ROOT / "tests" / "interop" / "js" / "legacy_credentials.mjs"

pytestmark = [
    pytest.mark.interop,
    pytest.mark.django_db,
    pytest.mark.skipif(
        shutil.which("node") is None
        or not (
            REPOSITORY_ROOT / "node_modules" / "@digitalbazaar" / "ed25519-signature-2020"
        ).is_dir(),
        reason="Node.js or node_modules is missing: install Node.js and run `npm ci`",
    ),
]

ISSUER = "https://badges.example.org/issuer.json"
KEY = "https://badges.example.org/key-1.json"
BADGE = "https://badges.example.org/badges/teamwork.json"
REVOCATIONS = "https://badges.example.org/revocations.json"

LCW_CREDENTIAL = {
    "@context": [
        "https://www.w3.org/2018/credentials/v1",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        "https://w3id.org/security/suites/ed25519-2020/v1",
    ],
    "id": "urn:uuid:3a1f0c39-8f1c-4a4b-9d0c-4f2a1b2c3d4e",
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Teamwork",
    "issuer": {"type": ["Profile"], "name": "Older Wallet University"},
    "issuanceDate": "2022-03-01T00:00:00Z",
    "credentialSubject": {
        "type": ["AchievementSubject"],
        "id": "did:example:learner",
        "achievement": {
            "id": "https://issuer.example/achievements/teamwork",
            "type": ["Achievement"],
            "name": "Teamwork",
            "description": "Works in a team.",
            "criteria": {"narrative": "Completed the team project."},
        },
    },
}


def made_elsewhere(request: dict[str, Any]) -> dict[str, Any]:
    result = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def import_page(client, text: str):
    return client.post(reverse("wallet:wallet_import"), {"document": text}, follow=True)


def test_a_vc_1_1_ed25519signature2020_credential_is_imported_as_legacy(as_user, dana):
    signed = made_elsewhere(
        {"action": "vc11-ed25519-2020", "credential": LCW_CREDENTIAL, "seedHex": "09" * 32}
    )["credential"]
    assert signed["proof"]["type"] == "Ed25519Signature2020"
    response = import_page(as_user(dana), json.dumps(signed))
    imported = ImportedCredential.objects.get()
    assert imported.credential_format == CredentialFormat.VC_1_1
    assert imported.is_legacy_format
    content = response.content.decode()
    assert "Verifiable Credential 1.1 (legacy format)" in content
    assert "Legacy format" in as_user(dana).get(reverse("wallet:wallet")).content.decode()


def test_a_tampered_vc_1_1_credential_is_refused(as_user, dana):
    signed = made_elsewhere(
        {"action": "vc11-ed25519-2020", "credential": LCW_CREDENTIAL, "seedHex": "09" * 32}
    )["credential"]
    signed["credentialSubject"]["achievement"]["name"] = "Leadership"
    content = import_page(as_user(dana), json.dumps(signed)).content.decode()
    assert "did not verify" in content
    assert not ImportedCredential.objects.exists()


def assertion(assertion_id: str = "https://badges.example.org/assertions/1") -> dict[str, Any]:
    return {
        "@context": "https://w3id.org/openbadges/v2",
        "type": "Assertion",
        "id": assertion_id,
        "recipient": {"type": "email", "hashed": False, "identity": "dana@learner.example"},
        "badge": BADGE,
        "issuedOn": "2019-05-01T00:00:00Z",
        "verification": {"type": "SignedBadge", "creator": KEY},
    }


def ob2_world(foreign_documents, public_key_pem: str, *, listed: bool = True, revoked=()):
    foreign_documents.documents.update(
        {
            KEY: {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "CryptographicKey",
                "id": KEY,
                "owner": ISSUER,
                "publicKeyPem": public_key_pem,
            },
            BADGE: {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "BadgeClass",
                "id": BADGE,
                "name": "Teamwork (Open Badges 2.0)",
                "issuer": ISSUER,
                "criteria": {"narrative": "Team project"},
            },
            ISSUER: {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "Issuer",
                "id": ISSUER,
                "name": "Badge Academy",
                "publicKey": KEY if listed else "https://badges.example.org/other-key.json",
                "revocationList": REVOCATIONS,
            },
            REVOCATIONS: {
                "@context": "https://w3id.org/openbadges/v2",
                "type": "RevocationList",
                "id": REVOCATIONS,
                "revokedAssertions": list(revoked),
            },
        }
    )


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_an_open_badges_2_signed_assertion_is_imported_as_legacy(
    as_user, dana, foreign_documents, alg
):
    made = made_elsewhere({"action": "ob2-signed", "assertion": assertion(), "alg": alg})
    ob2_world(foreign_documents, made["publicKeyPem"])
    content = import_page(as_user(dana), made["jws"]).content.decode()
    imported = ImportedCredential.objects.get()
    assert imported.credential_format == CredentialFormat.OPEN_BADGES_2_SIGNED
    assert imported.title == "Teamwork (Open Badges 2.0)"
    assert imported.issuer_name == "Badge Academy"
    assert imported.signed_form == made["jws"]
    assert "Open Badges 2.0 signed assertion (legacy format)" in content
    download = as_user(dana).get(
        reverse("wallet:imported_download", kwargs={"uuid": imported.uuid})
    )
    assert download.content.decode() == made["jws"]


def _tampered(jws: str) -> str:
    header, payload, signature = jws.split(".")
    changed = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    changed["issuedOn"] = "2018-01-01T00:00:00Z"
    encoded = base64.urlsafe_b64encode(json.dumps(changed).encode()).decode().rstrip("=")
    return f"{header}.{encoded}.{signature}"


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("tampered", "does not verify"),
        ("key-not-listed", "does not list the signing key"),
        ("revoked", "revoked"),
        ("key-unreachable", "could not be fetched"),
    ],
)
def test_an_open_badges_2_assertion_that_does_not_verify_is_refused(
    as_user, dana, foreign_documents, case, reason
):
    made = made_elsewhere({"action": "ob2-signed", "assertion": assertion(), "alg": "RS256"})
    ob2_world(
        foreign_documents,
        made["publicKeyPem"],
        listed=case != "key-not-listed",
        revoked=[assertion()["id"]] if case == "revoked" else [],
    )
    if case == "key-unreachable":
        del foreign_documents.documents[KEY]
    text = _tampered(made["jws"]) if case == "tampered" else made["jws"]
    content = import_page(as_user(dana), text).content.decode()
    assert reason in content
    assert not ImportedCredential.objects.exists()


def hosted_assertion() -> dict[str, Any]:
    hosted = copy.deepcopy(assertion())
    hosted["verification"] = {"type": "HostedBadge"}
    return hosted


def test_a_hosted_open_badges_2_assertion_is_imported_as_legacy(as_user, dana, foreign_documents):
    ob2_world(foreign_documents, "unused")
    foreign_documents.documents[hosted_assertion()["id"]] = hosted_assertion()
    content = import_page(as_user(dana), json.dumps(hosted_assertion())).content.decode()
    imported = ImportedCredential.objects.get()
    assert imported.credential_format == CredentialFormat.OPEN_BADGES_2_HOSTED
    assert "Open Badges 2.0 hosted assertion (legacy format)" in content


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("changed", "differs from the one its issuer hosts"),
        ("elsewhere", "not hosted on its issuer"),
        ("revoked", "revoked"),
    ],
)
def test_a_hosted_assertion_that_does_not_verify_is_refused(
    as_user, dana, foreign_documents, case, reason
):
    pasted = hosted_assertion()
    if case == "elsewhere":
        pasted["id"] = "https://evil.example/assertions/1"
    ob2_world(foreign_documents, "unused", revoked=[pasted["id"]] if case == "revoked" else [])
    foreign_documents.documents[pasted["id"]] = copy.deepcopy(pasted)
    if case == "changed":
        pasted["issuedOn"] = "2010-01-01T00:00:00Z"
    content = import_page(as_user(dana), json.dumps(pasted)).content.decode()
    assert reason in content
    assert not ImportedCredential.objects.exists()
