"""Binding a submitted credential to the learner: the presentation challenge, the holder's
proof, and the officer's identity check when no proof is possible.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from alliances import permissions
from credential_format.verification import (
    Outcome,
    verify_presentation,
)
from issuance import identity as issuance_identity
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.tasking import enqueue_on_commit
from recognition import checks, selectors
from recognition.models import (
    OPEN_STATUSES,
    ChecksStatus,
    HolderChallenge,
    HolderStatus,
    RecognitionRequest,
    SubmittedCredential,
)
from recognition.services.common import _audit, _lock, _now
from recognition.services.submission import check_document_size

HOLDER_CHALLENGE_LIFETIME = timedelta(minutes=30)


# Each attempt uses up a challenge; past this many the officer checks the identity instead.
MAX_HOLDER_CHALLENGES = 20


def _requeue_checks(case: RecognitionRequest) -> None:
    case.checks_status = ChecksStatus.PENDING
    case.save(update_fields=["checks_status"])
    from recognition.tasks import run_preassessment_task

    enqueue_on_commit(run_preassessment_task, case.pk)


@transaction.atomic
def issue_holder_challenge(
    *, learner: User, case: RecognitionRequest, now: datetime | None = None
) -> HolderChallenge:
    """A one-time challenge (with the portal's domain) for the learner's wallet to sign in a
    presentation proving control of a credential's subject; valid for 30 minutes and only for
    this request. An unused one still valid is given again."""
    now = _now(now)
    case = _lock(case)
    permissions.require(permissions.can_act_as_recognition_learner(learner, case))
    if case.status not in OPEN_STATUSES:
        raise ConflictError(_("Documents can only be added while the request is open."))
    active = case.holder_challenges.filter(used_at__isnull=True, expires_at__gt=now).first()
    if active is not None:
        return active
    if case.holder_challenges.count() >= MAX_HOLDER_CHALLENGES:
        raise ConflictError(
            _("Too many attempts for this request: ask the officer to check your identity."),
            code="too_many_attempts",
        )
    challenge = HolderChallenge.objects.create(
        request=case,
        challenge=secrets.token_urlsafe(24),
        domain=issuance_identity.portal_host(),
        created_at=now,
        expires_at=now + HOLDER_CHALLENGE_LIFETIME,
    )
    _audit(learner, "recognition.holder_challenge_issued", case)
    return challenge


def _presentation_challenge(presentation: dict[str, Any]) -> str:
    proofs = presentation.get("proof")
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(proof, dict) and isinstance(proof.get("challenge"), str):
            return str(proof["challenge"])[:64]
    return ""


def prove_holder(
    *,
    learner: User,
    case: RecognitionRequest,
    presentation: Any,
    now: datetime | None = None,
) -> list[SubmittedCredential]:
    """The learner proves control of the subject DID of the request's credentials with a
    Verifiable Presentation signed by that DID (proof purpose authentication) over a challenge
    and domain the portal issued for this request. The challenge is used up either way (the
    refusal is committed before it is raised)."""
    proven = _prove_holder(learner=learner, case=case, presentation=presentation, now=now)
    if not proven:
        raise DomainError(
            _(
                "The presentation does not prove that you hold these credentials: it must be "
                "signed by the credential's subject, for the challenge and domain shown on this "
                "request, within 30 minutes."
            ),
            code="holder_not_proven",
            field="presentation",
        )
    return proven


@transaction.atomic
def _prove_holder(
    *,
    learner: User,
    case: RecognitionRequest,
    presentation: Any,
    now: datetime | None = None,
) -> list[SubmittedCredential]:
    now = _now(now)
    case = _lock(case)
    permissions.require(permissions.can_act_as_recognition_learner(learner, case))
    if case.status not in OPEN_STATUSES:
        raise ConflictError(_("Documents can only be added while the request is open."))
    if not isinstance(presentation, dict):
        return []
    check_document_size(presentation)
    challenge = (
        HolderChallenge.objects.select_for_update()
        .filter(
            request=case,
            challenge=_presentation_challenge(presentation),
            used_at__isnull=True,
            expires_at__gt=now,
        )
        .first()
    )
    if challenge is None:
        _audit(learner, "recognition.holder_proof_refused", case, reason=["challenge"])
        return []
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    report = verify_presentation(
        presentation,
        fetcher=checks.verification_fetcher(),
        now=now,
        challenge=challenge.challenge,
        domain=challenge.domain,
    )
    holder = report.issuer if isinstance(report.issuer, str) else ""
    own_checks_pass = bool(report.checks) and not report.errors
    signed_by_holder = any(
        check.id == "issuer-key" and check.outcome == Outcome.PASSED for check in report.checks
    )
    proven = [
        credential
        for credential in case.credentials.all()
        if holder
        and credential.subject_id == holder
        and selectors.issued_here_record(credential) is None
    ]
    if not (own_checks_pass and signed_by_holder and proven):
        _audit(
            learner,
            "recognition.holder_proof_refused",
            case,
            reason=[check.code for check in report.errors] or ["subject"],
        )
        return []
    for credential in proven:
        credential.holder_status = HolderStatus.PRESENTATION
        credential.holder_note = f"{holder} ({now.isoformat()})"
    SubmittedCredential.objects.bulk_update(proven, ["holder_status", "holder_note"])
    _audit(
        learner,
        "recognition.holder_proven",
        case,
        subject=holder,
        credentials=[c.position for c in proven],
    )
    _requeue_checks(case)
    return proven


@transaction.atomic
def record_identity_check(
    *, officer: User, case: RecognitionRequest, position: int, note: str
) -> SubmittedCredential:
    """An officer records that they checked the learner is the credential's holder (an
    identity document, a call with the issuer), with a note; the checks run again."""
    case = _lock(case)
    permissions.require(permissions.can_assess_recognition_request(officer, case))
    if case.status not in OPEN_STATUSES:
        raise ConflictError(_("The checks of a decided request are kept as they were."))
    if not note.strip():
        raise DomainError(_("Give a reason."), code="reasons_required", field="note")
    credential = case.credentials.filter(position=position).first()
    if credential is None:
        raise DomainError(_("Add at least one credential."), field="position")
    credential.holder_status = HolderStatus.OFFICER
    credential.holder_note = note.strip()[:2000]
    credential.save(update_fields=["holder_status", "holder_note"])
    _audit(
        officer,
        "recognition.identity_checked",
        case,
        credential=position,
        note=credential.holder_note,
    )
    _requeue_checks(case)
    return credential
