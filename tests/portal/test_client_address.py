"""Rate limits count requests per client address: the connection's address, or with
TRUSTED_PROXY_COUNT proxies in front, the address the outermost trusted proxy saw. A header
the client writes itself (X-Forwarded-For) never starts a fresh count."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from portal.client_address import client_address

pytestmark = pytest.mark.django_db


def locmem() -> dict:
    """A memory cache with keys of this test only (other tests of the process use it too)."""
    import uuid

    return {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "KEY_PREFIX": uuid.uuid4().hex,
        }
    }


def _request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_the_connection_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_behind_one_proxy_the_address_it_saw_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "198.51.100.1" itself; the proxy appended the address it saw.
    request = _request("10.0.0.2", "198.51.100.1, 203.0.113.9")
    assert client_address(request) == "203.0.113.9"
    assert client_address(_request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"


def test_behind_two_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request("10.0.0.3", "1.2.3.4, 203.0.113.9, 10.0.0.2")) == "203.0.113.9"


def test_a_request_that_bypassed_the_proxy_counts_by_its_connection(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(_request("203.0.113.7", "203.0.113.9")) == "203.0.113.7"
    assert client_address(_request("203.0.113.7", "not an address, 10.0.0.2")) == "203.0.113.7"


@pytest.fixture
def verify_limited(settings, monkeypatch):
    from rest_framework.throttling import ScopedRateThrottle

    settings.CACHES = locmem()
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"credential-verify": "2/minute"})


def _verify_api(client: APIClient, **headers) -> int:
    return client.post(
        "/api/v1/credentials/verify", {"verifiableCredential": {}}, format="json", **headers
    ).status_code


def test_a_spoofed_forwarded_for_does_not_reset_the_verify_api_limit(verify_limited):
    client = APIClient()
    statuses = [_verify_api(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(1, 4)]
    assert statuses[:2] != [429, 429]
    assert statuses[-1] == 429


def test_behind_the_proxy_each_client_has_its_own_api_limit(verify_limited, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = APIClient(REMOTE_ADDR="10.0.0.2")
    first = [_verify_api(client, HTTP_X_FORWARDED_FOR="203.0.113.9") for _ in range(3)]
    assert first[-1] == 429
    # Another client through the same proxy is not held back by the first one.
    assert _verify_api(client, HTTP_X_FORWARDED_FOR="203.0.113.10") != 429
    # The first client writing an address of its own in front does not help it.
    spoofed = "198.51.100.1, 203.0.113.9"
    assert _verify_api(client, HTTP_X_FORWARDED_FOR=spoofed) == 429


def _sign_up(client: Client, n: int, **headers) -> str:
    response = client.post(
        reverse("account_signup"),
        {
            "email": f"new{n}@learner.example",
            "password1": "A-good-pass-9281",
            "password2": "A-good-pass-9281",
            "full_name": "New Learner",
        },
        **headers,
    )
    return str(response.status_code)


@pytest.fixture
def signup_limited(settings):
    settings.CACHES = locmem()
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}


def test_sign_up_is_limited_and_a_spoofed_header_does_not_reset_it(signup_limited):
    client = Client()
    statuses = [_sign_up(client, n, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}") for n in range(3)]
    assert statuses[-1] == "429"
    assert "429" not in statuses[:2]


def test_behind_the_proxy_sign_up_counts_each_client(signup_limited, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client = Client(REMOTE_ADDR="10.0.0.2")
    statuses = [_sign_up(client, n, HTTP_X_FORWARDED_FOR="203.0.113.9") for n in range(3)]
    assert statuses[-1] == "429"
    # Not every user is counted as the proxy.
    assert _sign_up(client, 9, HTTP_X_FORWARDED_FOR="203.0.113.10") != "429"


def test_failed_sign_ins_with_a_new_forwarded_for_each_time_stay_limited(dana, settings):
    settings.CACHES = locmem()
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip"}
    client = Client()
    bodies = [
        client.post(
            reverse("account_login"),
            {"login": f"someone{n}@example.org", "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).content.decode()
        for n in range(5)
    ]
    assert "Too many failed login attempts" in bodies[-1]


def test_the_audit_trail_records_the_client_address(dana, settings):
    from portal.models import AuditEvent

    settings.TRUSTED_PROXY_COUNT = 1
    Client(REMOTE_ADDR="10.0.0.2").post(
        reverse("account_login"),
        {"login": dana.email, "password": "wrong"},
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    assert AuditEvent.objects.get(action="auth.login_failed").ip_address == "203.0.113.9"


@pytest.fixture
def pages_limited(settings):
    settings.CACHES = locmem()
    settings.PAGE_RATE_LIMITS_ENABLED = True
    settings.PAGE_RATE_LIMITS = {
        "verify": "2/minute",
        "shared": "2/minute",
        "wallet-import": "2/minute",
    }


def _statuses(send, count: int = 3) -> list[int]:
    return [send(n) for n in range(count)]


def test_the_verify_page_is_limited_and_a_spoofed_header_does_not_reset_it(pages_limited):
    client = Client()
    statuses = _statuses(
        lambda n: (
            client.post(
                reverse("verification:verify"),
                {"document": "{}"},
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            ).status_code
        )
    )
    assert statuses == [200, 200, 429]
    page = client.post(reverse("verification:verify"), {"document": "{}"})
    assert page.status_code == 429
    assert "Too many requests" in page.content.decode()
    assert page["Retry-After"] == "60"
    # Another client is not held back.
    assert Client(REMOTE_ADDR="203.0.113.5").post(reverse("verification:verify")).status_code == 200


def test_share_pages_are_limited(pages_limited, db):
    client = Client()
    url = reverse("wallet:shared", args=["no-such-link"])
    statuses = _statuses(
        lambda n: client.get(url, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
    )
    assert statuses == [404, 404, 429]


def test_wallet_import_is_limited(pages_limited, dana, as_user):
    client = as_user(dana)
    statuses = _statuses(
        lambda n: (
            client.post(
                reverse("wallet:wallet_import"),
                {"document": "{}"},
                HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
            ).status_code
        )
    )
    assert statuses == [200, 200, 429]


def test_page_limits_fail_open_when_the_cache_is_unreachable(pages_limited, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    client = Client()
    statuses = _statuses(lambda n: client.post(reverse("verification:verify")).status_code, 4)
    assert statuses == [200, 200, 200, 200]


def test_an_api_route_over_its_limit_gets_a_problem_body(pages_limited):
    from portal.ratelimits import rate_limited

    @rate_limited("verify")
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    request = RequestFactory().get("/api/v1/anything", REMOTE_ADDR="203.0.113.1")
    assert [view(request).status_code for _ in range(3)] == [200, 200, 429]
    response = view(request)
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "60"
    assert "too many requests" in json.loads(response.content)["detail"]
