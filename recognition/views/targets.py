"""Officers' pages for recognition targets: the list, editing one, and the CSV upload with
its preview.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.steps import add_domain_error, form_status, form_step
from recognition import selectors, services
from recognition.forms import (
    TargetForm,
    TargetUploadForm,
)
from recognition.models import (
    RecognitionTarget,
)


@login_required
def targets(request: HttpRequest, slug: str) -> HttpResponse:
    institution = selectors.get_recognition_institution(user=request.user, slug=slug)
    form = TargetForm(request.POST or None, initial={"is_active": True})
    done = form_step(
        request,
        form,
        lambda: services.create_target(
            actor=signed_in_user(request), institution=institution, data=form.service_data()
        ),
        success=_("The target was added."),
        then=redirect("recognition:targets", slug=slug),
    )
    if done:
        return done
    return render(
        request,
        "recognition/targets.html",
        {
            "institution": institution,
            "targets": selectors.list_targets_for_staff(user=request.user, institution=institution),
            "form": form,
        },
        status=form_status(form),
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
    done = form_step(
        request,
        form,
        lambda: services.update_target(
            actor=signed_in_user(request), target=target, data=form.service_data()
        ),
        success=_("The target was saved."),
        then=redirect("recognition:targets", slug=target.institution.slug),
    )
    if done:
        return done
    return render(
        request,
        "recognition/target_form.html",
        {"target": target, "form": form},
        status=form_status(form),
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
            add_domain_error(form, error)
        else:
            return redirect("recognition:targets_upload_preview", pk=preview.upload.pk)
    return render(
        request,
        "recognition/targets_upload.html",
        {"form": form, "institution": institution},
        status=form_status(form),
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
