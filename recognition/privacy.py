"""Recognition's part of a person's data export (see `portal.privacy`): the recognition
requests they made, with the credentials they submitted, the questions and answers, the files
they attached, the decisions and their appeals.

Officers are named by their role, not by their account: the learner receives what the case
says, and the officers' own data belong to their export.
"""

from __future__ import annotations

import re
from typing import Any

from portal.models import User
from portal.privacy import iso
from recognition.models import Decision, RecognitionRequest


def _safe_file_name(name: str) -> str:
    """A file name that stays inside its folder of the archive."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = re.sub(r"[^\w.\- ]+", "_", base).strip(" .")
    return cleaned[:120] or "attachment"


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "outcome": decision.outcome,
        "credits_granted": str(decision.credits_granted),
        "counts_towards": decision.counts_towards,
        "component_replaced": decision.component_replaced,
        "substantial_differences": decision.substantial_differences,
        "compensatory_measures": decision.compensatory_measures,
        "reasons": decision.reasons,
        "automatic": decision.automatic,
        "decided_at": iso(decision.decided_at),
        "final_at": iso(decision.final_at),
        "recognition_credential_id": decision.credential_id,
    }


def export_recognition(user: User, **_signal: Any) -> dict[str, Any]:
    files: dict[str, Any] = {}
    summaries = []
    requests = (
        RecognitionRequest.objects.filter(learner=user)
        .select_related("institution", "target")
        .prefetch_related("credentials", "messages", "attachments", "decisions")
        .order_by("received_at", "pk")
    )
    for request in requests:
        folder = f"recognition/request-{request.pk}"
        appeal = getattr(request, "appeal", None)
        attachments = []
        for position, attachment in enumerate(request.attachments.all(), start=1):
            archived = (
                f"{folder}/attachments/{position}-{_safe_file_name(attachment.original_name)}"
            )
            try:
                with attachment.file.open("rb") as handle:
                    files[archived] = handle.read()
            except OSError:
                archived = ""  # the stored file is gone; the listing still names it
            attachments.append(
                {
                    "name": attachment.original_name,
                    "content_type": attachment.content_type,
                    "size": attachment.size,
                    "uploaded_at": iso(attachment.uploaded_at),
                    "file_in_archive": archived,
                }
            )
        for credential in request.credentials.all():
            files[f"{folder}/credentials/{credential.position}.json"] = credential.document
        summaries.append(
            {
                "request": request.pk,
                "institution": request.institution.legal_name,
                "kind": request.kind,
                "target": (
                    {"code": request.target.code, "title": request.target.title}
                    if request.target is not None
                    else None
                ),
                "motivation": request.motivation,
                "status": request.status,
                "received_at": iso(request.received_at),
                "deadline_at": iso(request.deadline_at),
                "closed_at": iso(request.closed_at),
                "learner_name": request.learner_name,
                "submitted_credentials": [
                    {
                        "position": credential.position,
                        "title": credential.title,
                        "issuer": credential.issuer_name or credential.issuer_id,
                        "verdict": credential.verdict,
                        "file_in_archive": f"{folder}/credentials/{credential.position}.json",
                    }
                    for credential in request.credentials.all()
                ],
                "messages": [
                    {
                        "from": "you" if message.author_id == user.pk else "institution",
                        "kind": message.kind,
                        "body": message.body,
                        "at": iso(message.created_at),
                    }
                    for message in request.messages.all()
                ],
                "attachments": attachments,
                "decisions": [_decision(decision) for decision in request.decisions.all()],
                "appeal": (
                    {
                        "grounds": appeal.grounds,
                        "lodged_at": iso(appeal.lodged_at),
                        "status": appeal.status,
                        "outcome": appeal.outcome,
                        "outcome_reasons": appeal.outcome_reasons,
                        "decided_at": iso(appeal.decided_at),
                    }
                    if appeal is not None
                    else None
                ),
            }
        )
    files["recognition/requests.json"] = summaries
    return files
