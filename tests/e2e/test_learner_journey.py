"""The learner journey: a visitor signs up and verifies the e-mail, finds a programme by an ESCO
skill and enrols; staff record the pass; the worker issues the credential into the wallet; the
learner downloads it and shares it; an anonymous visitor verifies it through the share link, the
QR code's address and the verify page. Every key page passes the accessibility check.

The catalogue search and enrolment are done with the keyboard only."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from issuance.models import Credential, CredentialState
from tests.catalogue.factories import open_offering, published_programme
from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import assert_focus_visible, needs_services, sign_in, tab_to
from tests.services import wait_for

SKILL_LABEL = "analyse big data"

pytestmark = [pytest.mark.e2e, needs_services]


def test_a_learner_signs_up_enrols_passes_and_shares_the_credential(
    new_page, live_portal, alice, institution_a
):
    programme = published_programme(alice, institution_a)
    offering = open_offering(alice, programme, code="data-literacy-2026")

    # Sign up and verify the e-mail address from the link in the mailbox.
    page = new_page()
    page.goto("/")
    assert_accessible(page, "learner-01-home")
    page.get_by_role("link", name="Sign up").first.click()
    assert_accessible(page, "learner-02-sign-up")
    page.get_by_label("Email").fill("lea@example.org")
    page.get_by_label("Full name").fill("Léa Lefèvre")
    page.get_by_label("Password:", exact=True).fill("a-long-unusual-passphrase")
    page.get_by_label("Password (again):").fill("a-long-unusual-passphrase")
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()
    assert_accessible(page, "learner-03-verification-sent")
    mails = wait_for(lambda: live_portal.mails_to("lea@example.org"), timeout=30)
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mails[-1]).group(0)
    page.goto(link)
    assert_accessible(page, "learner-04-confirm-email")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url("**/dashboard/")
    expect(page.get_by_role("heading", name="Welcome, Léa Lefèvre")).to_be_visible()
    assert_accessible(page, "learner-05-dashboard")

    # Keyboard only: the skip link, the catalogue search by skill and the enrolment.
    page.goto("/catalogue/")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    tab_to(page, page.get_by_label("Skill"))
    assert_focus_visible(page)
    # A closed select changes its value with the arrow keys.
    skill = page.get_by_label("Skill")
    for _ in range(skill.locator("option").count()):
        if skill.evaluate("s => s.selectedOptions[0].text") == SKILL_LABEL:
            break
        page.keyboard.press("ArrowDown")
    expect(skill).to_have_value(re.compile("/esco/skill/"))
    assert skill.evaluate("s => s.selectedOptions[0].text") == SKILL_LABEL
    tab_to(page, page.get_by_role("button", name="Search", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"skill="))
    expect(page.get_by_role("status")).to_have_text("1 programme")
    assert_accessible(page, "learner-06-catalogue-by-skill")
    tab_to(page, page.get_by_role("link", name="Data literacy for engineers"))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Data literacy for engineers", level=1)).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Enrol"))
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    expect(page.get_by_text("You are enrolled.")).to_be_visible()
    assert_accessible(page, "learner-07-enrolled")

    # Staff record the pass in their own browser.
    staff = new_page()
    sign_in(staff, alice.email)
    staff.goto(f"/manage/offerings/{offering.pk}/")
    assert_accessible(staff, "learner-08-staff-offering")
    staff.get_by_label("Learner").select_option(label="Léa Lefèvre <lea@example.org>")
    staff.get_by_label("Outcome").select_option("passed")
    staff.get_by_label("Grade").fill("8.5")
    staff.get_by_label("Identity verified").check()
    staff.get_by_role("button", name="Save the result").click()
    expect(staff.get_by_text("The result was recorded.")).to_be_visible()

    # The worker issues the credential; the wallet shows it.
    credential = wait_for(
        lambda: Credential.objects.filter(
            learner__email="lea@example.org", state=CredentialState.ISSUED
        ).first(),
        timeout=90,
    )
    page.get_by_role("link", name="My credentials", exact=True).click()
    expect(page.get_by_role("link", name=credential.title)).to_be_visible()
    assert_accessible(page, "learner-09-wallet")
    page.get_by_role("link", name=credential.title).click()
    expect(page.get_by_role("heading", name=credential.title)).to_be_visible()
    assert_accessible(page, "learner-10-credential")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(page, "learner-10-credential-phone")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Show the QR code").click()
    expect(page.get_by_alt_text("QR code of the credential offer")).to_be_visible()
    assert_accessible(page, "learner-11-wallet-offer")
    page.go_back()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Signed credential (JSON, Open Badges 3.0)").click()
    document = json.loads(download_info.value.path().read_text(encoding="utf-8"))
    assert [proof["type"] for proof in document["proof"]] == ["DataIntegrityProof"]
    assert document["credentialSubject"]["achievement"]["name"] == credential.title

    # The QR code on the certificate leads to the public check page shown here.
    check_page = page.locator('a[href*="/verify/credentials/"]')
    qr_target = check_page.get_attribute("href")
    assert qr_target == live_portal.url + reverse(
        "verification:verify_stored_credential", args=[credential.uuid]
    )

    page.get_by_label("Name of the link").fill("Application to Acme")
    page.get_by_label(credential.title).check()
    page.get_by_role("button", name="Create the link").click()
    expect(page.get_by_text("The link “Application to Acme” is ready")).to_be_visible()
    assert_accessible(page, "learner-12-share-link-created")
    shared_address = page.locator("code.token").first.inner_text()
    expect(page.get_by_role("row", name=re.compile("Application to Acme"))).to_contain_text(
        "1 credential"
    )

    # An anonymous visitor checks it three ways; nobody learns the e-mail address.
    visitor = new_page()
    visitor.goto(shared_address)
    expect(visitor.get_by_text("Valid credential", exact=True)).to_be_visible()
    assert "lea@example.org" not in visitor.content()
    assert_accessible(visitor, "learner-13-shared-link")
    visitor.goto(qr_target)
    expect(visitor.get_by_text("Valid credential", exact=True)).to_be_visible()
    assert "lea@example.org" not in visitor.content()
    assert_accessible(visitor, "learner-14-qr-check-page")
    visitor.goto("/verify/")
    assert_accessible(visitor, "learner-15-verify-empty")
    visitor.get_by_label("Paste the credential (JSON)").fill(json.dumps(document))
    visitor.get_by_role("button", name="Verify", exact=True).click()
    expect(visitor.get_by_text("Valid credential", exact=True)).to_be_visible()
    assert_accessible(visitor, "learner-16-verify-valid")
    tampered = dict(document, name="A doctorate")
    visitor.get_by_label("Paste the credential (JSON)").fill(json.dumps(tampered))
    visitor.get_by_role("button", name="Verify", exact=True).click()
    expect(visitor.get_by_text("Not valid: do not rely on this credential")).to_be_visible()
    assert_accessible(visitor, "learner-17-verify-tampered")

    phone = new_page(viewport={"width": 375, "height": 740})
    phone.goto(shared_address)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(phone, "learner-18-shared-link-phone")
    phone.goto("/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 375

    # The language switch answers on the spot (the select submits itself).
    page.get_by_label("Language").select_option("es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("button", name="Cerrar sesión")).to_be_visible()
    assert_accessible(phone, "learner-19-home-phone")
