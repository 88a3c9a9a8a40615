"""The periodic sweeper and the tasks, run in-process (CELERY_TASK_ALWAYS_EAGER)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from recognition import services, tasks
from recognition.models import ChecksStatus, RecognitionRequest, RequestStatus
from tests.recognition.factories import submit

pytestmark = pytest.mark.django_db


def test_the_sweeper_runs_checks_that_were_never_queued(dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a, now=timezone.now() - timedelta(hours=1))
    assert request.checks_status == ChecksStatus.PENDING  # the on-commit task never ran
    tasks.sweep_recognition_task()
    request.refresh_from_db()
    assert request.checks_status == ChecksStatus.DONE


def test_the_sweeper_makes_decisions_final_after_the_appeal_period(
    bob, dana, institution_a, course_a
):
    long_ago = timezone.now() - timedelta(days=60)
    request = submit(dana, institution_a, course_a, now=long_ago)
    services.decide_request(
        officer=bob,
        case=request,
        outcome="refused",
        differences=[services.DifferenceInput("level", "Lower.")],
        now=long_ago,
    )
    tasks.sweep_recognition_task()
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert RecognitionRequest.objects.get().final_decision is not None
