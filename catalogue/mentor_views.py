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

from alliances.models import Institution
from catalogue import permissions as catalogue_permissions
from catalogue.models import Enrolment, EnrolmentStatus, Offering, ResultOutcome
from catalogue.services import record_result
from catalogue.services.work_based import assign_mentor, create_challenge_team
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.models import User
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


def _staff_offering(request: HttpRequest, pk: int) -> Offering:
    from catalogue import selectors

    return selectors.get_offering_for_staff(user=request.user, pk=pk)


@login_required
@require_POST
def offering_mentor_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff of a delivering institution assign a mentor from the offering's page."""
    offering = _staff_offering(request, pk)

    def step() -> None:
        mentor = User.objects.filter(email__iexact=request.POST.get("mentor", "")[:254]).first()
        organisation = Institution.objects.filter(
            slug=request.POST.get("organisation", "")[:60]
        ).first()
        if mentor is None:
            raise DomainError(_("No account with this e-mail address."), field="mentor")
        if organisation is None:
            raise DomainError(_("Unknown organisation."), field="organisation")
        assign_mentor(
            actor=signed_in_user(request),
            offering=offering,
            mentor=mentor,
            organisation=organisation,
        )

    return button_step(
        request,
        step,
        success=_("The mentor is assigned."),
        then=redirect("catalogue:offering_manage", pk=offering.pk),
    )


@login_required
@require_POST
def offering_team_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff group enrolled learners into a challenge team from the offering's page."""
    offering = _staff_offering(request, pk)

    def step() -> None:
        provider_slug = request.POST.get("provider", "")[:60]
        create_challenge_team(
            actor=signed_in_user(request),
            offering=offering,
            name=request.POST.get("name", ""),
            challenge=request.POST.get("challenge", ""),
            members=list(
                User.objects.filter(
                    enrolments__offering=offering,
                    enrolments__pk__in=[
                        value for value in request.POST.getlist("members")[:50] if value.isdigit()
                    ],
                )
            ),
            provider=Institution.objects.filter(slug=provider_slug).first()
            if provider_slug
            else None,
        )

    return button_step(
        request,
        step,
        success=_("The team is formed."),
        then=redirect("catalogue:offering_manage", pk=offering.pk),
    )
