"""Who signed it? Each proof is checked against a key its controller publishes (did:key, did:web
or an https controller document), and one valid proof must come from the issuer (or, for a
presentation, the holder).

Proof sets and chains are verified as the Data Integrity specification says ("Verify Proof Sets
and Chains"): a proof naming earlier proofs in ``previousProof`` signed the document *with*
those proofs in it, so it is checked against the document carrying exactly them; a
``previousProof`` naming no proof of the document fails that proof. Each proof is reported as
its own check."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from credential_format.contexts import OfflineDocumentLoader
from credential_format.errors import CredentialFormatError, ProofVerificationError
from credential_format.jsonld import canonicalize
from credential_format.keys import (
    did_web_document_url,
    find_verification_method,
    public_key_from_verification_method,
    resolve_did_key,
)
from credential_format.signing import (
    check_proof_shape,
    proofs_of,
    unsecured_document,
    verify_proof,
)
from credential_format.verification.budget import out_of_time
from credential_format.verification.fetchers import Fetcher, FetchError
from credential_format.verification.limits import MAX_PROOFS
from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.values import parse_datetime

# A proof dated later than now plus this was not made yet: a forged or misconfigured clock.
PROOF_CLOCK_SKEW = timedelta(minutes=5)


def controller_of(verification_method_id: str) -> str:
    return verification_method_id.split("#", 1)[0]


def resolve_controller_document(controller: str, fetcher: Fetcher) -> dict[str, Any]:
    """The DID document or controller document that defines keys for ``controller``."""
    if controller.startswith("did:key:"):
        return resolve_did_key(controller)
    if controller.startswith("did:web:"):
        document = fetcher.fetch_json(did_web_document_url(controller))
    elif controller.startswith("https://"):
        document = fetcher.fetch_json(controller)
    else:
        raise CredentialFormatError(
            f"Keys of {controller} cannot be looked up: only did:key, did:web and https "
            "controller documents are supported."
        )
    if not isinstance(document, dict) or document.get("id") != controller:
        raise CredentialFormatError(
            f"The document published for {controller} does not describe {controller}."
        )
    return document


def previous_proofs(proof: dict[str, Any], all_proofs: list[Any]) -> list[dict[str, Any]]:
    """The proofs ``proof`` chains to through ``previousProof`` (a string or a list of strings
    naming proof ids), in the order it names them; empty for a proof that starts a chain."""
    if "previousProof" not in proof:
        return []
    named = proof["previousProof"]
    ids = named if isinstance(named, list) else [named]
    if not ids or not all(isinstance(proof_id, str) for proof_id in ids):
        raise ProofVerificationError(
            "The proof's previousProof is not a proof id or a list of proof ids.",
            code="PROOF_VERIFICATION_ERROR",
        )
    by_id = {
        other["id"]: other
        for other in all_proofs
        if isinstance(other, dict) and isinstance(other.get("id"), str)
    }
    missing = [proof_id for proof_id in ids if proof_id not in by_id]
    if missing:
        raise ProofVerificationError(
            f"The proof follows {', '.join(missing)}, which the credential does not carry: a "
            "proof of the chain was removed.",
            code="PROOF_VERIFICATION_ERROR",
        )
    return [by_id[proof_id] for proof_id in ids]


def _chained_input(document: dict[str, Any], chained_to: list[dict[str, Any]]) -> dict[str, Any]:
    """The document as the chained proof signed it: without proofs, plus the ones it follows
    (with their proof values, in the proof graph, as the specification's chain example
    signs them)."""
    unsecured = unsecured_document(document)
    unsecured["proof"] = chained_to[0] if len(chained_to) == 1 else chained_to
    return unsecured


def check_proofs(
    document: dict[str, Any],
    report: VerificationReport,
    fetcher: Fetcher,
    loader: OfflineDocumentLoader,
    *,
    now: datetime,
    purpose: str,
    required_controller: str | None,
    document_nquads: str | None = None,
) -> None:
    proofs = proofs_of(document)
    if not proofs:
        report.add(
            "proof",
            Outcome.FAILED,
            "The credential carries no proof, so nothing shows who issued it. Ask the issuer for "
            "a signed copy.",
            "PROOF_MISSING",
        )
        return
    if len(proofs) > MAX_PROOFS:
        report.add("proof", Outcome.FAILED, f"More than {MAX_PROOFS} proofs.", "DOCUMENT_TOO_LARGE")
        return
    controllers_with_valid_proof = set()
    for index, proof in enumerate(proofs):
        if out_of_time(report):
            return
        check_id = f"proof[{index}]"
        method_id = proof.get("verificationMethod") if isinstance(proof, dict) else None
        try:
            check_proof_shape(proof, expected_proof_purpose=purpose)
            chained_to = previous_proofs(proof, proofs)
            assert isinstance(method_id, str)
            controller = controller_of(method_id)
            controller_document = resolve_controller_document(controller, fetcher)
            method = find_verification_method(controller_document, method_id, purpose)
            public_key = public_key_from_verification_method(method)
        except FetchError as error:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The signing key {method_id} could not be looked up ({error}). Try again later; "
                "if it persists, the issuer's key publication is unavailable.",
                "KEY_UNREACHABLE",
                verificationMethod=method_id,
            )
            continue
        except CredentialFormatError as error:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The proof cannot be checked: {error}",
                error.code,
                verificationMethod=method_id,
            )
            continue
        try:
            verify_proof(
                document,
                proof,
                public_key,
                expected_proof_purpose=purpose,
                loader=loader,
                document_nquads=(
                    canonicalize(_chained_input(document, chained_to), loader=loader)
                    if chained_to
                    else document_nquads
                ),
            )
        except CredentialFormatError as error:
            report.add(
                check_id,
                Outcome.FAILED,
                f"{error} Do not rely on this credential; ask the holder for the original.",
                error.code,
                verificationMethod=method_id,
            )
            continue
        created = parse_datetime(proof.get("created"))
        if created is not None and created > now + PROOF_CLOCK_SKEW:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The proof says it was made on {proof['created']}, which is in the future. "
                "Do not rely on this credential; ask the holder for the original.",
                "PROOF_CREATED_IN_FUTURE",
                verificationMethod=method_id,
                created=str(proof["created"]),
            )
            continue
        controllers_with_valid_proof.add(controller)
        report.verified_methods.append(method_id)
        report.add(
            check_id,
            Outcome.PASSED,
            f"The signature by {method_id} is valid and the key is authorised by {controller} "
            f"({purpose}).",
            verificationMethod=method_id,
            controller=controller,
            proofType=proof.get("type"),
            **({"previousProof": proof["previousProof"]} if chained_to else {}),
        )
    if required_controller is not None:
        if required_controller in controllers_with_valid_proof:
            report.add(
                "issuer-key",
                Outcome.PASSED,
                "A valid proof was made with a key controlled by the issuer "
                f"{required_controller}.",
                issuer=required_controller,
            )
        else:
            report.add(
                "issuer-key",
                Outcome.FAILED,
                f"No valid proof was made with a key controlled by the issuer "
                f"{required_controller}; the credential may have been issued by someone else in "
                "the issuer's name.",
                "ISSUER_KEY_MISMATCH",
                issuer=required_controller,
            )
