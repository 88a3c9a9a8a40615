import base58
import pytest
from hypothesis import given
from hypothesis import strategies as st

from credential_format.errors import DidResolutionError, KeyFormatError
from credential_format.keys import (
    PublishedKey,
    build_did_web_document,
    dangerously_encode_private_key_multibase,
    decode_base58btc_multibase,
    did_web_document_url,
    encode_base58btc_multibase,
    find_assertion_method,
    generate_private_key,
    private_key_from_multibase,
    public_key_from_multibase,
    public_key_from_verification_method,
    public_key_multibase,
    resolve_did_key,
)

DID = "did:web:portal.example.eu:institutions:uni-a"


def _key(name: str) -> PublishedKey:
    return PublishedKey(name, public_key_multibase(generate_private_key()))


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:example.edu", "https://example.edu/.well-known/did.json"),
        ("did:web:example.edu:alliances:una", "https://example.edu/alliances/una/did.json"),
        ("did:web:localhost%3A8443", "https://localhost:8443/.well-known/did.json"),
        ("did:web:example.edu%3A8443:u:a", "https://example.edu:8443/u/a/did.json"),
    ],
)
def test_did_web_urls(did, url):
    assert did_web_document_url(did) == url


@pytest.mark.parametrize(
    "did", ["did:key:z6Mk", "did:web:", "did:web:example.edu::x", "did:web:a%2Fb", "did:web:x:.."]
)
def test_invalid_did_web_identifiers_are_refused(did):
    with pytest.raises(DidResolutionError):
        did_web_document_url(did)


def test_multikey_round_trips_and_headers():
    private_key = generate_private_key()
    public = public_key_multibase(private_key)
    secret = dangerously_encode_private_key_multibase(private_key)
    assert public.startswith("z6Mk")
    assert secret.startswith("z3u2")
    assert public_key_multibase(private_key_from_multibase(secret)) == public
    with pytest.raises(KeyFormatError):
        public_key_from_multibase(secret)
    with pytest.raises(KeyFormatError):
        private_key_from_multibase(public)


def test_did_web_document_keeps_retired_keys_for_verification_only():
    active, retired = _key("key-2025"), _key("key-2024")
    document = build_did_web_document(DID, active=[active], retired=[retired])
    ids = [m["id"] for m in document["verificationMethod"]]
    assert ids == [f"{DID}#key-2025", f"{DID}#key-2024"]
    assert document["assertionMethod"] == [f"{DID}#key-2025", f"{DID}#key-2024"]
    assert document["authentication"] == [f"{DID}#key-2025"]
    method = find_assertion_method(document, f"{DID}#key-2024")
    assert method["publicKeyMultibase"] == retired.public_key_multibase


def test_a_key_not_under_assertion_method_is_refused():
    document = build_did_web_document(DID, active=[_key("key-1")], retired=[])
    document["verificationMethod"].append(
        {
            "id": f"{DID}#rogue",
            "type": "Multikey",
            "controller": DID,
            "publicKeyMultibase": _key("x").public_key_multibase,
        }
    )
    with pytest.raises(DidResolutionError, match="not listed under assertionMethod"):
        find_assertion_method(document, f"{DID}#rogue")


def test_a_key_controlled_by_someone_else_is_refused():
    document = build_did_web_document(DID, active=[_key("key-1")], retired=[])
    document["verificationMethod"][0]["controller"] = "did:web:evil.example"
    with pytest.raises(DidResolutionError, match="controlled by"):
        find_assertion_method(document, f"{DID}#key-1")


def test_relative_references_in_a_controller_document_resolve():
    key = _key("key-1")
    document = {
        "id": DID,
        "verificationMethod": [
            {
                "id": "#key-1",
                "type": "Multikey",
                "controller": DID,
                "publicKeyMultibase": key.public_key_multibase,
            }
        ],
        "assertionMethod": ["#key-1"],
    }
    method = find_assertion_method(document, f"{DID}#key-1")
    assert public_key_multibase(public_key_from_verification_method(method)) == (
        key.public_key_multibase
    )


def test_duplicate_key_ids_are_refused():
    with pytest.raises(KeyFormatError):
        build_did_web_document(DID, active=[_key("k")], retired=[_key("k")])


def test_did_key_resolution_is_generative():
    did = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
    document = resolve_did_key(did + "#whatever")
    assert document["id"] == did
    with pytest.raises(DidResolutionError):
        resolve_did_key("did:key:zQ3sh")


@given(st.binary(max_size=80))
def test_base58btc_encoding_matches_the_reference_library(data):
    assert encode_base58btc_multibase(data) == "z" + base58.b58encode(data).decode()
    assert decode_base58btc_multibase(encode_base58btc_multibase(data)) == data
