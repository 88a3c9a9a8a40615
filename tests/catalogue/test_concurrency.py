"""Enrolment races, run for real: several threads with their own PostgreSQL connections
compete for the last place of an offering."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from catalogue import services
from catalogue.models import Enrolment, EnrolmentStatus, Offering
from tests.catalogue.factories import learners, open_offering, published_programme

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _race(offering: Offering, people: list) -> list[BaseException]:
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def enrol(person) -> None:
        try:
            barrier.wait(timeout=30)
            services.enrol(learner=person, offering=offering)
        except BaseException as error:  # reported to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=enrol, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_learners_racing_for_the_last_place(alice, institution_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: run `make test-services`")
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=3)
    for person in learners(2):
        services.enrol(learner=person, offering=offering)

    for _round in range(5):
        racers = learners(2)
        assert _race(offering, racers) == []
        statuses = sorted(
            Enrolment.objects.filter(learner__in=racers).values_list("status", flat=True)
        )
        assert statuses in (
            [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITLISTED],
            [EnrolmentStatus.WAITLISTED, EnrolmentStatus.WAITLISTED],
        )
        # Free the place again for the next round: the first waiting learner takes it.
        winner = (
            Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED)
            .order_by("-enrolled_at")
            .first()
        )
        services.withdraw(actor=winner.learner, enrolment=winner)
        Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.WAITLISTED).update(
            status=EnrolmentStatus.WITHDRAWN
        )
        offering.refresh_from_db()
        assert (
            offering.enrolled_count
            == Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED).count()
        )


def test_many_learners_never_overfill_an_offering(alice, institution_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: run `make test-services`")
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=3)
    racers = learners(12)
    assert _race(offering, racers) == []
    offering.refresh_from_db()
    enrolled = Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED)
    assert enrolled.count() == offering.enrolled_count == 3
    assert (
        Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.WAITLISTED).count() == 9
    )
