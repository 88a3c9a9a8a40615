"""API token authentication with the staff rule: a token of someone who holds a staff,
officer or admin role works only once that person has enrolled a second factor (the same
rule StaffMFAMiddleware applies to signed-in pages). It is checked on every request, so a
token created as a learner stops working for staff functions the day its owner gets a role."""

from __future__ import annotations

from typing import Any

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions

from alliances.permissions import roles_of
from portal.models import User
from portal.tokens import HashedTokenAuthentication


class SecondFactorRequired(exceptions.PermissionDenied):
    default_code = "mfa_required"


def second_factor_missing(user: User) -> bool:
    return (
        settings.STAFF_MFA_REQUIRED
        and roles_of(user).needs_second_factor
        and not is_mfa_enabled(user)
    )


MFA_REQUIRED_MESSAGE = (
    "Activate two-factor authentication in your account before using staff functions."
)


class StaffTokenAuthentication(HashedTokenAuthentication):
    def check_user(self, request: Any, user: User) -> None:
        if second_factor_missing(user):
            raise SecondFactorRequired(_(MFA_REQUIRED_MESSAGE))
