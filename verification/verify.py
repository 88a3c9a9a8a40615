"""Verifying a credential or a presentation for people and machines: the credential library's
report, plus what only the portal knows.

The library (`credential_format.verification`) checks format, proofs, validity dates and status. On
top of it this module says *which institution's key* made each valid proof (mapping the
verification method to a registered `SigningKey` of an institution in the registry, not
trusting the name the credential gives itself) and whether the issuer is a current member of a
known alliance. An unknown issuer is a warning with its reason, never a hard failure; a status
list that cannot be reached or does not verify stays a failure (the library never reports
"not revoked" when it could not check).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from alliances.models import Institution, Membership
from credential_format import ob2
from credential_format.errors import CredentialFormatError
from credential_format.verification import (
    Check,
    Fetcher,
    Outcome,
    VerificationReport,
    parse_json_document,
    verify_credential,
    verify_presentation,
)
from issuance import identity
from issuance.models import SigningKey
from portal.errors import DomainError
from verification.check_messages import (
    LocalizedCheck,
    base_id,
    localize_checks,
    verdict_headline,
)
from verification.fetching import verification_fetcher
from verification.summaries import CredentialSummary, Party, summarise_credential

# The language of the texts in the credentials this portal issues (issuance.claims).
PORTAL_CREDENTIAL_LANGUAGE = "en"

# Failures that mean "could not be checked right now", not "this credential is bad".
UNREACHABLE_CODES = {
    "STATUS_RETRIEVAL_ERROR",
    "KEY_UNREACHABLE",
    "VERIFICATION_TIME_LIMIT",
    "OB2_UNREACHABLE",
}
VERDICT_CODES = (
    ("REVOKED", "revoked"),
    ("SUSPENDED", "suspended"),
    ("EXPIRED", "expired"),
    ("NOT_YET_VALID", "not-yet-valid"),
)


# Checks whose "passed" means something only when the signature holds: dates and status are
# read from the document, and a changed document can carry anyone's dates and status list.
SIGNATURE_DEPENDENT_CHECKS = {"validity-period", "status", "status.issuer"}
SIGNATURE_CHECKS = {"proof", "issuer-key"}


def signature_failed(report: VerificationReport) -> bool:
    """Did a proof (or the issuer's key check) fail? Then nothing the document states is
    confirmed, whoever it names as its issuer."""
    return any(
        check.outcome == Outcome.FAILED and base_id(check.id) in SIGNATURE_CHECKS
        for check in report.checks
    )


def _unconfirmed_without_signature(report: VerificationReport) -> None:
    """A signature-dependent check that passed is reported as not applicable when the signature
    failed, so no page shows a green row for something a forger could have written."""
    report.checks = [
        Check(
            check.id,
            Outcome.NOT_APPLICABLE,
            "Not checked: the signature is not valid, so the document's own statements are not "
            "confirmed.",
            "SIGNATURE_INVALID",
        )
        if check.outcome == Outcome.PASSED and base_id(check.id) in SIGNATURE_DEPENDENT_CHECKS
        else check
        for check in report.checks
    ]


@dataclass(frozen=True)
class SignerInfo:
    """Who made a valid proof: the verification method and, when it is a key registered in
    this portal, the institution that holds it."""

    verification_method: str
    institution: Institution | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "verificationMethod": self.verification_method,
            "registeredInstitution": _institution_dict(self.institution),
        }


@dataclass(frozen=True)
class IssuerTrust:
    issuer_id: str
    claimed_name: str
    institution: Institution | None
    alliances: tuple[str, ...]

    @property
    def known(self) -> bool:
        return self.institution is not None and bool(self.alliances)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.issuer_id,
            "claimedName": self.claimed_name,
            "registeredInstitution": _institution_dict(self.institution),
            "alliances": list(self.alliances),
            "known": self.known,
        }


def _institution_dict(institution: Institution | None) -> dict[str, Any] | None:
    if institution is None:
        return None
    return {
        "name": institution.legal_name,
        "country": str(institution.country),
        "did": identity.institution_did(institution),
    }


@dataclass
class CredentialVerification:
    report: VerificationReport
    summary: CredentialSummary
    issuer: IssuerTrust
    signers: list[SignerInfo] = field(default_factory=list)

    @property
    def verified(self) -> bool:
        return self.report.verified

    @property
    def issuer_confirmed(self) -> bool:
        """Is the registry's institution confirmed as the issuer (no signature failed)?"""
        return self.issuer.institution is not None and not signature_failed(self.report)

    @property
    def issued_here(self) -> bool:
        """Valid, and issued by an institution registered in this portal (so the credential
        has a row here)."""
        return self.verified and self.issuer.institution is not None

    @property
    def confirmed_institutions(self) -> list[Institution]:
        """The registered institutions whose keys made valid proofs (the awarding bodies this
        portal can vouch for), the issuer first."""
        found: dict[int, Institution] = {}
        if self.issuer_confirmed:
            assert self.issuer.institution is not None
            found[self.issuer.institution.pk] = self.issuer.institution
        for signer in self.signers:
            if signer.institution is not None:
                found.setdefault(signer.institution.pk, signer.institution)
        return list(found.values())

    @property
    def checks(self) -> list[LocalizedCheck]:
        """The report's checks in the active language, for pages."""
        return localize_checks(self.report.checks)

    @property
    def verdict(self) -> str:
        """valid, valid-with-warnings, revoked, suspended, expired, not-yet-valid,
        unconfirmed (a needed document could not be fetched) or invalid."""
        if self.report.verified:
            return "valid-with-warnings" if self.report.warnings else "valid"
        codes = {check.code for check in self.report.errors}
        for code, verdict in VERDICT_CODES:
            if code in codes:
                return verdict
        if codes and codes <= UNREACHABLE_CODES:
            return "unconfirmed"
        return "invalid"

    @property
    def headline(self) -> str:
        """The verdict as a page states it, in the active language."""
        return verdict_headline(self.verdict)

    def to_dict(self) -> dict[str, Any]:
        result = self.report.to_dict()
        result["verdict"] = self.verdict
        result["issuer"] = self.issuer.to_dict()
        result["signers"] = [signer.to_dict() for signer in self.signers]
        result["credential"] = self.summary.to_dict()
        return result


@dataclass
class PresentationVerification:
    report: VerificationReport
    credentials: list[CredentialVerification]

    @property
    def verified(self) -> bool:
        return self.report.verified

    @property
    def checks(self) -> list[LocalizedCheck]:
        return localize_checks(self.report.checks)

    def to_dict(self) -> dict[str, Any]:
        result = self.report.to_dict()
        result.pop("credentials", None)
        result["credentials"] = [credential.to_dict() for credential in self.credentials]
        return result


def registered_institution_for(did_or_method: str) -> Institution | None:
    """The registry's institution behind one of this portal's did:web identifiers."""
    slug = identity.institution_slug_from_did(did_or_method)
    if slug is None:
        return None
    return Institution.objects.filter(slug=slug).first()


def current_alliances_of(institution: Institution) -> tuple[str, ...]:
    return tuple(
        Membership.objects.filter(institution=institution, left_on__isnull=True)
        .select_related("alliance")
        .order_by("alliance__name")
        .values_list("alliance__name", flat=True)
    )


def issuer_trust(issuer_id: str, claimed_name: str) -> IssuerTrust:
    institution = registered_institution_for(issuer_id) if issuer_id else None
    alliances = current_alliances_of(institution) if institution is not None else ()
    return IssuerTrust(issuer_id, claimed_name, institution, alliances)


def _signers(report: VerificationReport) -> list[SignerInfo]:
    signers = []
    for method in report.verified_methods:
        institution = registered_institution_for(method)
        key_id = method.split("#", 1)[1] if "#" in method else ""
        if (
            institution is not None
            and not SigningKey.objects.filter(institution=institution, key_id=key_id).exists()
        ):
            institution = None
        signers.append(SignerInfo(method, institution))
    return signers


def _add_trust_checks(
    report: VerificationReport, trust: IssuerTrust, signers: list[SignerInfo]
) -> None:
    """The portal's own checks. Like the library's, their reasons are English (for the API);
    pages show them translated from the id, outcome, code and details (verification.check_messages)."""
    if signature_failed(report):
        report.add(
            "issuer-trust",
            Outcome.NOT_APPLICABLE,
            "Not checked: the signature is not valid, so nothing confirms who issued the "
            "credential, whatever name it gives.",
            "SIGNATURE_INVALID",
        )
        return
    registered = list(
        dict.fromkeys(signer.institution.legal_name for signer in signers if signer.institution)
    )
    if registered:
        report.add(
            "signers",
            Outcome.PASSED,
            f"Signed with the registered key of {', '.join(registered)}.",
            names=registered,
        )
    if trust.known:
        assert trust.institution is not None
        report.add(
            "issuer-trust",
            Outcome.PASSED,
            f"The issuer is {trust.institution.legal_name}, a current member of "
            f"{', '.join(trust.alliances)}.",
            name=trust.institution.legal_name,
            alliances=list(trust.alliances),
        )
    elif trust.institution is not None:
        report.add(
            "issuer-trust",
            Outcome.WARNING,
            f"The issuer is {trust.institution.legal_name}, registered here but not currently a "
            "member of an alliance. Check with the institution before relying on it.",
            "ISSUER_NOT_IN_ALLIANCE",
            name=trust.institution.legal_name,
        )
    elif trust.issuer_id:
        report.add(
            "issuer-trust",
            Outcome.WARNING,
            f"The issuer {trust.issuer_id} is not in the alliance registry, so nothing "
            "here confirms who they are; the name "
            f"{trust.claimed_name or trust.issuer_id} is what the credential says about itself. A valid "
            "signature only shows that the document was not changed.",
            "UNKNOWN_ISSUER",
            issuer=trust.issuer_id,
            claimedName=trust.claimed_name,
        )


def _enrich(document: Any, report: VerificationReport) -> CredentialVerification:
    parse = report.check("parse")
    if parse is None or parse.outcome != Outcome.PASSED:
        # Nothing of a document that could not be read is shown back (it may not even be
        # text that can be written out, such as a lone surrogate).
        document = None
    try:
        summary = summarise_credential(document)
    except Exception:  # the summary is a convenience: a report is shown whatever the input
        summary = summarise_credential(None)
    trust = issuer_trust(report.issuer or summary.issuer.id, summary.issuer.name)
    signers = _signers(report)
    if not summary.text_language and trust.institution is not None:
        summary.text_language = PORTAL_CREDENTIAL_LANGUAGE
    if parse is not None and parse.outcome == Outcome.PASSED and report.check("shape"):
        if signature_failed(report):
            _unconfirmed_without_signature(report)
        _add_trust_checks(report, trust, signers)
    return CredentialVerification(report=report, summary=summary, issuer=trust, signers=signers)


def verify_credential_document(
    document: dict[str, Any] | str | bytes,
    *,
    fetcher: Fetcher | None = None,
    now: datetime | None = None,
) -> CredentialVerification:
    """Verify a credential (a dict, or JSON text as pasted or uploaded) and explain it."""
    parsed = _parsed_or_none(document)
    report = verify_credential(
        document if parsed is None else parsed,
        fetcher=fetcher or verification_fetcher(),
        now=now,
        max_bytes=settings.CREDENTIAL_UPLOAD_MAX_BYTES,
        fetch_budget_seconds=settings.VERIFICATION_FETCH_BUDGET_SECONDS,
        time_budget_seconds=settings.VERIFICATION_TIME_LIMIT_SECONDS,
    )
    return _enrich(parsed, report)


def verify_open_badges_2_assertion(
    *,
    signed: str = "",
    hosted: dict[str, Any] | None = None,
    fetcher: Fetcher | None = None,
    now: datetime | None = None,
) -> CredentialVerification:
    """Verify an Open Badges 2.0 assertion, signed (the compact JWS in `signed`) or hosted (the
    assertion in `hosted`), as the wallet's import does (`credential_format.ob2`), and explain
    it in the report shape of every other credential. An assertion that cannot be read is a
    DomainError, as unreadable JSON is."""
    source = fetcher or verification_fetcher()
    report = VerificationReport()
    report.add(
        "shape",
        Outcome.PASSED,
        "An Open Badges 2.0 "
        + ("signed assertion (a JWS)" if signed else "hosted assertion")
        + ", a legacy format, checked as the Open Badges 2.0 specification says.",
        "OPEN_BADGES_2_SIGNED" if signed else "OPEN_BADGES_2_HOSTED",
    )
    try:
        if signed:
            verified = ob2.verify_signed_assertion(signed, fetcher=source, now=now)
        else:
            verified = ob2.verify_hosted_assertion(hosted or {}, fetcher=source, now=now)
    except ob2.Ob2Error as error:
        if error.code == ob2.MALFORMED:
            raise DomainError(
                _("This is not a readable Open Badges 2.0 signed assertion: %(reason)s")
                % {"reason": error},
                code="unreadable_source",
                field="document",
            ) from error
        _add_open_badges_2_failure(report, error)
        return _enrich_open_badges_2(report, CredentialSummary())
    assertion = verified.assertion
    report.credential_id = str(assertion.get("id") or "") or None
    report.issuer = verified.issuer_id
    if signed:
        report.add(
            "proof",
            Outcome.PASSED,
            f"The signature by {verified.key_id} ({verified.algorithm}) is valid and the key "
            f"is listed by the issuer {verified.issuer_id}.",
            verificationMethod=verified.key_id,
            controller=verified.issuer_id,
        )
    else:
        report.add(
            "proof",
            Outcome.PASSED,
            f"The issuer hosts this exact assertion at {assertion.get('id')}, on its own site.",
            "HOSTED",
            address=str(assertion.get("id")),
        )
    summary = CredentialSummary(
        title=verified.title,
        description=str(verified.badge.get("description") or ""),
        credential_id=str(assertion.get("id") or ""),
        issuer=Party(verified.issuer_id, verified.issuer_name),
        valid_from=str(assertion.get("issuedOn") or ""),
        valid_until=str(assertion.get("expires") or ""),
    )
    return _enrich_open_badges_2(report, summary)


def _add_open_badges_2_failure(report: VerificationReport, error: ob2.Ob2Error) -> None:
    if error.code == ob2.REVOKED:
        report.add("status", Outcome.FAILED, str(error), "REVOKED")
    elif error.code == ob2.EXPIRED:
        report.add(
            "validity-period", Outcome.FAILED, str(error), "EXPIRED", validUntil=error.expires
        )
    elif error.code == ob2.UNREACHABLE:
        report.add("proof", Outcome.FAILED, str(error), "OB2_UNREACHABLE", problem=str(error))
    else:
        report.add("proof", Outcome.FAILED, str(error), "OB2_NOT_VERIFIED", problem=str(error))


def _enrich_open_badges_2(
    report: VerificationReport, summary: CredentialSummary
) -> CredentialVerification:
    trust = issuer_trust(summary.issuer.id, summary.issuer.name)
    _add_trust_checks(report, trust, [])
    return CredentialVerification(report=report, summary=summary, issuer=trust)


def without_personal_fields(verification: CredentialVerification) -> CredentialVerification:
    """The report shown once the learner has deleted the account: the verdict, the status,
    the issuer and the achievement, but not whom it was awarded to nor their grade
    (docs/decisions/credentials-outlive-deleted-accounts.md)."""
    verification.summary.learner_name = ""
    verification.summary.holder_did = ""
    verification.summary.grade = ""
    return verification


def verify_presentation_document(
    presentation: dict[str, Any] | str | bytes,
    *,
    fetcher: Fetcher | None = None,
    now: datetime | None = None,
    challenge: str | None = None,
    domain: str | None = None,
) -> PresentationVerification:
    """Verify a presentation (a bundle of credentials) and explain each credential; with a
    ``challenge`` or ``domain``, its proof must have been made for them."""
    parsed = _parsed_or_none(presentation)
    report = verify_presentation(
        presentation if parsed is None else parsed,
        fetcher=fetcher or verification_fetcher(),
        now=now,
        challenge=challenge,
        domain=domain,
        fetch_budget_seconds=settings.VERIFICATION_FETCH_BUDGET_SECONDS,
        time_budget_seconds=settings.VERIFICATION_TIME_LIMIT_SECONDS,
    )
    documents: list[Any] = []
    if isinstance(parsed, dict):
        embedded = parsed.get("verifiableCredential")
        documents = embedded if isinstance(embedded, list) else [embedded]
    credentials = [
        _enrich(documents[index] if index < len(documents) else None, credential_report)
        for index, credential_report in enumerate(report.credentials)
    ]
    return PresentationVerification(report=report, credentials=credentials)


def _parsed_or_none(document: dict[str, Any] | str | bytes) -> Any:
    """The document as JSON, parsed within the size and depth limits; None when it cannot be
    (the library then reports why)."""
    if isinstance(document, dict):
        return document
    try:
        return parse_json_document(document, max_bytes=settings.CREDENTIAL_UPLOAD_MAX_BYTES)
    except CredentialFormatError:
        return None


def is_presentation(document: Any) -> bool:
    if not isinstance(document, dict):
        return False
    kinds = document.get("type")
    return "VerifiablePresentation" in (kinds if isinstance(kinds, list) else [kinds])
