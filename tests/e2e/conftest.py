"""Browser journeys: Debian's Chromium driven by Playwright against the real server (gunicorn)
with real Celery workers, on PostgreSQL and Redis.

Each journey saves screenshots of its key pages to `test-artifacts/screenshots/` and checks
every page it touches with axe-core (WCAG 2.1 A and AA; no serious or critical violation).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API keeps an event loop in the test thread; the tests still
    # talk to the database synchronously between browser steps.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def new_page(browser, live_portal):
    """`new_page()` opens a fresh browser context (its own cookies) on the live portal.

    Console errors (such as Content-Security-Policy violations) fail the test."""
    contexts = []
    problems: list[str] = []

    def open_page(*, viewport: dict[str, int] | None = None, locale: str = "en-GB"):
        context = browser.new_context(
            base_url=live_portal.url,
            viewport=viewport or {"width": 1280, "height": 900},
            locale=locale,
        )
        # axe-core is served as a same-origin script so the strict CSP allows it.
        context.route(
            "**/__axe__.js",
            lambda route: route.fulfill(path=str(AXE_SCRIPT), content_type="text/javascript"),
        )
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, f"browser console errors: {problems}"


def save_screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page, name: str) -> None:
    """Run axe-core on the current page, save a screenshot, and fail on serious or critical
    WCAG 2.1 A/AA violations."""
    save_screenshot(page, name)
    if not AXE_SCRIPT.exists():
        pytest.fail("axe-core is missing: run `npm ci`")
    page.add_script_tag(url="/__axe__.js")
    result = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"accessibility violations on {name}: {serious}"
