"""What the pre-assessment reports about the request's EMREX/ELMO transcripts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_noop

from recognition.emrex.models import TranscriptSignature
from recognition.models import RecognitionRequest
from recognition.texts import stored


def transcript_checks(case: RecognitionRequest) -> list[dict[str, Any]]:
    """One pre-assessment entry per transcript: what it lists (passed learning opportunities,
    their ECTS and EQF levels) and whether its signature holds. Evidence for the officer: a
    transcript never decides a case on its own."""
    entries = []
    for index, transcript in enumerate(case.transcripts.all(), start=1):
        passed = [
            opportunity
            for opportunity in transcript.learning_opportunities
            if opportunity.get("status") in ("passed", "") and opportunity.get("ects")
        ]
        ects = sum(float(opportunity["ects"]) for opportunity in passed)
        if transcript.signature == TranscriptSignature.VALID:
            outcome = "info"
            reason = stored(
                gettext_noop(
                    "Signed transcript (signer: %(signer)s): %(count)s learning opportunities with %(ects)s ECTS."
                ),
                signer=transcript.signer,
                count=len(passed),
                ects=f"{ects:g}",
            )
        else:
            outcome = "failed" if transcript.signature == TranscriptSignature.INVALID else "warning"
            reason = stored(
                gettext_noop(
                    "The transcript's signature does not match its content: its learning opportunities are not evidence."
                )
                if outcome == "failed"
                else gettext_noop(
                    "Unsigned transcript: %(count)s learning opportunities with %(ects)s ECTS, as the learner states them."
                ),
                count=len(passed),
                ects=f"{ects:g}",
            )
        entries.append(
            {
                "id": f"transcript-{index}",
                "element": "authenticity",
                "outcome": outcome,
                "title": stored(gettext_noop("EMREX transcript of records")),
                "reason": reason,
                "evidence": {
                    "transcript": transcript.pk,
                    "signature": transcript.signature,
                    "learning_opportunities": [
                        {
                            key: opportunity.get(key)
                            for key in ("issuer", "code", "title", "ects", "grade", "eqf", "date")
                        }
                        for opportunity in passed
                    ],
                },
            }
        )
    return entries
