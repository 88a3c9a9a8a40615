"""API tokens: created from the profile page, shown once, stored only as a digest, expiring,
optionally read-only, revoked with the password, and useless to staff without a second factor."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import ADMIN, grant

pytestmark = pytest.mark.django_db

STAFF_OPERATION = "/api/v1/institutions/uni-a/staff/"


def create_token(as_user, user, *, read_only: bool = False) -> str:
    """Create a token from the profile page, as its owner does, and read it from the page."""
    client = as_user(user)
    data = {"action": "create"}
    if read_only:
        data["read_only"] = "on"
    response = client.post(reverse("api_token"), data, follow=True)
    assert response.status_code == 200
    match = re.search(r'<code class="token"[^>]*>([^<]+)</code>', response.content.decode())
    assert match, "the new token is shown right after it is created"
    return match.group(1)


def api_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@override_settings(STAFF_MFA_REQUIRED=True)
def test_learner_who_becomes_staff_cannot_use_an_old_token_without_a_second_factor(
    dana, institution_a, as_user
):
    token = create_token(as_user, dana)
    assert api_with(token).get("/api/v1/me/").status_code == 200
    grant(dana, institution_a, ADMIN)
    response = api_with(token).get(STAFF_OPERATION)
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    assert api_with(token).post("/api/v1/programmes/", {}, format="json").status_code == 403


@override_settings(STAFF_MFA_REQUIRED=True)
def test_staff_token_works_once_a_second_factor_is_enrolled(dana, institution_a, as_user):
    token = create_token(as_user, dana)
    grant(dana, institution_a, ADMIN)
    Authenticator.objects.create(user=dana, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert api_with(token).get(STAFF_OPERATION).status_code == 200


def test_token_is_stored_only_as_a_digest_and_shown_once(dana, as_user):
    from portal.models import ApiToken

    token = create_token(as_user, dana)
    stored = ApiToken.objects.get(user=dana)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in ApiToken.objects.values_list(flat=True)}
    assert token.startswith(stored.prefix)
    assert len(stored.prefix) < len(token) // 3
    page = as_user(dana).get(reverse("profile")).content.decode()
    assert token not in page
    assert stored.prefix in page


def test_token_expires(dana, as_user, settings):
    from portal.models import ApiToken

    token = create_token(as_user, dana)
    stored = ApiToken.objects.get(user=dana)
    expected = timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    assert abs((stored.expires_at - expected).total_seconds()) < 60
    ApiToken.objects.filter(pk=stored.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api_with(token).get("/api/v1/me/")
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]


def test_read_only_token_may_only_read(dana, as_user):
    token = create_token(as_user, dana, read_only=True)
    client = api_with(token)
    assert client.get("/api/v1/me/").status_code == 200
    response = client.post("/api/v1/wallet/share-links/", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "read_only_token"


def test_password_change_revokes_tokens(dana, as_user):
    from tests.factories import TEST_PASSWORD

    token = create_token(as_user, dana)
    client = as_user(dana)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": TEST_PASSWORD,
            "password1": "A-new-pass-9281",
            "password2": "A-new-pass-9281",
        },
    )
    assert response.status_code == 302
    assert api_with(token).get("/api/v1/me/").status_code == 401


def test_password_reset_revokes_tokens(dana, as_user):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    token = create_token(as_user, dana)
    key = default_token_generator.make_token(dana)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(dana), "key": key},
    )
    client = APIClient()
    response = client.get(url, follow=True)
    response = client.post(
        response.redirect_chain[-1][0] if response.redirect_chain else url,
        {"password1": "A-new-pass-9281", "password2": "A-new-pass-9281"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    assert api_with(token).get("/api/v1/me/").status_code == 401


def test_deleting_a_token_stops_it(dana, as_user):
    token = create_token(as_user, dana)
    as_user(dana).post(reverse("api_token"), {"action": "delete"})
    assert api_with(token).get("/api/v1/me/").status_code == 401


def test_unknown_token_is_refused(db):
    assert api_with("ac_not-a-token").get("/api/v1/me/").status_code == 401


def test_clear_text_tokens_are_hashed_by_the_migration(dana):
    """Keys created before tokens were hashed keep working, and the clear key is gone."""
    import importlib

    from django.apps import apps
    from rest_framework.authtoken.models import Token

    from portal.models import ApiToken

    old = Token.objects.create(user=dana)
    migration = importlib.import_module("portal.migrations.0004_api_tokens_hashed")
    migration.hash_existing_tokens(apps, None)
    assert not Token.objects.exists()
    assert ApiToken.objects.get(user=dana).digest == hashlib.sha256(old.key.encode()).hexdigest()
    assert api_with(old.key).get("/api/v1/me/").status_code == 200


def test_an_operator_setting_the_password_in_the_admin_revokes_tokens(dana, oscar, as_user):
    token = create_token(as_user, dana)
    response = as_user(oscar).post(
        reverse("admin:auth_user_password_change", args=[dana.pk]),
        {"password1": "A-new-pass-9281", "password2": "A-new-pass-9281", "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:800]
    assert api_with(token).get("/api/v1/me/").status_code == 401
