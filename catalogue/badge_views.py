"""Badge images: each programme version's image at a stable public address (the one new
credentials name), and the page where staff upload or remove a programme's badge."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from catalogue import selectors, services
from catalogue.forms import BadgeUploadForm
from portal.auth import signed_in_user
from portal.errors import DomainError


@require_GET
def version_badge(request: HttpRequest, pk: int) -> HttpResponse:
    """The badge image of a programme version: anyone may load it (credentials link here)."""
    return _image(
        *selectors.version_badge(version_id=pk, as_png=request.GET.get("format") == "png")
    )


@require_GET
def pathway_badge(request: HttpRequest, slug: str) -> HttpResponse:
    """The badge image of a pathway (pathway credentials link here)."""
    return _image(*selectors.pathway_badge(slug=slug, as_png=request.GET.get("format") == "png"))


def _image(body: bytes, media_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=media_type)
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    response["X-Content-Type-Options"] = "nosniff"
    # A drawn SVG carries no script; this keeps any image from running one if opened directly.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def programme_badge(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.get_programme_for_editing(user=request.user, pk=pk)
    form = BadgeUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and "remove" in request.POST:
        services.remove_programme_badge(actor=signed_in_user(request), programme=programme)
        messages.success(request, _("The badge is drawn by the portal again."))
        return redirect("catalogue:programme_badge", pk=programme.pk)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_programme_badge(
                actor=signed_in_user(request),
                programme=programme,
                data=form.cleaned_data["image"].read(),
            )
        except DomainError as error:
            form.add_error("image", error.message)
        else:
            messages.success(request, _("The badge was saved."))
            return redirect("catalogue:programme_badge", pk=programme.pk)
    preview = None
    if programme.published_version_id:
        preview = reverse("catalogue:version_badge", kwargs={"pk": programme.published_version_id})
    return render(
        request,
        "catalogue/programme_badge.html",
        {
            "programme": programme,
            "form": form,
            "preview": preview,
            "uploaded": hasattr(programme, "badge"),
        },
    )
