"""Did every co-awarding institution attest the credential? Each institution the achievement
names as an awarding body (other than the issuer) must have signed an embedded Open Badges 3.0
``EndorsementCredential`` of exactly this credential (docs/decisions/joint-credentials-as-endorsements.md).
Credentials issued before endorsements carry the partners' co-signatures as extra proofs
instead; those still count, and the credential is reported as legacy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from credential_format.contexts import OfflineDocumentLoader, digest_multibase
from credential_format.endorsements import endorsed_content
from credential_format.errors import CredentialFormatError
from credential_format.jsonld import canonicalize
from credential_format.signing import proofs_of
from credential_format.verification.proofs import controller_of
from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.values import as_list, issuer_id

# More endorsements than any alliance has partners is an attempt to exhaust the verifier.
MAX_ENDORSEMENTS = 32

NestedVerifier = Callable[[dict[str, Any]], VerificationReport]


def awarding_body_ids(document: dict[str, Any]) -> list[str]:
    """The awarding bodies the credential's achievements name, in order, without repeats."""
    found: list[str] = []
    for subject in as_list(document.get("credentialSubject")):
        achievement = subject.get("achievement") if isinstance(subject, dict) else None
        if not isinstance(achievement, dict):
            continue
        for body in as_list(achievement.get("awardingBody")):
            body_id = body.get("id") if isinstance(body, dict) else body
            if isinstance(body_id, str) and body_id not in found:
                found.append(body_id)
    return found


def _endorsement_subject_ids(endorsement: dict[str, Any]) -> list[Any]:
    return [
        s.get("id") if isinstance(s, dict) else s
        for s in as_list(endorsement.get("credentialSubject"))
    ]


def _pinned_digests(endorsement: dict[str, Any], credential_id: Any) -> list[Any]:
    return [
        entry.get("digestMultibase")
        for entry in as_list(endorsement.get("relatedResource"))
        if isinstance(entry, dict) and entry.get("id") == credential_id
    ]


def check_endorsements(
    document: dict[str, Any],
    report: VerificationReport,
    loader: OfflineDocumentLoader,
    verify_nested: NestedVerifier,
) -> None:
    issuer = issuer_id(document)
    credential_id = document.get("id")
    partners = [body for body in awarding_body_ids(document) if body != issuer]
    endorsements = as_list(document.get("endorsement"))
    if len(endorsements) > MAX_ENDORSEMENTS:
        report.add(
            "endorsement",
            Outcome.FAILED,
            f"The credential carries more than {MAX_ENDORSEMENTS} endorsements.",
            "DOCUMENT_TOO_LARGE",
        )
        return
    attested: dict[str, str] = {}
    content_digest: str | None = None
    for index, endorsement in enumerate(endorsements):
        check_id = f"endorsement[{index}]"
        if not isinstance(endorsement, dict) or "EndorsementCredential" not in as_list(
            endorsement.get("type")
        ):
            report.add(
                check_id,
                Outcome.FAILED,
                "An endorsement is not an EndorsementCredential, so it attests nothing.",
                "ENDORSEMENT_INVALID",
            )
            continue
        endorser = issuer_id(endorsement)
        nested = verify_nested(endorsement)
        if not nested.verified:
            first = nested.errors[0].reason if nested.errors else ""
            report.add(
                check_id,
                Outcome.FAILED,
                f"The endorsement by {endorser} does not verify: {first}",
                "ENDORSEMENT_INVALID",
                endorser=endorser,
            )
            continue
        if _endorsement_subject_ids(endorsement) != [credential_id]:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The endorsement by {endorser} endorses another credential, not this one.",
                "ENDORSEMENT_SUBJECT_MISMATCH",
                endorser=endorser,
            )
            continue
        if content_digest is None:
            try:
                nquads = canonicalize(endorsed_content(document), loader=loader)
            except CredentialFormatError as error:
                report.add(check_id, Outcome.FAILED, str(error), error.code, endorser=endorser)
                return
            content_digest = digest_multibase(nquads.encode("utf-8"))
        if _pinned_digests(endorsement, credential_id) != [content_digest]:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The endorsement by {endorser} was made for different content: the credential "
                "was changed after it was endorsed.",
                "ENDORSEMENT_CONTENT_MISMATCH",
                endorser=endorser,
            )
            continue
        if endorser not in partners:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The endorsement is signed by {endorser}, which the credential does not name as a "
                "co-awarding institution.",
                "ENDORSER_NOT_AWARDING_BODY",
                endorser=endorser,
            )
            continue
        assert endorser is not None
        attested[endorser] = "endorsement"
        report.verified_methods.extend(nested.verified_methods)
        report.add(
            check_id,
            Outcome.PASSED,
            f"{endorser} endorsed this credential as a co-awarding institution.",
            endorser=endorser,
        )
    co_signers = {
        controller_of(method)
        for method in report.verified_methods
        if controller_of(method) != issuer and controller_of(method) not in attested
    }
    legacy = [
        controller_of(proof["verificationMethod"])
        for proof in proofs_of(document)
        if isinstance(proof, dict)
        and isinstance(proof.get("verificationMethod"), str)
        and controller_of(proof["verificationMethod"]) != issuer
    ]
    if legacy:
        report.add(
            "joint-shape",
            Outcome.WARNING,
            "This joint credential was issued in the earlier shape, with the co-awarding "
            "institutions' signatures as extra proofs instead of endorsements; they were checked "
            "and still count.",
            "LEGACY_CO_SIGNATURES",
        )
    for index, partner in enumerate(partners):
        how = attested.get(partner) or ("co-signature" if partner in co_signers else None)
        if how is None:
            # The issuer's own signature still holds; what is missing is the partner's word.
            report.add(
                f"awarding-body[{index}]",
                Outcome.WARNING,
                f"The credential names {partner} as a co-awarding institution, but {partner} "
                "has not attested it.",
                "AWARDING_BODY_NOT_ATTESTED",
                awardingBody=partner,
            )
        else:
            report.add(
                f"awarding-body[{index}]",
                Outcome.PASSED,
                f"{partner} attested this credential ({how}).",
                awardingBody=partner,
                attestation=how,
            )
