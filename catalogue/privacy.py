"""The catalogue's part of a person's data export: their enrolments and assessment results
(see `portal.privacy`). Enrolments and results stay when an account is deleted: they are the
institutions' records behind issued credentials."""

from __future__ import annotations

from typing import Any

from catalogue.models import AssessmentResult, Enrolment
from portal.models import User
from portal.privacy import iso


def export_learning(user: User, **_signal: Any) -> dict[str, Any]:
    return {
        "learning/enrolments.json": [
            {
                "offering": enrolment.offering.code,
                "programme": enrolment.version.title_en,
                "status": enrolment.status,
                "created_at": iso(enrolment.created_at),
                "enrolled_at": iso(enrolment.enrolled_at),
                "withdrawn_at": iso(enrolment.withdrawn_at),
            }
            for enrolment in Enrolment.objects.filter(learner=user).select_related(
                "offering", "version"
            )
        ],
        "learning/results.json": [
            {
                "offering": result.offering.code,
                "outcome": result.outcome,
                "grade": result.grade,
                "assessed_on": iso(result.assessed_on),
                "identity_verified": result.identity_verified,
            }
            for result in AssessmentResult.objects.filter(learner=user).select_related("offering")
        ],
    }
