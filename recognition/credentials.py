"""The recognition credential: a decision issued to the learner as a verifiable credential
by the receiving institution.

`recognition_claims(decision)` builds the claims from a final decision (every recognised
credential referenced by id and digest). `recognition_credential_due(decision)` is the single
call site that runs once a recognising decision is final: it asks the issuance pipeline for the
credential, which a worker signs with the receiving institution's key and delivers to the
learner's wallet; `mark_credentials_issued` records the delivery on the decision.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from django.utils.translation import gettext as _

from credential_format.builders import (
    AwardingBody,
    ConstituentCredential,
    Learner,
    RecognitionClaims,
)
from issuance import identity
from issuance import services as issuance_services
from issuance.models import Credential, CredentialKind
from recognition.models import CredentialStatus, Decision, DecisionOutcome, DifferenceElement

logger = logging.getLogger(__name__)

OUTCOMES = {DecisionOutcome.FULL: "full", DecisionOutcome.PARTIAL: "partial"}


def xsd_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def counts_towards_text(decision: Decision) -> str:
    target = decision.request.target
    if decision.counts_towards:
        return decision.counts_towards
    if target is None:
        return _("Free-elective credits")
    return f"{target.code} {target.title}"


def differences_text(decision: Decision) -> str:
    labels = dict(DifferenceElement.choices)
    return "; ".join(
        f"{labels.get(item['element'], item['element'])}: {item['reason']}"
        for item in decision.substantial_differences
    )


def finality_text(decision: Decision) -> str:
    """How the decision became final, as the credential states it. "No appeal was lodged" is
    claimed only when an appeal period actually ran out: a full recognition is final at once
    (there is nothing to appeal) and a learner may accept a decision before the period ends."""
    case = decision.request
    zone = case.institution.zone
    appeal = getattr(case, "appeal", None)
    if appeal is not None and appeal.decided_at is not None:
        template = (
            _("Decided on appeal against the absence of a decision in time, on %(date)s.")
            if appeal.against_inaction
            else _("Final after appeal, decided on %(date)s.")
        )
        return template % {"date": appeal.decided_at.astimezone(zone).date().isoformat()}
    final_at = decision.final_at
    period_end = case.appeal_deadline_at
    if final_at is not None and period_end is not None and final_at > period_end:
        return _(
            "Final: no appeal was lodged within the appeal period, which ended on %(date)s."
        ) % {"date": period_end.astimezone(zone).date().isoformat()}
    if final_at is not None and period_end is not None:
        return _("Final: the learner accepted the decision on %(date)s and waived the appeal.") % {
            "date": final_at.astimezone(zone).date().isoformat()
        }
    return _("Final when taken: recognised in full, so there was nothing to appeal.")


def credential_reference(credential: Any) -> str:
    """The recognised credential's id; a credential without an absolute id gets a stable
    name-based UUID derived from its digest."""
    if ":" in credential.credential_id and " " not in credential.credential_id:
        return str(credential.credential_id)
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, credential.digest_multibase)}"


def recognition_claims(decision: Decision) -> RecognitionClaims:
    """The claims of the recognition credential for a final, recognising decision."""
    if decision.outcome not in OUTCOMES:
        raise ValueError("Only a recognition (full or partial) is issued as a credential")
    if decision.final_at is None or not decision.credential_id:
        raise ValueError("The decision is not final yet")
    case = decision.request
    institution = case.institution
    credentials = list(case.credentials.all())
    if not credentials:
        raise ValueError("The request has no credential")
    learner = case.learner
    target = case.target
    appeal_information = finality_text(decision)
    return RecognitionClaims(
        credential_id=decision.credential_id,
        issuer=AwardingBody(
            id=identity.institution_did(institution),
            name=institution.legal_name,
            country_code=str(institution.country),
            url=institution.website or None,
        ),
        learner=Learner(full_name=learner.full_name or learner.email, email=learner.email),
        issued_on=xsd_datetime(decision.final_at),
        decision_date=xsd_datetime(decision.decided_at),
        recognised_credentials=tuple(
            ConstituentCredential(credential_reference(c), c.digest_multibase) for c in credentials
        ),
        outcome=OUTCOMES[DecisionOutcome(decision.outcome)],
        credits_granted=decision.credits_granted,
        counts_towards=counts_towards_text(decision),
        receiving_programme=(target.programme_title if target else "") or institution.legal_name,
        substantial_differences=differences_text(decision) or None,
        appeal_information=appeal_information,
    )


def claims_for_issuance(decision: Decision) -> dict[str, Any]:
    """The decision-specific claims as JSON, for the issuance row that builds the credential
    (issuer, learner, credential id and date of issuing are the row's own)."""
    claims = recognition_claims(decision)
    return {
        "decision_date": claims.decision_date,
        "recognised_credentials": [
            {"id": c.credential_id, "digest": c.digest_multibase}
            for c in claims.recognised_credentials
        ],
        "outcome": claims.outcome,
        "credits_granted": str(claims.credits_granted),
        "counts_towards": claims.counts_towards,
        "receiving_programme": claims.receiving_programme,
        "substantial_differences": claims.substantial_differences or "",
        "appeal_information": claims.appeal_information or "",
    }


def recognition_credential_due(decision: Decision) -> None:
    """Called once, inside the transaction that made a recognising decision final: asks the
    issuance pipeline for the credential (issued by a worker after commit)."""
    decision.credential_status = CredentialStatus.DUE
    decision.credential_id = decision.credential_id or f"urn:uuid:{uuid.uuid4()}"
    decision.save(update_fields=["credential_status", "credential_id"])
    case = decision.request
    target = case.target
    issuance_services.request_credential(
        kind=CredentialKind.RECOGNITION,
        natural_key=f"recognition:{decision.pk}",
        learner=case.learner,
        issuer=case.institution,
        title=_("Recognition: %(target)s")
        % {"target": f"{target.code} {target.title}" if target else _("free-elective credits")},
        claims=claims_for_issuance(decision),
        credential_uuid=uuid.UUID(decision.credential_id.removeprefix("urn:uuid:")),
    )
    logger.info(
        "Recognition credential %s requested for decision %s", decision.credential_id, decision.pk
    )


def mark_credentials_issued(credential_ids: list[int], **_signal: Any) -> None:
    """Receiver of `issuance.signals.credentials_issued`: decisions whose credential was just issued."""
    keys = Credential.objects.filter(
        pk__in=credential_ids, kind=CredentialKind.RECOGNITION
    ).values_list("natural_key", flat=True)
    decision_ids = [int(key.split(":", 1)[1]) for key in keys]
    if decision_ids:
        Decision.objects.filter(pk__in=decision_ids).update(
            credential_status=CredentialStatus.ISSUED
        )
