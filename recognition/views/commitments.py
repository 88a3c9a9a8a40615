"""Pages for recognition promised in advance: what a programme counts for at each institution
and asking for a pre-approval (learners), answering pre-approvals (officers), and the alliances'
blanket rules (public, proposed by alliance admins, countersigned by member institutions)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import permissions
from alliances.models import Alliance, Institution
from catalogue.models import Programme, ProgrammeStatus
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.steps import add_domain_error, button_step, form_status, form_step
from recognition import commitments, selectors, services
from recognition import permissions as recognition_permissions
from recognition.commitment_forms import BlanketRuleForm, PreApprovalDecisionForm, PreApprovalForm
from recognition.models import BlanketRule, PreApprovalStatus, RecognitionTarget


def programme_prospects(request: HttpRequest, slug: str) -> HttpResponse:
    """What the programme counts for at each institution, and (signed in) the pre-approval
    form."""
    programme = get_object_or_404(Programme, slug=slug, status=ProgrammeStatus.PUBLISHED)
    institutions = list(selectors.institutions_taking_requests())
    targets = RecognitionTarget.objects.filter(
        is_active=True, institution__in=institutions
    ).select_related("institution")
    form = PreApprovalForm(
        request.POST or None,
        institutions=[(i.slug, i.legal_name) for i in institutions],
        targets=[
            (t.pk, f"{t.institution.short_name}: {t.code} {t.title} ({t.ects} ECTS)")
            for t in targets
        ],
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect("account_login")
        if form.is_valid():
            data = form.cleaned_data
            institution = get_object_or_404(Institution, slug=data["institution"])
            target = (
                get_object_or_404(RecognitionTarget, pk=data["target"], institution=institution)
                if data["target"] and data["kind"] == "course"
                else None
            )
            done = form_step(
                request,
                form,
                lambda: services.request_preapproval(
                    learner=signed_in_user(request),
                    institution=institution,
                    programme=programme,
                    kind=data["kind"],
                    target=target,
                    motivation=data["motivation"],
                ),
                success=_("Your pre-approval request was sent to the institution."),
                then=lambda created: redirect("recognition:preapproval_detail", pk=created.pk),
            )
            if done:
                return done
    return render(
        request,
        "recognition/programme_prospects.html",
        {
            "programme": programme,
            "prospects": commitments.prospects_for(programme, on=timezone.localdate()),
            "form": form,
        },
        status=form_status(form) if request.method == "POST" else 200,
    )


@login_required
def preapprovals(request: HttpRequest) -> HttpResponse:
    """The learner's own pre-approvals, and those waiting at the user's institutions."""
    user = signed_in_user(request)
    listed = selectors.list_preapprovals_for(user=user)
    return render(
        request,
        "recognition/preapprovals.html",
        {
            "mine": [p for p in listed if p.learner_id == user.pk],
            "to_answer": [p for p in listed if p.learner_id != user.pk],
        },
    )


@login_required
def preapproval_detail(request: HttpRequest, pk: int) -> HttpResponse:
    preapproval = selectors.get_preapproval_for_viewer(user=request.user, pk=pk)
    user = signed_in_user(request)
    may_decide = recognition_permissions.can_decide_preapproval(user, preapproval)
    form = PreApprovalDecisionForm(request.POST or None)
    if request.method == "POST":
        if not may_decide:
            raise Http404
        done = form_step(
            request,
            form,
            lambda: services.decide_preapproval(
                officer=user,
                preapproval=preapproval,
                approve=form.cleaned_data["approve"],
                ects=form.cleaned_data.get("ects"),
                reasons=form.cleaned_data.get("reasons", ""),
            ),
            success=_("The answer was recorded and the learner informed."),
            then=redirect("recognition:preapproval_detail", pk=preapproval.pk),
        )
        if done:
            return done
    allowance = None
    if preapproval.blanket_rule is not None:
        allowance = commitments.rule_allowance_left(
            rule=preapproval.blanket_rule,
            learner=preapproval.learner,
            institution=preapproval.institution,
            year=timezone.now().astimezone(preapproval.institution.zone).year,
            excluding=preapproval,
        )
    return render(
        request,
        "recognition/preapproval.html",
        {
            "preapproval": preapproval,
            "form": form,
            "may_decide": may_decide and preapproval.status == PreApprovalStatus.REQUESTED,
            "is_learner": preapproval.learner_id == user.pk,
            "allowance": allowance,
        },
        status=form_status(form) if request.method == "POST" else 200,
    )


@login_required
@require_POST
def preapproval_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    preapproval = selectors.get_preapproval_for_viewer(user=request.user, pk=pk)
    if preapproval.learner_id != request.user.pk:
        raise Http404
    return button_step(
        request,
        lambda: services.withdraw_preapproval(
            learner=signed_in_user(request), preapproval=preapproval
        ),
        success=_("Your pre-approval request was withdrawn."),
        then=redirect("recognition:preapproval_detail", pk=preapproval.pk),
    )


def blanket_rules(request: HttpRequest) -> HttpResponse:
    """Public: the alliances' rules and who countersigned them. Alliance admins propose rules
    here; officers and admins of member institutions countersign them."""
    roles = permissions.roles_of(request.user)
    alliances = Alliance.objects.filter(pk__in=roles.admin_of_alliances).order_by("name")
    form = BlanketRuleForm(request.POST or None, alliances=[(a.slug, a.name) for a in alliances])
    if request.method == "POST":
        if not alliances:
            raise Http404
        if form.is_valid():
            alliance = get_object_or_404(alliances, slug=form.cleaned_data["alliance"])
            try:
                services.propose_blanket_rule(
                    actor=signed_in_user(request),
                    alliance=alliance,
                    title=form.cleaned_data["title"],
                    minimum_eqf_level=form.cleaned_data["minimum_eqf_level"],
                    max_ects_per_year=form.cleaned_data["max_ects_per_year"],
                    notes=form.cleaned_data["notes"],
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect("recognition:blanket_rules")
    signing_institutions = Institution.objects.filter(
        pk__in=recognition_permissions.recognition_institution_ids(request.user)
    ).order_by("short_name")
    rules = []
    for rule in commitments.public_rules():
        signed = {s.institution_id for s in rule.signatures.all()}
        rules.append(
            {
                "rule": rule,
                "may_withdraw": rule.alliance_id in roles.admin_of_alliances,
                "may_sign": [
                    i
                    for i in signing_institutions
                    if i.pk not in signed
                    and i.memberships.filter(
                        alliance_id=rule.alliance_id, left_on__isnull=True
                    ).exists()
                ],
            }
        )
    return render(
        request,
        "recognition/blanket_rules.html",
        {"rules": rules, "form": form if alliances else None},
        status=form_status(form) if request.method == "POST" else 200,
    )


@login_required
@require_POST
def blanket_rule_countersign(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    rule = get_object_or_404(BlanketRule, pk=pk)
    institution = get_object_or_404(Institution, slug=slug)
    if not recognition_permissions.can_countersign_blanket_rule(request.user, institution.pk):
        raise Http404
    return button_step(
        request,
        lambda: services.countersign_blanket_rule(
            actor=signed_in_user(request), rule=rule, institution=institution
        ),
        success=_("The institution countersigned the rule: it binds the institution from now on."),
        then=redirect("recognition:blanket_rules"),
    )


@login_required
@require_POST
def blanket_rule_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(BlanketRule, pk=pk)
    if not recognition_permissions.can_propose_blanket_rule(request.user, rule.alliance_id):
        raise Http404
    return button_step(
        request,
        lambda: services.withdraw_blanket_rule(actor=signed_in_user(request), rule=rule),
        success=_("The rule was withdrawn."),
        then=redirect("recognition:blanket_rules"),
    )
