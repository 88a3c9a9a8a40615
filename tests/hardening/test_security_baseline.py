"""The security baseline, each item checked: no inline script anywhere (so the CSP needs no
'unsafe-inline'), secure cookies and HSTS in production settings, a second factor for every
kind of staff, and an audit trail of security events that the application cannot edit.
(`check --deploy`, sign-in rate limits and the audit trigger have their tests in
tests/portal; bandit runs in CI.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from issuance import services as issuance_services
from issuance.signing_keys import rotate_signing_key
from portal.models import AuditEvent
from recognition import services as recognition_services
from tests.portal.test_settings import ROOT, _production_env

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


def template_files() -> list[Path]:
    directories = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    directories += [ROOT / app / "templates" for app in ("portal", "alliances", "catalogue")]
    return sorted(p for d in directories if d.exists() for p in d.rglob("*.html"))


def test_no_template_has_inline_script_or_event_handlers():
    files = template_files()
    assert len(files) > 50
    offending = []
    for path in files:
        text = path.read_text()
        for pattern in (INLINE_SCRIPT, EVENT_HANDLER, JAVASCRIPT_URL):
            offending += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert not offending, offending


def test_the_policy_allows_no_inline_script_or_style():
    directives = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]
    for directive in ("script-src", "style-src", "default-src"):
        assert not {"'unsafe-inline'", "'unsafe-eval'"} & set(directives[directive])
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_served_pages_carry_the_policy(client):
    header = client.get("/").headers["Content-Security-Policy"]
    assert "script-src 'self'" in header
    assert "unsafe-inline" not in header


def test_production_settings_secure_cookies_and_hsts():
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', "
        "'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', 'DEBUG')}))"
    )
    env = {**_production_env(), "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert values["SECURE_SSL_REDIRECT"]
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert not values["DEBUG"]


@pytest.mark.parametrize("actor", ["owner_staff", "owner_officer", "alliance_admin", "operator"])
@override_settings(STAFF_MFA_REQUIRED=True)
def test_every_kind_of_staff_must_set_up_a_second_factor(actor, world, as_user, api_as):
    client = as_user(world.users[actor])
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


@override_settings(STAFF_MFA_REQUIRED=True)
def test_learners_are_not_asked_for_one(world, as_user):
    for actor in ("learner", "other_learner"):
        assert as_user(world.users[actor]).get(reverse("dashboard")).status_code == 200


@pytest.mark.django_db
def test_key_operations_revocations_and_decisions_are_audited(world):
    alice, bob = world.users["owner_staff"], world.users["owner_officer"]
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    rotate_signing_key(actor=alice, institution=world.institution)
    issuance_services.revoke_credential(actor=alice, credential=world.credential, reason="Fraud.")
    recognition_services.decide_request(officer=bob, case=world.open_request, outcome="full")
    actions = set(AuditEvent.objects.exclude(pk__in=before).values_list("action", flat=True))
    assert {"key.rotated", "credential.revoked", "recognition.decided"} <= actions


def test_the_admin_cannot_add_change_or_delete_audit_rows(world, as_user):
    operator = as_user(world.users["operator"])
    event = world.audit_event
    assert operator.get(reverse("admin:portal_auditevent_add")).status_code == 403
    assert (
        operator.post(reverse("admin:portal_auditevent_delete", args=[event.pk])).status_code == 403
    )
    response = operator.post(
        reverse("admin:portal_auditevent_change", args=[event.pk]), {"action": "forged"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.action != "forged"
