"""A learner adds an EMREX/ELMO transcript of records to an open request as evidence."""

from __future__ import annotations

import hashlib

from django.db import transaction
from django.utils.translation import gettext as _

from alliances import permissions
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition import permissions as recognition_permissions
from recognition.emrex.models import ElmoTranscript
from recognition.emrex.parsing import ElmoError, read_elmo
from recognition.models import OPEN_STATUSES, RecognitionRequest
from recognition.services.common import _audit, _lock
from recognition.services.holder_binding import _requeue_checks

MAX_TRANSCRIPT_BYTES = 2 * 1024 * 1024
MAX_TRANSCRIPTS_PER_REQUEST = 5


@transaction.atomic
def import_transcript(
    *, learner: User, case: RecognitionRequest, document: bytes
) -> ElmoTranscript:
    """Read the transcript, keep it with its learning opportunities and signature status, and
    run the pre-assessment again with it."""
    case = _lock(case)
    permissions.require(recognition_permissions.can_act_as_recognition_learner(learner, case))
    if case.status not in OPEN_STATUSES:
        raise ConflictError(_("Evidence is added only while the request is open."))
    if len(document) > MAX_TRANSCRIPT_BYTES:
        raise DomainError(_("The transcript is larger than 2 MB."), field="file")
    if case.transcripts.count() >= MAX_TRANSCRIPTS_PER_REQUEST:
        raise DomainError(_("A request takes at most five transcripts."), field="file")
    try:
        transcript = read_elmo(document)
    except ElmoError as error:
        raise DomainError(
            _("This is not an EMREX/ELMO transcript the portal can read: %(reason)s")
            % {"reason": error},
            field="file",
            code="invalid_elmo",
        ) from error
    saved = ElmoTranscript.objects.create(
        request=case,
        document=document.decode("utf-8", errors="replace"),
        digest_sha256=hashlib.sha256(document).hexdigest(),
        signature=transcript.signature,
        signer=transcript.signer[:500],
        learner_name=transcript.learner_name[:300],
        learning_opportunities=transcript.learning_opportunities,
        uploaded_by=learner,
    )
    _audit(
        learner,
        "recognition.transcript_imported",
        case,
        transcript=saved.pk,
        signature=saved.signature,
        learning_opportunities=len(saved.learning_opportunities),
    )
    _requeue_checks(case)
    return saved
