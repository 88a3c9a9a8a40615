"""The verification checks in the reader's language.

The credential library (`credential_format`) is pure Python and explains every check in English; its
stable parts are the check id (`parse`, `proof[0]`, `status`...), the outcome, the code
(`EXPIRED`, `KEY_UNREACHABLE`...) and the details. Pages map those to the translatable messages
below. A check this module does not know keeps the library's English reason, marked as English,
so a new check in the library is never hidden. The API keeps the English reasons and the codes
(docs/translations.md).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from credential_format.verification import Check

# Labels of the checks, by the id without its index (`proof[1]` -> `proof`).
CHECK_LABELS = {
    "parse": gettext_lazy("Readable document"),
    "shape": gettext_lazy("Credential format"),
    "contexts": gettext_lazy("Vocabularies"),
    "terms": gettext_lazy("Every statement defined"),
    "signed-statements": gettext_lazy("Checked as signed"),
    "required-fields": gettext_lazy("Required fields"),
    "validity-period": gettext_lazy("Validity dates"),
    "issuer-key": gettext_lazy("Signed by the issuer"),
    "signers": gettext_lazy("Registered signing key"),
    "issuer-trust": gettext_lazy("Issuer trust"),
    "holder-proof": gettext_lazy("Holder's signature"),
    "proof": gettext_lazy("Signature"),
    "endorsement": gettext_lazy("Endorsement by a co-awarding institution"),
    "awarding-body": gettext_lazy("Attestation by a co-awarding institution"),
    "joint-shape": gettext_lazy("Joint credential format"),
    "status": gettext_lazy("Revocation and suspension"),
    "status.issuer": gettext_lazy("Publisher of the status list"),
    "time-limit": gettext_lazy("Time limit"),
    "verifier": gettext_lazy("Verification"),
}

# The verdict on a credential, as the verify page, a shared link and recognition state it.
# Marked with gettext_noop (not translated here) because recognition stores the message ids and
# translates them when a case page is read: changing a text here changes it for stored checks,
# so keep the old text's msgid marked (in `PREVIOUS_TEXTS`) when rewording.
VERDICT_HEADLINES = {
    "valid": gettext_noop("Valid credential"),
    "valid-with-warnings": gettext_noop("Valid credential, with warnings"),
    "revoked": gettext_noop("Revoked: this credential is no longer valid"),
    "suspended": gettext_noop("Suspended: this credential is not valid at the moment"),
    "expired": gettext_noop("Expired"),
    "not-yet-valid": gettext_noop("Not valid yet"),
    "unconfirmed": gettext_noop("Could not be checked completely: do not rely on it yet"),
    "invalid": gettext_noop("Not valid: do not rely on this credential"),
}

# What a verdict means for someone deciding on the credential (recognition's authenticity
# check states these, by these keys).
VERDICT_EXPLANATIONS = {
    "valid": gettext_noop(
        "The signature is valid, the issuer's key signed it, and it is not revoked or expired."
    ),
    "unknown-issuer": gettext_noop(
        "Unknown issuer: the signature is valid, but the issuer is not in the "
        "trust registry, so who issued the credential is not established. "
        "The name it gives its issuer proves nothing."
    ),
    "unconfirmed": gettext_noop(
        "Could not be checked completely: the issuer's key or status list could "
        "not be reached from the portal. Nothing shows it is invalid, but it is "
        "not confirmed as valid either."
    ),
    "invalid": gettext_noop("Verification failed: do not rely on this credential as submitted."),
}

# Texts that were stored before a rewording: still marked so that stored messages render in
# the reader's language. None yet.
PREVIOUS_TEXTS: tuple[str, ...] = ()


def verdict_headline(verdict: str) -> str:
    """The headline of a verdict in the active language (an unknown verdict reads as invalid)."""
    return _(VERDICT_HEADLINES.get(verdict, VERDICT_HEADLINES["invalid"]))


OUTCOME_LABELS = {
    "passed": gettext_lazy("Passed"),
    "failed": gettext_lazy("Failed"),
    "warning": gettext_lazy("Warning"),
    "not-applicable": gettext_lazy("Not applicable"),
}


@dataclass(frozen=True)
class LocalizedCheck:
    """One check as a page shows it: `reason` is in the active language unless
    `reason_language` says otherwise (the library's English text for an unknown check)."""

    id: str
    outcome: str
    code: str
    label: str
    outcome_label: str
    reason: str
    reason_language: str = ""


def base_id(check_id: str) -> str:
    """`proof[2]` -> `proof`, `status[0].issuer` -> `status.issuer`."""
    return re.sub(r"\[\d+\]", "", check_id)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _number(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _listed(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return _text(value)


SHAPE_PROBLEMS = {
    "context": gettext_lazy(
        "its first @context is not the W3C Verifiable Credentials v2 (or v1.1) context"
    ),
    "type": gettext_lazy("its type does not include VerifiableCredential"),
    "issuer": gettext_lazy("it names no issuer"),
    "credentialSubject": gettext_lazy("it has no credentialSubject object"),
}


def _shape_problem(name: Any) -> str:
    return str(SHAPE_PROBLEMS[name])  # an unknown name falls back to the English reason


Details = Mapping[str, Any]


def _not_confirmed(d: Details) -> str:
    return _(
        "Not checked: the signature is not valid, so what the document states about this is "
        "not confirmed."
    )


Message = Callable[[Details], str]

# (check id, outcome, code) -> message; code "*" matches any code of that id and outcome.
MESSAGES: dict[tuple[str, str, str], Message] = {
    ("parse", "passed", ""): lambda d: _("The document is a JSON object within the size limits."),
    ("parse", "failed", "DOCUMENT_TOO_LARGE"): lambda d: _(
        "The document is too large or too deeply nested to be checked."
    ),
    ("parse", "failed", "PARSING_ERROR"): lambda d: _("The document is not a JSON object."),
    ("parse", "failed", "*"): lambda d: _(
        "The document is not valid JSON. Paste or upload the whole credential file."
    ),
    ("shape", "passed", ""): lambda d: (
        ngettext(
            "The presentation holds %(count)s credential.",
            "The presentation holds %(count)s credentials.",
            _number(d["count"]),
        )
        % {"count": _number(d["count"])}
        if "count" in d
        else _("The document is a credential of the W3C Verifiable Credentials %(version)s model.")
        % {"version": _text(d.get("version"))}
    ),
    ("shape", "failed", "DOCUMENT_TOO_LARGE"): lambda d: _(
        "The presentation holds too many credentials."
    ),
    ("shape", "passed", "OPEN_BADGES_2_SIGNED"): lambda d: _(
        "An Open Badges 2.0 signed assertion, a legacy format, checked as the Open Badges 2.0 "
        "specification says."
    ),
    ("shape", "passed", "OPEN_BADGES_2_HOSTED"): lambda d: _(
        "An Open Badges 2.0 hosted assertion, a legacy format, checked as the Open Badges 2.0 "
        "specification says."
    ),
    ("shape", "failed", "PARSING_ERROR"): lambda d: (
        _("This is not a verifiable credential: %(problems)s.")
        % {"problems": "; ".join(_shape_problem(name) for name in d["problems"])}
        if d.get("problems")
        else _("This is not a verifiable credential or presentation.")
    ),
    ("contexts", "passed", ""): lambda d: _("All JSON-LD contexts are known and pinned."),
    ("contexts", "warning", "EMBEDDED_CONTEXT"): lambda d: _(
        "The credential embeds its own JSON-LD context; its terms were checked, but they are "
        "not a published standard."
    ),
    ("contexts", "failed", "UNKNOWN_CONTEXT"): lambda d: (
        _(
            "The credential uses JSON-LD contexts this verifier does not know (%(contexts)s), so "
            "its meaning cannot be checked. Ask the issuer for a credential that uses standard "
            "contexts."
        )
        % {"contexts": _listed(d.get("unknown"))}
    ),
    ("terms", "passed", ""): lambda d: _("Every property of the credential is defined."),
    ("terms", "failed", "*"): lambda d: _(
        "The credential cannot be interpreted safely: some of its statements are not defined "
        "by its vocabularies, so a signature would not cover them."
    ),
    ("signed-statements", "passed", ""): lambda d: _(
        "The checked statements (issuer, dates, status, subjects, types) are read from exactly "
        "what was signed."
    ),
    ("signed-statements", "failed", "NOT_PLAIN_FORM"): lambda d: (
        _(
            "The credential is not in the plain form its vocabularies produce (%(keys)s): "
            "statements placed there would not be seen by the checks, so it is refused. Ask the "
            "issuer for the credential as it was issued."
        )
        % {"keys": _listed(d.get("keys"))}
    ),
    ("signed-statements", "failed", "HIDDEN_STATEMENTS"): lambda d: (
        _(
            "What the credential shows does not match what was signed for: %(terms)s. It may "
            "hide its status or dates in another spelling, so it is refused. Ask the issuer for "
            "the credential as it was issued."
        )
        % {"terms": _listed(d.get("terms"))}
    ),
    ("required-fields", "passed", ""): lambda d: _("All required fields are present."),
    ("required-fields", "failed", "MISSING_FIELDS"): lambda d: (
        _(
            "Required fields are missing: %(fields)s. The issuer's software produced an incomplete "
            "credential."
        )
        % {"fields": _listed(d.get("missing"))}
    ),
    ("validity-period", "passed", ""): lambda d: _("The credential is within its validity period."),
    ("validity-period", "not-applicable", ""): lambda d: _(
        "The credential states no validity period."
    ),
    ("validity-period", "not-applicable", "SIGNATURE_INVALID"): _not_confirmed,
    ("status", "not-applicable", "SIGNATURE_INVALID"): _not_confirmed,
    ("status.issuer", "not-applicable", "SIGNATURE_INVALID"): _not_confirmed,
    ("validity-period", "failed", "INVALID_DATE"): lambda d: _(
        "The credential's validity dates are not valid date-times."
    ),
    ("validity-period", "failed", "NOT_YET_VALID"): lambda d: (
        _("The credential is not valid yet: it becomes valid on %(date)s.")
        % {"date": _text(d.get("validFrom"))}
    ),
    ("validity-period", "failed", "EXPIRED"): lambda d: (
        _("The credential expired on %(date)s. Ask the issuer whether a renewed credential exists.")
        % {"date": _text(d.get("validUntil"))}
    ),
    ("proof", "passed", ""): lambda d: (
        _("The signature by %(method)s is valid and the key is authorised by %(controller)s.")
        % {"method": _text(d.get("verificationMethod")), "controller": _text(d.get("controller"))}
    ),
    ("proof", "failed", "PROOF_MISSING"): lambda d: _(
        "The credential carries no proof, so nothing shows who issued it. Ask the issuer for a "
        "signed copy."
    ),
    ("proof", "failed", "DOCUMENT_TOO_LARGE"): lambda d: _("The document has too many proofs."),
    ("proof", "failed", "KEY_UNREACHABLE"): lambda d: (
        _(
            "The signing key %(method)s could not be looked up. Try again later; if it persists, "
            "the issuer's key publication is unavailable."
        )
        % {"method": _text(d.get("verificationMethod"))}
    ),
    ("proof", "failed", "PROOF_CREATED_IN_FUTURE"): lambda d: (
        _(
            "The proof says it was made on %(date)s, which is in the future. Do not rely on this "
            "credential; ask the holder for the original."
        )
        % {"date": _text(d.get("created"))}
    ),
    ("proof", "passed", "HOSTED"): lambda d: (
        _("The issuer hosts this exact assertion at %(address)s, on its own site.")
        % {"address": _text(d.get("address"))}
    ),
    ("proof", "failed", "OB2_NOT_VERIFIED"): lambda d: (
        _("The Open Badges 2.0 assertion did not verify: %(problem)s")
        % {"problem": _text(d.get("problem"))}
    ),
    ("proof", "failed", "OB2_UNREACHABLE"): lambda d: (
        _(
            "A document of the issuer could not be fetched, so the assertion could not be "
            "checked. Try again later. (%(problem)s)"
        )
        % {"problem": _text(d.get("problem"))}
    ),
    ("proof", "failed", "*"): lambda d: _(
        "The signature could not be verified: the document was changed after signing, or it "
        "was not signed with the key it names. Do not rely on this credential; ask the holder "
        "for the original."
    ),
    ("issuer-key", "passed", ""): lambda d: (
        _("A valid proof was made with a key controlled by the issuer %(issuer)s.")
        % {"issuer": _text(d.get("issuer"))}
    ),
    ("issuer-key", "failed", "ISSUER_KEY_MISMATCH"): lambda d: (
        _(
            "No valid proof was made with a key controlled by the issuer %(issuer)s; the credential "
            "may have been issued by someone else in the issuer's name."
        )
        % {"issuer": _text(d.get("issuer"))}
    ),
    ("holder-proof", "warning", "UNSIGNED_PRESENTATION"): lambda d: _(
        "The presentation is not signed by its holder, so it does not show that the person "
        "sharing it is the learner. The credentials themselves are checked below."
    ),
    ("holder-proof", "failed", "CHALLENGE_MISMATCH"): lambda d: _(
        "The presentation was made for another request (challenge mismatch)."
    ),
    ("holder-proof", "failed", "DOMAIN_MISMATCH"): lambda d: _(
        "The presentation was made for another site (domain mismatch)."
    ),
    ("status", "not-applicable", ""): lambda d: _("The credential has no revocation status."),
    ("status", "failed", "DOCUMENT_TOO_LARGE"): lambda d: _("Too many status entries."),
    ("status", "failed", "STATUS_TYPE_UNSUPPORTED"): lambda d: _(
        "The credential's status uses a mechanism this verifier cannot check, so it cannot be "
        "confirmed as not revoked."
    ),
    ("status", "failed", "STATUS_RETRIEVAL_ERROR"): lambda d: _(
        "The status list could not be reached, so revocation could not be checked. This does "
        "not mean the credential is revoked: try again later."
    ),
    ("status", "failed", "STATUS_VERIFICATION_ERROR"): lambda d: _(
        "The status list is missing or invalid, so revocation could not be checked. Tell the "
        "issuer."
    ),
    ("status", "failed", "REVOKED"): lambda d: _("The issuer has revoked this credential."),
    ("status", "failed", "SUSPENDED"): lambda d: _(
        "The issuer has suspended this credential; it may be reinstated later. Contact the issuer."
    ),
    ("status", "failed", "*"): lambda d: _(
        "The status could not be read, so revocation could not be checked."
    ),
    ("status", "warning", "STATUS_SET"): lambda d: (
        _("A status of this credential is set (%(purpose)s). Ask the issuer what it means.")
        % {"purpose": _text(d.get("statusPurpose"))}
    ),
    ("status", "passed", "VALID"): lambda d: (
        _("Not suspended: the status list was checked.")
        if d.get("statusPurpose") == "suspension"
        else _("Not revoked: the status list was checked.")
    ),
    ("status.issuer", "warning", "STATUS_ISSUER_DIFFERS"): lambda d: (
        _("The status list is published by %(publisher)s, not by the credential's issuer.")
        % {"publisher": _text(d.get("statusListIssuer"))}
    ),
    ("status.issuer", "failed", "STATUS_ISSUER_MISMATCH"): lambda d: (
        _(
            "The status list is published by %(publisher)s, not by the credential's issuer, so "
            "it cannot tell whether the credential was revoked. Tell the issuer."
        )
        % {"publisher": _text(d.get("statusListIssuer"))}
    ),
    ("time-limit", "failed", "VERIFICATION_TIME_LIMIT"): lambda d: _(
        "The verification took longer than allowed and was stopped before every check was "
        "made, so the credential cannot be confirmed. Try again later."
    ),
    ("verifier", "failed", "*"): lambda d: _(
        "The document could not be checked: it is malformed in a way this verifier cannot "
        "interpret. Do not rely on it."
    ),
    # Checks the portal adds (verification.verify).
    ("signers", "passed", ""): lambda d: (
        _("Signed with the registered key of %(names)s.") % {"names": _listed(d.get("names"))}
    ),
    ("issuer-trust", "passed", ""): lambda d: (
        _("The issuer is %(name)s, a current member of %(alliances)s.")
        % {"name": _text(d.get("name")), "alliances": _listed(d.get("alliances"))}
    ),
    ("issuer-trust", "not-applicable", "SIGNATURE_INVALID"): lambda d: _(
        "Not checked: the signature is not valid, so nothing confirms who issued the "
        "credential, whatever name it gives."
    ),
    ("issuer-trust", "warning", "ISSUER_NOT_IN_ALLIANCE"): lambda d: (
        _(
            "The issuer is %(name)s, registered here but not currently a member of an alliance. "
            "Check with the institution before relying on it."
        )
        % {"name": _text(d.get("name"))}
    ),
    ("endorsement", "passed", ""): lambda d: (
        _("%(endorser)s endorsed this credential as a co-awarding institution.")
        % {"endorser": _text(d.get("endorser"))}
    ),
    ("endorsement", "failed", "ENDORSEMENT_SUBJECT_MISMATCH"): lambda d: (
        _("The endorsement by %(endorser)s endorses another credential, not this one.")
        % {"endorser": _text(d.get("endorser")) or "?"}
    ),
    ("endorsement", "failed", "ENDORSEMENT_CONTENT_MISMATCH"): lambda d: (
        _(
            "The endorsement by %(endorser)s was made for different content: the credential was "
            "changed after it was endorsed."
        )
        % {"endorser": _text(d.get("endorser")) or "?"}
    ),
    ("endorsement", "failed", "ENDORSER_NOT_AWARDING_BODY"): lambda d: (
        _(
            "The endorsement is signed by %(endorser)s, which the credential does not name as a "
            "co-awarding institution."
        )
        % {"endorser": _text(d.get("endorser")) or "?"}
    ),
    ("endorsement", "failed", "*"): lambda d: _(
        "An endorsement of this credential does not verify, so it attests nothing. Do not rely "
        "on the credential; ask the issuer."
    ),
    ("awarding-body", "passed", ""): lambda d: (
        _("%(institution)s attested this credential as a co-awarding institution.")
        % {"institution": _text(d.get("awardingBody"))}
    ),
    ("awarding-body", "warning", "AWARDING_BODY_NOT_ATTESTED"): lambda d: (
        _(
            "The credential names %(institution)s as a co-awarding institution, but "
            "%(institution)s has not attested it."
        )
        % {"institution": _text(d.get("awardingBody")) or "?"}
    ),
    ("joint-shape", "warning", "LEGACY_CO_SIGNATURES"): lambda d: _(
        "This joint credential was issued in the earlier format, with the co-awarding "
        "institutions' signatures as extra proofs instead of endorsements; they were checked and "
        "still count."
    ),
    ("issuer-trust", "warning", "UNKNOWN_ISSUER"): lambda d: (
        _(
            "The issuer %(issuer)s is not in the alliance registry, so nothing here confirms who "
            "they are; the name %(name)s is what the credential says about itself. A valid "
            "signature only shows that the document was not changed."
        )
        % {
            "issuer": _text(d.get("issuer")),
            "name": _text(d.get("claimedName")) or _text(d.get("issuer")),
        }
    ),
}


def _parts(check: Check | Mapping[str, Any]) -> tuple[str, str, str, str, Details]:
    if isinstance(check, Check):
        return check.id, str(check.outcome), check.code, check.reason, check.details
    details = check.get("details")
    return (
        str(check.get("id", "")),
        str(check.get("outcome", "")),
        str(check.get("code", "") or ""),
        str(check.get("reason", "")),
        details if isinstance(details, Mapping) else {},
    )


def localize_check(check: Check | Mapping[str, Any]) -> LocalizedCheck:
    """A check of a report (a `Check`, or its stored `to_dict()` form) in the active language."""
    check_id, outcome, code, english_reason, details = _parts(check)
    key = base_id(check_id)
    message = MESSAGES.get((key, outcome, code)) or MESSAGES.get((key, outcome, "*"))
    reason, reason_language = english_reason, "en"
    if message is not None:
        try:
            reason, reason_language = message(details), ""
        except (KeyError, TypeError, ValueError):
            reason, reason_language = english_reason, "en"
    return LocalizedCheck(
        id=check_id,
        outcome=outcome,
        code=code,
        label=str(CHECK_LABELS.get(key, check_id)),
        outcome_label=str(OUTCOME_LABELS.get(outcome, outcome)),
        reason=reason,
        reason_language=reason_language,
    )


def localize_checks(checks: Any) -> list[LocalizedCheck]:
    return [localize_check(check) for check in checks or []]
