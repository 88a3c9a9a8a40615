"""The verification page anyone can open: paste or upload a credential, or follow the link from
a QR code to the report of a credential issued here."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from issuance.models import Credential, CredentialState
from portal.errors import DomainError
from portal.ratelimits import rate_limited
from verification.documents import parse_credential_text
from verification.forms import CredentialTextForm
from verification.verify import (
    is_presentation,
    verify_credential_document,
    verify_presentation_document,
    without_personal_fields,
)


@require_http_methods(["GET", "POST"])
@rate_limited("verify", methods=["POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Paste or upload a credential (or a presentation) and see the verdict."""
    form = CredentialTextForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        try:
            document = parse_credential_text(form.cleaned_data["data"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if is_presentation(document):
                context["presentation"] = verify_presentation_document(document)
            else:
                context["verification"] = verify_credential_document(document)
    response = render(request, "verification/verify.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@rate_limited("verify")
def verify_stored_credential(request: HttpRequest, uuid: str) -> HttpResponse:
    """The report for a credential issued here, opened from its QR code or LinkedIn entry.
    Shows what the credential states (the learner's name, never the e-mail address); once the
    learner has deleted the account, the verdict and status without the personal fields."""
    credential = (
        Credential.objects.select_related("issuer", "learner")
        .filter(uuid=uuid, state=CredentialState.ISSUED)
        .first()
    )
    if credential is None or credential.document is None:
        raise Http404
    verification = verify_credential_document(credential.document)
    holder_deleted = not credential.learner.is_active
    if holder_deleted:
        verification = without_personal_fields(verification)
    response = render(
        request,
        "verification/verify_credential.html",
        {"verification": verification, "stored": credential, "holder_deleted": holder_deleted},
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
