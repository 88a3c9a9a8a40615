from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.api import problem_json_response
from portal.auth import signed_in_user
from portal.forms import ProfileForm
from portal.middleware import is_api_request
from portal.models import ApiToken
from portal.page_cache import cached_page, catalogue_dependencies
from portal.tokens import create_api_token, revoke_api_tokens


@cached_page(catalogue_dependencies)
def home(request: HttpRequest) -> HttpResponse:
    from alliances.selectors import list_alliances

    return render(request, "portal/home.html", {"alliances": list_alliances()})


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    from alliances.selectors import list_roles_for_dashboard

    return render(
        request,
        "portal/dashboard.html",
        {"roles": list_roles_for_dashboard(user=signed_in_user(request))},
    )


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile was saved."))
        if form.name_change is not None and form.name_change.status == "pending":
            messages.info(request, _("The change of your name waits for staff approval."))
        return redirect("profile")
    token = ApiToken.objects.filter(user=signed_in_user(request)).first()
    # A new key is in the session for the one page view right after it was created.
    new_key = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    return render(
        request, "portal/profile.html", {"form": form, "token": token, "new_key": new_key}
    )


NEW_TOKEN_SESSION_KEY = "portal.new_api_token"  # noqa: S105 - a session key name


@login_required
@require_POST
def api_token(request: HttpRequest) -> HttpResponse:
    """Create (or replace) the user's API token, or delete it."""
    user = signed_in_user(request)
    if request.POST.get("action") == "delete":
        revoke_api_tokens(user=user, reason="deleted", request=request)
        messages.success(request, _("Your API token was deleted."))
    else:
        key = create_api_token(
            user=user, read_only=bool(request.POST.get("read_only")), request=request
        )[1]
        request.session[NEW_TOKEN_SESSION_KEY] = key
        messages.success(request, _("A new API token was created. The old one no longer works."))
    return redirect("profile")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_json_response(request, 404, "No such resource.", code="not_found")
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_json_response(request, 403, "You may not do this.", code="permission_denied")
    return render(request, "403.html", status=403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if is_api_request(request):
        return problem_json_response(request, 400, "The request was malformed.", code="bad_request")
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    if is_api_request(request):
        return problem_json_response(
            request, 500, "The server could not complete the request.", code="server_error"
        )
    return render(request, "500.html", status=500)
