"""Officers' pages for an institution's recognition policy, its agreements with other
institutions, and the recognition report as CSV.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import permissions
from alliances.models import Alliance, Institution
from catalogue.models import Programme, ProgrammeStatus
from portal.audit import record_event
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.steps import add_domain_error, button_step, form_status, form_step
from recognition import selectors, services
from recognition.forms import (
    AgreementForm,
    PolicyForm,
)
from recognition.models import (
    RecognitionPolicy,
    RecognitionTarget,
)


@login_required
def policy_edit(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    if not permissions.can_manage_recognition_policy(request.user, institution.pk):
        raise Http404
    policy = selectors.policy_of(institution) or RecognitionPolicy(institution=institution)
    form = PolicyForm(
        request.POST or None,
        initial={
            "time_limit_days": policy.time_limit_days,
            "appeal_period_days": policy.appeal_period_days,
            "appeals_decided_by": policy.appeals_decided_by,
            "procedure": policy.procedure,
        },
    )
    done = form_step(
        request,
        form,
        lambda: services.save_policy(
            actor=signed_in_user(request), institution=institution, **form.cleaned_data
        ),
        success=_("The recognition procedure is published."),
        then=redirect("recognition:institution", slug=slug),
    )
    if done:
        return done
    return render(
        request,
        "recognition/policy_form.html",
        {"form": form, "institution": institution},
        status=form_status(form),
    )


def _agreement_form(request: HttpRequest, user: Any) -> AgreementForm:
    open_targets = selectors.targets_open_to_agreements(user=user)
    programmes = Programme.objects.filter(status=ProgrammeStatus.PUBLISHED).order_by("slug")
    index = permissions.roles_of(user)
    alliances = Alliance.objects.filter(pk__in=index.admin_of_alliances).order_by("name")
    return AgreementForm(
        request.POST or None,
        targets=[(t.pk, f"{t.institution.short_name}: {t.code} {t.title}") for t in open_targets],
        programmes=[(p.slug, str(p)) for p in programmes],
        alliances=[(a.slug, a.name) for a in alliances],
    )


@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = _agreement_form(request, user)
    listed = selectors.list_agreements_for_staff(user=user)
    if not form.fields["target"].choices and not listed.exists():  # type: ignore[attr-defined]
        raise Http404
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = get_object_or_404(RecognitionTarget, pk=data["target"])
        programme = get_object_or_404(Programme, slug=data["programme"])
        alliance = (
            get_object_or_404(Alliance, slug=data["alliance"]) if data.get("alliance") else None
        )
        try:
            services.create_agreement(
                actor=user,
                target=target,
                programme=programme,
                ects=data["ects"],
                from_version=data.get("from_version"),
                minimum_grade=data.get("minimum_grade", ""),
                alliance=alliance,
                valid_until=data.get("valid_until"),
                notes=data.get("notes", ""),
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("The agreement was recorded: matching requests are decided automatically."),
            )
            return redirect("recognition:agreements")
    return render(
        request,
        "recognition/agreements.html",
        {"agreements": listed, "form": form},
        status=form_status(form),
    )


@login_required
@require_POST
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.get_agreement_for_staff(user=request.user, pk=pk)
    return button_step(
        request,
        lambda: services.end_agreement(actor=signed_in_user(request), agreement=agreement),
        success=_("The agreement has ended."),
        then=redirect("recognition:agreements"),
    )


@login_required
def report_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    lines = selectors.export_cases_csv(user=request.user, institution=institution)
    first = next(lines)  # the permission check runs before the response starts
    record_event(
        actor=request.user,
        action="recognition.report_exported",
        institution_id=institution.pk,
    )

    def stream() -> Any:
        yield first
        yield from lines

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="recognition-{institution.slug}-{timezone.localdate():%Y%m%d}.csv"'
    )
    return response
