"""Pages for grades, bookings and transcripts: the officer converts a decision's grade and
prepares its booking (case page), the registrar's booking queue with the exports and the
confirmation, and the learner's EMREX/ELMO upload (request page)."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.auth import signed_in_user
from portal.steps import button_step
from recognition import permissions as recognition_permissions
from recognition import selectors
from recognition.booking import elm, services
from recognition.booking.api import booking_for
from recognition.booking.models import BookingStatus, DecisionBooking
from recognition.emrex import services as emrex_services
from recognition.emrex.export import elmo_document
from recognition.grading import services as grading_services
from recognition.models import Decision


def _officer_decision(request: HttpRequest, pk: int) -> Decision:
    decision = get_object_or_404(Decision, pk=pk)
    selectors.get_request_for_officer(user=request.user, pk=decision.request_id)
    return decision


@login_required
@require_POST
def decision_grade(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _officer_decision(request, pk)
    return button_step(
        request,
        lambda: grading_services.convert_decision_grade(
            officer=signed_in_user(request),
            decision=decision,
            target_scheme=request.POST.get("target_scheme", "")[:20],
            converted_grade=request.POST.get("converted_grade", "")[:40],
        ),
        success=_("The decision carries the converted grade."),
        then=redirect("recognition:case_detail", pk=decision.request_id),
    )


@login_required
@require_POST
def decision_booking(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _officer_decision(request, pk)
    return button_step(
        request,
        lambda: services.prepare_booking(
            officer=signed_in_user(request),
            decision=decision,
            term=request.POST.get("term", "")[:40],
            credit_type=request.POST.get("credit_type", "")[:20],
            course_code=request.POST.get("course_code", "")[:40],
        ),
        success=_("The decision waits for the registrar."),
        then=redirect("recognition:case_detail", pk=decision.request_id),
    )


@login_required
def bookings(request: HttpRequest) -> HttpResponse:
    if not recognition_permissions.booking_institution_ids(request.user):
        raise Http404
    rows = (
        DecisionBooking.objects.filter(
            decision__request__institution_id__in=recognition_permissions.booking_institution_ids(
                request.user
            )
        )
        .select_related("decision__request__institution", "decision__request__learner")
        .order_by("status", "-prepared_at")[:200]
    )
    return render(
        request, "recognition/bookings.html", {"bookings": rows, "booked": BookingStatus.BOOKED}
    )


@login_required
@require_POST
def booking_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    booking = booking_for(request.user, pk)
    return button_step(
        request,
        lambda: services.confirm_booking(
            registrar=signed_in_user(request),
            booking=booking,
            sis_reference=request.POST.get("sis_reference", "")[:100],
        ),
        success=_("Booked."),
        then=redirect("recognition:bookings"),
    )


@login_required
def booking_export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    if kind not in ("elmo", "elm"):
        raise Http404
    booking = booking_for(request.user, pk)
    if kind == "elmo":
        response = HttpResponse(elmo_document(booking), content_type="application/xml")
        filename = f"recognition-{booking.decision_id}-elmo.xml"
    else:
        response = HttpResponse(
            json.dumps(elm.elm_document(booking), ensure_ascii=False, indent=2),
            content_type="application/ld+json",
        )
        filename = f"recognition-{booking.decision_id}-elm.jsonld"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
def request_transcript(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_of_learner(learner=request.user, pk=pk)
    upload = request.FILES.get("transcript")
    return button_step(
        request,
        lambda: emrex_services.import_transcript(
            learner=signed_in_user(request),
            case=case,
            document=upload.read(emrex_services.MAX_TRANSCRIPT_BYTES + 1) if upload else b"",
        ),
        success=_("The transcript was added; the checks run again."),
        then=redirect("recognition:request_detail", pk=case.pk),
    )
