"""The account's data pages: download everything the portal holds, or delete the account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import privacy
from portal.auth import signed_in_user
from portal.errors import DomainError
from portal.forms import DeleteAccountForm


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            privacy.delete_account(user=user, confirmation=form.cleaned_data["confirmation"])
        except DomainError as error:
            form.add_error("confirmation" if error.field else None, error.message)
        else:
            # Not `logout()`: its signal would write a new audit row naming the person.
            request.session.flush()
            request.user = AnonymousUser()
            messages.success(
                request,
                _("Your account was deleted. Credentials you downloaded remain verifiable."),
            )
            return redirect("home")
    return render(request, "portal/my_data.html", {"form": form})


@login_required
@require_POST
def my_data_export(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    archive = privacy.personal_data_archive(user=user)
    response = HttpResponse(archive, content_type="application/zip")
    filename = f"alliance-credentials-data-{timezone.now():%Y%m%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
