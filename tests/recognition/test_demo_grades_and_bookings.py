"""The demo data shows a converted grade, a booked decision with its ELMO export, and a
company's mentor with a challenge team."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from catalogue.models import ChallengeTeam, OfferingMentor
from recognition.emrex.export import elmo_document
from recognition.models import DecisionBooking, DecisionGrade, GradingTable
from tests.recognition.elmo_schema import elmo_schema


def test_seed_demo_shows_grades_bookings_and_a_company_mentor(db):
    call_command("seed_demo", stdout=StringIO())
    assert GradingTable.objects.filter(institution__slug="uab").exists()
    grade = DecisionGrade.objects.get()
    assert grade.converted_grade
    booking = DecisionBooking.objects.get()
    assert booking.status == "booked"
    assert booking.sis_reference
    elmo_schema().validate(elmo_document(booking).decode())
    mentor = OfferingMentor.objects.get()
    assert mentor.organisation.kind == "company"
    assert ChallengeTeam.objects.filter(provider=mentor.organisation).exists()
