"""The institution admin's page for the electronic seal used on European Digital Credential
(ELM) exports."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution
from issuance import seals
from issuance.forms import SealUploadForm
from portal.auth import signed_in_user
from portal.errors import DomainError


@login_required
def institution_seal(request: HttpRequest, slug: str) -> HttpResponse:
    user = signed_in_user(request)
    institution = permissions.get_object_or_404_for(
        Institution.objects.all(), user, permissions.can_manage_seal, slug=slug
    )
    form = SealUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            seals.upload_seal_certificate(
                actor=user,
                institution=institution,
                pkcs12=form.cleaned_data["pkcs12"].read(),
                password=form.cleaned_data["password"] or "",
            )
        except DomainError as error:
            form.add_error("pkcs12" if error.field else None, error.message)
        else:
            messages.success(
                request, _("The seal certificate was saved; new ELM exports are sealed with it.")
            )
            return redirect("issuance:institution_seal", slug=institution.slug)
    return render(
        request,
        "issuance/institution_seal.html",
        {"institution": institution, "seal": seals.active_seal(institution), "form": form},
    )
