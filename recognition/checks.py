"""The automated pre-assessment: deterministic rules, each check with a plain reason.

The rules are documented in docs/recognition.md. They never decide: they tell the officer
what matches, what differs, what the credential does not state, what earlier decisions said,
and recommend one of: recognise in full, recognise in part with N ECTS, or look for a
substantial difference in the named elements. The burden of proof stays with the institution.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_noop

from credential_format.verification import Outcome, verify_credential
from recognition.issuers import RegistryEntry, RegistryFetcher
from recognition.models import (
    DifferenceElement,
    HolderStatus,
    IssuerTrust,
    RecognitionAgreement,
    RecognitionTarget,
    SubmittedCredential,
    VerificationVerdict,
)
from recognition.parsing import stated_holder_name
from recognition.texts import stored
from verification.check_messages import VERDICT_EXPLANATIONS
from verification.fetching import verification_fetcher

RULES_VERSION = 1
SKILL_COVERAGE_FOR_MATCH = Decimal("0.75")
PARTIAL_WORKLOAD_SHARE = Decimal("0.5")

# Failures that only mean "not reachable from here" (did:web keys, status lists): the
# credential is reported as not fully checked, never as valid.
UNCHECKABLE_CODES = frozenset(
    {"KEY_UNREACHABLE", "STATUS_RETRIEVAL_ERROR", "VERIFICATION_TIME_LIMIT"}
)

MATCH = "match"
DIFFERENCE = "difference"
NOT_STATED = "not_stated"
WARNING = "warning"
FAILED = "failed"
INFO = "info"

RECOMMEND_FULL = "full"
RECOMMEND_PARTIAL = "partial"
RECOMMEND_EXAMINE = "examine"

SUPERVISION_RANK = {
    "unsupervised-no-identity-verification": 0,
    "supervised-no-identity-verification": 1,
    "supervised-with-identity-verification": 2,
}


@dataclass(frozen=True)
class VerificationOutcome:
    report: dict[str, Any]
    verdict: str


def verify_submitted_document(
    document: Any, *, now: datetime | None = None, registry: RegistryEntry | None = None
) -> VerificationOutcome:
    """Verify a submitted credential. For an issuer in the trust registry the proof must be
    made with a key of that issuer's DID document (which the portal holds or the registry
    lists): a key that does not resolve is a failure, not "could not be checked"."""
    report = verify_credential(
        document,
        fetcher=RegistryFetcher(verification_fetcher()),
        now=now,
        fetch_budget_seconds=settings.VERIFICATION_FETCH_BUDGET_SECONDS,
        time_budget_seconds=settings.VERIFICATION_TIME_LIMIT_SECONDS,
    )
    issuer_key = report.check("issuer-key")
    if (
        registry is not None
        and registry.registered
        and (issuer_key is None or issuer_key.outcome != Outcome.PASSED)
    ):
        report.add(
            "issuer-registry",
            Outcome.FAILED,
            f"The credential names {report.issuer}, an issuer in the trust registry "
            f"({registry.name}), but no valid proof was made with a key of that issuer's DID "
            "document: it was not issued by that issuer.",
            "REGISTERED_ISSUER_KEY_MISMATCH",
            issuer=report.issuer,
        )
    codes = {check.code for check in report.errors}
    if "KEY_UNREACHABLE" in codes:
        # The issuer's own proof could not be checked, so "no proof by the issuer's key"
        # follows from that and is no evidence of forgery on its own.
        codes.discard("ISSUER_KEY_MISMATCH")
    if not report.errors:
        verdict = VerificationVerdict.VERIFIED
    elif codes <= UNCHECKABLE_CODES:
        verdict = VerificationVerdict.NOT_CHECKED
    else:
        verdict = VerificationVerdict.FAILED
    return VerificationOutcome(report=report.to_dict(), verdict=str(verdict))


@dataclass
class CheckResult:
    """One check; `title` and `reason` are stored messages (`recognition.texts`)."""

    id: str
    element: str
    outcome: str
    title: dict[str, Any]
    reason: dict[str, Any]
    evidence: dict[str, Any] = field(default_factory=dict)


def _ects(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}"


def _half_credits_down(value: Decimal) -> Decimal:
    return ((value * 2).to_integral_value(rounding=ROUND_DOWN) / 2).quantize(Decimal("0.1"))


# --- the checks ------------------------------------------------------------------------------


def check_verification(credentials: Sequence[SubmittedCredential]) -> list[CheckResult]:
    results = []
    for credential in credentials:
        name = credential.title or credential.credential_id or stored(gettext_noop("credential"))
        report = credential.verification or {}
        if (
            credential.verdict == VerificationVerdict.VERIFIED
            and credential.issuer_trust == IssuerTrust.UNKNOWN
        ):
            results.append(
                CheckResult(
                    f"verification-{credential.position}",
                    DifferenceElement.AUTHENTICITY,
                    WARNING,
                    stored(gettext_noop("Authenticity: %(name)s"), name=name),
                    stored(VERDICT_EXPLANATIONS["unknown-issuer"]),
                    {"issuer": credential.issuer_id},
                )
            )
        elif credential.verdict == VerificationVerdict.VERIFIED:
            results.append(
                CheckResult(
                    f"verification-{credential.position}",
                    DifferenceElement.AUTHENTICITY,
                    MATCH,
                    stored(gettext_noop("Authenticity: %(name)s"), name=name),
                    stored(VERDICT_EXPLANATIONS["valid"]),
                )
            )
        elif credential.verdict == VerificationVerdict.NOT_CHECKED:
            # The failing checks themselves, shown in the reader's language.
            reasons = list(report.get("errors", []))
            results.append(
                CheckResult(
                    f"verification-{credential.position}",
                    DifferenceElement.AUTHENTICITY,
                    WARNING,
                    stored(gettext_noop("Authenticity: %(name)s"), name=name),
                    stored(VERDICT_EXPLANATIONS["unconfirmed"]),
                    {"details": reasons},
                )
            )
        else:
            # The failing checks themselves, shown in the reader's language.
            reasons = list(report.get("errors", []))
            results.append(
                CheckResult(
                    f"verification-{credential.position}",
                    DifferenceElement.AUTHENTICITY,
                    FAILED,
                    stored(gettext_noop("Authenticity: %(name)s"), name=name),
                    stored(VERDICT_EXPLANATIONS["invalid"]),
                    {"details": reasons},
                )
            )
    return results


def _name_words(name: str) -> frozenset[str]:
    """The words of a name, compared without case or accents ("Léa" is "lea")."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return frozenset("".join(c if c.isalnum() else " " for c in plain).split())


def names_agree(stated: str, holder: str) -> bool:
    """Whether a credential's name plausibly is the account holder's: the same words, or every
    word of the shorter name within the longer (a middle or second family name left out)."""
    stated_words, holder_words = _name_words(stated), _name_words(holder)
    if not stated_words or not holder_words:
        return False
    shorter, longer = sorted((stated_words, holder_words), key=len)
    return len(shorter) >= min(2, len(longer)) and shorter <= longer


def _holder_binding(credential: SubmittedCredential) -> tuple[str, dict[str, Any]]:
    status = credential.holder_status
    if status == HolderStatus.ISSUED_HERE:
        return MATCH, stored(gettext_noop("Issued on this portal to this learner."))
    if status == HolderStatus.PRESENTATION:
        return MATCH, stored(
            gettext_noop(
                "The learner proved control of the credential's subject %(subject)s with a "
                "presentation signed for this request."
            ),
            subject=credential.subject_id,
        )
    if status == HolderStatus.OFFICER:
        return MATCH, stored(
            gettext_noop("An officer checked the learner's identity: %(note)s"),
            note=credential.holder_note,
        )
    if status == HolderStatus.ISSUED_TO_OTHER:
        return DIFFERENCE, stored(
            gettext_noop(
                "Issued to someone else: this credential was issued to, or submitted by, another "
                "person. Do not rely on it for this learner."
            )
        )
    return WARNING, stored(
        gettext_noop(
            "Holder not proven: nothing shows that the learner is the person the credential was "
            "issued to. Ask for a presentation signed by the credential's subject, or check the "
            "learner's identity and record it."
        )
    )


def check_holder(
    credentials: Sequence[SubmittedCredential],
    holder_name: str,
    recent_name_changes: Sequence[dict[str, str]] = (),
) -> list[CheckResult]:
    """Whether each credential is the submitting learner's: bound to them (issued here to
    them, a presentation signed by its subject, or an identity check by an officer), and
    whether it is in the name the learner had when the request arrived. A different name is
    for the officer to resolve (a change of name, a transliteration); so is a change of the
    account's name shortly before the request."""
    results = []
    for credential in credentials:
        label = credential.title or credential.credential_id or stored(gettext_noop("credential"))
        outcome, reason = _holder_binding(credential)
        results.append(
            CheckResult(
                f"holder-{credential.position}",
                DifferenceElement.AUTHENTICITY,
                outcome,
                stored(gettext_noop("Holder: %(name)s"), name=label),
                reason,
                {"holder_status": credential.holder_status},
            )
        )
        stated = stated_holder_name(credential.document)
        title = stored(gettext_noop("Name on the credential: %(name)s"), name=label)
        if recent_name_changes:
            outcome, reason = (
                DIFFERENCE,
                stored(
                    gettext_noop(
                        "The account's name changed shortly before the request (%(changes)s): "
                        "make sure the credential is theirs before relying on it."
                    ),
                    changes="; ".join(
                        f"{c['old_name'] or '—'} → {c['new_name']} ({c['applied_at']})"
                        for c in recent_name_changes
                    ),
                ),
            )
        elif not stated:
            outcome, reason = (
                INFO,
                stored(
                    gettext_noop(
                        "The credential does not state its holder's name: confirm the learner's "
                        "identity as for any document."
                    )
                ),
            )
        elif holder_name and names_agree(stated, holder_name):
            outcome, reason = (
                MATCH,
                stored(
                    gettext_noop("Issued to %(stated)s, the name of the learner's account."),
                    stated=stated,
                ),
            )
        else:
            outcome, reason = (
                DIFFERENCE,
                stored(
                    gettext_noop(
                        "Issued to %(stated)s, but the learner's account is in the name of "
                        "%(holder)s: make sure the credential is theirs (a change of name, another "
                        "spelling) before relying on it."
                    ),
                    stated=stated,
                    holder=holder_name or "—",
                ),
            )
        results.append(
            CheckResult(
                f"holder-name-{credential.position}",
                DifferenceElement.AUTHENTICITY,
                outcome,
                title,
                reason,
                {"name_at_submission": holder_name},
            )
        )
    return results


def check_level(
    credentials: Sequence[SubmittedCredential], target: RecognitionTarget | None
) -> CheckResult:
    title = stored(gettext_noop("Level (EQF)"))
    missing = [c.title or c.credential_id for c in credentials if c.eqf_level is None]
    if missing:
        return CheckResult(
            "level",
            DifferenceElement.LEVEL,
            NOT_STATED,
            title,
            stored(
                gettext_noop("Not stated by: %(names)s. Establish the level before deciding."),
                names=", ".join(missing),
            ),
        )
    level = min(c.eqf_level for c in credentials if c.eqf_level is not None)
    if target is None:
        return CheckResult(
            "level",
            DifferenceElement.LEVEL,
            INFO,
            title,
            stored(
                gettext_noop("EQF level %(level)s; free-elective credits have no target level."),
                level=level,
            ),
            {"credential": level},
        )
    evidence = {"credential": level, "target": target.eqf_level}
    if level >= target.eqf_level:
        return CheckResult(
            "level",
            DifferenceElement.LEVEL,
            MATCH,
            title,
            stored(
                gettext_noop("EQF level %(level)s reaches the target's level %(target)s."),
                level=level,
                target=target.eqf_level,
            ),
            evidence,
        )
    return CheckResult(
        "level",
        DifferenceElement.LEVEL,
        DIFFERENCE,
        title,
        stored(
            gettext_noop(
                "EQF level %(level)s is below the target's level %(target)s: a possible substantial difference."
            ),
            level=level,
            target=target.eqf_level,
        ),
        evidence,
    )


def total_ects(credentials: Sequence[SubmittedCredential]) -> Decimal | None:
    if any(c.ects is None for c in credentials):
        return None
    return sum((c.ects for c in credentials if c.ects is not None), Decimal("0"))


def check_workload(
    credentials: Sequence[SubmittedCredential], target: RecognitionTarget | None
) -> CheckResult:
    title = stored(gettext_noop("Workload (ECTS)"))
    total = total_ects(credentials)
    if total is None:
        missing = [c.title or c.credential_id for c in credentials if c.ects is None]
        return CheckResult(
            "workload",
            DifferenceElement.WORKLOAD,
            NOT_STATED,
            title,
            stored(
                gettext_noop("No workload in ECTS stated by: %(names)s."), names=", ".join(missing)
            ),
        )
    if target is None:
        return CheckResult(
            "workload",
            DifferenceElement.WORKLOAD,
            MATCH,
            title,
            stored(
                gettext_noop("%(ects)s ECTS can count as free-elective credits."), ects=_ects(total)
            ),
            {"credential": str(total)},
        )
    evidence = {"credential": str(total), "target": str(target.ects)}
    if total >= target.ects:
        return CheckResult(
            "workload",
            DifferenceElement.WORKLOAD,
            MATCH,
            title,
            stored(
                gettext_noop("%(ects)s ECTS cover the target's %(target)s ECTS."),
                ects=_ects(total),
                target=_ects(target.ects),
            ),
            evidence,
        )
    share = total / target.ects
    evidence["share"] = f"{share:.2f}"
    values = {"ects": _ects(total), "target": _ects(target.ects)}
    if share >= PARTIAL_WORKLOAD_SHARE:
        reason = stored(
            gettext_noop(
                "%(ects)s ECTS are less than the target's %(target)s ECTS: partial recognition of "
                "%(ects)s ECTS is possible."
            ),
            **values,
        )
    else:
        reason = stored(
            gettext_noop(
                "%(ects)s ECTS are less than half of the target's %(target)s ECTS: a possible "
                "substantial difference."
            ),
            **values,
        )
    return CheckResult(
        "workload",
        DifferenceElement.WORKLOAD,
        DIFFERENCE,
        title,
        reason,
        evidence,
    )


def check_learning_outcomes(
    credentials: Sequence[SubmittedCredential],
    target: RecognitionTarget | None,
    skill_labels: dict[str, str],
) -> CheckResult:
    title = stored(gettext_noop("Learning outcomes and skills (ESCO)"))
    credential_skills = {uri for c in credentials for uri in c.skill_uris}
    if target is None:
        return CheckResult(
            "learning-outcomes",
            DifferenceElement.LEARNING_OUTCOMES,
            INFO,
            title,
            stored(
                gettext_noop("Free-elective credits are not compared with a course's outcomes.")
            ),
            {"credential_skills": sorted(credential_skills)},
        )
    target_skills = set(target.skill_uris)
    if not target_skills:
        return CheckResult(
            "learning-outcomes",
            DifferenceElement.LEARNING_OUTCOMES,
            NOT_STATED,
            title,
            stored(
                gettext_noop(
                    "The target lists no ESCO skills: compare the learning outcomes by reading them."
                )
            ),
        )
    if not credential_skills:
        stated = any(c.learning_outcomes for c in credentials)
        reason = (
            stored(
                gettext_noop(
                    "The credential states outcomes but no ESCO skills: compare them by reading them."
                )
            )
            if stated
            else stored(gettext_noop("The credential states no learning outcomes or skills."))
        )
        return CheckResult(
            "learning-outcomes", DifferenceElement.LEARNING_OUTCOMES, NOT_STATED, title, reason
        )
    covered = target_skills & credential_skills
    missing = target_skills - credential_skills
    coverage = Decimal(len(covered)) / Decimal(len(target_skills))
    evidence = {
        "coverage": f"{coverage:.2f}",
        "covered": sorted(skill_labels.get(uri, uri) for uri in covered),
        "missing": sorted(skill_labels.get(uri, uri) for uri in missing),
        "additional": sorted(
            skill_labels.get(uri, uri) for uri in credential_skills - target_skills
        ),
    }
    values = {"covered": len(covered), "total": len(target_skills)}
    if coverage >= SKILL_COVERAGE_FOR_MATCH:
        return CheckResult(
            "learning-outcomes",
            DifferenceElement.LEARNING_OUTCOMES,
            MATCH,
            title,
            stored(
                gettext_noop("%(covered)s of the target's %(total)s skills are certified."),
                **values,
            ),
            evidence,
        )
    return CheckResult(
        "learning-outcomes",
        DifferenceElement.LEARNING_OUTCOMES,
        DIFFERENCE,
        title,
        stored(
            gettext_noop(
                "Only %(covered)s of the target's %(total)s skills are certified: check whether "
                "the missing ones make a substantial difference."
            ),
            **values,
        ),
        evidence,
    )


def check_assessment(credentials: Sequence[SubmittedCredential]) -> CheckResult:
    title = stored(gettext_noop("Assessment and identity verification"))
    evidence = {
        "assessment": [c.assessment_type for c in credentials if c.assessment_type],
        "supervision": [c.supervision for c in credentials],
    }
    if any(not c.supervision for c in credentials) or any(
        not c.assessment_type for c in credentials
    ):
        return CheckResult(
            "assessment",
            DifferenceElement.PROFILE,
            NOT_STATED,
            title,
            stored(
                gettext_noop(
                    "The type of assessment or the supervision during assessment is not stated."
                )
            ),
            evidence,
        )
    weakest = min(SUPERVISION_RANK[c.supervision] for c in credentials)
    if weakest == 2:
        return CheckResult(
            "assessment",
            DifferenceElement.PROFILE,
            MATCH,
            title,
            stored(gettext_noop("Assessed under supervision with identity verification.")),
            evidence,
        )
    if weakest == 1:
        return CheckResult(
            "assessment",
            DifferenceElement.PROFILE,
            WARNING,
            title,
            stored(
                gettext_noop(
                    "Assessed under supervision, but the learner's identity was not verified."
                )
            ),
            evidence,
        )
    return CheckResult(
        "assessment",
        DifferenceElement.PROFILE,
        DIFFERENCE,
        title,
        stored(
            gettext_noop(
                "Assessed without supervision or identity verification: a possible substantial difference."
            )
        ),
        evidence,
    )


def check_quality(credentials: Sequence[SubmittedCredential]) -> CheckResult:
    title = stored(gettext_noop("Quality assurance of the awarding institution"))
    # Only a verified credential of one of the portal's institutions counts as registered here:
    # a forgery in a registered institution's name is not "registered".
    registered = [
        c
        for c in credentials
        if c.issuer_trust == IssuerTrust.MEMBER and c.verdict == VerificationVerdict.VERIFIED
    ]
    if len(registered) == len(credentials):
        bodies = sorted(
            {
                c.issuer_institution.qa_accrediting_body
                for c in registered
                if c.issuer_institution is not None and c.issuer_institution.qa_accrediting_body
            }
        )
        return CheckResult(
            "quality",
            DifferenceElement.QUALITY,
            MATCH,
            title,
            stored(
                gettext_noop(
                    "Awarded by institutions registered on this portal, quality assured by: %(bodies)s."
                ),
                bodies=", ".join(bodies) or stored(gettext_noop("their national agencies")),
            ),
            {"registered": True},
        )
    unregistered = [c for c in credentials if c not in registered]
    if all(c.quality_assurance for c in unregistered):
        return CheckResult(
            "quality",
            DifferenceElement.QUALITY,
            WARNING,
            title,
            stored(
                gettext_noop(
                    "The issuer is not registered on this portal; the quality assurance below is "
                    "what the credential says about itself. Check it in a public register (e.g. EQAR)."
                )
            ),
            {"stated": [c.quality_assurance for c in unregistered]},
        )
    return CheckResult(
        "quality",
        DifferenceElement.QUALITY,
        NOT_STATED,
        title,
        stored(
            gettext_noop(
                "The issuer is not registered on this portal and the credential states no quality assurance."
            )
        ),
    )


# --- precedents, agreements, recommendation -------------------------------------------------

GRADE_ORDER_ECTS = "ABCDE"


def grade_meets(minimum: str, grade: str, scheme: str) -> bool:
    """Whether `grade` is at least `minimum` in the programme's grading scheme."""
    if not minimum:
        return True
    grade, minimum = grade.strip(), minimum.strip()
    if not grade:
        return False
    if scheme == "pass_fail":
        return grade.lower() in {"pass", "passed"}
    if scheme == "ects":
        grade, minimum = grade.upper(), minimum.upper()
        if grade not in GRADE_ORDER_ECTS or minimum not in GRADE_ORDER_ECTS:
            return False
        return GRADE_ORDER_ECTS.index(grade) <= GRADE_ORDER_ECTS.index(minimum)
    try:
        return Decimal(grade.replace(",", ".")) >= Decimal(minimum.replace(",", "."))
    except ArithmeticError:
        return False


def agreement_covers(agreement: RecognitionAgreement, credential: SubmittedCredential) -> bool:
    """A verified credential issued here, for the agreement's programme, from its version
    and with at least its minimum grade."""
    version = credential.programme_version
    if credential.verdict != VerificationVerdict.VERIFIED or version is None:
        return False
    if version.programme_id != agreement.programme_id:
        return False
    if agreement.from_version is not None and version.number < agreement.from_version:
        return False
    scheme = str(version.snapshot.get("grading_scheme", ""))
    return grade_meets(agreement.minimum_grade, credential.grade, scheme)


def covering_agreement(
    agreements: Sequence[RecognitionAgreement], credentials: Sequence[SubmittedCredential]
) -> RecognitionAgreement | None:
    for agreement in agreements:
        if any(agreement_covers(agreement, credential) for credential in credentials):
            return agreement
    return None


@dataclass
class Recommendation:
    kind: str
    reason: dict[str, Any]
    ects: str | None = None
    elements: list[str] = field(default_factory=list)
    agreement: int | None = None
    # True only when the agreement decides the case without an officer (`may_decide_automatically`).
    automatic: bool = False
    guidance: dict[str, Any] | None = None


AUTOMATIC_DECISION_CHECKS = ("level", "workload")


def may_decide_automatically(
    checks: Sequence[CheckResult], credentials: Sequence[SubmittedCredential]
) -> bool:
    """An agreement decides on its own only when nothing is in doubt: every credential is
    verified (signature, issuer key, status) and from an issuer in the trust registry, its
    holder is proven and its name agrees, and level and workload are a match."""
    if not credentials:
        return False
    for credential in credentials:
        if credential.verdict != VerificationVerdict.VERIFIED:
            return False
        if credential.issuer_trust == IssuerTrust.UNKNOWN or not credential.holder_proven:
            return False
    for check in checks:
        if check.element == DifferenceElement.AUTHENTICITY and check.outcome not in (MATCH, INFO):
            return False
        if check.id in AUTOMATIC_DECISION_CHECKS and check.outcome != MATCH:
            return False
    return True


def recommend(
    checks: Sequence[CheckResult],
    credentials: Sequence[SubmittedCredential],
    target: RecognitionTarget | None,
    agreement: RecognitionAgreement | None,
) -> Recommendation:
    if agreement is None:
        return _recommend_on_checks(checks, credentials, target)
    if not may_decide_automatically(checks, credentials):
        recommendation = _recommend_on_checks(checks, credentials, target)
        recommendation.agreement = agreement.pk
        recommendation.guidance = stored(
            gettext_noop(
                "A recognition agreement covers this programme (%(ects)s ECTS), but not every "
                "check is a verified match: an officer decides, with the agreement as guidance."
            ),
            ects=_ects(agreement.ects),
        )
        return recommendation
    kind = RECOMMEND_FULL if target is None or agreement.ects >= target.ects else RECOMMEND_PARTIAL
    return Recommendation(
        kind,
        stored(
            gettext_noop("Covered by the recognition agreement for this programme: %(ects)s ECTS."),
            ects=_ects(agreement.ects),
        ),
        ects=str(agreement.ects),
        agreement=agreement.pk,
        automatic=True,
    )


def _recommend_on_checks(
    checks: Sequence[CheckResult],
    credentials: Sequence[SubmittedCredential],
    target: RecognitionTarget | None,
) -> Recommendation:
    if any(check.outcome == FAILED for check in checks):
        return Recommendation(
            RECOMMEND_EXAMINE,
            stored(
                gettext_noop(
                    "A credential failed verification: establish its authenticity first (ask the learner for the original)."
                )
            ),
            elements=[DifferenceElement.AUTHENTICITY.value],
        )
    if any(not c.holder_proven or c.issuer_trust == IssuerTrust.UNKNOWN for c in credentials):
        # A copied credential or a self-made issuer must never be recommended for recognition.
        return Recommendation(
            RECOMMEND_EXAMINE,
            stored(
                gettext_noop(
                    "The holder is not proven or the issuer is unknown: establish who holds and "
                    "who issued the credential before recognising it."
                )
            ),
            elements=sorted(
                {str(c.element) for c in checks if c.outcome in (DIFFERENCE, NOT_STATED)}
                | {DifferenceElement.AUTHENTICITY.value}
            ),
        )
    differing = [c.element for c in checks if c.outcome == DIFFERENCE]
    unknown = [c.element for c in checks if c.outcome == NOT_STATED]
    total = total_ects(credentials)
    if target is None:
        if total is not None and not differing and not unknown:
            return Recommendation(
                RECOMMEND_FULL,
                stored(
                    gettext_noop("Recognise %(ects)s ECTS as free-elective credits."),
                    ects=_ects(total),
                ),
                ects=str(total),
            )
        return Recommendation(
            RECOMMEND_EXAMINE,
            stored(gettext_noop("Look for a substantial difference in the named elements.")),
            elements=sorted(set(differing + unknown)),
        )
    if not differing and not unknown:
        return Recommendation(
            RECOMMEND_FULL,
            stored(
                gettext_noop(
                    "No substantial difference found by the automatic checks: recognise in full."
                )
            ),
            ects=str(target.ects),
        )
    if (
        differing == [DifferenceElement.WORKLOAD]
        and not unknown
        and total is not None
        and total >= target.ects * PARTIAL_WORKLOAD_SHARE
    ):
        granted = _half_credits_down(total)
        return Recommendation(
            RECOMMEND_PARTIAL,
            stored(
                gettext_noop("Only the workload differs: recognise in part with %(ects)s ECTS."),
                ects=_ects(granted),
            ),
            ects=str(granted),
            elements=[DifferenceElement.WORKLOAD.value],
        )
    return Recommendation(
        RECOMMEND_EXAMINE,
        stored(
            gettext_noop(
                "Look for a substantial difference in the named elements; recognise unless one is "
                "shown (the burden of proof is on the institution)."
            )
        ),
        elements=sorted({str(e) for e in differing + unknown}),
    )


def precedents_summary(precedents: Sequence[Any]) -> CheckResult:
    title = stored(gettext_noop("Earlier decisions (precedents)"))
    rows = [
        {
            "request": p.request.reference,
            "request_id": p.request_id,
            "outcome": p.outcome,
            "credits": str(p.credits_granted),
            "decided_at": p.decided_at.date().isoformat(),
            "automatic": p.automatic,
        }
        for p in precedents
    ]
    if not rows:
        return CheckResult(
            "precedents",
            "precedents",
            INFO,
            title,
            stored(
                gettext_noop(
                    "No earlier decision at this institution for the same credential and target."
                )
            ),
        )
    outcomes = {row["outcome"] for row in rows}
    if len(outcomes) == 1:
        reason = stored(
            gettext_noop(
                "%(count)s earlier decision(s) for the same credential and target, all with the same "
                "outcome: deciding differently needs reasons (coherence)."
            ),
            count=len(rows),
        )
    else:
        reason = stored(
            gettext_noop(
                "%(count)s earlier decision(s) for the same credential and target, with different outcomes."
            ),
            count=len(rows),
        )
    return CheckResult("precedents", "precedents", INFO, title, reason, {"decisions": rows})


def run_checks(
    *,
    credentials: Sequence[SubmittedCredential],
    target: RecognitionTarget | None,
    agreements: Sequence[RecognitionAgreement],
    precedents: Sequence[Any],
    skill_labels: dict[str, str],
    holder_name: str,
    now: datetime,
    recent_name_changes: Sequence[dict[str, str]] = (),
) -> dict[str, Any]:
    """The pre-assessment report stored on the request (shape in docs/recognition.md)."""
    checks = check_verification(credentials)
    checks.extend(check_holder(credentials, holder_name, recent_name_changes))
    checks.append(check_level(credentials, target))
    checks.append(check_workload(credentials, target))
    checks.append(check_learning_outcomes(credentials, target, skill_labels))
    checks.append(check_assessment(credentials))
    checks.append(check_quality(credentials))
    agreement = covering_agreement(agreements, credentials)
    recommendation = recommend(checks, credentials, target, agreement)
    checks.append(precedents_summary(precedents))
    return {
        "rules_version": RULES_VERSION,
        "generated_at": now.isoformat(),
        "checks": [asdict(check) for check in checks],
        "recommendation": asdict(recommendation),
    }
