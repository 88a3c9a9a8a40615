"""Steps the browser journeys share."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD

# Skipped before any fixture runs: the session-wide browser fixture would otherwise start (and
# set DJANGO_ALLOW_ASYNC_UNSAFE for the whole session) only to find no services.
needs_services = pytest.mark.skipif(
    not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")),
    reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): run `make test-services`",
)

# More than any page here has focusable elements before the one a journey wants.
MAX_TABS = 120


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")


def tab_to(page, target) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def assert_focus_visible(page) -> None:
    """The focused element draws a focus indicator (an outline or a shadow)."""
    style = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
            return {outline: s.outlineStyle, width: s.outlineWidth, shadow: s.boxShadow}; }"""
    )
    outlined = style["outline"] != "none" and style["width"] != "0px"
    assert outlined or style["shadow"] != "none", style
