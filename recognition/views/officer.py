"""Recognition pages: the public procedure and statistics of each institution, the learner's
requests, the officer's queue and case page, appeals, targets and agreements. Views parse a
form, call one service or selector, and render or redirect (POST-redirect-GET)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances import permissions
from alliances.models import Alliance, Institution
from catalogue.models import Programme, ProgrammeStatus
from issuance.vc.errors import CredentialFormatError
from issuance.vc.verification import parse_json_document
from portal.audit import record_event
from portal.auth import signed_in_user
from portal.errors import DomainError
from recognition import clock, selectors, services
from recognition.forms import (
    AgreementForm,
    AnswerForm,
    AppealDecisionForm,
    AppealForm,
    DecisionForm,
    PolicyForm,
    QuestionForm,
    RequestForm,
    ReviewForm,
    TargetForm,
    TargetUploadForm,
)
from recognition.models import (
    Decision,
    RecognitionPolicy,
    RecognitionTarget,
    RequestAttachment,
    RequestStatus,
)

QUEUE_PAGE_SIZE = 30


def _add_error(form: Any, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


def _status(form: Any) -> int:
    return 400 if form.is_bound and form.errors else 200


# --- public ------------------------------------------------------------------------------


def recognition_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "recognition/index.html",
        {"institutions": selectors.institutions_taking_requests()},
    )


def institution_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The institution's published procedure, targets and statistics."""
    institution = get_object_or_404(Institution, slug=slug)
    policy = selectors.policy_of(institution)
    return render(
        request,
        "recognition/institution.html",
        {
            "institution": institution,
            "policy": policy,
            "targets": selectors.list_public_targets(institution=institution),
            "stats": selectors.institution_statistics(institution=institution),
            "can_manage": permissions.can_manage_recognition_targets(request.user, institution.pk),
        },
    )


# --- learners ----------------------------------------------------------------------------


def _uploaded_credential(form: RequestForm) -> list[services.CredentialInput]:
    items = []
    upload = form.cleaned_data.get("credential_file")
    if upload is not None:
        services.check_credential_size(upload.size)
        items.append(
            services.CredentialInput(document=services.parse_credential_json(upload.read()))
        )
    pasted = form.cleaned_data.get("credential_json", "")
    if pasted.strip():
        items.append(services.CredentialInput(document=services.parse_credential_json(pasted)))
    return items


def _attachments(files: list[Any]) -> list[services.AttachmentInput]:
    limit = settings.RECOGNITION_ATTACHMENT_MAX_BYTES
    result = []
    for upload in files:
        # Past the limit the content is not read: the service refuses it by its size.
        data = upload.read(limit + 1)
        result.append(services.AttachmentInput(name=upload.name, data=data, size=upload.size))
    return result


@login_required
def request_create(request: HttpRequest, slug: str) -> HttpResponse:
    institution = get_object_or_404(Institution, slug=slug)
    policy = selectors.policy_of(institution)
    if policy is None:
        raise Http404
    learner = signed_in_user(request)
    wallet = selectors.credentials_available_to(learner=learner)
    targets = list(selectors.list_public_targets(institution=institution))
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        targets=[(t.pk, f"{t.code} {t.title} ({t.ects} ECTS)") for t in targets],
        wallet=[(index, f"{c.title} ({c.issuer_name})") for index, c in enumerate(wallet)],
    )
    if request.method == "POST" and form.is_valid():
        try:
            chosen = [wallet[i] for i in form.cleaned_data.get("wallet_credentials", [])]
            credentials = [
                services.CredentialInput(
                    document=c.document,
                    source=c.source,
                    source_id=c.source_id,
                    programme_version_id=c.programme_version_id,
                )
                for c in chosen
            ] + _uploaded_credential(form)
            target = next((t for t in targets if t.pk == form.cleaned_data.get("target")), None)
            created = services.submit_request(
                learner=learner,
                institution=institution,
                kind=form.cleaned_data["kind"],
                target=target,
                motivation=form.cleaned_data.get("motivation", ""),
                credentials=credentials,
                attachments=_attachments(form.cleaned_data.get("attachments") or []),
            )
        except DomainError as error:
            if error.field == "credential":
                form.add_error("credential_file", error.message)
            else:
                _add_error(form, error)
        else:
            messages.success(
                request,
                _("Your request was received. A decision is due by %(date)s.")
                % {"date": timezone.localtime(created.deadline_at).strftime("%Y-%m-%d")},
            )
            return redirect("recognition:request_detail", pk=created.pk)
    return render(
        request,
        "recognition/request_form.html",
        {"form": form, "institution": institution, "policy": policy},
        status=_status(form),
    )


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    requests = selectors.list_learner_requests(learner=request.user)
    return render(
        request,
        "recognition/my_requests.html",
        {"rows": selectors.queue_rows(requests, timezone.now())},
    )


def _learner_context(case: Any, request: HttpRequest) -> dict[str, Any]:
    now = timezone.now()
    return {
        "case": case,
        "deadline": clock.effective_deadline(case, now),
        "decisions": list(case.decisions.all()),
        "appeal": selectors.appeal_of(case),
        "can_appeal": case.status == RequestStatus.DECIDED
        and case.appeal_deadline_at is not None
        and now <= case.appeal_deadline_at,
        "answer_form": AnswerForm(),
        "appeal_form": AppealForm(),
        "needs_holder_proof": any(not c.holder_proven for c in case.credentials.all()),
        "holder_challenge": case.holder_challenges.filter(
            used_at__isnull=True, expires_at__gt=now
        ).first(),
    }


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_of_learner(learner=request.user, pk=pk)
    return render(request, "recognition/request_detail.html", _learner_context(case, request))


def _learner_step(request: HttpRequest, pk: int, step: Any, success: str) -> HttpResponse:
    case = selectors.get_request_of_learner(learner=request.user, pk=pk)
    try:
        step(case)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("recognition:request_detail", pk=case.pk)


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_of_learner(learner=request.user, pk=pk)
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer_information(
                learner=signed_in_user(request),
                request=case,
                answer=form.cleaned_data["answer"],
                attachments=_attachments(form.cleaned_data.get("attachments") or []),
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your answer was sent; the clock runs again."))
            return redirect("recognition:request_detail", pk=case.pk)
    context = _learner_context(case, request)
    context["answer_form"] = form
    return render(request, "recognition/request_detail.html", context, status=400)


@login_required
@require_POST
def request_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_of_learner(learner=request.user, pk=pk)
    form = AppealForm(request.POST)
    if form.is_valid():
        try:
            services.lodge_appeal(
                learner=signed_in_user(request), request=case, grounds=form.cleaned_data["grounds"]
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("Your appeal was lodged."))
            return redirect("recognition:request_detail", pk=case.pk)
    context = _learner_context(case, request)
    context["appeal_form"] = form
    return render(request, "recognition/request_detail.html", context, status=400)


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    learner = signed_in_user(request)
    return _learner_step(
        request,
        pk,
        lambda case: services.accept_decision(learner=learner, request=case),
        _("You accepted the decision; it is final."),
    )


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    learner = signed_in_user(request)
    return _learner_step(
        request,
        pk,
        lambda case: services.withdraw_request(learner=learner, request=case),
        _("Your request was withdrawn."),
    )


@login_required
@require_POST
def request_holder_challenge(request: HttpRequest, pk: int) -> HttpResponse:
    learner = signed_in_user(request)
    return _learner_step(
        request,
        pk,
        lambda case: services.issue_holder_challenge(learner=learner, request=case),
        _("Sign the challenge with your wallet and paste the presentation."),
    )


@login_required
@require_POST
def request_holder_proof(request: HttpRequest, pk: int) -> HttpResponse:
    learner = signed_in_user(request)

    def prove(case: Any) -> None:
        try:
            presentation = parse_json_document(
                request.POST.get("presentation", "").encode("utf-8"),
                max_bytes=settings.RECOGNITION_CREDENTIAL_MAX_BYTES,
            )
        except CredentialFormatError:
            presentation = None
        services.prove_holder(learner=learner, request=case, presentation=presentation)

    return _learner_step(
        request, pk, prove, _("The credentials are confirmed as yours; the checks run again.")
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(RequestAttachment.objects.select_related("request"), pk=pk)
    if not permissions.can_view_recognition_request(request.user, attachment.request):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- officers: queue and case --------------------------------------------------------------


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
    try:
        step(case)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect("recognition:case_detail", pk=case.pk)


@login_required
@require_POST
def case_take(request: HttpRequest, pk: int) -> HttpResponse:
    officer = signed_in_user(request)
    return _officer_step(
        request,
        pk,
        lambda case: services.take_case(officer=officer, request=case),
        _("You are assessing this case; other officers see that it is taken."),
    )


@login_required
@require_POST
def case_release(request: HttpRequest, pk: int) -> HttpResponse:
    officer = signed_in_user(request)
    return _officer_step(
        request,
        pk,
        lambda case: services.release_case(officer=officer, request=case),
        _("You released the case."),
    )


@login_required
@require_POST
def case_rerun_checks(request: HttpRequest, pk: int) -> HttpResponse:
    officer = signed_in_user(request)
    return _officer_step(
        request,
        pk,
        lambda case: services.rerun_checks(officer=officer, request=case),
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
            officer=officer, request=case, position=position, note=request.POST.get("note", "")
        ),
        _("The identity check was recorded; the checks run again."),
    )


@login_required
@require_POST
def case_question(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_for_officer(user=request.user, pk=pk)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.request_information(
                officer=signed_in_user(request),
                request=case,
                question=form.cleaned_data["question"],
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(
                request, _("The learner was asked; the clock is paused until they answer.")
            )
            return redirect("recognition:case_detail", pk=case.pk)
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
                officer=signed_in_user(request), request=case, **form.decision_arguments()
            )
        except DomainError as error:
            _add_error(form, error)
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
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_appeal(reviewer=reviewer, appeal=appeal, **form.appeal_arguments())
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The appeal was decided and the learner informed."))
            return redirect("recognition:case_detail", pk=case.pk)
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
        status=_status(form),
    )


# --- officers: targets, policy, agreements, report ----------------------------------------


@login_required
def targets(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.get_recognition_institution(user=request.user, slug=slug)
    form = TargetForm(request.POST or None, initial={"is_active": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.create_target(
                actor=signed_in_user(request), institution=institution, data=form.service_data()
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The target was added."))
            return redirect("recognition:targets", slug=slug)
    return render(
        request,
        "recognition/targets.html",
        {
            "institution": institution,
            "targets": selectors.list_targets_for_staff(user=request.user, institution=institution),
            "form": form,
        },
        status=_status(form),
    )


def _target_initial(target: RecognitionTarget) -> dict[str, Any]:
    return {
        "code": target.code,
        "title": target.title,
        "programme_title": target.programme_title,
        "ects": target.ects,
        "eqf_level": target.eqf_level,
        "assessment_type": target.assessment_type,
        "learning_outcomes": "\n".join(target.learning_outcomes),
        "skill_uris": "\n".join(target.skill_uris),
        "is_active": target.is_active,
    }


@login_required
def target_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.get_target_for_staff(user=request.user, pk=pk)
    form = TargetForm(request.POST or None, initial=_target_initial(target))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_target(
                actor=signed_in_user(request), target=target, data=form.service_data()
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("recognition:targets", slug=target.institution.slug)
    return render(
        request,
        "recognition/target_form.html",
        {"target": target, "form": form},
        status=_status(form),
    )


@login_required
def targets_upload(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.get_recognition_institution(user=request.user, slug=slug)
    form = TargetUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            preview = services.preview_targets_upload(
                actor=signed_in_user(request),
                institution=institution,
                filename=upload.name,
                size=upload.size,
                data=upload.read(settings.RECOGNITION_TARGETS_UPLOAD_MAX_BYTES + 1),
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            return redirect("recognition:targets_upload_preview", pk=preview.upload.pk)
    return render(
        request,
        "recognition/targets_upload.html",
        {"form": form, "institution": institution},
        status=_status(form),
    )


@login_required
def targets_upload_preview(request: HttpRequest, pk: int) -> HttpResponse:
    upload = selectors.get_target_upload(user=request.user, pk=pk)
    actor = signed_in_user(request)
    if request.method == "POST":
        try:
            preview = services.confirm_targets_upload(actor=actor, upload=upload)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(count)s targets were saved.") % {"count": len(preview.valid_rows)}
            )
            return redirect(reverse("recognition:targets_upload_preview", args=[pk]))
    preview = services.preview_stored_targets_upload(actor=actor, upload=upload)
    return render(
        request, "recognition/targets_preview.html", {"preview": preview, "upload": upload}
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
    if request.method == "POST" and form.is_valid():
        try:
            services.save_policy(
                actor=signed_in_user(request), institution=institution, **form.cleaned_data
            )
        except DomainError as error:
            _add_error(form, error)
        else:
            messages.success(request, _("The recognition procedure is published."))
            return redirect("recognition:institution", slug=slug)
    return render(
        request,
        "recognition/policy_form.html",
        {"form": form, "institution": institution},
        status=_status(form),
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
            _add_error(form, error)
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
        status=_status(form),
    )


@login_required
@require_POST
def agreement_end(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = selectors.get_agreement_for_staff(user=request.user, pk=pk)
    try:
        services.end_agreement(actor=signed_in_user(request), agreement=agreement)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The agreement has ended."))
    return redirect("recognition:agreements")


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
