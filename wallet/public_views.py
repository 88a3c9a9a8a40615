"""Pages anyone can open: shared credentials behind a share link, and the OpenID4VCI endpoints
wallets call."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portal import epochs
from portal.page_cache import Dependencies, cached_page
from portal.ratelimits import rate_limited
from verification.stored import verify_issued_credential
from verification.verify import verify_credential_document, without_personal_fields
from wallet import lcw, oid4vci, profiles, sharing


@require_GET
@rate_limited("shared")
def shared(request: HttpRequest, token: str) -> HttpResponse:
    link = sharing.share_link_identity(token=token)
    response = _shared_page(request, token, link)
    if response.status_code in (200, 304):  # an active link's page (410 once it is not)
        sharing.record_share_view(link.pk)
    return response


def _shared_page_dependencies(
    request: HttpRequest, token: str, link: sharing.ShareLinkIdentity
) -> Dependencies:
    # The holder's epoch moves with the link (revoked), its credentials (revoked, suspended),
    # imported credentials and the holder's account; the issuers' with their keys. The page
    # is kept no longer than the link is valid.
    return Dependencies(epochs=[epochs.holder(link.learner_id), epochs.ISSUERS])


@cached_page(_shared_page_dependencies)
def _shared_page(
    request: HttpRequest, token: str, identity: sharing.ShareLinkIdentity
) -> HttpResponse:
    link = sharing.get_shared_link(token=token)
    state = link.state()
    holder_deleted = not link.learner.is_active
    context: dict[str, Any] = {"link": link, "state": state, "holder_deleted": holder_deleted}
    status = 200
    if state == "active":
        verifications = [
            verify_issued_credential(credential) for credential in sharing.shared_credentials(link)
        ] + [
            verify_credential_document(imported.document)
            for imported in link.imported_credentials.all()
        ]
        if holder_deleted:
            verifications = [without_personal_fields(v) for v in verifications]
        context["verifications"] = verifications
    else:
        status = 410
    response = render(request, "wallet/shared.html", context, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    # The address holds the link's secret: never sent to other sites. Same-origin requests keep
    # it, because under "no-referrer" the browser sends "Origin: null" with the page's own
    # forms (the language switch) and the CSRF check refuses them.
    response["Referrer-Policy"] = "same-origin"
    # The page changes by itself when the link or a credential it shows expires.
    response.cache_until = min(  # type: ignore[attr-defined]
        (
            moment
            for moment in (
                link.expires_at,
                *(credential.valid_until for credential in link.credentials.all()),
            )
            if moment is not None
        ),
        default=None,
    )
    return response


@require_GET
@rate_limited("shared")
def shared_presentation(request: HttpRequest, token: str) -> HttpResponse:
    link = sharing.get_shared_link(token=token)
    # After the account's deletion the portal no longer hands out the signed documents (they
    # name the learner); the page still shows the verdict and status.
    if link.state() != "active" or not link.learner.is_active:
        raise Http404
    body = json.dumps(sharing.shared_presentation(link), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/vp")
    response["Content-Disposition"] = (
        f'attachment; filename="shared-credentials-{timezone.now():%Y%m%d}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@rate_limited("shared")
def public_profile(request: HttpRequest, slug: str) -> HttpResponse:
    """A learner's published profile: the credentials they chose, each with its live status
    and its check page. Never the e-mail address."""
    profile = profiles.get_public_profile(slug=slug)
    response = render(
        request,
        "wallet/public_profile.html",
        {"profile": profile, "credentials": profiles.shown_credentials(profile)},
    )
    response["Cache-Control"] = "no-store"
    return response


# -- Learner Credential Wallet ----------------------------------------------------------------


# The wallet is not a browser with a session: the exchange's secret address and the signed
# challenge authenticate it, so there is no cookie for CSRF to abuse.
@csrf_exempt
@require_POST
@rate_limited("shared")
def lcw_exchange(request: HttpRequest, secret: str) -> JsonResponse:
    try:
        presentation = json.loads(request.body or b"{}")
    except (ValueError, RecursionError, RequestDataTooBig):
        return _problem(_("Send the DID Authentication presentation as JSON."))
    if isinstance(presentation, dict) and isinstance(
        presentation.get("verifiablePresentation"), dict
    ):
        presentation = presentation["verifiablePresentation"]  # the VC-API exchange shape
    try:
        document = lcw.deliver_to_wallet(secret=secret, presentation=presentation)
    except lcw.ExchangeRefused as error:
        return _problem(error.message)
    response = JsonResponse(document)
    response["Cache-Control"] = "no-store"
    return response


def _problem(detail: str) -> JsonResponse:
    response = JsonResponse(
        {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": detail},
        status=400,
        content_type="application/problem+json",
    )
    response["Cache-Control"] = "no-store"
    return response


# -- OpenID4VCI -------------------------------------------------------------------------------


def _metadata(payload: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(payload)
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def credential_issuer_metadata(request: HttpRequest) -> JsonResponse:
    return _metadata(oid4vci.issuer_metadata())


@require_GET
def authorization_server_metadata(request: HttpRequest) -> JsonResponse:
    return _metadata(oid4vci.authorization_server_metadata())


def _oauth_response(payload: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(payload, status=status)
    response["Cache-Control"] = "no-store"
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


def _bearer(request: HttpRequest) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() in ("bearer", "dpop") else ""


# Wallets are not browsers with a session: these endpoints authenticate by the codes and
# tokens of the protocol, so there is no cookie for CSRF to abuse.
@csrf_exempt
@require_POST
def token_endpoint(request: HttpRequest) -> JsonResponse:
    try:
        payload = oid4vci.exchange_pre_authorized_code(
            grant_type=request.POST.get("grant_type", ""),
            code=request.POST.get("pre-authorized_code", ""),
            tx_code=request.POST.get("tx_code"),
        )
    except oid4vci.OAuthError as error:
        return _oauth_response(error.body(), error.status)
    return _oauth_response(payload)


@csrf_exempt
@require_POST
def nonce_endpoint(request: HttpRequest) -> JsonResponse:
    """Open to anyone (OpenID4VCI 1.0 section 7.1: no access token is asked for)."""
    return _oauth_response(oid4vci.issue_nonce())


@csrf_exempt
@require_POST
def credential_endpoint(request: HttpRequest) -> JsonResponse:
    try:
        raw = request.body
    except RequestDataTooBig:
        return _oauth_response(
            {
                "error": "invalid_credential_request",
                "error_description": "The request body is too large.",
            },
            413,
        )
    try:
        body = json.loads(raw or b"{}")
        if not isinstance(body, dict):
            raise ValueError("not an object")
    except (ValueError, RecursionError):
        # RecursionError: JSON nested deeper than Python recurses.
        return _oauth_response(
            {"error": "invalid_credential_request", "error_description": "Send a JSON object."},
            400,
        )
    try:
        return _oauth_response(
            oid4vci.deliver_credential(access_token=_bearer(request), request=body)
        )
    except oid4vci.OAuthError as error:
        return _oauth_response(error.body(), error.status)
