"""A visitor signs up, verifies the e-mail, signs in and switches language; public pages and
account pages pass the accessibility check."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible
from tests.factories import AllianceFactory, InstitutionFactory, add_member


def test_visitor_signs_up_verifies_and_reaches_the_dashboard(new_page, live_portal):
    alliance = AllianceFactory(
        name="ECIU University", slug="eciu", description="Innovative universities."
    )
    add_member(
        alliance, InstitutionFactory(legal_name="Universitat Autònoma de Barcelona", slug="uab")
    )

    page = new_page()
    page.goto("/")
    assert_accessible(page, "foundation-home")
    page.get_by_role("link", name="Alliances", exact=True).first.click()
    page.get_by_role("link", name="ECIU University").click()
    assert page.get_by_role("heading", name="ECIU University").is_visible()
    assert_accessible(page, "foundation-alliance")

    page.get_by_role("link", name="Sign up").first.click()
    assert_accessible(page, "foundation-sign-up")
    page.get_by_label("Email").fill("lea@example.org")
    page.get_by_label("Full name").fill("Léa Lefèvre")
    page.get_by_label("Password:", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_label("Password (again):").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    assert "verify" in page.content().lower()
    assert_accessible(page, "foundation-verification-sent")

    mails = live_portal.mails_to("lea@example.org")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mails[-1]).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")
    assert page.get_by_role("heading", name="Welcome, Léa Lefèvre").is_visible()
    assert_accessible(page, "foundation-dashboard")

    page.get_by_label("Language").select_option("es")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"


def test_phone_layout_has_no_horizontal_scroll(new_page):
    page = new_page(viewport={"width": 375, "height": 740})
    page.goto("/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375
    assert_accessible(page, "foundation-home-phone")
