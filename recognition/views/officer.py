"""The officer's recognition pages: the queue, the case page and its steps (take, release,
rerun checks, identity check, questions, decision, review), and the appeal page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import permissions
from portal.audit import record_event
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.steps import add_domain_error, button_step, form_status, form_step
from recognition import clock, selectors, services
from recognition.forms import (
    AppealDecisionForm,
    DecisionForm,
    QuestionForm,
    ReviewForm,
)
from recognition.models import (
    Decision,
    RequestStatus,
)

QUEUE_PAGE_SIZE = 30


def _require_officer(user: Any) -> None:
    if not permissions.recognition_institution_ids(user):
        raise Http404


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _require_officer(request.user)
    status = request.GET.get("status", "open")
    order = request.GET.get("order", "deadline")
    now = timezone.now()
    page = Paginator(
        selectors.officer_queue(user=request.user, now=now, status=status, order=order),
        QUEUE_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "recognition/queue.html",
        {
            "page": page,
            "rows": selectors.queue_rows(page.object_list, now),
            "status": status,
            "order": order,
            "appeals": selectors.list_open_appeals(user=request.user),
            "institutions": selectors.recognition_institutions_of(request.user),
            "statuses": [
                ("open", _("Open")),
                ("overdue", _("Overdue")),
                ("appeals", _("Under appeal")),
                ("unreviewed", _("Automatic, not reviewed")),
                ("decided", _("Decided, appeal possible")),
                ("closed", _("Closed")),
            ],
        },
    )


def _case_context(case: Any, user: Any, **forms: Any) -> dict[str, Any]:
    now = timezone.now()
    decisions = list(case.decisions.all())
    recommendation = case.checks.get("recommendation", {}) if case.checks else {}
    initial = {}
    if recommendation.get("kind") in ("full", "partial"):
        initial = {"outcome": recommendation["kind"], "credits_granted": recommendation.get("ects")}
    return {
        "case": case,
        "credentials": list(case.credentials.all()),
        "deadline": clock.effective_deadline(case, now),
        "overdue": case.is_open and clock.is_overdue(case, now),
        "due_soon": case.is_open and clock.is_due_soon(case, now),
        "lease_held_by_other": case.lease_held_by_other(user, now),
        "holds_lease": case.assigned_to_id == user.pk
        and case.lease_expires_at is not None
        and case.lease_expires_at > now,
        "decisions": decisions,
        "appeal": selectors.appeal_of(case),
        "audit": selectors.case_audit_trail(case).select_related("actor"),
        "decidable": case.status in (RequestStatus.SUBMITTED, RequestStatus.IN_REVIEW),
        "decision_form": forms.get("decision_form") or DecisionForm(initial=initial),
        "question_form": forms.get("question_form") or QuestionForm(),
        "review_form": ReviewForm(),
        "unreviewed": [d for d in decisions if d.automatic and d.reviewed_at is None],
    }


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_for_officer(user=request.user, pk=pk)
    record_event(
        actor=request.user,
        action="recognition.viewed",
        target=case,
        institution_id=case.institution_id,
    )
    return render(request, "recognition/case.html", _case_context(case, request.user))


def _officer_step(request: HttpRequest, pk: int, step: Any, success: str) -> HttpResponse:
    case = selectors.get_request_for_officer(user=request.user, pk=pk)
    return button_step(
        request,
        lambda: step(case),
        success=success,
        then=redirect("recognition:case_detail", pk=case.pk),
    )


@login_required
@require_POST
def case_take(request: HttpRequest, pk: int) -> HttpResponse:
    officer = signed_in_user(request)
    return _officer_step(
        request,
        pk,
        lambda case: services.take_case(officer=officer, case=case),
        _("You are assessing this case; other officers see that it is taken."),
    )


@login_required
@require_POST
def case_release(request: HttpRequest, pk: int) -> HttpResponse:
    officer = signed_in_user(request)
    return _officer_step(
        request,
        pk,
        lambda case: services.release_case(officer=officer, case=case),
        _("You released the case."),
    )


@login_required
@require_POST
def case_rerun_checks(request: HttpRequest, pk: int) -> HttpResponse:
    officer = signed_in_user(request)
    return _officer_step(
        request,
        pk,
        lambda case: services.rerun_checks(officer=officer, case=case),
        _("The automatic checks run again."),
    )


@login_required
@require_POST
def case_identity_check(request: HttpRequest, pk: int) -> HttpResponse:
    officer = signed_in_user(request)
    try:
        position = int(request.POST.get("position", ""))
    except ValueError:
        position = 0
    return _officer_step(
        request,
        pk,
        lambda case: services.record_identity_check(
            officer=officer, case=case, position=position, note=request.POST.get("note", "")
        ),
        _("The identity check was recorded; the checks run again."),
    )


@login_required
@require_POST
def case_question(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_for_officer(user=request.user, pk=pk)
    form = QuestionForm(request.POST)
    done = form_step(
        request,
        form,
        lambda: services.request_information(
            officer=signed_in_user(request),
            case=case,
            question=form.cleaned_data["question"],
        ),
        success=_("The learner was asked; the clock is paused until they answer."),
        then=redirect("recognition:case_detail", pk=case.pk),
    )
    if done:
        return done
    return render(
        request,
        "recognition/case.html",
        _case_context(case, request.user, question_form=form),
        status=400,
    )


@login_required
@require_POST
def case_decide(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_for_officer(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_request(
                officer=signed_in_user(request), case=case, **form.decision_arguments()
            )
        except DomainError as error:
            add_domain_error(form, error)
            if error.status_code == 409:
                messages.error(request, error.message)
        else:
            messages.success(request, _("The decision was recorded and the learner informed."))
            return redirect("recognition:case_detail", pk=case.pk)
    return render(
        request,
        "recognition/case.html",
        _case_context(case, request.user, decision_form=form),
        status=400,
    )


@login_required
@require_POST
def decision_review(request: HttpRequest, pk: int) -> HttpResponse:
    decision = get_object_or_404(Decision.objects.select_related("request"), pk=pk)
    case = selectors.get_request_for_officer(user=request.user, pk=decision.request_id)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.review_automatic_decision(
            officer=signed_in_user(request),
            decision=decision,
            note=form.cleaned_data.get("note", ""),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You reviewed the automatic decision."))
    return redirect("recognition:case_detail", pk=case.pk)


@login_required
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = selectors.get_appeal_for_reviewer(user=request.user, pk=pk)
    case = selectors.get_request_for_officer(user=request.user, pk=appeal.request_id)
    form = AppealDecisionForm(request.POST or None)
    reviewer = signed_in_user(request)
    done = form_step(
        request,
        form,
        lambda: services.decide_appeal(reviewer=reviewer, appeal=appeal, **form.appeal_arguments()),
        success=_("The appeal was decided and the learner informed."),
        then=redirect("recognition:case_detail", pk=case.pk),
    )
    if done:
        return done
    return render(
        request,
        "recognition/appeal.html",
        {
            "appeal": appeal,
            "case": case,
            "credentials": list(case.credentials.all()),
            "may_decide": permissions.can_decide_appeal(reviewer, appeal),
            "form": form,
        },
        status=form_status(form),
    )
