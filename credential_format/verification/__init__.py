"""Verifying any credential or presentation, with a report a person can act on.

``verify_credential`` accepts our credentials and other issuers': VC 2.0 or VC 1.1 (Open Badges
3.0), ``eddsa-rdfc-2022`` or ``Ed25519Signature2020`` proofs, issuers identified by did:key,
did:web or an https URL whose controller document can be fetched. Each check in the report has a
machine id, an outcome (passed / failed / warning / not-applicable), a code and a plain-language
reason that says what the reader can do next.

Network access goes only through the injected :class:`Fetcher` (did:web documents, controller
documents, status lists), so callers decide what may be fetched; :class:`CachingFetcher` adds an
in-process cache. Status checks fail closed: a status list that cannot be fetched, or that does
not itself verify, is reported as such and never as "not revoked".

One module per question: ``report`` (what a verification says), ``limits`` (how much input
is accepted and how JSON text is parsed), ``fetchers`` and ``budget`` (how other documents are
reached, and for how long), ``document`` (is it a readable credential), ``validity``,
``proofs`` (who signed it), ``status`` (was it revoked), and ``credential`` and
``presentation``, which run the checks in order.
"""

from credential_format.verification.budget import (
    FETCH_BUDGET_SECONDS,
    VERIFICATION_BUDGET_SECONDS,
    fetch_deadline,
)
from credential_format.verification.credential import verify_credential
from credential_format.verification.document import OB_CREDENTIAL_TYPES
from credential_format.verification.fetchers import (
    CachingFetcher,
    Fetcher,
    FetchError,
    NoNetworkFetcher,
)
from credential_format.verification.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_NESTING_DEPTH,
    MAX_PRESENTED_CREDENTIALS,
    MAX_PROOFS,
    MAX_STATUS_ENTRIES,
    check_document_limits,
    parse_json_document,
)
from credential_format.verification.presentation import verify_presentation
from credential_format.verification.proofs import (
    PROOF_CLOCK_SKEW,
    controller_of,
    resolve_controller_document,
)
from credential_format.verification.report import Check, Outcome, VerificationReport

__all__ = [
    "FETCH_BUDGET_SECONDS",
    "MAX_DOCUMENT_BYTES",
    "MAX_NESTING_DEPTH",
    "MAX_PRESENTED_CREDENTIALS",
    "MAX_PROOFS",
    "MAX_STATUS_ENTRIES",
    "OB_CREDENTIAL_TYPES",
    "PROOF_CLOCK_SKEW",
    "VERIFICATION_BUDGET_SECONDS",
    "CachingFetcher",
    "Check",
    "FetchError",
    "Fetcher",
    "NoNetworkFetcher",
    "Outcome",
    "VerificationReport",
    "check_document_limits",
    "controller_of",
    "fetch_deadline",
    "parse_json_document",
    "resolve_controller_document",
    "verify_credential",
    "verify_presentation",
]
