"""Forged issuers: the trust registry decides who issued a credential, never the credential.

A credential that claims one of the portal's institutions (or an issuer an operator
registered) but was not signed with a key of that issuer's DID document fails authenticity; a
self-signed look-alike ("University of Twente" on a did:key) is an unknown issuer. Neither is
ever recommended for recognition, nor decided under an agreement."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from credential_format.keys import did_key_for, private_key_from_seed
from credential_format.signing import Ed25519Signer, add_proof
from issuance.identity import institution_did
from portal.models import AuditEvent
from recognition import checks, services
from recognition.models import (
    Decision,
    IssuerTrust,
    TrustedIssuer,
    VerificationVerdict,
)
from recognition.samples import sign_external_credential
from tests.catalogue.factories import published_programme
from tests.recognition.factories import (
    DATA_COURSE,
    PortalFetcher,
    issued_here_credential,
    signed_credential,
    submit,
    vouch,
)

pytestmark = pytest.mark.django_db

FORGER_KEY = private_key_from_seed(bytes([66]) * 32)
REGISTRY_FILE = Path(__file__).parent / "data" / "issuer-registry.json"
HOCHSCHULE_KEY = private_key_from_seed(bytes([11]) * 32)
HOCHSCHULE_DID = "did:web:credentials.hochschule.example.de"


@pytest.fixture
def agreement_world(alice, carol, institution_a, course_b, monkeypatch):
    monkeypatch.setattr(checks, "verification_fetcher", lambda: PortalFetcher(institution_a))
    programme = published_programme(alice, institution_a)
    services.create_agreement(actor=carol, target=course_b, programme=programme, ects=course_b.ects)
    return programme.published_version


def _resigned(document, verification_method):
    forged = copy.deepcopy(document)
    forged.pop("proof")
    signer = Ed25519Signer(FORGER_KEY, verification_method=verification_method)
    return add_proof(forged, signer, created="2026-01-20T10:00:00Z")


@pytest.mark.parametrize(
    "method",
    [
        # A key on a server that cannot be reached: before, "could not be checked".
        "did:web:keys.forger.example#key-1",
        # A key id the institution's DID document does not list.
        "{did}#key-2",
        # The forger's own did:key.
        "did:key:{forger}#{forger_key}",
    ],
    ids=["unreachable-key", "unknown-key-id", "forgers-did-key"],
)
def test_a_key_that_does_not_resolve_for_a_registered_issuer_is_a_failure(
    agreement_world, bob, carol, dana, institution_a, institution_b, course_b, as_user, method
):
    did = institution_did(institution_a)
    forger = did_key_for(FORGER_KEY)
    method = method.format(did=did, forger=forger, forger_key=forger.removeprefix("did:key:"))
    genuine = issued_here_credential(agreement_world, institution_a)
    request = submit(dana, institution_b, course_b, documents=[_resigned(genuine, method)])
    vouch(carol, request)  # even with the learner's identity checked by an officer
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    credential = request.credentials.get()
    assert credential.issuer_trust == IssuerTrust.MEMBER
    assert credential.verdict == VerificationVerdict.FAILED
    authenticity = next(c for c in request.checks["checks"] if c["id"] == "verification-1")
    assert authenticity["outcome"] == "failed"
    quality = next(c for c in request.checks["checks"] if c["id"] == "quality")
    assert quality["outcome"] != "match"  # never "registered institution"
    assert request.checks["recommendation"]["kind"] == "examine"
    assert not Decision.objects.exists()
    page = as_user(carol).get(reverse("recognition:case_detail", args=[request.pk]))
    content = page.content.decode()
    assert 'badge-ok">Institution registered on this portal' not in content
    assert "registered institution" not in content  # nor in the side-by-side comparison


def test_a_self_signed_look_alike_is_an_unknown_issuer_and_never_recommended(
    carol, dana, institution_b, course_b, as_user, monkeypatch
):
    twente = sign_external_credential(
        FORGER_KEY,
        DATA_COURSE,
        learner_name="Dana Learner",
        learner_email="dana@learner.example",
        provider_name="University of Twente",
    )
    request = submit(dana, institution_b, course_b, documents=[twente])
    vouch(carol, request)
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    credential = request.credentials.get()
    assert credential.verdict == VerificationVerdict.VERIFIED  # the signature itself is fine
    assert credential.issuer_trust == IssuerTrust.UNKNOWN
    assert credential.registered_issuer_name == ""
    authenticity = next(c for c in request.checks["checks"] if c["id"] == "verification-1")
    assert authenticity["outcome"] == "warning"
    assert "Unknown issuer" in authenticity["reason"]["template"]
    assert request.checks["recommendation"]["kind"] == "examine"
    page = as_user(carol).get(reverse("recognition:case_detail", args=[request.pk])).content
    assert "Unknown issuer" in page.decode()
    # Registering the same name does not help a different DID.
    TrustedIssuer.objects.create(name="University of Twente", did="did:web:utwente.example.nl")
    services.rerun_checks(officer=carol, case=request)
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert request.credentials.get().issuer_trust == IssuerTrust.UNKNOWN
    assert request.checks["recommendation"]["kind"] == "examine"


def test_the_registry_import_reads_the_dcc_format_and_names_come_only_from_it(
    bob, dana, institution_a, course_a
):
    call_command("import_issuer_registry", str(REGISTRY_FILE), "--source", "sample registry")
    assert TrustedIssuer.objects.count() == 2
    hochschule = TrustedIssuer.objects.get(did=HOCHSCHULE_DID)
    assert hochschule.country == "DE"
    assert hochschule.legal_identifiers == [{"type": "SCHAC", "value": "hochschule.example.de"}]
    assert AuditEvent.objects.filter(action="recognition.trusted_issuers_imported").exists()
    # Importing again updates instead of duplicating.
    call_command("import_issuer_registry", str(REGISTRY_FILE))
    assert TrustedIssuer.objects.count() == 2

    # The provider's credential claims another name for itself; the registry's name is shown.
    document = signed_credential()
    document_claims = document["issuer"]["name"]
    request = submit(dana, institution_a, course_a, documents=[document])
    vouch(bob, request)
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    credential = request.credentials.get()
    assert credential.issuer_trust == IssuerTrust.REGISTERED
    assert credential.registered_issuer_name == "Open Learning Institute"
    assert credential.issuer_name == document_claims
    assert request.checks["recommendation"]["kind"] == "full"


def test_a_registered_did_web_issuer_verifies_with_the_registrys_keys_and_only_those(
    bob, dana, institution_a, course_a
):
    call_command("import_issuer_registry", str(REGISTRY_FILE))
    base = sign_external_credential(
        HOCHSCHULE_KEY,
        DATA_COURSE,
        learner_name="Dana Learner",
        learner_email="dana@learner.example",
        provider_name="Hochschule Beispielstadt",
    )
    base.pop("proof")
    base["issuer"]["id"] = HOCHSCHULE_DID
    base["credentialSubject"]["achievement"].get("creator", {}).pop("id", None)

    def signed_with(key):
        signer = Ed25519Signer(key, verification_method=f"{HOCHSCHULE_DID}#key-1")
        return add_proof(copy.deepcopy(base), signer, created="2026-01-15T10:00:00Z")

    genuine = submit(dana, institution_a, course_a, documents=[signed_with(HOCHSCHULE_KEY)])
    services.run_preassessment(request_id=genuine.pk)
    genuine.refresh_from_db()
    assert genuine.credentials.get().verdict == VerificationVerdict.VERIFIED, (
        genuine.credentials.get().verification
    )
    assert genuine.credentials.get().registered_issuer_name == "Hochschule Beispielstadt"
    forged = submit(dana, institution_a, None, documents=[signed_with(FORGER_KEY)])
    services.run_preassessment(request_id=forged.pk)
    forged.refresh_from_db()
    assert forged.credentials.get().verdict == VerificationVerdict.FAILED
    assert forged.checks["recommendation"]["kind"] == "examine"


def test_a_registry_file_that_is_not_a_registry_is_a_clear_error(tmp_path):
    broken = tmp_path / "registry.json"
    broken.write_text('{"registry": {"did:example:1": {"name": "x"}}}')
    with pytest.raises(CommandError, match="lists no issuer"):
        call_command("import_issuer_registry", str(broken))
    broken.write_text("{not json")
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("import_issuer_registry", str(broken))
