"""Demo data for grades and bookings: ECTS grading tables, a converted grade, a decision sent
to the registrar with its EMREX/ELMO export, and one booked. Idempotent."""

from __future__ import annotations

from alliances.models import Institution
from portal.models import User
from recognition.booking import services
from recognition.grading import services as grading
from recognition.grading.models import DecisionGrade, GradingTable
from recognition.models import Decision, DecisionBooking

# UAB's passes in computing (ISCED-F 0613) on the Spanish scale, as its student system
# reports them; the demo's external provider grades on the same 0-10 scale.
UAB_TABLE = {"5": 112, "6": 160, "7": 130, "8": 64, "9": 18}


def seed_grades_and_bookings(operator: User) -> None:
    uab = Institution.objects.filter(slug="uab").first()
    officer = User.objects.filter(email="officer.uab@demo.example").first()
    registrar = User.objects.filter(email="registrar.uab@demo.example").first()
    if uab is None or officer is None or registrar is None:
        return
    if not GradingTable.objects.filter(institution=uab).exists():
        grading.declare_grading_table(
            actor=officer,
            institution=uab,
            isced_f_code="0613",
            scheme_code="es",
            distribution=UAB_TABLE,
        )
    for institution in Institution.objects.filter(
        slug__in=["utwente", "tuhh", "dhbw", "mondragon"]
    ):
        grading.compute_grading_tables(institution=institution)
    decision = (
        Decision.objects.filter(request__institution=uab, outcome="full", final_at__isnull=False)
        .order_by("pk")
        .first()
    )
    if decision is None or DecisionGrade.objects.filter(decision=decision).exists():
        return
    grading.convert_decision_grade(
        officer=officer,
        decision=decision,
        source_scheme="numeric_10",
        target_scheme="es",
        isced_f_code="0613",
        converted_grade="8",
    )
    booking = services.prepare_booking(officer=officer, decision=decision, term="2026-27 S1")
    if not DecisionBooking.objects.exclude(pk=booking.pk).exists():
        services.confirm_booking(
            registrar=registrar, booking=booking, sis_reference="SIGMA-2026-000417"
        )
