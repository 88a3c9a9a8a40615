"""Sign-up with e-mail verification, login, password reset and two-factor authentication."""

from __future__ import annotations

import re

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse

from portal.models import User
from tests.factories import TEST_PASSWORD


def _link_in_last_mail(pattern: str) -> str:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(0).replace("https://portal.test", "")


def _current_totp(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_sign_up_verify_email_and_sign_in(db):
    client = Client()
    response = client.post(
        reverse("account_signup"),
        {
            "email": "Learner@Example.org",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
            "full_name": "Lea Learner",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="learner@example.org")
    assert user.full_name == "Lea Learner"

    # Before verifying, signing in only resends the verification.
    client.logout()
    client.post(
        reverse("account_login"),
        {"login": "learner@example.org", "password": "a-long-unusual-passphrase"},
    )
    assert client.get(reverse("dashboard")).status_code == 302

    confirm_url = _link_in_last_mail(r"https://portal\.test/accounts/confirm-email/[^\s]+/")
    assert client.post(confirm_url).status_code == 302
    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "learner@example.org", "password": "a-long-unusual-passphrase"},
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_sign_up_with_weak_password_shows_errors(db):
    response = Client().post(
        reverse("account_signup"),
        {"email": "x@example.org", "password1": "123", "password2": "123", "full_name": "X"},
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode()
    assert not User.objects.exists()


def test_email_is_unique_regardless_of_case(dana):
    response = Client().post(
        reverse("account_signup"),
        {
            "email": dana.email.upper(),
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
            "full_name": "Someone Else",
        },
    )
    # allauth does not reveal that the address exists; it still creates no second account.
    assert User.objects.filter(email__iexact=dana.email).count() == 1
    assert response.status_code in {200, 302}


def test_password_reset_by_email(dana):
    client = Client()
    client.post(reverse("account_reset_password"), {"email": dana.email})
    reset_url = _link_in_last_mail(r"https://portal\.test/accounts/password/reset/key/[^\s]+/")
    response = client.get(reset_url, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else reset_url
    response = client.post(
        form_url, {"password1": "another-long-passphrase", "password2": "another-long-passphrase"}
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert dana.check_password("another-long-passphrase")


def _sign_in(client: Client, user: User) -> None:
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302


def _activate_totp(client: Client) -> str:
    # Adding a second factor asks for the password again, however recent the sign-in.
    client.post(reverse("account_reauthenticate"), {"password": TEST_PASSWORD})
    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": _current_totp(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return secret


def test_totp_activation_then_sign_in_asks_for_a_code(alice):
    client = Client()
    _sign_in(client, alice)
    _activate_totp(client)
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=alice, type=Authenticator.Type.RECOVERY_CODES).exists()

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": alice.email, "password": TEST_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")
    # Password alone does not sign in.
    assert client.get(reverse("dashboard")).status_code == 302
    response = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert response.status_code == 200
    assert client.get(reverse("dashboard")).status_code == 302


def test_recovery_code_signs_in_once(alice):
    client = Client()
    _sign_in(client, alice)
    _activate_totp(client)
    codes = (
        Authenticator.objects.get(user=alice, type=Authenticator.Type.RECOVERY_CODES)
        .wrap()
        .get_unused_codes()
    )
    client.logout()
    client.post(reverse("account_login"), {"login": alice.email, "password": TEST_PASSWORD})
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200

    client.logout()
    client.post(reverse("account_login"), {"login": alice.email, "password": TEST_PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 200


@override_settings(STAFF_MFA_REQUIRED=True)
def test_staff_without_second_factor_are_sent_to_set_it_up(alice, as_user):
    client = as_user(alice)
    response = client.get(reverse("alliances:staff_list", args=["uni-a"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    api = client.get("/api/v1/me/")
    assert api.status_code == 403
    assert api.json()["code"] == "mfa_required"


@override_settings(STAFF_MFA_REQUIRED=True)
def test_staff_with_second_factor_pass(alice):
    client = Client()
    _sign_in(client, alice)
    _activate_totp(client)
    assert client.get(reverse("alliances:staff_list", args=["uni-a"])).status_code == 200


@override_settings(STAFF_MFA_REQUIRED=True)
def test_learners_are_not_asked_for_a_second_factor(dana, as_user):
    assert as_user(dana).get(reverse("dashboard")).status_code == 200


def test_failed_logins_are_rate_limited_with_the_default_limits(dana, settings):
    # The production configuration: allauth's own default limits.
    del settings.ACCOUNT_RATE_LIMITS
    client = Client()
    bodies = [
        client.post(
            reverse("account_login"), {"login": dana.email, "password": "wrong"}
        ).content.decode()
        for _ in range(7)
    ]
    assert "Too many failed login attempts" in bodies[-1]
    assert "Too many failed login attempts" not in bodies[0]
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": dana.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 200


def test_an_operator_cannot_rename_a_person_in_the_admin_behind_the_name_record(
    oscar, dana, as_user
):
    """Names are identity data: the admin shows the name but changes go through a recorded,
    approved name change, never a silent edit of the field."""
    from django.urls import reverse

    from portal.models import NameChange

    response = as_user(oscar).post(
        reverse("admin:portal_user_change", args=[dana.pk]),
        {
            "email": dana.email,
            "full_name": "Someone Else",
            "preferred_language": dana.preferred_language or "en",
            "is_active": "on",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": dana.date_joined.strftime("%Y-%m-%d"),
            "date_joined_1": dana.date_joined.strftime("%H:%M:%S"),
        },
    )
    assert response.status_code in (200, 302)
    dana.refresh_from_db()
    assert dana.full_name != "Someone Else"
    assert not NameChange.objects.filter(user=dana, new_name="Someone Else").exists()
