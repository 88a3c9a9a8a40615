"""OpenID4VCI `jwt` key proofs: a wallet proves it holds the did:key its credential binds to."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from credential_format.errors import KeyProofError
from credential_format.key_proofs import sign_key_proof_jwt, verify_key_proof_jwt
from credential_format.keys import did_key_for, generate_private_key

ISSUER = "https://portal.test"
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _reencode(jwt: str, **header_changes: object) -> str:
    header, payload, signature = jwt.split(".")
    decoded = json.loads(base64.urlsafe_b64decode(header + "=="))
    decoded.update(header_changes)
    new_header = base64.urlsafe_b64encode(json.dumps(decoded).encode()).rstrip(b"=").decode()
    return f"{new_header}.{payload}.{signature}"


def test_a_fresh_proof_names_the_holder_did():
    key = generate_private_key()
    proof = sign_key_proof_jwt(key, audience=ISSUER, nonce="n-1", issued_at=NOW)
    result = verify_key_proof_jwt(proof, audience=ISSUER, nonce="n-1", now=NOW)
    assert result.holder_did == did_key_for(key)
    assert result.verification_method.startswith(result.holder_did + "#")


def test_a_proof_for_another_issuer_is_refused():
    proof = sign_key_proof_jwt(
        generate_private_key(), audience="https://evil", nonce="n", issued_at=NOW
    )
    with pytest.raises(KeyProofError, match="another credential issuer"):
        verify_key_proof_jwt(proof, audience=ISSUER, nonce="n", now=NOW)


def test_a_stale_or_wrong_nonce_is_refused_with_invalid_nonce():
    proof = sign_key_proof_jwt(generate_private_key(), audience=ISSUER, nonce="old", issued_at=NOW)
    with pytest.raises(KeyProofError) as caught:
        verify_key_proof_jwt(proof, audience=ISSUER, nonce="new", now=NOW)
    assert caught.value.code == "invalid_nonce"


def test_an_old_proof_is_refused():
    proof = sign_key_proof_jwt(
        generate_private_key(), audience=ISSUER, nonce="n", issued_at=NOW - timedelta(hours=1)
    )
    with pytest.raises(KeyProofError, match="too old"):
        verify_key_proof_jwt(proof, audience=ISSUER, nonce="n", now=NOW)


def test_a_proof_signed_by_another_key_than_its_kid_is_refused():
    key, other = generate_private_key(), generate_private_key()
    proof = sign_key_proof_jwt(key, audience=ISSUER, nonce="n", issued_at=NOW)
    other_kid = f"{did_key_for(other)}#{did_key_for(other).removeprefix('did:key:')}"
    with pytest.raises(KeyProofError, match="signature does not verify"):
        verify_key_proof_jwt(_reencode(proof, kid=other_kid), audience=ISSUER, nonce="n", now=NOW)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"typ": "JWT"}, "typ"),
        ({"alg": "none"}, "EdDSA"),
        ({"kid": "did:web:example.org#key-1"}, "did:key"),
        ({"jwk": {"kty": "OKP"}}, "kid only"),
    ],
)
def test_headers_other_than_an_eddsa_did_key_proof_are_refused(changes, message):
    proof = sign_key_proof_jwt(generate_private_key(), audience=ISSUER, nonce="n", issued_at=NOW)
    with pytest.raises(KeyProofError, match=message):
        verify_key_proof_jwt(_reencode(proof, **changes), audience=ISSUER, nonce="n", now=NOW)


def _segment(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def test_an_unknown_critical_header_extension_is_refused():
    proof = sign_key_proof_jwt(generate_private_key(), audience=ISSUER, nonce="n", issued_at=NOW)
    with pytest.raises(KeyProofError, match="well-formed"):
        verify_key_proof_jwt(
            _reencode(proof, crit=["urn:example:must-understand"]),
            audience=ISSUER,
            nonce="n",
            now=NOW,
        )


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "a.b",
        "a.b.c",
        "x" * 9000,
        # JSON nested deeper than the parser recurses, in the header and in the payload
        _segment("[" * 3000) + "." + _segment("{}") + ".c2ln",
        _segment('{"alg": "EdDSA"}') + "." + _segment("[" * 3000) + ".c2ln",
        # a header that is JSON but not an object
        _segment("[1]") + "." + _segment("{}") + ".c2ln",
    ],
)
def test_garbage_is_refused_without_crashing(garbage):
    with pytest.raises(KeyProofError):
        verify_key_proof_jwt(garbage, audience=ISSUER, nonce="n", now=NOW)
