"""Is the document a credential the checks can read? Its shape (VC 2.0 or 1.1), its JSON-LD
contexts (known and pinned), its terms (all defined), its plain form (what it shows is what was
signed) and the fields the VC and Open Badges 3.0 models require."""

from __future__ import annotations

from typing import Any

from credential_format.contexts import CREDENTIALS_V1_URL, CREDENTIALS_V2_URL, OfflineDocumentLoader
from credential_format.errors import CredentialFormatError
from credential_format.jsonld import canonicalize
from credential_format.signed_view import hidden_statements, unplain_keys
from credential_format.signing import unsecured_document
from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.values import as_list, issuer_id

OB_CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential")


def check_shape(document: dict[str, Any], report: VerificationReport) -> str | None:
    """The VC data model's structural requirements; returns the VC version ("2.0"/"1.1")."""
    contexts = as_list(document.get("@context"))
    version = {CREDENTIALS_V2_URL: "2.0", CREDENTIALS_V1_URL: "1.1"}.get(
        contexts[0] if contexts and isinstance(contexts[0], str) else ""
    )
    # Each problem by a stable name (the `problems` detail, for readers that translate) and
    # its English explanation.
    problems: dict[str, str] = {}
    if version is None:
        problems["context"] = (
            "its first @context is not the W3C Verifiable Credentials v2 (or v1.1) context"
        )
    if "VerifiableCredential" not in as_list(document.get("type")):
        problems["type"] = "its type does not include VerifiableCredential"
    if issuer_id(document) is None:
        problems["issuer"] = "it has no issuer id"
    subjects = as_list(document.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) for s in subjects):
        problems["credentialSubject"] = "it has no credentialSubject object"
    if problems:
        report.add(
            "shape",
            Outcome.FAILED,
            "This is not a verifiable credential: " + "; ".join(problems.values()) + ".",
            "PARSING_ERROR",
            problems=list(problems),
        )
        return None
    report.add(
        "shape",
        Outcome.PASSED,
        f"The document is a VC Data Model {version} credential.",
        version=version,
    )
    return version


def check_contexts(
    document: dict[str, Any], report: VerificationReport, loader: OfflineDocumentLoader
) -> bool:
    unknown = [
        c for c in as_list(document.get("@context")) if isinstance(c, str) and c not in loader.urls
    ]
    embedded = [c for c in as_list(document.get("@context")) if not isinstance(c, str)]
    if unknown:
        report.add(
            "contexts",
            Outcome.FAILED,
            "The credential uses JSON-LD contexts this verifier does not know ("
            + ", ".join(unknown)
            + "), so its meaning cannot be checked. Ask the issuer for a credential that uses "
            "standard contexts.",
            "UNKNOWN_CONTEXT",
            unknown=unknown,
        )
        return False
    if embedded:
        report.add(
            "contexts",
            Outcome.WARNING,
            "The credential embeds its own JSON-LD context; its terms were checked, but they are "
            "not a published standard.",
            "EMBEDDED_CONTEXT",
        )
    else:
        report.add("contexts", Outcome.PASSED, "All JSON-LD contexts are known and pinned.")
    return True


def check_terms(
    document: dict[str, Any], report: VerificationReport, loader: OfflineDocumentLoader
) -> str | None:
    """The canonical N-Quads of the document without its proof (what the proof signs), or None
    when the document cannot be interpreted safely."""
    try:
        nquads = canonicalize(unsecured_document(document), loader=loader)
    except CredentialFormatError as error:
        report.add(
            "terms",
            Outcome.FAILED,
            f"The credential cannot be interpreted safely: {error}",
            error.code,
        )
        return None
    report.add("terms", Outcome.PASSED, "Every property of the credential is defined.")
    return nquads


def check_plain_form(
    document: dict[str, Any], report: VerificationReport, nquads: str | None
) -> bool:
    """Verdicts are read from the plain keys, so those must say what was signed
    (credential_format.signed_view; docs/decisions/verdicts-from-the-signed-dataset.md)."""
    keys = [] if nquads is not None else unplain_keys(document)
    if keys:
        report.add(
            "signed-statements",
            Outcome.FAILED,
            "The credential is not in the plain form its vocabularies produce ("
            + ", ".join(keys[:8])
            + "): statements moved to such places would not be seen by the checks, so it is "
            "refused. Ask the issuer for the credential as it was issued.",
            "NOT_PLAIN_FORM",
            keys=keys[:8],
        )
        return False
    if nquads is None:
        return True
    hidden = hidden_statements(document, nquads)
    if hidden:
        report.add(
            "signed-statements",
            Outcome.FAILED,
            "What the credential shows does not match what was signed for: "
            + ", ".join(hidden)
            + ". It may hide its status or dates in another spelling, so it is refused. Ask "
            "the issuer for the credential as it was issued.",
            "HIDDEN_STATEMENTS",
            terms=hidden,
        )
        return False
    report.add(
        "signed-statements",
        Outcome.PASSED,
        "The checked statements (issuer, dates, status, subjects, types) are read from exactly "
        "what was signed.",
    )
    return True


def check_required_fields(
    document: dict[str, Any], report: VerificationReport, version: str | None
) -> None:
    missing: list[str] = []
    types = as_list(document.get("type"))
    if version == "1.1" and "issuanceDate" not in document:
        missing.append("issuanceDate")
    if any(t in types for t in OB_CREDENTIAL_TYPES):
        if not isinstance(document.get("id"), str):
            missing.append("id")
        if version == "2.0" and "validFrom" not in document:
            missing.append("validFrom")
        issuer = document.get("issuer")
        if isinstance(issuer, dict) and "Profile" not in as_list(issuer.get("type")):
            missing.append("issuer.type Profile")
        for subject in as_list(document.get("credentialSubject")):
            if not isinstance(subject, dict):
                continue
            if "AchievementSubject" not in as_list(subject.get("type")):
                missing.append("credentialSubject.type AchievementSubject")
            if "id" not in subject and not subject.get("identifier"):
                missing.append("credentialSubject.id or credentialSubject.identifier")
            achievement = subject.get("achievement")
            if not isinstance(achievement, dict):
                missing.append("credentialSubject.achievement")
                continue
            for name in ("id", "name", "description", "criteria"):
                if name not in achievement:
                    missing.append(f"credentialSubject.achievement.{name}")
            if "Achievement" not in as_list(achievement.get("type")):
                missing.append("credentialSubject.achievement.type Achievement")
    if missing:
        report.add(
            "required-fields",
            Outcome.FAILED,
            "Required fields are missing: " + ", ".join(missing) + ". The issuer's software "
            "produced an incomplete credential.",
            "MISSING_FIELDS",
            missing=missing,
        )
    else:
        kind = "Open Badges 3.0" if any(t in types for t in OB_CREDENTIAL_TYPES) else "VC"
        report.add("required-fields", Outcome.PASSED, f"All required {kind} fields are present.")
