"""The verification page anyone can open: paste or upload a credential, or follow the link from
a QR code to the report of a credential issued here."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from issuance import usage
from issuance.models import Credential, CredentialState, UsageEvent
from portal.errors import DomainError
from portal.ratelimits import rate_limited
from verification.documents import parse_credential_text
from verification.forms import CredentialTextForm
from verification.verify import (
    is_presentation,
    verify_credential_document,
    verify_presentation_document,
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
                if context["verification"].issued_here:
                    usage.record_usage_of_document(
                        context["verification"].report.credential_id, UsageEvent.VERIFIED
                    )
    response = render(request, "verification/verify.html", context)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@rate_limited("verify")
def verify_stored_credential(request: HttpRequest, uuid: str) -> HttpResponse:
    """The report for a credential issued here, opened from its QR code or LinkedIn entry.
    Shows what the credential states (the learner's name, never the e-mail address)."""
    credential = (
        Credential.objects.select_related("issuer")
        .filter(uuid=uuid, state=CredentialState.ISSUED, learner__is_active=True)
        .first()
    )
    if credential is None or credential.document is None:
        raise Http404
    usage.record_usage([credential], UsageEvent.VERIFIED)
    response = render(
        request,
        "verification/verify_credential.html",
        {"verification": verify_credential_document(credential.document), "stored": credential},
    )
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
