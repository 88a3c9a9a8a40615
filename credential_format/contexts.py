"""The JSON-LD contexts shipped with the package and the offline document loader that serves them.

Nothing here touches the network: a context URL outside the allow-list raises
:class:`UnknownContextError`. The allow-list and the SHA-256 of each file are in
``contexts/manifest.json``; the digests are checked when this module is imported, so a modified
context file fails loudly instead of silently changing what signatures mean.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from cachetools import LRUCache
from pyld.context_resolver import ContextResolver

from credential_format.errors import CredentialFormatError, UnknownContextError

CREDENTIALS_V2_URL = "https://www.w3.org/ns/credentials/v2"
CREDENTIALS_V1_URL = "https://www.w3.org/2018/credentials/v1"
DATA_INTEGRITY_V2_URL = "https://w3id.org/security/data-integrity/v2"
MULTIKEY_V1_URL = "https://w3id.org/security/multikey/v1"
DID_V1_URL = "https://www.w3.org/ns/did/v1"
ED25519_2020_URL = "https://w3id.org/security/suites/ed25519-2020/v1"
OPEN_BADGES_V3_URL = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
MICROCREDENTIAL_V1_URL = "https://w3id.org/alliance-credentials/contexts/microcredential/v1"
MICROCREDENTIAL_V2_URL = "https://w3id.org/alliance-credentials/contexts/microcredential/v2"
PORTAL_VOCABULARY = "https://w3id.org/alliance-credentials/vocab#"
# Paths of the micro-credential contexts under a deployment's context base URL.
MICROCREDENTIAL_V1_PATH = "microcredential/v1"
MICROCREDENTIAL_V2_PATH = "microcredential/v2"
# The version new credentials reference; earlier versions stay shipped and served unchanged,
# since the credentials that reference them pin their bytes.
MICROCREDENTIAL_CONTEXT_URL = MICROCREDENTIAL_V2_URL
MICROCREDENTIAL_CONTEXT_PATH = MICROCREDENTIAL_V2_PATH
# Every authored context: canonical URL -> path under a deployment's context base URL.
AUTHORED_CONTEXT_PATHS: dict[str, str] = {
    MICROCREDENTIAL_V1_URL: MICROCREDENTIAL_V1_PATH,
    MICROCREDENTIAL_V2_URL: MICROCREDENTIAL_V2_PATH,
}

# pyld keeps processed contexts in this cache; a bounded size keeps long-lived workers warm
# without growing without limit.
_RESOLVED_CONTEXT_CACHE_SIZE = 256


@dataclass(frozen=True)
class ShippedContext:
    url: str
    file: str
    sha256: str
    published_sha256: str | None
    provenance: str


def _read_manifest() -> list[ShippedContext]:
    folder = resources.files("credential_format") / "contexts"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    shipped = []
    for entry in manifest["contexts"]:
        if "npm_package" in entry:
            provenance = (
                f"npm {entry['npm_package']}@{entry['npm_version']} {entry['path_in_package']}"
            )
        else:
            provenance = entry["origin"]
        shipped.append(
            ShippedContext(
                url=entry["url"],
                file=entry["file"],
                sha256=entry["sha256"],
                published_sha256=entry.get("published_sha256"),
                provenance=provenance,
            )
        )
    return shipped


def _read_context_files(shipped: list[ShippedContext]) -> dict[str, bytes]:
    folder = resources.files("credential_format") / "contexts"
    files: dict[str, bytes] = {}
    for context in shipped:
        raw = (folder / context.file).read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != context.sha256:
            raise CredentialFormatError(
                f"The shipped context file {context.file} does not match the SHA-256 recorded in "
                "contexts/manifest.json; reinstall the package."
            )
        files[context.url] = raw
    return files


SHIPPED_CONTEXTS: tuple[ShippedContext, ...] = tuple(_read_manifest())
_SHIPPED_FILES: dict[str, bytes] = _read_context_files(list(SHIPPED_CONTEXTS))
_SHIPPED_DOCUMENTS: dict[str, Any] = {url: json.loads(raw) for url, raw in _SHIPPED_FILES.items()}


def digest_multibase(data: bytes) -> str:
    """VC 2.0 ``digestMultibase`` of some bytes: ``u`` + base64url (no padding) of the sha2-256
    multihash."""
    multihash = b"\x12\x20" + hashlib.sha256(data).digest()
    return "u" + base64.urlsafe_b64encode(multihash).rstrip(b"=").decode("ascii")


def authored_context_bytes(canonical_url: str = MICROCREDENTIAL_CONTEXT_URL) -> bytes:
    """The exact bytes of a context this project authors, as a deployment serves them."""
    return _SHIPPED_FILES[canonical_url]


AUTHORED_CONTEXT_DIGESTS: dict[str, str] = {
    digest_multibase(_SHIPPED_FILES[url]): url for url in AUTHORED_CONTEXT_PATHS
}
"""``digestMultibase`` of each authored context file -> the URL it is shipped under."""


def pinned_context_aliases(document: Mapping[str, Any]) -> dict[str, str]:
    """Context URLs a credential pins to an authored context by digest.

    A deployment may publish the micro-credential context at its own URL (see
    ``docs/credential-format.md``); its credentials then list ``{"id": <that URL>,
    "digestMultibase": <digest of the file>}`` in ``relatedResource``. A URL whose pinned digest
    equals the digest of a shipped authored file means exactly that file, whatever the URL, so it
    can be read offline. Returns alias URL -> shipped URL.
    """
    related = document.get("relatedResource")
    entries = related if isinstance(related, list) else [related]
    contexts = document.get("@context")
    context_urls = {
        url
        for url in (contexts if isinstance(contexts, list) else [contexts])
        if isinstance(url, str)
    }
    aliases: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        url, digest = entry.get("id"), entry.get("digestMultibase")
        if isinstance(url, str) and url in context_urls and digest in AUTHORED_CONTEXT_DIGESTS:
            aliases[url] = AUTHORED_CONTEXT_DIGESTS[str(digest)]
    return aliases


class OfflineDocumentLoader:
    """A pyld document loader that serves a fixed URL -> document map and nothing else.

    Each loader owns its own resolved-context cache: pyld's default cache is process-global and
    keyed by URL alone, so sharing it would let a context served by a test-only loader leak into
    the production loader.
    """

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self._documents = dict(documents)
        self._resolved_contexts: LRUCache[str, Any] = LRUCache(maxsize=_RESOLVED_CONTEXT_CACHE_SIZE)

    def new_context_resolver(self) -> ContextResolver:
        """A pyld context resolver for one operation, sharing this loader's bounded cache.

        pyld's per-operation cache grows with every inline context it meets, so it must not
        outlive the operation; the shared LRU keeps processed shipped contexts warm.
        """
        return ContextResolver(self._resolved_contexts, self)

    @property
    def urls(self) -> frozenset[str]:
        return frozenset(self._documents)

    def __call__(self, url: str, options: Any = None) -> dict[str, Any]:
        try:
            document = self._documents[url]
        except KeyError:
            raise UnknownContextError(
                f"The JSON-LD context {url} is not known to this verifier, so the document "
                "cannot be interpreted. Only the shipped, pinned contexts are used (no network "
                "access); ask the issuer to use standard contexts."
            ) from None
        # The "static" tag lets pyld share the processed context between operations: the
        # shipped files never change while the process runs.
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(document),
            "tag": "static",
        }

    def with_extra_contexts(self, extra: Mapping[str, Any]) -> OfflineDocumentLoader:
        """A new loader serving these contexts as well, e.g. test-only example contexts."""
        return OfflineDocumentLoader({**self._documents, **extra})

    def serve_shipped_context_at(self, urls: Iterable[str], canonical_url: str) -> None:
        """Serve a shipped context under further URLs as well (the same document).

        A deployment that publishes the micro-credential context at its own URL registers that
        URL once at start-up; an alias can only ever mean the pinned file, so registering it
        cannot change what any signature means.
        """
        document = self._documents[canonical_url]
        for url in urls:
            if url in self._documents and self._documents[url] is not document:
                raise CredentialFormatError(f"{url} already names another context.")
            self._documents[url] = document


document_loader = OfflineDocumentLoader(_SHIPPED_DOCUMENTS)
