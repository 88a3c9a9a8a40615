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
"""

from __future__ import annotations

import contextvars
import copy
import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol

from cachetools import TTLCache

from credential_format.contexts import (
    CREDENTIALS_V1_URL,
    CREDENTIALS_V2_URL,
    OfflineDocumentLoader,
    document_loader,
)
from credential_format.errors import CredentialFormatError, DocumentLimitError
from credential_format.jsonld import canonicalize
from credential_format.keys import (
    did_web_document_url,
    find_verification_method,
    public_key_from_verification_method,
    resolve_did_key,
)
from credential_format.signed_view import hidden_statements, is_plain, unplain_keys
from credential_format.signing import check_proof_shape, proofs_of, unsecured_document, verify_proof
from credential_format.status_list import MINIMUM_ENTRIES, check_status_entry

MAX_DOCUMENT_BYTES = 1_000_000
MAX_NESTING_DEPTH = 48
MAX_PROOFS = 16
MAX_STATUS_ENTRIES = 8
MAX_PRESENTED_CREDENTIALS = 64
# A proof dated later than now plus this was not made yet: a forged or misconfigured clock.
PROOF_CLOCK_SKEW = timedelta(minutes=5)
# All the fetches of one verification (status lists, DID and controller documents, including
# those of the status lists' own proofs) share one deadline; the whole verification has a cap.
FETCH_BUDGET_SECONDS = 10.0
VERIFICATION_BUDGET_SECONDS = 20.0

OB_CREDENTIAL_TYPES = ("OpenBadgeCredential", "AchievementCredential")


class FetchError(Exception):
    """A document could not be fetched (network error, HTTP error, not JSON, too large...)."""


class Fetcher(Protocol):
    def fetch_json(self, url: str) -> dict[str, Any]: ...


@dataclass(frozen=True)
class _Budget:
    fetch_deadline: float
    deadline: float


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "verification_budget", default=None
)


def fetch_deadline() -> float | None:
    """The ``time.monotonic()`` by which every fetch of the running verification must be done
    (None outside a verification). Network fetchers bound their whole exchange by it, not
    only each read, so a server that answers one byte at a time cannot hold a verification."""
    budget = _budget.get()
    return None if budget is None else budget.fetch_deadline


@contextmanager
def _verification_budget(fetch_seconds: float, total_seconds: float) -> Iterator[_Budget]:
    """The budget of the outermost verification; a nested one (a status list's) shares it."""
    current = _budget.get()
    if current is not None:
        yield current
        return
    now = time.monotonic()
    budget = _Budget(now + fetch_seconds, now + total_seconds)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


class _BudgetedFetcher:
    """Refuses to start a fetch once the verification's fetch deadline has passed."""

    def __init__(self, fetcher: Fetcher, budget: _Budget) -> None:
        self._fetcher = fetcher
        self._budget = budget

    def fetch_json(self, url: str) -> dict[str, Any]:
        if time.monotonic() >= self._budget.fetch_deadline:
            raise FetchError(
                f"{url} was not fetched: the time allowed for fetching documents during one "
                "verification is used up."
            )
        return self._fetcher.fetch_json(url)


class NoNetworkFetcher:
    """Refuses every fetch: only self-contained credentials (did:key, no status) can verify."""

    def fetch_json(self, url: str) -> dict[str, Any]:
        raise FetchError(f"Fetching {url} is not allowed in this context.")


class CachingFetcher:
    """Caches successful fetches in process for ``ttl_seconds`` (bounded); never failures."""

    def __init__(self, fetcher: Fetcher, *, ttl_seconds: float = 300, max_entries: int = 1024):
        self._fetcher = fetcher
        self._cache: TTLCache[str, dict[str, Any]] = TTLCache(
            maxsize=max_entries, ttl=ttl_seconds, timer=time.monotonic
        )
        self._lock = threading.Lock()

    def fetch_json(self, url: str) -> dict[str, Any]:
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None:
            return copy.deepcopy(cached)
        document = self._fetcher.fetch_json(url)
        with self._lock:
            self._cache[url] = copy.deepcopy(document)
        return document


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    WARNING = "warning"
    NOT_APPLICABLE = "not-applicable"


@dataclass(frozen=True)
class Check:
    id: str
    outcome: Outcome
    reason: str
    code: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "id": self.id,
            "outcome": self.outcome.value,
            "reason": self.reason,
        }
        if self.code:
            result["code"] = self.code
        if self.details:
            result["details"] = self.details
        return result


@dataclass
class VerificationReport:
    checks: list[Check] = field(default_factory=list)
    verified_methods: list[str] = field(default_factory=list)
    credential_id: str | None = None
    issuer: str | None = None
    credentials: list[VerificationReport] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        own = bool(self.checks) and all(c.outcome != Outcome.FAILED for c in self.checks)
        return own and all(report.verified for report in self.credentials)

    @property
    def errors(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == Outcome.FAILED]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if c.outcome == Outcome.WARNING]

    def check(self, check_id: str) -> Check | None:
        return next((c for c in self.checks if c.id == check_id), None)

    def add(
        self, check_id: str, outcome: Outcome, reason: str, code: str = "", **details: Any
    ) -> None:
        self.checks.append(Check(check_id, outcome, reason, code, details))

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "verified": self.verified,
            "credentialId": self.credential_id,
            "issuer": self.issuer,
            "verifiedMethods": list(self.verified_methods),
            "errors": [c.to_dict() for c in self.errors],
            "warnings": [c.to_dict() for c in self.warnings],
            "checks": [c.to_dict() for c in self.checks],
        }
        if self.credentials:
            result["credentials"] = [report.to_dict() for report in self.credentials]
        return result


# -- input limits ------------------------------------------------------------------------------


def parse_json_document(
    data: str | bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES, max_depth: int = MAX_NESTING_DEPTH
) -> Any:
    """Parse JSON text after checking its size, then check its nesting depth."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise DocumentLimitError(
            f"The document is {len(raw)} bytes; at most {max_bytes} bytes are accepted."
        )
    # Depth is bounded before json.loads recurses: count brackets outside strings.
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise DocumentLimitError(
                    f"The document is nested more than {max_depth} levels deep."
                )
        elif byte in (0x7D, 0x5D):
            depth -= 1
    try:
        # JSON between systems is UTF-8 (RFC 8259): other encodings are refused, not guessed.
        document = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_refuse_duplicate_keys,
            parse_constant=_refuse_non_finite_number,
        )
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise CredentialFormatError(f"The document is not valid JSON: {error}") from error
    if _ESCAPED_SURROGATE.search(raw):
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise _lone_surrogate() from error
    return document


# A \uD800-\uDFFF escape: half of a pair (fine) or a lone surrogate (not Unicode text).
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate() -> CredentialFormatError:
    return CredentialFormatError(
        "The document contains text that is not valid Unicode (a lone surrogate).",
        code="PARSING_ERROR",
    )


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A key given twice means what each parser decides (first or last wins), so a signer and
    a reader could see different credentials: refuse it."""
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"the key {key!r} appears twice in one object")
        document[key] = value
    return document


def _refuse_non_finite_number(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_document_limits(
    document: Any, *, max_bytes: int = MAX_DOCUMENT_BYTES, max_depth: int = MAX_NESTING_DEPTH
) -> None:
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise DocumentLimitError(f"The document is nested more than {max_depth} levels deep.")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    try:
        size = len(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    except UnicodeEncodeError as error:
        raise _lone_surrogate() from error
    except (TypeError, ValueError) as error:
        raise CredentialFormatError(
            "The document is not JSON data.", code="PARSING_ERROR"
        ) from error
    if size > max_bytes:
        raise DocumentLimitError(f"The document is {size} bytes; at most {max_bytes} are accepted.")


# -- helpers -----------------------------------------------------------------------------------


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _issuer_id(document: dict[str, Any]) -> str | None:
    issuer = document.get("issuer")
    if isinstance(issuer, str):
        return issuer
    if isinstance(issuer, dict) and isinstance(issuer.get("id"), str):
        return str(issuer["id"])
    return None


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


# -- credential checks -------------------------------------------------------------------------


def _check_shape(document: dict[str, Any], report: VerificationReport) -> str | None:
    """The VC data model's structural requirements; returns the VC version ("2.0"/"1.1")."""
    contexts = _as_list(document.get("@context"))
    version = {CREDENTIALS_V2_URL: "2.0", CREDENTIALS_V1_URL: "1.1"}.get(
        contexts[0] if contexts and isinstance(contexts[0], str) else ""
    )
    problems = []
    if version is None:
        problems.append(
            "its first @context is not the W3C Verifiable Credentials v2 (or v1.1) context"
        )
    if "VerifiableCredential" not in _as_list(document.get("type")):
        problems.append("its type does not include VerifiableCredential")
    if _issuer_id(document) is None:
        problems.append("it has no issuer id")
    subjects = _as_list(document.get("credentialSubject"))
    if not subjects or not all(isinstance(s, dict) for s in subjects):
        problems.append("it has no credentialSubject object")
    if problems:
        report.add(
            "shape",
            Outcome.FAILED,
            "This is not a verifiable credential: " + "; ".join(problems) + ".",
            "PARSING_ERROR",
        )
        return None
    report.add(
        "shape",
        Outcome.PASSED,
        f"The document is a VC Data Model {version} credential.",
        version=version,
    )
    return version


def _check_contexts(
    document: dict[str, Any], report: VerificationReport, loader: OfflineDocumentLoader
) -> bool:
    unknown = [
        c for c in _as_list(document.get("@context")) if isinstance(c, str) and c not in loader.urls
    ]
    embedded = [c for c in _as_list(document.get("@context")) if not isinstance(c, str)]
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


def _check_terms(
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


def _check_plain_form(
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


def _out_of_time(report: VerificationReport) -> bool:
    budget = _budget.get()
    if budget is None or time.monotonic() < budget.deadline:
        return False
    if report.check("time-limit") is None:
        report.add(
            "time-limit",
            Outcome.FAILED,
            "The verification took longer than allowed and was stopped before every check "
            "was made, so the credential cannot be confirmed. Try again later.",
            "VERIFICATION_TIME_LIMIT",
        )
    return True


def _check_proofs(
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
        if _out_of_time(report):
            return
        check_id = f"proof[{index}]"
        method_id = proof.get("verificationMethod") if isinstance(proof, dict) else None
        try:
            check_proof_shape(proof, expected_proof_purpose=purpose)
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
                document_nquads=document_nquads,
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
        created = _parse_datetime(proof.get("created"))
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


def _check_validity_period(
    document: dict[str, Any], report: VerificationReport, now: datetime, version: str | None
) -> None:
    start_key, end_key = ("validFrom", "validUntil")
    if version == "1.1":
        start_key, end_key = ("issuanceDate", "expirationDate")
    start_raw = document.get(start_key, document.get("validFrom"))
    end_raw = document.get(end_key, document.get("validUntil"))
    start, end = _parse_datetime(start_raw), _parse_datetime(end_raw)
    if (start_raw is not None and start is None) or (end_raw is not None and end is None):
        report.add(
            "validity-period",
            Outcome.FAILED,
            "The credential's validity dates are not valid date-times.",
            "INVALID_DATE",
        )
    elif start is not None and now < start:
        report.add(
            "validity-period",
            Outcome.FAILED,
            f"The credential is not valid yet: it becomes valid on {start_raw}.",
            "NOT_YET_VALID",
            validFrom=start_raw,
        )
    elif end is not None and now >= end:
        report.add(
            "validity-period",
            Outcome.FAILED,
            f"The credential expired on {end_raw}. Ask the issuer whether a renewed credential "
            "exists.",
            "EXPIRED",
            validUntil=end_raw,
        )
    elif start is None and end is None:
        report.add(
            "validity-period", Outcome.NOT_APPLICABLE, "The credential states no validity period."
        )
    else:
        report.add(
            "validity-period", Outcome.PASSED, "The credential is within its validity period."
        )


def _check_required_fields(
    document: dict[str, Any], report: VerificationReport, version: str | None
) -> None:
    missing: list[str] = []
    types = _as_list(document.get("type"))
    if version == "1.1" and "issuanceDate" not in document:
        missing.append("issuanceDate")
    if any(t in types for t in OB_CREDENTIAL_TYPES):
        if not isinstance(document.get("id"), str):
            missing.append("id")
        if version == "2.0" and "validFrom" not in document:
            missing.append("validFrom")
        issuer = document.get("issuer")
        if isinstance(issuer, dict) and "Profile" not in _as_list(issuer.get("type")):
            missing.append("issuer.type Profile")
        for subject in _as_list(document.get("credentialSubject")):
            if not isinstance(subject, dict):
                continue
            if "AchievementSubject" not in _as_list(subject.get("type")):
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
            if "Achievement" not in _as_list(achievement.get("type")):
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


def _check_status(
    document: dict[str, Any],
    report: VerificationReport,
    fetcher: Fetcher,
    now: datetime,
    loader: OfflineDocumentLoader,
    minimum_entries: int,
) -> None:
    entries = _as_list(document.get("credentialStatus"))
    if not entries:
        report.add("status", Outcome.NOT_APPLICABLE, "The credential has no revocation status.")
        return
    if len(entries) > MAX_STATUS_ENTRIES:
        report.add("status", Outcome.FAILED, "Too many status entries.", "DOCUMENT_TOO_LARGE")
        return
    for index, entry in enumerate(entries):
        if _out_of_time(report):
            return
        check_id = "status" if len(entries) == 1 else f"status[{index}]"
        purpose = entry.get("statusPurpose") if isinstance(entry, dict) else None
        list_url = entry.get("statusListCredential") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            report.add(
                check_id,
                Outcome.FAILED,
                "The credential's status uses a mechanism this verifier cannot check, so it "
                "cannot be confirmed as not revoked.",
                "STATUS_TYPE_UNSUPPORTED",
            )
            continue
        if not isinstance(list_url, str):
            report.add(
                check_id,
                Outcome.FAILED,
                "The status entry names no status list.",
                "STATUS_VERIFICATION_ERROR",
            )
            continue
        try:
            status_list = fetcher.fetch_json(list_url)
        except (FetchError, CredentialFormatError) as error:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The status list could not be reached ({error}), so revocation could not be "
                "checked. This does not mean the credential is revoked: try again later.",
                "STATUS_RETRIEVAL_ERROR",
                statusListCredential=list_url,
            )
            continue
        list_report = verify_credential(
            status_list, fetcher=fetcher, now=now, loader=loader, check_status=False
        )
        if not list_report.verified:
            reasons = "; ".join(c.reason for c in list_report.errors)
            report.add(
                check_id,
                Outcome.FAILED,
                f"The status list itself is invalid ({reasons}), so revocation could not be "
                "checked. Tell the issuer.",
                "STATUS_VERIFICATION_ERROR",
                statusListCredential=list_url,
            )
            continue
        if list_report.issuer != report.issuer:
            # Only the issuer can revoke: a list signed by anyone else says nothing about this
            # credential, whatever its bits are.
            report.add(
                f"{check_id}.issuer",
                Outcome.FAILED,
                f"The status list is published by {list_report.issuer}, not by the credential's "
                "issuer, so it cannot tell whether the credential was revoked. Tell the issuer.",
                "STATUS_ISSUER_MISMATCH",
                statusListIssuer=list_report.issuer,
            )
            continue
        try:
            result = check_status_entry(entry, status_list, minimum_entries=minimum_entries)
        except CredentialFormatError as error:
            report.add(
                check_id,
                Outcome.FAILED,
                f"The status could not be read: {error}",
                error.code,
                statusListCredential=list_url,
            )
            continue
        if result.is_set and purpose == "revocation":
            report.add(
                check_id, Outcome.FAILED, "The issuer has revoked this credential.", "REVOKED"
            )
        elif result.is_set and purpose == "suspension":
            report.add(
                check_id,
                Outcome.FAILED,
                "The issuer has suspended this credential; it may be reinstated later. Contact "
                "the issuer.",
                "SUSPENDED",
            )
        elif result.is_set:
            report.add(
                check_id,
                Outcome.WARNING,
                f"The {purpose} status is set" + (f": {result.message}" if result.message else "."),
                "STATUS_SET",
                statusPurpose=purpose,
            )
        else:
            report.add(
                check_id,
                Outcome.PASSED,
                f"Not {purpose or 'flagged'}: the status list was checked.",
                "VALID",
                statusPurpose=purpose,
            )


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
    with _verification_budget(fetch_budget_seconds, time_budget_seconds) as budget:
        try:
            _verify_credential(
                document,
                report,
                fetcher=_BudgetedFetcher(fetcher, budget),
                now=now or datetime.now(UTC),
                loader=loader,
                check_status=check_status,
                minimum_status_entries=minimum_status_entries,
                max_bytes=max_bytes,
                max_depth=max_depth,
            )
        except Exception as error:  # every input gets a report, never a crash
            _add_unexpected_failure(report, error)
    return report


def _add_unexpected_failure(report: VerificationReport, error: Exception) -> None:
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
    report.issuer = _issuer_id(document)
    version = _check_shape(document, report)
    if version is None or not _check_contexts(document, report, loader):
        return
    if not is_plain(document):
        _check_plain_form(document, report, None)
        return
    nquads = _check_terms(document, report, loader)
    if nquads is None or not _check_plain_form(document, report, nquads):
        return
    _check_required_fields(document, report, version)
    _check_validity_period(document, report, now, version)
    _check_proofs(
        document,
        report,
        fetcher,
        loader,
        now=now,
        purpose="assertionMethod",
        required_controller=report.issuer,
        document_nquads=nquads,
    )
    if check_status:
        _check_status(document, report, fetcher, now, loader, minimum_status_entries)


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
    with _verification_budget(fetch_budget_seconds, time_budget_seconds) as budget:
        try:
            _verify_presentation(
                presentation,
                report,
                fetcher=_BudgetedFetcher(fetcher, budget),
                now=now or datetime.now(UTC),
                challenge=challenge,
                domain=domain,
                loader=loader,
            )
        except Exception as error:  # every input gets a report, never a crash
            _add_unexpected_failure(report, error)
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
    if not isinstance(presentation, dict) or "VerifiablePresentation" not in _as_list(
        presentation.get("type")
    ):
        report.add(
            "shape", Outcome.FAILED, "This is not a verifiable presentation.", "PARSING_ERROR"
        )
        return report
    report.add("parse", Outcome.PASSED, "The presentation is a JSON object within the limits.")
    report.credential_id = (
        presentation.get("id") if isinstance(presentation.get("id"), str) else None
    )
    holder = presentation.get("holder")
    report.issuer = holder if isinstance(holder, str) else (holder or {}).get("id")
    credentials = _as_list(presentation.get("verifiableCredential"))
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
    if not _check_contexts(presentation, report, loader):
        return report
    if not is_plain(presentation):
        _check_plain_form(presentation, report, None)
        return report
    if _check_terms(presentation, report, loader) is None:
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
        _check_proofs(
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
