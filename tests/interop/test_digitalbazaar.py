"""Interoperability with an independent implementation: Digital Bazaar's JavaScript stack
(@digitalbazaar/vc + eddsa-rdfc-2022-cryptosuite + data-integrity + ed25519-multikey), run by
Node. Needs ``npm ci`` at the repository root."""

from __future__ import annotations

import copy
import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from credential_format.builders import AwardingBody, build_micro_credential
from credential_format.jsonld import canonicalize
from credential_format.keys import (
    PublishedKey,
    build_did_web_document,
    did_web_document_url,
    private_key_from_seed,
    public_key_multibase,
)
from credential_format.signing import Ed25519Signer, add_proof
from credential_format.status_list import StatusBitstring, build_status_list_credential
from credential_format.verification import FetchError, verify_credential
from tests.credential_format.sample_claims import STATUS_LIST_URL, micro_credential_claims
from tests.credential_format.strategies import claims, portable_text
from tests.interop.dbstack import node, requires_node_stack

NOW = "2025-06-01T00:00:00Z"
SEED = bytes([9]) * 32
OTHER_SEED = bytes([10]) * 32

pytestmark = [pytest.mark.interop, requires_node_stack]


class MapFetcher:
    def __init__(self, documents: dict[str, Any]):
        self.documents = documents

    def fetch_json(self, url: str) -> dict[str, Any]:
        if url not in self.documents:
            raise FetchError(f"not available: {url}")
        return copy.deepcopy(self.documents[url])


def our_signer(seed: bytes = SEED) -> Ed25519Signer:
    return Ed25519Signer.from_seed(seed)


def did_key_issuer(signer: Ed25519Signer) -> AwardingBody:
    return AwardingBody(signer.verification_method.split("#")[0], "Université de Leuven", "BE")


def credential_for(signer: Ed25519Signer, **overrides: Any) -> dict[str, Any]:
    claims_ = micro_credential_claims(issuer=did_key_issuer(signer), **overrides)
    return build_micro_credential(claims_)


def ours_verifies(credential: dict[str, Any], documents: dict[str, Any] | None = None) -> bool:
    now = datetime.fromisoformat(NOW.replace("Z", "+00:00")).astimezone(UTC)
    report = verify_credential(credential, fetcher=MapFetcher(documents or {}), now=now)
    return report.verified


def status_world(signer: Ed25519Signer, revoked: tuple[int, ...] = ()) -> dict[str, Any]:
    bitstring = StatusBitstring()
    for index in revoked:
        bitstring.set(index)
    status_list = build_status_list_credential(
        list_credential_url=STATUS_LIST_URL,
        issuer=signer.verification_method.split("#")[0],
        purpose="revocation",
        bitstring=bitstring,
        valid_from="2025-01-01T00:00:00Z",
    )
    return {STATUS_LIST_URL: add_proof(status_list, signer, created=NOW)}


def test_same_inputs_give_the_same_proof_value_in_both_stacks():
    credential = credential_for(our_signer(), status_index=None)
    ours = add_proof(credential, our_signer(), created=NOW)
    theirs = node(
        {"action": "sign", "credential": credential, "seedHex": SEED.hex(), "created": NOW}
    )["credential"]
    assert theirs["proof"]["proofValue"] == ours["proof"]["proofValue"]


def test_signed_here_verifies_there_with_status():
    signer = our_signer()
    documents = status_world(signer)
    signed = add_proof(credential_for(signer), signer, created=NOW)
    result = node({"action": "verify", "credential": signed, "documents": documents, "now": NOW})
    assert result["verified"], result
    assert result["statusValid"] is True
    assert ours_verifies(signed, documents)


def test_signed_there_verifies_here():
    signer = our_signer()
    documents = status_world(signer)
    credential = credential_for(signer)
    theirs = node(
        {"action": "sign", "credential": credential, "seedHex": SEED.hex(), "created": NOW}
    )
    assert ours_verifies(theirs["credential"], documents)


def test_did_web_issuer_in_both_stacks():
    did = "did:web:portal.example.eu:institutions:uni-leuven"
    signer = Ed25519Signer.from_seed(SEED, f"{did}#key-1")
    key = PublishedKey("key-1", public_key_multibase(private_key_from_seed(SEED)))
    did_document = build_did_web_document(did, active=[key], retired=[])
    claims_ = dataclasses.replace(
        micro_credential_claims(status_index=None),
        issuer=AwardingBody(did, "Université de Leuven", "BE"),
    )
    signed = add_proof(build_micro_credential(claims_), signer, created=NOW)
    result = node(
        {"action": "verify", "credential": signed, "documents": {did: did_document}, "now": NOW}
    )
    assert result["verified"], result
    assert ours_verifies(signed, {did_web_document_url(did): did_document})
    theirs = node(
        {
            "action": "sign",
            "credential": build_micro_credential(claims_),
            "seedHex": SEED.hex(),
            "verificationMethod": f"{did}#key-1",
            "created": NOW,
        }
    )
    assert ours_verifies(theirs["credential"], {did_web_document_url(did): did_document})


def _both_reject(credential: dict[str, Any], documents: dict[str, Any]) -> None:
    result = node(
        {"action": "verify", "credential": credential, "documents": documents, "now": NOW}
    )
    assert not result["verified"], result
    assert not ours_verifies(credential, documents)


def test_tampered_field_fails_in_both():
    signer = our_signer()
    documents = status_world(signer)
    signed = add_proof(credential_for(signer), signer, created=NOW)
    signed["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    _both_reject(signed, documents)


def test_added_undefined_term_fails_in_both():
    signer = our_signer()
    documents = status_world(signer)
    signed = add_proof(credential_for(signer), signer, created=NOW)
    signed["credentialSubject"]["honours"] = "summa cum laude"
    _both_reject(signed, documents)


def test_wrong_key_fails_in_both():
    signer = our_signer()
    impostor = Ed25519Signer.from_seed(OTHER_SEED, signer.verification_method)
    documents = status_world(signer)
    _both_reject(add_proof(credential_for(signer), impostor, created=NOW), documents)


def test_expired_credential_fails_in_both():
    signer = our_signer()
    documents = status_world(signer)
    expired = add_proof(
        credential_for(signer, valid_until="2025-05-01T00:00:00Z"), signer, created=NOW
    )
    _both_reject(expired, documents)


def test_revoked_credential_fails_in_both():
    signer = our_signer()
    documents = status_world(signer, revoked=(94567,))
    revoked = add_proof(credential_for(signer, status_index=94567), signer, created=NOW)
    _both_reject(revoked, documents)
    theirs = node(
        {
            "action": "sign",
            "credential": credential_for(signer, status_index=94567),
            "seedHex": SEED.hex(),
            "created": NOW,
        }
    )["credential"]
    _both_reject(theirs, documents)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims(portable_text), claims(portable_text))
def test_generated_credentials_interoperate_both_ways(ours_to_sign, theirs_to_sign):
    signer = our_signer()

    def prepared(generated: Any) -> dict[str, Any]:
        return build_micro_credential(
            dataclasses.replace(
                generated,
                issuer=did_key_issuer(signer),
                credential_status=(),
                valid_until=None,
                issued_on="2024-01-01T00:00:00Z",
            )
        )

    signed_here = add_proof(prepared(ours_to_sign), signer, created=NOW)
    results = node(
        {
            "action": "batch",
            "requests": [
                {"action": "verify", "credential": signed_here, "now": NOW},
                {
                    "action": "sign",
                    "credential": prepared(theirs_to_sign),
                    "seedHex": SEED.hex(),
                    "created": NOW,
                },
            ],
        }
    )
    assert results[0]["verified"], results[0]
    assert ours_verifies(results[1]["credential"])


def test_joint_proof_set_verifies_in_both():
    signer = our_signer()
    partner = Ed25519Signer.from_seed(OTHER_SEED)
    joint = add_proof(
        add_proof(credential_for(signer, status_index=None), signer, created=NOW),
        partner,
        created=NOW,
    )
    result = node({"action": "verify", "credential": joint, "now": NOW})
    assert result["verified"], result
    assert ours_verifies(joint)


def multilingual_credential(signer: Ed25519Signer) -> dict[str, Any]:
    """A credential with its texts in English, Spanish and German (the portal context's
    language maps beside the plain English values)."""
    claims_ = micro_credential_claims(issuer=did_key_issuer(signer), status_index=None)
    outcome = claims_.learning_outcomes[0]
    return build_micro_credential(
        dataclasses.replace(
            claims_,
            title_languages={"en": claims_.title, "es": "Alfabetización", "de": "Datenkompetenz"},
            description_languages={"en": claims_.description, "de": "Daten lesen."},
            criteria_languages={"en": claims_.criteria_narrative, "es": "Superar el examen."},
            assessment_type_languages={"en": claims_.assessment_type, "es": "Examen escrito"},
            learning_outcomes=(
                dataclasses.replace(
                    outcome, text_languages={"en": outcome.text, "de": "Daten bereinigen."}
                ),
                *claims_.learning_outcomes[1:],
            ),
        )
    )


def test_texts_in_several_languages_canonicalise_and_verify_alike_in_both_stacks():
    signer = our_signer()
    credential = multilingual_credential(signer)
    theirs = node({"action": "canonize", "document": credential})
    assert theirs["nquads"] == canonicalize(credential)
    assert '<https://schema.org/name> "Datenkompetenz"@de .' in theirs["nquads"]
    assert '"Daten bereinigen."@de' in theirs["nquads"]

    ours = add_proof(credential, signer, created=NOW)
    signed_there = node(
        {"action": "sign", "credential": credential, "seedHex": SEED.hex(), "created": NOW}
    )["credential"]
    assert signed_there["proof"]["proofValue"] == ours["proof"]["proofValue"]
    result = node({"action": "verify", "credential": ours, "documents": {}, "now": NOW})
    assert result["verified"], result

    tampered = copy.deepcopy(ours)
    tampered["credentialSubject"]["achievement"]["nameLanguages"]["es"] = "Otro título"
    _both_reject(tampered, {})
