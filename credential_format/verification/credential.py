"""Verifying one credential: parse it within the limits, then check its shape, contexts, terms,
plain form, required fields, validity period, proofs and status, in that order, inside one
time budget. Never raises: whatever goes wrong becomes a failed check."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from credential_format.contexts import (
    OfflineDocumentLoader,
    document_loader,
    pinned_context_aliases,
)
from credential_format.errors import CredentialFormatError
from credential_format.signed_view import is_plain
from credential_format.status_list import MINIMUM_ENTRIES
from credential_format.verification.budget import (
    FETCH_BUDGET_SECONDS,
    VERIFICATION_BUDGET_SECONDS,
    BudgetedFetcher,
    verification_budget,
)
from credential_format.verification.document import (
    check_contexts,
    check_plain_form,
    check_required_fields,
    check_shape,
    check_terms,
)
from credential_format.verification.endorsements import check_endorsements
from credential_format.verification.fetchers import Fetcher
from credential_format.verification.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_NESTING_DEPTH,
    check_document_limits,
    parse_json_document,
)
from credential_format.verification.proofs import check_proofs
from credential_format.verification.report import Outcome, VerificationReport
from credential_format.verification.status import check_credential_status
from credential_format.verification.validity import check_validity_period
from credential_format.verification.values import issuer_id


def verify_credential(
    document: dict[str, Any] | str | bytes,
    *,
    fetcher: Fetcher,
    now: datetime | None = None,
    loader: OfflineDocumentLoader = document_loader,
    check_status: bool = True,
    minimum_status_entries: int = MINIMUM_ENTRIES,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_depth: int = MAX_NESTING_DEPTH,
    fetch_budget_seconds: float = FETCH_BUDGET_SECONDS,
    time_budget_seconds: float = VERIFICATION_BUDGET_SECONDS,
) -> VerificationReport:
    """Verify a credential (a dict, or JSON text) and report every check.

    Never raises for any input: whatever goes wrong becomes a failed check. All fetches share
    ``fetch_budget_seconds`` and the whole verification stops its checks after
    ``time_budget_seconds`` (a nested verification, of a status list, shares the outer budget).
    """
    report = VerificationReport()
    with verification_budget(fetch_budget_seconds, time_budget_seconds) as budget:
        try:
            _verify_credential(
                document,
                report,
                fetcher=BudgetedFetcher(fetcher, budget),
                now=now or datetime.now(UTC),
                loader=loader,
                check_status=check_status,
                minimum_status_entries=minimum_status_entries,
                max_bytes=max_bytes,
                max_depth=max_depth,
            )
        except Exception as error:  # every input gets a report, never a crash
            add_unexpected_failure(report, error)
    return report


def add_unexpected_failure(report: VerificationReport, error: Exception) -> None:
    if isinstance(error, CredentialFormatError):
        report.add(
            "verifier",
            Outcome.FAILED,
            f"The document could not be checked: {error} Do not rely on it.",
            error.code,
        )
    else:
        report.add(
            "verifier",
            Outcome.FAILED,
            "The document could not be checked: it is malformed in a way this verifier cannot "
            "interpret. Do not rely on it.",
            "VERIFIER_ERROR",
            error=error.__class__.__name__,
        )


def _verify_credential(
    document: dict[str, Any] | str | bytes,
    report: VerificationReport,
    *,
    fetcher: Fetcher,
    now: datetime,
    loader: OfflineDocumentLoader,
    check_status: bool,
    minimum_status_entries: int,
    max_bytes: int,
    max_depth: int,
    nested: bool = False,
) -> None:
    try:
        if isinstance(document, str | bytes):
            document = parse_json_document(document, max_bytes=max_bytes, max_depth=max_depth)
        else:
            check_document_limits(document, max_bytes=max_bytes, max_depth=max_depth)
    except CredentialFormatError as error:
        report.add("parse", Outcome.FAILED, str(error), error.code)
        return
    if not isinstance(document, dict):
        report.add("parse", Outcome.FAILED, "The document is not a JSON object.", "PARSING_ERROR")
        return
    report.add("parse", Outcome.PASSED, "The document is a JSON object within the size limits.")
    report.credential_id = document.get("id") if isinstance(document.get("id"), str) else None
    report.issuer = issuer_id(document)
    version = check_shape(document, report)
    loader = _with_pinned_contexts(document, loader)
    if version is None or not check_contexts(document, report, loader):
        return
    if not is_plain(document):
        check_plain_form(document, report, None)
        return
    nquads = check_terms(document, report, loader)
    if nquads is None or not check_plain_form(document, report, nquads):
        return
    check_required_fields(document, report, version)
    check_validity_period(document, report, now, version)
    check_proofs(
        document,
        report,
        fetcher,
        loader,
        now=now,
        purpose="assertionMethod",
        required_controller=report.issuer,
        document_nquads=nquads,
    )
    # An endorsement's own endorsements are not checked: only the partners' word on this
    # credential counts, and nesting must not multiply the work.
    if not nested:
        check_endorsements(
            document,
            report,
            loader,
            lambda endorsement: _verify_nested(
                endorsement,
                fetcher=fetcher,
                now=now,
                loader=loader,
                check_status=check_status,
                minimum_status_entries=minimum_status_entries,
                max_bytes=max_bytes,
                max_depth=max_depth,
            ),
        )
    if check_status:
        check_credential_status(document, report, fetcher, now, loader, minimum_status_entries)


def _verify_nested(document: dict[str, Any], **options: Any) -> VerificationReport:
    """An embedded credential (an endorsement), verified on its own within the outer budget."""
    report = VerificationReport()
    try:
        _verify_credential(document, report, nested=True, **options)
    except Exception as error:  # every input gets a report, never a crash
        add_unexpected_failure(report, error)
    return report


def _with_pinned_contexts(
    document: dict[str, Any], loader: OfflineDocumentLoader
) -> OfflineDocumentLoader:
    """The loader, serving as well the context URLs the credential pins to an authored context
    by digest (a credential of another deployment of the portal)."""
    aliases = {
        url: shipped
        for url, shipped in pinned_context_aliases(document).items()
        if url not in loader.urls and shipped in loader.urls
    }
    if not aliases:
        return loader
    return loader.with_extra_contexts(
        {url: loader(shipped)["document"] for url, shipped in aliases.items()}
    )
