"""Data Integrity proofs: ``eddsa-rdfc-2022`` (create and verify) and legacy
``Ed25519Signature2020`` (verify only).

Proof creation goes only through a :class:`Signer`, so the in-memory Ed25519 signer can be
replaced by an HSM or KMS backend without touching proof logic.

Proof sets: a document may carry several proofs (``proof`` is then a list), e.g. one per
awarding institution of a joint programme. Each proof signs the document *without* any ``proof``
property, so the proofs are independent: they can be added in any order and each verifies on its
own. The portal makes no proof *chains* (``previousProof``); the verifier checks those of
others (:mod:`credential_format.verification.proofs`).
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credential_format.contexts import (
    CREDENTIALS_V2_URL,
    DATA_INTEGRITY_V2_URL,
    OfflineDocumentLoader,
    document_loader,
)
from credential_format.errors import (
    CredentialFormatError,
    KeyFormatError,
    ProofGenerationError,
    ProofVerificationError,
)
from credential_format.jsonld import canonicalize
from credential_format.keys import (
    decode_base58btc_multibase,
    did_key_verification_method,
    encode_base58btc_multibase,
    private_key_from_seed,
)

DATA_INTEGRITY_PROOF = "DataIntegrityProof"
EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
ED25519_SIGNATURE_2020 = "Ed25519Signature2020"

_DATE_TIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


@runtime_checkable
class Signer(Protocol):
    """Signs the 64 bytes of hash data of one proof with the key ``verification_method`` names."""

    @property
    def verification_method(self) -> str: ...

    def sign(self, data: bytes) -> bytes: ...


class Ed25519Signer:
    """An in-memory Ed25519 signer (keys unwrapped from the database, or test keys)."""

    def __init__(self, private_key: Ed25519PrivateKey, verification_method: str | None = None):
        self._private_key = private_key
        self._verification_method = verification_method or did_key_verification_method(private_key)

    @classmethod
    def from_seed(cls, seed: bytes, verification_method: str | None = None) -> Ed25519Signer:
        return cls(private_key_from_seed(seed), verification_method)

    @property
    def verification_method(self) -> str:
        return self._verification_method

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self._private_key.public_key()

    def sign(self, data: bytes) -> bytes:
        return self._private_key.sign(data)

    def __repr__(self) -> str:
        return f"Ed25519Signer(verification_method={self._verification_method!r})"


def format_created(moment: datetime | None = None) -> str:
    """An XML Schema dateTimeStamp in UTC with second precision, e.g. 2025-01-31T12:00:00Z."""
    moment = moment or datetime.now(UTC)
    if moment.tzinfo is None:
        raise ProofGenerationError("The proof creation time must carry a time zone.")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def proofs_of(document: dict[str, Any]) -> list[Any]:
    proof = document.get("proof")
    if proof is None:
        return []
    return list(proof) if isinstance(proof, list) else [proof]


def unsecured_document(document: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in document.items() if key != "proof"}


def _hash_data(
    unsecured: dict[str, Any],
    proof_options: dict[str, Any],
    loader: OfflineDocumentLoader,
    document_nquads: str | None = None,
) -> bytes:
    proof_config = dict(proof_options)
    proof_config["@context"] = unsecured.get("@context")
    proof_hash = hashlib.sha256(canonicalize(proof_config, loader=loader).encode("utf-8"))
    if document_nquads is None:
        document_nquads = canonicalize(unsecured, loader=loader)
    document_hash = hashlib.sha256(document_nquads.encode("utf-8"))
    return proof_hash.digest() + document_hash.digest()


def _proof_options(signer: Signer, created: str | None, proof_purpose: str) -> dict[str, Any]:
    options: dict[str, Any] = {"type": DATA_INTEGRITY_PROOF, "cryptosuite": EDDSA_RDFC_2022}
    if created is not None:
        if not _DATE_TIME.match(created):
            raise ProofGenerationError(f"created {created!r} is not an XML Schema dateTime.")
        options["created"] = created
    options["verificationMethod"] = signer.verification_method
    options["proofPurpose"] = proof_purpose
    return options


def with_suite_context(document: dict[str, Any]) -> dict[str, Any]:
    """The document, with the Data Integrity context appended when no context defines the proof
    terms (VC 1.1 documents), as the Data Integrity specification and jsonld-signatures do."""
    contexts = document["@context"]
    context_list = contexts if isinstance(contexts, list) else [contexts]
    if CREDENTIALS_V2_URL in context_list or DATA_INTEGRITY_V2_URL in context_list:
        return document
    return {**document, "@context": [*context_list, DATA_INTEGRITY_V2_URL]}


def copy_json(value: Any) -> Any:
    """A deep copy of a JSON tree (dicts, lists, scalars); several times faster than deepcopy."""
    kind = type(value)
    if kind is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if kind is list:
        return [copy_json(item) for item in value]
    if kind in (str, int, float, bool) or value is None:
        return value
    return copy.deepcopy(value)


def _with_proof(document: dict[str, Any], proof: dict[str, Any]) -> dict[str, Any]:
    signed: dict[str, Any] = copy_json(document)
    existing = signed.get("proof")
    if existing is None:
        signed["proof"] = proof
    else:
        signed["proof"] = [*(existing if isinstance(existing, list) else [existing]), proof]
    return signed


def with_proof_list(document: dict[str, Any]) -> dict[str, Any]:
    """The document with its proof written as a list (a one-proof set), as the Open Badges 3.0
    JSON Schema requires; what the proof signs does not change."""
    proof = document.get("proof")
    if proof is None or isinstance(proof, list):
        return document
    return {**document, "proof": [proof]}


def add_proof(
    document: dict[str, Any],
    signer: Signer,
    *,
    created: str | datetime | None = None,
    proof_purpose: str = "assertionMethod",
    loader: OfflineDocumentLoader = document_loader,
) -> dict[str, Any]:
    """Return a copy of ``document`` with an ``eddsa-rdfc-2022`` proof added to its proof set.

    ``created`` defaults to now; pass a string to reproduce a given proof exactly.
    """
    if not isinstance(document, dict) or "@context" not in document:
        raise ProofGenerationError("Only a JSON-LD object with an @context can be signed.")
    document = with_suite_context(document)
    created_text = created if isinstance(created, str) else format_created(created)
    options = _proof_options(signer, created_text, proof_purpose)
    try:
        hash_data = _hash_data(unsecured_document(document), options, loader)
    except CredentialFormatError as error:
        raise ProofGenerationError(str(error), code=error.code) from error
    proof = {**options, "proofValue": encode_base58btc_multibase(signer.sign(hash_data))}
    return _with_proof(document, proof)


def sign_credentials(
    documents: Iterable[dict[str, Any]],
    signer: Signer,
    *,
    created: str | datetime | None = None,
    proof_purpose: str = "assertionMethod",
    loader: OfflineDocumentLoader = document_loader,
) -> list[dict[str, Any]]:
    """Sign many documents with one signer (the issuance worker's batch path).

    All proofs share one ``created`` time, so the proof configuration is canonicalised once per
    distinct ``@context`` instead of once per document. For speed, each returned document is a new
    top-level object whose nested values are shared with the input document (not copied):
    serialise or store the result, and do not mutate the inputs while the results are in use.
    """
    created_text = created if isinstance(created, str) else format_created(created)
    options = _proof_options(signer, created_text, proof_purpose)
    proof_hashes: dict[str, bytes] = {}
    signed = []
    for document in documents:
        if not isinstance(document, dict) or "@context" not in document:
            raise ProofGenerationError("Only a JSON-LD object with an @context can be signed.")
        document = with_suite_context(document)
        unsecured = unsecured_document(document)
        context_key = repr(unsecured["@context"])
        try:
            proof_hash = proof_hashes.get(context_key)
            if proof_hash is None:
                proof_config = {**options, "@context": unsecured["@context"]}
                proof_hash = hashlib.sha256(
                    canonicalize(proof_config, loader=loader).encode("utf-8")
                ).digest()
                proof_hashes[context_key] = proof_hash
            document_hash = hashlib.sha256(
                canonicalize(unsecured, loader=loader).encode("utf-8")
            ).digest()
        except CredentialFormatError as error:
            raise ProofGenerationError(str(error), code=error.code) from error
        proof_value = encode_base58btc_multibase(signer.sign(proof_hash + document_hash))
        proof = {**options, "proofValue": proof_value}
        existing = proofs_of(document)
        signed.append({**document, "proof": [*existing, proof] if existing else proof})
    return signed


def verify_proof(
    document: dict[str, Any],
    proof: dict[str, Any],
    public_key: Ed25519PublicKey,
    *,
    expected_proof_purpose: str = "assertionMethod",
    loader: OfflineDocumentLoader = document_loader,
    document_nquads: str | None = None,
) -> None:
    """Check one proof of ``document`` against ``public_key``; raises ProofVerificationError.

    Supports ``DataIntegrityProof``/``eddsa-rdfc-2022`` and ``Ed25519Signature2020``. Whether the
    key belongs to the issuer is a separate check (see :mod:`credential_format.verification`).
    ``document_nquads``, when the caller already has them, are the canonical N-Quads of the
    document without its proofs (they are computed otherwise).
    """
    check_proof_shape(proof, expected_proof_purpose=expected_proof_purpose)
    try:
        signature = decode_base58btc_multibase(proof["proofValue"])
    except KeyFormatError as error:
        raise ProofVerificationError("The proofValue is not multibase base58btc.") from error
    if len(signature) != 64:
        raise ProofVerificationError("The proofValue is not a 64-byte Ed25519 signature.")
    options = {key: value for key, value in proof.items() if key != "proofValue"}
    options.pop("@context", None)
    try:
        hash_data = _hash_data(unsecured_document(document), options, loader, document_nquads)
    except CredentialFormatError as error:
        raise ProofVerificationError(str(error), code=error.code) from error
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        raise ProofVerificationError(
            "The signature does not match: the credential was changed after it was signed, or "
            "it was signed with a different key."
        ) from None


def verify_last_proofs(
    documents: Iterable[dict[str, Any]],
    public_key: Ed25519PublicKey,
    *,
    expected_proof_purpose: str = "assertionMethod",
    loader: OfflineDocumentLoader = document_loader,
) -> list[ProofVerificationError | None]:
    """Check the last proof of each document against one key (the issuer's self-check after
    a batch): the same checks as :func:`verify_proof`, with each distinct proof configuration
    canonicalised once. Returns, per document, None or the error."""
    proof_hashes: dict[str, bytes] = {}
    outcomes: list[ProofVerificationError | None] = []
    for document in documents:
        try:
            proof = proofs_of(document)[-1]
            check_proof_shape(proof, expected_proof_purpose=expected_proof_purpose)
            signature = decode_base58btc_multibase(proof["proofValue"])
            options = {
                key: value for key, value in proof.items() if key not in ("proofValue", "@context")
            }
            unsecured = unsecured_document(document)
            config_key = repr((unsecured.get("@context"), sorted(options.items())))
            proof_hash = proof_hashes.get(config_key)
            if proof_hash is None:
                proof_config = {**options, "@context": unsecured.get("@context")}
                proof_hash = hashlib.sha256(
                    canonicalize(proof_config, loader=loader).encode("utf-8")
                ).digest()
                proof_hashes[config_key] = proof_hash
            document_hash = hashlib.sha256(
                canonicalize(unsecured, loader=loader).encode("utf-8")
            ).digest()
            public_key.verify(signature, proof_hash + document_hash)
        except IndexError:
            outcomes.append(ProofVerificationError("The document has no proof."))
        except ProofVerificationError as error:
            outcomes.append(error)
        except (KeyFormatError, CredentialFormatError) as error:
            outcomes.append(ProofVerificationError(str(error), code=error.code))
        except InvalidSignature:
            outcomes.append(
                ProofVerificationError(
                    "The signature does not match: the credential was changed after it was "
                    "signed, or it was signed with a different key."
                )
            )
        else:
            outcomes.append(None)
    return outcomes


def check_proof_shape(proof: Any, *, expected_proof_purpose: str = "assertionMethod") -> None:
    """The structural checks the Data Integrity verification algorithm makes before hashing."""
    if not isinstance(proof, dict):
        raise ProofVerificationError("The proof is not a JSON object.", code="PARSING_ERROR")
    proof_type = proof.get("type")
    if proof_type == DATA_INTEGRITY_PROOF:
        if proof.get("cryptosuite") != EDDSA_RDFC_2022:
            raise ProofVerificationError(
                f"The cryptosuite {proof.get('cryptosuite')!r} is not supported; only "
                "eddsa-rdfc-2022 is.",
                code="PROOF_TRANSFORMATION_ERROR",
            )
    elif proof_type != ED25519_SIGNATURE_2020:
        raise ProofVerificationError(f"The proof type {proof_type!r} is not supported.")
    for required in ("verificationMethod", "proofPurpose", "proofValue"):
        if not isinstance(proof.get(required), str):
            raise ProofVerificationError(f"The proof has no {required}.")
    if proof["proofPurpose"] != expected_proof_purpose:
        raise ProofVerificationError(
            f"The proof purpose is {proof['proofPurpose']!r}, expected {expected_proof_purpose!r}."
        )
    created = proof.get("created")
    if created is not None and (not isinstance(created, str) or not _DATE_TIME.match(created)):
        raise ProofVerificationError("The proof's created value is not an XML Schema dateTime.")
