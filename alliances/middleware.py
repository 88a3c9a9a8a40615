from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from alliances.permissions import roles_of
from portal.api import problem_json_response

# Pages a staff member without a second factor may still open: setting one up, signing out,
# switching language, and static files.
_OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/media/", "/healthz")


class StaffMFAMiddleware:
    """Staff, officers and admins must activate a second factor before staff pages open."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.STAFF_MFA_REQUIRED and self._must_set_up_mfa(request):
            if request.path.startswith("/api/"):
                return problem_json_response(
                    request,
                    403,
                    _(
                        "Activate two-factor authentication in your account before using staff functions."
                    ),
                    code="mfa_required",
                )
            messages.info(
                request,
                _(
                    "Your role requires two-factor authentication. Set up an authenticator app to continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _must_set_up_mfa(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(_OPEN_PREFIXES) or request.path == "/":
            return False
        return roles_of(user).needs_second_factor and not is_mfa_enabled(user)
