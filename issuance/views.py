from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliances import permissions
from catalogue import permissions as catalogue_permissions
from catalogue.models import Offering
from issuance import permissions as issuance_permissions
from issuance import selectors, services
from issuance.forms import ReasonForm
from issuance.models import CredentialState
from portal.auth import signed_in_user
from portal.errors import DomainError


def _public_json(
    request: HttpRequest, payload: dict[str, Any], content_type: str, *, max_age: int
) -> HttpResponse:
    """A public document with an ETag of its bytes and a lifetime a CDN may honour."""
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={max_age}"
    # Verifiers run in browsers too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def did_document(request: HttpRequest, slug: str) -> HttpResponse:
    document = selectors.published_did_document(slug)
    if document is None:
        raise Http404
    return _public_json(
        request,
        document,
        "application/did+json",
        max_age=settings.DID_DOCUMENT_MAX_AGE,
    )


@require_GET
def status_list(request: HttpRequest, slug: str, number: str, purpose: str) -> HttpResponse:
    found = selectors.get_status_list_or_none(institution_slug=slug, number=int(number))
    signed = None
    if found is not None:
        signed = (
            found.signed_revocation_list
            if purpose == "revocation"
            else found.signed_suspension_list
        )
    if signed is None:
        raise Http404
    # Short: a revocation or suspension must reach verifiers behind a CDN quickly.
    response = _public_json(
        request, signed, _status_list_media_type(request), max_age=settings.STATUS_LIST_MAX_AGE
    )
    response["Vary"] = "Accept"
    return response


def _status_list_media_type(request: HttpRequest) -> str:
    """`application/vc`, unless the client asks only for JSON-LD or JSON: JSON-LD document
    loaders (Digital Bazaar's, the W3C suites') read a body only when its type says JSON."""
    accepted = request.headers.get("Accept", "")
    if "application/vc" in accepted or not accepted or "*/*" in accepted:
        return "application/vc"
    if "application/ld+json" in accepted:
        return "application/ld+json"
    if "application/json" in accepted:
        return "application/json"
    return "application/vc"


# -- staff --------------------------------------------------------------------------------------


@login_required
def staff_credentials(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    if not permissions.institution_ids_where(
        user, *issuance_permissions.CREDENTIAL_ROLES
    ) and not permissions.is_operator(user):
        raise Http404
    state = request.GET.get("state", "")
    if state not in CredentialState.values:
        state = ""
    search = request.GET.get("q", "").strip()[:100]
    credentials = selectors.staff_credentials(user=user, state=state, search=search)
    page = Paginator(credentials, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "issuance/staff_credentials.html",
        {"page": page, "state": state, "search": search, "states": CredentialState.choices},
    )


@login_required
def staff_credential(request: HttpRequest, uuid: str) -> HttpResponse:
    user = signed_in_user(request)
    credential = selectors.get_staff_credential(user=user, uuid=uuid)
    return render(
        request,
        "issuance/staff_credential.html",
        {
            "credential": credential,
            "status": credential.lifecycle_status(),
            "suspend_form": ReasonForm(prefix="suspend"),
            "revoke_form": ReasonForm(prefix="revoke"),
            "document_json": json.dumps(credential.document, indent=2, ensure_ascii=False)
            if credential.document
            else "",
        },
    )


def _credential_action(request: HttpRequest, uuid: str, action: str) -> HttpResponse:
    user = signed_in_user(request)
    credential = selectors.get_staff_credential(user=user, uuid=uuid)
    form = ReasonForm(request.POST, prefix=action)
    try:
        if action == "retry":
            services.retry_failed_credential(actor=user, credential=credential)
            messages.success(request, _("The credential was queued for issuing again."))
        elif action == "unsuspend":
            services.unsuspend_credential(actor=user, credential=credential)
            messages.success(request, _("The credential is valid again; the learner was told."))
        elif not form.is_valid():
            raise DomainError(_("Give the reason; the learner will see it."), field="reason")
        elif action == "revoke":
            services.revoke_credential(
                actor=user, credential=credential, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The credential was revoked; the learner was told."))
        else:
            services.suspend_credential(
                actor=user, credential=credential, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The credential was suspended; the learner was told."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("issuance:staff_credential", uuid=credential.uuid)


@login_required
@require_POST
def revoke(request: HttpRequest, uuid: str) -> HttpResponse:
    return _credential_action(request, uuid, "revoke")


@login_required
@require_POST
def suspend(request: HttpRequest, uuid: str) -> HttpResponse:
    return _credential_action(request, uuid, "suspend")


@login_required
@require_POST
def unsuspend(request: HttpRequest, uuid: str) -> HttpResponse:
    return _credential_action(request, uuid, "unsuspend")


@login_required
@require_POST
def retry(request: HttpRequest, uuid: str) -> HttpResponse:
    return _credential_action(request, uuid, "retry")


@login_required
def offering_issuance(request: HttpRequest, pk: int) -> HttpResponse:
    """Dry run of "issue every pass of this offering", and the button that starts it."""
    user = signed_in_user(request)
    offering = get_object_or_404(Offering.objects.select_related("programme", "version"), pk=pk)
    if not catalogue_permissions.can_record_results(user, offering):
        raise Http404
    if request.method == "POST":
        try:
            job = services.issue_offering_passes(actor=user, offering=offering)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            return redirect("issuance:job", pk=job.pk)
    plan = services.plan_offering_issuance(actor=user, offering=offering)
    return render(
        request,
        "issuance/offering_issuance.html",
        {
            "offering": offering,
            "plan": plan,
            "jobs": selectors.list_offering_jobs(user=user, offering=offering),
        },
    )


@login_required
def job(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = selectors.get_job(user=user, pk=pk)
    progress = services.job_progress(found)
    return render(
        request,
        "issuance/job.html",
        {
            "job": found,
            "progress": progress,
            "credentials": selectors.job_credentials(found),
            "finished": progress["remaining"] == 0,
        },
    )


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> JsonResponse:
    found = selectors.get_job(user=signed_in_user(request), pk=pk)
    return JsonResponse(services.job_progress(found))


@login_required
@require_POST
def job_resume(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = selectors.get_job(user=user, pk=pk)
    queued = services.resume_job(actor=user, job=found)
    messages.success(request, _("%(count)s credentials were queued again.") % {"count": queued})
    return redirect("issuance:job", pk=found.pk)
