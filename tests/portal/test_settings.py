"""The settings refuse unsafe production configurations and pass Django's deploy checks."""

from __future__ import annotations

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "SECRET_KEY",
            "DEBUG",
            "KEY_ENCRYPTION_KEY",
            "DJANGO_SETTINGS_MODULE",
            "PORTAL_BASE_URL",
            # Set by the browser tests' session fixture in the same process; a deployment
            # never has it.
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _production_env() -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": base64.urlsafe_b64encode(os.urandom(48)).decode(),
        "KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "PORTAL_BASE_URL": "https://credentials.example.eu",
        "DATABASE_URL": "sqlite:///:memory:",
    }


def test_refuses_to_start_without_secret_key_when_debug_is_off(tmp_path):
    env = _production_env()
    del env["SECRET_KEY"]
    # Run from a directory without a .env so nothing fills the gap.
    result = _run_manage("check", **env)
    if (ROOT / ".env").exists():
        # A local demo .env supplies a SECRET_KEY; load the settings with an explicit empty one.
        result = _run_manage("check", SECRET_KEY="", **env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_to_start_without_key_encryption_key_when_debug_is_off():
    env = _production_env()
    env["KEY_ENCRYPTION_KEY"] = ""
    result = _run_manage("check", **env)
    assert result.returncode != 0
    assert "KEY_ENCRYPTION_KEY" in result.stderr


def test_rejects_a_malformed_boolean():
    env = _production_env()
    env["DEBUG"] = "maybe"
    result = _run_manage("check", **env)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_deploy_check_is_clean_with_production_values():
    result = _run_manage("check", "--deploy", "--fail-level", "WARNING", **_production_env())
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
