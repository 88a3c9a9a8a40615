"""The learner's wallet pages: overview, one credential, downloads, share links, imports,
and wallet delivery (OpenID4VCI offers)."""

from __future__ import annotations

import json
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alliances import permissions
from catalogue.texts import pick_language
from issuance import edc
from issuance.models import Credential
from portal import epochs
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.page_cache import Dependencies, cached_page, catalogue_dependencies
from portal.ratelimits import rate_limited
from verification.check_messages import localize_checks
from verification.forms import CredentialTextForm
from verification.summaries import summarise_credential
from verification.verify import PORTAL_CREDENTIAL_LANGUAGE
from wallet import badges, exports, imports, lcw, oid4vci, profiles, sharing
from wallet import permissions as wallet_permissions
from wallet import selectors as wallet
from wallet.forms import PublicProfileForm, ShareLinkForm, WalletOfferForm


def _name(held: wallet.HeldCredential) -> str:
    """A held credential's name in the reader's language where it was issued in it."""
    if held.credential is not None:
        return str(pick_language(held.credential.names, translation.get_language()))
    return held.title


def _share_choices(learner: Any) -> list[tuple[str, str]]:
    return [
        (f"{held.origin}:{held.uuid}", _name(held) or str(held.uuid))
        for held in wallet.held_credentials(learner)
        if held.origin == "imported" or held.status in ("valid", "expired")
    ]


def _download(body: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _wallet_dependencies(request: HttpRequest) -> Dependencies:
    shown = catalogue_dependencies(request)
    return Dependencies(
        epochs=[*shown.epochs, epochs.share_views(signed_in_user(request).pk)],
        versions=shown.versions,
    )


@login_required
@require_GET
@cached_page(_wallet_dependencies, private=True)
def wallet_overview(request: HttpRequest) -> HttpResponse:
    learner = signed_in_user(request)
    overview = wallet.wallet_overview(learner=learner)
    share_links = list(sharing.learner_share_links(learner=learner))
    response = render(
        request,
        "wallet/wallet.html",
        {
            "overview": overview,
            "share_links": share_links,
            "share_form": ShareLinkForm(choices=_share_choices(learner)),
            "now": timezone.now(),
        },
    )
    # The page changes by itself when a link or a credential it shows expires.
    response.cache_until = wallet.next_expiry(overview, share_links)  # type: ignore[attr-defined]
    return response


@login_required
@require_GET
def credential_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    learner = signed_in_user(request)
    credential = wallet.get_held_credential(learner=learner, uuid=uuid)
    summary = summarise_credential(credential.document, text_language=PORTAL_CREDENTIAL_LANGUAGE)
    return render(
        request,
        "wallet/wallet_credential.html",
        {
            "credential": credential,
            "status": credential.lifecycle_status(),
            "withdrawn": credential.lifecycle_status() in wallet.WITHDRAWN_STATUSES,
            "summary": summary,
            "linkedin_url": wallet.linkedin_add_url(credential),
            "verification_url": wallet.public_verification_url(credential),
            "share_form": ShareLinkForm(
                choices=[(f"issued:{credential.uuid}", summary.title or credential.title)],
                initial={"credentials": [f"issued:{credential.uuid}"]},
            ),
            "offer_form": WalletOfferForm(),
            "share_links": sharing.learner_share_links(learner=learner).filter(
                credentials=credential
            ),
        },
    )


@login_required
@require_GET
def credential_download(request: HttpRequest, uuid: str) -> HttpResponse:
    credential = wallet.get_held_credential(learner=signed_in_user(request), uuid=uuid)
    # Byte for byte the document that was signed.
    return _download(
        credential.document_json, "application/vc", f"credential-{credential.uuid}.json"
    )


@login_required
@require_GET
def credential_baked_badge(request: HttpRequest, uuid: str, image_format: str) -> HttpResponse:
    """The badge image with the signed credential baked in (Open Badges 3.0), PNG or SVG."""
    credential = wallet.get_held_credential(learner=signed_in_user(request), uuid=uuid)
    if image_format == "png":
        return _download(badges.baked_png(credential), "image/png", f"badge-{credential.uuid}.png")
    return _download(badges.baked_svg(credential), "image/svg+xml", f"badge-{credential.uuid}.svg")


def _exportable_credential(request: HttpRequest, uuid: str) -> Credential:
    """The holder, or staff of the issuing institution; anyone else gets 404."""
    return permissions.get_object_or_404_for(
        Credential.objects.select_related(
            "issuer", "learner", "programme_version", "result"
        ).filter(state="issued"),
        signed_in_user(request),
        wallet_permissions.can_download_credential_exports,
        uuid=uuid,
    )


@login_required
@require_GET
def credential_elm(request: HttpRequest, uuid: str) -> HttpResponse:
    credential = _exportable_credential(request, uuid)
    try:
        sealed = edc.sealed_edc_document(credential)
    except DomainError as error:
        messages.error(request, error.message)
        if credential.learner_id == request.user.pk:
            return redirect("wallet:wallet_credential", uuid=credential.uuid)
        return redirect("issuance:staff_credential", uuid=credential.uuid)
    return _download(
        json.dumps(sealed, indent=2, ensure_ascii=False),
        "application/jose+json",
        f"edc-{credential.uuid}.json",
    )


@login_required
@require_GET
def credential_pdf(request: HttpRequest, uuid: str) -> HttpResponse:
    credential = _exportable_credential(request, uuid)
    return _download(
        exports.certificate_pdf(credential), "application/pdf", f"certificate-{credential.uuid}.pdf"
    )


# -- sharing ----------------------------------------------------------------------------------


@login_required
@require_POST
def share_link_create(request: HttpRequest) -> HttpResponse:
    learner = signed_in_user(request)
    form = ShareLinkForm(request.POST, choices=_share_choices(learner))
    if form.is_valid():
        chosen = form.cleaned_data["credentials"]
        issued = [
            wallet.get_held_credential(learner=learner, uuid=value.split(":", 1)[1])
            for value in chosen
            if value.startswith("issued:")
        ]
        imported = [
            wallet.get_imported_credential(learner=learner, uuid=value.split(":", 1)[1])
            for value in chosen
            if value.startswith("imported:")
        ]
        try:
            link = sharing.create_share_link(
                learner=learner,
                name=form.cleaned_data["name"],
                credentials=issued,
                imported=imported,
                expires_at=form.expires_at(),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("The link “%(name)s” is ready: %(url)s")
                % {"name": link.name, "url": sharing.share_url(link)},
            )
            return redirect("wallet:wallet")
    for field_errors in form.errors.values():
        for message in field_errors:
            messages.error(request, str(message))
    return redirect("wallet:wallet")


@login_required
@require_POST
def share_link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    learner = signed_in_user(request)
    link = sharing.get_learner_share_link(learner=learner, pk=pk)
    try:
        sharing.revoke_share_link(learner=learner, link=link)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The link “%(name)s” no longer works.") % {"name": link.name})
    return redirect("wallet:wallet")


# -- public profile ---------------------------------------------------------------------------


@login_required
def public_profile_settings(request: HttpRequest) -> HttpResponse:
    """Publish the public profile with the chosen credentials, or change it."""
    learner = signed_in_user(request)
    profile = profiles.profile_of(learner=learner)
    choices = [
        (str(held.uuid), _name(held))
        for held in wallet.held_credentials(learner)
        if held.origin == "issued" and held.status not in wallet.WITHDRAWN_STATUSES
    ]
    initial = (
        {
            "headline": profile.headline,
            "credentials": [str(c.uuid) for c in profile.credentials.all()],
        }
        if profile
        else {}
    )
    form = PublicProfileForm(request.POST or None, choices=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = [
            wallet.get_held_credential(learner=learner, uuid=value)
            for value in form.cleaned_data["credentials"]
        ]
        try:
            profile = profiles.publish_profile(
                learner=learner, credentials=chosen, headline=form.cleaned_data["headline"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Your public profile is published: %(url)s")
                % {"url": profiles.profile_url(profile)},
            )
            return redirect("wallet:public_profile_settings")
    return render(
        request,
        "wallet/profile_settings.html",
        {"form": form, "profile": profile, "learner": learner},
    )


@login_required
@require_POST
def public_profile_unpublish(request: HttpRequest) -> HttpResponse:
    profiles.unpublish_profile(learner=signed_in_user(request))
    messages.success(request, _("Your public profile is removed; its address no longer works."))
    return redirect("wallet:public_profile_settings")


# -- wallet delivery --------------------------------------------------------------------------


@login_required
@require_POST
def wallet_offer_create(request: HttpRequest, uuid: str) -> HttpResponse:
    """Shows the offer right away: its code exists only in this response (never stored)."""
    learner = signed_in_user(request)
    credential = wallet.get_held_credential(learner=learner, uuid=uuid)
    form = WalletOfferForm(request.POST)
    form.is_valid()
    try:
        created = oid4vci.create_wallet_offer(
            learner=learner,
            credential=credential,
            with_tx_code=bool(form.cleaned_data.get("with_tx_code")),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("wallet:wallet_credential", uuid=credential.uuid)
    response = render(
        request,
        "wallet/wallet_offer.html",
        {
            "credential": credential,
            "offer": created.offer,
            "offer_uri": created.uri,
            "qr_data_uri": segno.make(created.uri, error="l").svg_data_uri(scale=4),
            "tx_code": created.tx_code,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def lcw_request_create(request: HttpRequest, uuid: str) -> HttpResponse:
    """The Learner Credential Wallet deep link and its QR code, shown once (never stored)."""
    learner = signed_in_user(request)
    credential = wallet.get_held_credential(learner=learner, uuid=uuid)
    try:
        created = lcw.create_credential_request(learner=learner, credential=credential)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("wallet:wallet_credential", uuid=credential.uuid)
    response = render(
        request,
        "wallet/wallet_lcw.html",
        {
            "credential": credential,
            "offer": created.offer,
            "deep_link": created.deep_link,
            "qr_data_uri": segno.make(created.deep_link, error="l").svg_data_uri(scale=4),
        },
    )
    response["Cache-Control"] = "no-store"
    return response


# -- imports ----------------------------------------------------------------------------------


@login_required
@rate_limited("wallet-import", methods=["POST"])
def import_credential(request: HttpRequest) -> HttpResponse:
    learner = signed_in_user(request)
    form = CredentialTextForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            imported = imports.import_credential(learner=learner, data=form.cleaned_data["data"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The credential was verified and added to your wallet."))
            return redirect("wallet:wallet_imported", uuid=imported.uuid)
    return render(request, "wallet/wallet_import.html", {"form": form})


@login_required
@require_GET
def imported_detail(request: HttpRequest, uuid: str) -> HttpResponse:
    imported = wallet.get_imported_credential(learner=signed_in_user(request), uuid=uuid)
    return render(
        request,
        "wallet/wallet_imported.html",
        {
            "imported": imported,
            "summary": summarise_credential(imported.document),
            "checks": localize_checks(imported.verification.get("checks", [])),
        },
    )


@login_required
@require_GET
def imported_download(request: HttpRequest, uuid: str) -> HttpResponse:
    imported = wallet.get_imported_credential(learner=signed_in_user(request), uuid=uuid)
    if imported.signed_form:
        # The signed assertion as it was imported: the JSON alone proves nothing.
        return _download(imported.signed_form, "text/plain", f"assertion-{imported.uuid}.jws")
    return _download(
        json.dumps(imported.document, indent=2, ensure_ascii=False),
        "application/vc",
        f"credential-{imported.uuid}.json",
    )


@login_required
@require_POST
def imported_remove(request: HttpRequest, uuid: str) -> HttpResponse:
    learner = signed_in_user(request)
    imported = wallet.get_imported_credential(learner=learner, uuid=uuid)
    imports.remove_imported_credential(learner=learner, imported=imported)
    messages.success(request, _("The imported credential was removed from your wallet."))
    return redirect("wallet:wallet")
