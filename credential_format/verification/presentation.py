"""Verifying a presentation (a learner's bundle): its holder's proof if any, bound to the
request's challenge and domain, and each credential it holds, all in one time budget."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from credential_format.contexts import (
    CREDENTIALS_V1_URL,
    CREDENTIALS_V2_URL,
    OfflineDocumentLoader,
    document_loader,
)
from credential_format.errors import CredentialFormatError
from credential_format.signed_view import is_plain
from credential_format.signing import proofs_of
from credential_format.verification.budget import (
    FETCH_BUDGET_SECONDS,
    VERIFICATION_BUDGET_SECONDS,
    BudgetedFetcher,
    verification_budget,
)
from credential_format.verification.credential import add_unexpected_failure, verify_credential
from credential_format.verification.document import check_contexts, check_plain_form, check_terms
from credential_format.verification.fetchers import Fetcher
from credential_format.verification.limits import (
    MAX_PRESENTED_CREDENTIALS,
    check_document_limits,
    parse_json_document,
)
from credential_format.verification.proofs import check_proofs
from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.values import as_list


def verify_presentation(
    presentation: dict[str, Any] | str | bytes,
    *,
    fetcher: Fetcher,
    now: datetime | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    loader: OfflineDocumentLoader = document_loader,
    fetch_budget_seconds: float = FETCH_BUDGET_SECONDS,
    time_budget_seconds: float = VERIFICATION_BUDGET_SECONDS,
) -> VerificationReport:
    """Verify a presentation (a learner's bundle): its own proof if any, and each credential.

    Never raises; all its credentials share one fetch budget and one time cap."""
    report = VerificationReport()
    with verification_budget(fetch_budget_seconds, time_budget_seconds) as budget:
        try:
            _verify_presentation(
                presentation,
                report,
                fetcher=BudgetedFetcher(fetcher, budget),
                now=now or datetime.now(UTC),
                challenge=challenge,
                domain=domain,
                loader=loader,
            )
        except Exception as error:  # every input gets a report, never a crash
            add_unexpected_failure(report, error)
    return report


def _verify_presentation(
    presentation: dict[str, Any] | str | bytes,
    report: VerificationReport,
    *,
    fetcher: Fetcher,
    now: datetime,
    challenge: str | None,
    domain: str | None,
    loader: OfflineDocumentLoader,
) -> VerificationReport:
    try:
        if isinstance(presentation, str | bytes):
            presentation = parse_json_document(presentation)
        else:
            check_document_limits(presentation)
    except CredentialFormatError as error:
        report.add("parse", Outcome.FAILED, str(error), error.code)
        return report
    if not isinstance(presentation, dict) or "VerifiablePresentation" not in as_list(
        presentation.get("type")
    ):
        report.add(
            "shape", Outcome.FAILED, "This is not a verifiable presentation.", "PARSING_ERROR"
        )
        return report
    if as_list(presentation.get("@context"))[:1] not in (
        [CREDENTIALS_V2_URL],
        [CREDENTIALS_V1_URL],
    ):
        report.add(
            "shape",
            Outcome.FAILED,
            "This is not a verifiable presentation: its first @context is not the W3C "
            "Verifiable Credentials v2 (or v1.1) context.",
            "PARSING_ERROR",
        )
        return report
    report.add("parse", Outcome.PASSED, "The presentation is a JSON object within the limits.")
    report.credential_id = (
        presentation.get("id") if isinstance(presentation.get("id"), str) else None
    )
    holder = presentation.get("holder")
    report.issuer = holder if isinstance(holder, str) else (holder or {}).get("id")
    credentials = as_list(presentation.get("verifiableCredential"))
    if len(credentials) > MAX_PRESENTED_CREDENTIALS:
        report.add(
            "shape",
            Outcome.FAILED,
            "The presentation holds too many credentials.",
            "DOCUMENT_TOO_LARGE",
        )
        return report
    report.add(
        "shape",
        Outcome.PASSED,
        f"The presentation holds {len(credentials)} credential(s).",
        count=len(credentials),
    )
    if not check_contexts(presentation, report, loader):
        return report
    if not is_plain(presentation):
        check_plain_form(presentation, report, None)
        return report
    if check_terms(presentation, report, loader) is None:
        return report
    proofs = proofs_of(presentation)
    if not proofs:
        report.add(
            "holder-proof",
            Outcome.WARNING,
            "The presentation is not signed by its holder, so it does not show that the person "
            "sharing it is the learner. The credentials themselves are checked below.",
            "UNSIGNED_PRESENTATION",
        )
    else:
        for proof in proofs:
            if not isinstance(proof, dict):
                report.add(
                    "holder-proof",
                    Outcome.FAILED,
                    "The presentation's proof is not a JSON object.",
                    "PARSING_ERROR",
                )
                return report
            if challenge is not None and proof.get("challenge") != challenge:
                report.add(
                    "holder-proof",
                    Outcome.FAILED,
                    "The presentation was made for another request (challenge mismatch).",
                    "CHALLENGE_MISMATCH",
                )
                return report
            if domain is not None and proof.get("domain") != domain:
                report.add(
                    "holder-proof",
                    Outcome.FAILED,
                    "The presentation was made for another site (domain mismatch).",
                    "DOMAIN_MISMATCH",
                )
                return report
        check_proofs(
            presentation,
            report,
            fetcher,
            loader,
            now=now,
            purpose="authentication",
            required_controller=report.issuer if isinstance(report.issuer, str) else None,
        )
    for credential in credentials:
        report.credentials.append(
            verify_credential(credential, fetcher=fetcher, now=now, loader=loader)
        )
    return report
