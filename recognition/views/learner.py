"""The learner's recognition pages: submitting a request, following it, answering
questions, proving they hold the credential, accepting, appealing or withdrawing.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliances.models import Institution
from credential_format.errors import CredentialFormatError
from credential_format.verification import parse_json_document
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.steps import add_domain_error, button_step, form_status, form_step
from recognition import clock, selectors, services
from recognition import permissions as recognition_permissions
from recognition.forms import (
    AnswerForm,
    AppealForm,
    RequestForm,
)
from recognition.models import (
    DECIDABLE_STATUSES,
    RequestAttachment,
    RequestStatus,
)


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
                add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your request was received. A decision is due by %(date)s.")
                % {"date": created.deadline_at.astimezone(institution.zone).date().isoformat()},
            )
            return redirect("recognition:request_detail", pk=created.pk)
    return render(
        request,
        "recognition/request_form.html",
        {"form": form, "institution": institution, "policy": policy},
        status=form_status(form),
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
        "can_appeal_inaction": case.status in DECIDABLE_STATUSES
        and clock.may_appeal_inaction(case, now),
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
    return button_step(
        request,
        lambda: step(case),
        success=success,
        then=redirect("recognition:request_detail", pk=case.pk),
    )


@login_required
@require_POST
def request_answer(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_of_learner(learner=request.user, pk=pk)
    form = AnswerForm(request.POST, request.FILES)
    done = form_step(
        request,
        form,
        lambda: services.answer_information(
            learner=signed_in_user(request),
            case=case,
            answer=form.cleaned_data["answer"],
            attachments=_attachments(form.cleaned_data.get("attachments") or []),
        ),
        success=_("Your answer was sent; the clock runs again."),
        then=redirect("recognition:request_detail", pk=case.pk),
    )
    if done:
        return done
    context = _learner_context(case, request)
    context["answer_form"] = form
    return render(request, "recognition/request_detail.html", context, status=400)


@login_required
@require_POST
def request_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.get_request_of_learner(learner=request.user, pk=pk)
    form = AppealForm(request.POST)
    # Before any decision the only appeal is against the missing decision (after the deadline).
    lodge = (
        services.lodge_inaction_appeal
        if case.status in DECIDABLE_STATUSES
        else services.lodge_appeal
    )
    done = form_step(
        request,
        form,
        lambda: lodge(
            learner=signed_in_user(request), case=case, grounds=form.cleaned_data["grounds"]
        ),
        success=_("Your appeal was lodged."),
        then=redirect("recognition:request_detail", pk=case.pk),
    )
    if done:
        return done
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
        lambda case: services.accept_decision(learner=learner, case=case),
        _("You accepted the decision; it is final."),
    )


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    learner = signed_in_user(request)
    return _learner_step(
        request,
        pk,
        lambda case: services.withdraw_request(learner=learner, case=case),
        _("Your request was withdrawn."),
    )


@login_required
@require_POST
def request_holder_challenge(request: HttpRequest, pk: int) -> HttpResponse:
    learner = signed_in_user(request)
    return _learner_step(
        request,
        pk,
        lambda case: services.issue_holder_challenge(learner=learner, case=case),
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
        services.prove_holder(learner=learner, case=case, presentation=presentation)

    return _learner_step(
        request, pk, prove, _("The credentials are confirmed as yours; the checks run again.")
    )


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    attachment = get_object_or_404(RequestAttachment.objects.select_related("request"), pk=pk)
    if not recognition_permissions.can_view_recognition_request(request.user, attachment.request):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
