"""The pre-assessment runs in a real Celery worker when a request arrives."""

from __future__ import annotations

import pytest

from recognition.models import ChecksStatus, RecognitionRequest
from tests.recognition.factories import submit
from tests.services import wait_for

pytestmark = pytest.mark.services


def test_a_worker_pre_assesses_a_new_request(workers, dana, institution_a, course_a):
    workers.start()
    request = submit(dana, institution_a, course_a)
    done = wait_for(
        lambda: RecognitionRequest.objects.filter(
            pk=request.pk, checks_status=ChecksStatus.DONE
        ).first(),
        timeout=90,
    )
    # Verified, but from an unknown issuer and with the holder not proven: never recommended.
    assert done.checks["recommendation"]["kind"] == "examine"
    assert done.credentials.get().verdict == "verified"
    assert done.credentials.get().holder_status == "not_proven"
