"""Decision races, run for real: officers in threads with their own PostgreSQL connections
decide the same case at once; exactly one decision is recorded and every other officer gets
a clear conflict."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from portal.errors import ConflictError
from recognition import services
from recognition.models import Decision, RecognitionRequest, RequestStatus
from tests.factories import OFFICER, UserFactory, grant
from tests.recognition.factories import submit

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _race(request_id: int, officers: list, outcome: str = "full") -> tuple[list, list]:
    barrier = threading.Barrier(len(officers))
    decisions: list = []
    errors: list[BaseException] = []

    def decide(officer) -> None:
        try:
            request = RecognitionRequest.objects.get(pk=request_id)
            barrier.wait(timeout=30)
            decisions.append(
                services.decide_request(officer=officer, case=request, outcome=outcome)
            )
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(officer,)) for officer in officers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return decisions, errors


@pytest.fixture
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: run `make test-services`")


def test_two_officers_deciding_at_once_record_one_decision(
    needs_postgresql, bob, brian, dana, institution_a, course_a
):
    for _round in range(3):
        request = submit(dana, institution_a, course_a, documents=None)
        decisions, errors = _race(request.pk, [bob, brian])
        assert len(decisions) == 1
        assert len(errors) == 1
        assert isinstance(errors[0], ConflictError)
        assert "already decided" in errors[0].message
        assert Decision.objects.filter(request=request).count() == 1
        request.refresh_from_db()
        assert request.status == RequestStatus.CLOSED


def test_twenty_officers_deciding_at_once_record_exactly_one_decision(
    needs_postgresql, dana, institution_a, course_a
):
    officers = [grant(UserFactory(), institution_a, OFFICER) for _ in range(20)]
    request = submit(dana, institution_a, course_a)
    decisions, errors = _race(request.pk, officers)
    assert len(decisions) == 1
    assert len(errors) == 19
    assert all(isinstance(error, ConflictError) for error in errors)
    assert Decision.objects.filter(request=request).count() == 1
    assert RecognitionRequest.objects.get(pk=request.pk).final_decision == decisions[0]
