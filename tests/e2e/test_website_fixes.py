"""Website fixes a first-time user trips over, each reproduced in the browser: charts in every
interface language, navigation to staff credential management, institution programmes and career
pathways, and the copy-link buttons. Screenshots at desktop and phone width go to
`test-artifacts/screenshots/website-*.png`."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.catalogue.factories import published_programme
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.e2e.journeys import needs_services, sign_in

pytestmark = [pytest.mark.e2e, needs_services]

LANGUAGES = ["en", "es", "ca", "de", "fr"]
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 740}}


def test_observatory_bars_are_drawn_in_every_language(new_page, alice, institution_a):
    published_programme(alice, institution_a)
    for language in LANGUAGES:
        for device, viewport in WIDTHS.items():
            page = new_page(locale=language, viewport=viewport)
            page.goto("/observatory/")
            expect(page.locator("html")).to_have_attribute("lang", language)
            bars = page.locator("rect.chart-bar")
            expect(bars.first).to_be_visible()
            attributes = bars.evaluate_all("rects => rects.map(r => r.getAttribute('width'))")
            # A decimal comma ("320,0") is not an SVG length: the browser draws nothing.
            assert all(float(value) >= 0 for value in attributes), attributes
            drawn = bars.evaluate_all("rects => rects.map(r => r.getBBox().width)")
            assert max(drawn) == max(float(value) for value in attributes) > 0, (language, drawn)
            assert_accessible(page, f"website-01-observatory-{language}-{device}")


def test_staff_reach_credential_management_and_visitors_find_programmes_and_pathways(
    new_page, alice, dana, institution_a
):
    programme = published_programme(alice, institution_a)
    title = programme.published_version.snapshot["title"]["en"]

    staff = new_page()
    sign_in(staff, alice.email)
    staff.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Issued credentials"
    ).click()
    staff.wait_for_url("**/manage/credentials/")
    assert_accessible(staff, "website-04-staff-credentials-from-menu")

    learner = new_page()
    sign_in(learner, dana.email)
    expect(
        learner.get_by_role("navigation", name="Main").get_by_role(
            "link", name="Issued credentials"
        )
    ).to_have_count(0)

    visitor = new_page()
    visitor.goto(f"/institutions/{institution_a.slug}/")
    programmes = visitor.get_by_role("region", name="Programmes")
    programmes.get_by_role("link", name=title).click()
    expect(visitor.get_by_role("heading", name=title, level=1)).to_be_visible()
    visitor.go_back()
    assert_accessible(visitor, "website-04-institution-programmes")

    visitor.goto("/catalogue/")
    visitor.get_by_role("main").get_by_role("link", name="career pathways").click()
    visitor.wait_for_url("**/careers/")
    visitor.goto("/")
    visitor.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Career pathways"
    ).click()
    visitor.wait_for_url("**/careers/")
    save_screenshot(visitor, "website-04-careers-from-menu")
