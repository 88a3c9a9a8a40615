"""The mentor's page: the offerings they are assigned to, their learners, and a result form
per learner (work-based learning assessed by the company's mentor)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from catalogue import permissions as catalogue_permissions
from catalogue.models import Enrolment, EnrolmentStatus, Offering, ResultOutcome
from catalogue.services import record_result
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.steps import button_step


def _mentored(user: object) -> list[Offering]:
    offerings = Offering.objects.filter(
        mentors__mentor_id=getattr(user, "pk", None)
    ).select_related("programme")
    return [
        offering for offering in offerings if catalogue_permissions.mentors_offering(user, offering)
    ]


@login_required
def mentor_home(request: HttpRequest) -> HttpResponse:
    offerings = _mentored(request.user)
    if not offerings:
        raise Http404
    rows = [
        (
            offering,
            Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.ENROLLED)
            .select_related("learner", "result")
            .order_by("learner__full_name"),
        )
        for offering in offerings
    ]
    return render(
        request,
        "catalogue/mentor.html",
        {"rows": rows, "outcomes": ResultOutcome.choices, "today": timezone.localdate()},
    )


@login_required
@require_POST
def mentor_result(request: HttpRequest, pk: int) -> HttpResponse:
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("offering"), pk=pk, status=EnrolmentStatus.ENROLLED
    )
    if not catalogue_permissions.mentors_offering(request.user, enrolment.offering):
        raise Http404

    def step() -> None:
        try:
            assessed_on = date.fromisoformat(request.POST.get("assessed_on", "")[:10])
        except ValueError as error:
            raise DomainError(_("Give the assessment date."), field="assessed_on") from error
        record_result(
            actor=signed_in_user(request),
            enrolment=enrolment,
            outcome=request.POST.get("outcome", "")[:8],
            grade=request.POST.get("grade", "")[:20],
            assessed_on=assessed_on,
            identity_verified=request.POST.get("identity_verified") == "on",
        )

    return button_step(
        request, step, success=_("The result is recorded."), then=redirect("catalogue:mentor")
    )
