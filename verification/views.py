"""The verification page anyone can open: paste or upload a credential, or follow the link from
a QR code to the report of a credential issued here."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods

from credential_format import ob2
from issuance import seals, usage
from issuance.models import Credential, CredentialState, UsageEvent
from portal import epochs
from portal.errors import DomainError
from portal.page_cache import Dependencies, cached_page
from portal.ratelimits import rate_limited
from verification.documents import parse_credential_text
from verification.forms import VerifySourceForm
from verification.sources import document_from_upload, document_from_url, signed_assertion_in
from verification.stored import holder_of_issued_credential, verify_issued_credential
from verification.verify import (
    is_presentation,
    verify_credential_document,
    verify_open_badges_2_assertion,
    verify_presentation_document,
    without_personal_fields,
)


@require_http_methods(["GET", "POST"])
@rate_limited("verify", methods=["POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Paste or upload a credential (a presentation, a sealed European Digital Credential, or an
    Open Badges 2.0 signed or hosted assertion), a baked badge or a QR code picture, or give
    its link, and see the verdict."""
    form = VerifySourceForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    data = form.cleaned_data.get("data") if request.method == "POST" and form.is_valid() else None
    signed = signed_assertion_in(data) if data is not None else ""
    if signed:
        try:
            context["verification"] = verify_open_badges_2_assertion(signed=signed)
        except DomainError as error:
            form.add_error(None, error.message)
    elif request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["data"] is None:
                document = document_from_url(form.cleaned_data["url"])
            elif form.cleaned_data.get("file") is not None:
                document = document_from_upload(form.cleaned_data["data"])
            else:
                document = parse_credential_text(form.cleaned_data["data"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if seals.looks_sealed(document):
                context["seal"] = seals.check_seal(document)
            elif is_presentation(document):
                context["presentation"] = verify_presentation_document(document)
            elif ob2.is_hosted_assertion(document):
                context["verification"] = verify_open_badges_2_assertion(hosted=document)
            else:
                context["verification"] = verify_credential_document(document)
                if context["verification"].issued_here:
                    usage.record_usage_of_document(
                        context["verification"].report.credential_id, UsageEvent.VERIFIED
                    )
    response = render(request, "verification/verify.html", context)
    response["Cache-Control"] = "no-store"
    return response


def _shown_credentials(uuid: str) -> QuerySet[Credential]:
    return Credential.objects.filter(uuid=uuid, state=CredentialState.ISSUED)


def _stored_credential_dependencies(request: HttpRequest, uuid: str) -> Dependencies | None:
    learner_id = holder_of_issued_credential(uuid)
    if learner_id is None:
        return None
    # The holder's epoch moves whenever a credential of theirs is stored or changes (signed,
    # revoked, suspended, reinstated, deleted) and with their account (deleted: the page then
    # shows the verdict without their name).
    return Dependencies(epochs=[epochs.ISSUERS, epochs.CATALOGUE, epochs.holder(learner_id)])


def _count_verification(request: HttpRequest, uuid: str) -> None:
    usage.record_usage_of_document(f"urn:uuid:{uuid}", UsageEvent.VERIFIED)


@require_GET
@rate_limited("verify")
@cached_page(_stored_credential_dependencies, on_request=_count_verification)
def verify_stored_credential(request: HttpRequest, uuid: str) -> HttpResponse:
    """The report for a credential issued here, opened from its QR code or LinkedIn entry.
    Shows what the credential states (the learner's name, never the e-mail address); once the
    learner has deleted the account, the verdict and status without the personal fields."""
    credential = _shown_credentials(uuid).select_related("issuer", "learner", "status_list").first()
    if credential is None or credential.document is None:
        raise Http404
    verification = verify_issued_credential(credential)
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
    response.cache_until = credential.valid_until  # type: ignore[attr-defined]
    return response
