import hashlib
import json
from importlib import resources

import pytest
from pyld import jsonld

from credential_format.contexts import SHIPPED_CONTEXTS, document_loader
from credential_format.errors import UnknownContextError
from credential_format.jsonld import canonicalize

PUBLISHED = {
    "https://www.w3.org/ns/credentials/v2": (
        "credentials-v2.jsonld",
        "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    ),
    "https://w3id.org/security/data-integrity/v2": (
        "data-integrity-v2.jsonld",
        "67f21e6e33a6c14e5ccfd2fc7865f7474fb71a04af7e94136cb399dfac8ae8f4",
    ),
    "https://w3id.org/security/multikey/v1": (
        "multikey-v1.jsonld",
        "ba2c182de2d92f7e47184bcca8fcf0beaee6d3986c527bf664c195bbc7c58597",
    ),
}


def _shipped_bytes(file: str) -> bytes:
    return (resources.files("credential_format") / "contexts" / file).read_bytes()


def test_every_shipped_file_matches_its_manifest_digest():
    for context in SHIPPED_CONTEXTS:
        assert hashlib.sha256(_shipped_bytes(context.file)).hexdigest() == context.sha256


def test_manifest_records_provenance_for_every_context():
    manifest = json.loads(_shipped_bytes("manifest.json"))
    for entry in manifest["contexts"]:
        assert entry["url"].startswith("https://")
        assert ("npm_package" in entry and "npm_version" in entry) or "origin" in entry


@pytest.mark.parametrize("url", sorted(PUBLISHED))
def test_manifest_pins_the_published_digest(url):
    context = next(c for c in SHIPPED_CONTEXTS if c.url == url)
    assert context.published_sha256 == PUBLISHED[url][1]


@pytest.mark.parametrize("url", sorted(PUBLISHED))
def test_shipped_context_is_the_published_document(url, vectors):
    """The published file hashes to the published digest, and ours carries the same JSON."""
    vector_file, published_digest = PUBLISHED[url]
    published = (vectors / "contexts" / vector_file).read_bytes()
    assert hashlib.sha256(published).hexdigest() == published_digest
    context = next(c for c in SHIPPED_CONTEXTS if c.url == url)
    assert json.loads(_shipped_bytes(context.file)) == json.loads(published)


def test_vc_v2_and_open_badges_digests_of_shipped_bytes():
    by_url = {c.url: c for c in SHIPPED_CONTEXTS}
    multikey = by_url["https://w3id.org/security/multikey/v1"]
    assert hashlib.sha256(_shipped_bytes(multikey.file)).hexdigest() == multikey.published_sha256
    badges = by_url["https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"]
    assert hashlib.sha256(_shipped_bytes(badges.file)).hexdigest() == badges.published_sha256


def test_loader_refuses_urls_outside_the_allow_list():
    with pytest.raises(UnknownContextError, match="not known"):
        document_loader("https://example.com/evil-context")


def test_examples_context_is_not_served_in_production():
    with pytest.raises(UnknownContextError):
        document_loader("https://www.w3.org/ns/credentials/examples/v2")


def test_canonicalising_a_document_with_an_unknown_context_fails_without_network():
    document = {"@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/x"]}
    with pytest.raises(UnknownContextError):
        canonicalize(document)


def test_test_only_context_does_not_leak_into_the_production_loader(examples_loader):
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://www.w3.org/ns/credentials/examples/v2",
        ],
        "type": ["VerifiableCredential", "ExampleCredential"],
    }
    canonicalize(document, loader=examples_loader)
    with pytest.raises(UnknownContextError):
        canonicalize(document)


def test_loader_returns_copies_that_callers_cannot_corrupt():
    first = document_loader("https://www.w3.org/ns/credentials/v2")["document"]
    first["@context"]["id"] = "corrupted"
    second = document_loader("https://www.w3.org/ns/credentials/v2")["document"]
    assert second["@context"]["id"] == "@id"


def test_shipped_contexts_process_with_pyld():
    for context in SHIPPED_CONTEXTS:
        document = {"@context": context.url}
        assert jsonld.expand(document, {"documentLoader": document_loader}) == []
