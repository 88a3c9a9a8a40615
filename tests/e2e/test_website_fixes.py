"""Website fixes a first-time user trips over, each reproduced in the browser: charts in every
interface language, navigation to staff credential management, institution programmes and career
pathways, and the copy-link buttons. Screenshots at desktop and phone width go to
`test-artifacts/screenshots/website-*.png`."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue import services as catalogue_services
from catalogue.models import CredentialRelease, Enrolment, Offering
from issuance.models import Credential, CredentialState
from tests.catalogue.factories import complete_data, draft_programme, published_programme
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.e2e.journeys import assert_focus_visible, needs_services, sign_in, tab_to
from tests.issuance.factories import enrol_all, programme_with_offering, record_pass
from tests.services import wait_for

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


def issued_to(manager, institution, learner) -> Credential:
    """A pass recorded by staff, issued by the real workers."""
    _programme, offering = programme_with_offering(manager, institution)
    record_pass(manager, enrol_all(offering, [learner])[0])
    return wait_for(
        lambda: Credential.objects.filter(learner=learner, state=CredentialState.ISSUED).first(),
        timeout=90,
    )


def screenshots_in_every_language(page, name: str) -> None:
    """The current page in each interface language, at desktop and phone width."""
    address = page.url
    for language in LANGUAGES:
        page.set_viewport_size(WIDTHS["desktop"])  # on a phone the switch is behind the menu
        page.locator("#language-select").select_option(language)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.goto(address)
        for device, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            save_screenshot(page, f"{name}-{language}-{device}")
    page.set_viewport_size(WIDTHS["desktop"])
    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(address)


def test_copy_links_then_a_revoked_credential_and_a_deleted_account(
    new_page, live_portal, alice, dana, institution_a
):
    credential = issued_to(alice, institution_a, dana)
    learner = new_page()
    learner.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(learner, dana.email)
    learner.goto(f"/wallet/{credential.uuid}/")

    # Keyboard only: copy the public check page's address; screen readers hear the outcome.
    copy_check_page = learner.get_by_role("button", name="Copy link Public check page")
    tab_to(learner, copy_check_page)
    assert_focus_visible(learner)
    learner.keyboard.press("Enter")
    expect(learner.get_by_role("status").filter(has_text="Link copied")).to_have_text(
        "Link copied to the clipboard."
    )
    check_page = learner.evaluate("() => navigator.clipboard.readText()")
    assert check_page == f"{live_portal.url}/verify/credentials/{credential.uuid}/"
    learner.get_by_label("Name of the link").fill("Application to Acme")
    learner.get_by_role("button", name="Create the link").click()
    copy_share_link = learner.get_by_role("button", name="Copy link Application to Acme")
    tab_to(learner, copy_share_link)
    learner.keyboard.press("Enter")
    expect(learner.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    shared_address = learner.evaluate("() => navigator.clipboard.readText()")
    assert shared_address == learner.locator("code.token").first.inner_text()
    assert_accessible(learner, "website-copy-link-wallet")

    # The issuer revokes it: the wallet says so everywhere and stops new shares.
    staff = new_page()
    sign_in(staff, alice.email)
    staff.goto(f"/manage/credentials/{credential.uuid}/")
    revoke = staff.get_by_role("region", name="Revoke", exact=True)
    revoke.get_by_label("Reason (the learner will see it)").fill("Exam irregularity")
    staff.once("dialog", lambda dialog: dialog.accept())
    revoke.get_by_role("button", name="Revoke permanently").click()
    expect(staff.get_by_text("Exam irregularity").first).to_be_visible()
    learner.goto(f"/wallet/{credential.uuid}/")
    expect(
        learner.get_by_text("The issuer revoked this credential: Exam irregularity")
    ).to_be_visible()
    expect(learner.get_by_role("link", name="Add to LinkedIn profile")).to_have_count(0)
    expect(learner.get_by_role("button", name="Create the link")).to_have_count(0)
    expect(
        learner.get_by_role("link", name="Certificate (PDF, marked with the status)")
    ).to_be_visible()
    assert_accessible(learner, "website-02-revoked-credential")
    screenshots_in_every_language(learner, "website-02-revoked-credential")
    learner.goto("/wallet/")
    expect(learner.locator(".card").filter(has_text=credential.title)).to_contain_text("Revoked")
    expect(learner.get_by_role("checkbox", name=credential.title)).to_have_count(0)
    screenshots_in_every_language(learner, "website-02-revoked-wallet")

    visitor = new_page()
    visitor.goto(shared_address)
    expect(visitor.get_by_text("Revoked").first).to_be_visible()
    assert_accessible(visitor, "website-02-revoked-share-page")

    # The learner deletes the account; the QR code's page and the share link keep answering
    # with the verdict and the status, and nothing personal.
    learner.goto("/account/my-data/")
    learner.get_by_label("Type your e-mail address to confirm").fill(dana.email)
    learner.once("dialog", lambda dialog: dialog.accept())
    learner.get_by_role("button", name="Delete my account permanently").click()
    expect(learner.get_by_text("Your account was deleted")).to_be_visible()
    for address, name in ((check_page, "check-page"), (shared_address, "share-link")):
        visitor.goto(address)
        expect(visitor.get_by_text("The learner has deleted their account")).to_be_visible()
        expect(visitor.get_by_text("Revoked").first).to_be_visible()
        content = visitor.content()
        assert "Dana Learner" not in content
        assert dana.email not in content
        assert_accessible(visitor, f"website-03-deleted-account-{name}")
        screenshots_in_every_language(visitor, f"website-03-deleted-account-{name}")


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


def test_results_from_excel_in_every_locale_are_read_and_errors_say_where(
    new_page, alice, dana, institution_a
):
    _programme, offering = programme_with_offering(alice, institution_a)
    enrol_all(offering, [dana])
    day = timezone.localdate() - timedelta(days=2)
    staff = new_page()
    sign_in(staff, alice.email)
    excel = (
        "offering;learner_email;outcome;grade;assessed_on;identity_verified\r\n"
        f"{offering.code};{dana.email};passed;8,5;{day:%d/%m/%Y};VERDADERO\r\n"
        f"{offering.code};ghost@example.org;passed;8;31/02/2026;sí\r\n"
    ).encode("cp1252")
    staff.goto("/manage/results/upload/")
    staff.get_by_label("Results file (CSV)").set_input_files(
        files=[{"name": "resultados.csv", "mimeType": "text/csv", "buffer": excel}]
    )
    staff.get_by_role("button", name="Check the file").click()
    expect(staff.get_by_role("heading", name="Check the results")).to_be_visible()
    rows = staff.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text("OK")
    expect(rows.nth(1)).to_contain_text("Column assessed_on, value “31/02/2026”: not a date")
    expect(rows.nth(1)).to_contain_text("Column learner_email, value “ghost@example.org”")
    assert_accessible(staff, "website-06-results-preview")
    screenshots_in_every_language(staff, "website-06-results-preview")


def test_a_held_offering_waits_for_staff_release_and_states_the_award_date(
    new_page, alice, dana, institution_a
):
    _programme, offering = programme_with_offering(alice, institution_a)
    Offering.objects.filter(pk=offering.pk).update(credential_release=CredentialRelease.HELD)
    enrolment = enrol_all(offering, [dana])[0]
    staff = new_page()
    sign_in(staff, alice.email)
    staff.goto(f"/manage/offerings/{offering.pk}/edit/")
    expect(staff.get_by_label("Credentials")).to_have_value("held")
    staff.goto(f"/manage/offerings/{offering.pk}/")
    # (the challenge teams' checkboxes on the same page are labelled with learners' names)
    staff.locator("#id_enrolment").select_option(str(enrolment.pk))
    staff.get_by_label("Outcome").select_option("passed")
    staff.get_by_label("Grade").fill("8")
    staff.get_by_label("Assessment date").fill(str(timezone.localdate() - timedelta(days=3)))
    staff.get_by_label("Identity verified").check()
    staff.get_by_role("button", name="Save the result").click()
    expect(staff.get_by_text("The result was recorded.")).to_be_visible()
    assert not Credential.objects.filter(learner=dana).exists()
    staff.get_by_role("link", name="Review and release the held passes").click()
    assert_accessible(staff, "website-05-held-passes")
    screenshots_in_every_language(staff, "website-05-held-passes")
    staff.get_by_role("button", name="Issue these credentials").click()
    credential = wait_for(
        lambda: Credential.objects.filter(learner=dana, state=CredentialState.ISSUED).first(),
        timeout=90,
    )
    assert credential.document["awardedDate"][:10] == str(timezone.localdate() - timedelta(days=3))
    learner = new_page()
    sign_in(learner, dana.email)
    learner.goto(f"/wallet/{credential.uuid}/")
    awarded = timezone.localdate() - timedelta(days=3)
    expect(learner.get_by_role("row", name="Date of award")).to_contain_text(
        f"{awarded.day} {awarded:%B} {awarded.year}"  # the reader's date format
    )
    assert_accessible(learner, "website-05-award-date")


def test_enrolment_mail_completed_state_and_a_public_profile(
    new_page, live_portal, alice, dana, institution_a
):
    programme, _offering = programme_with_offering(alice, institution_a)
    learner = new_page()
    learner.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(learner, dana.email)
    learner.goto(f"/catalogue/{programme.slug}/")
    learner.get_by_role("button", name="Enrol").click()
    expect(learner.get_by_text("You are enrolled.")).to_be_visible()
    mails = wait_for(lambda: live_portal.mails_to(dana.email), timeout=30)
    assert "You are enrolled in" in mails[-1]
    enrolment = Enrolment.objects.get(learner=dana)
    record_pass(alice, enrolment)
    wait_for(
        lambda: Credential.objects.filter(learner=dana, state=CredentialState.ISSUED).first(),
        timeout=90,
    )
    learner.goto("/dashboard/")
    expect(learner.get_by_role("row", name=re.compile("Data literacy"))).to_contain_text(
        "Completed"
    )
    assert_accessible(learner, "website-enrolment-completed")
    screenshots_in_every_language(learner, "website-enrolment-completed")

    learner.goto("/wallet/")
    learner.get_by_role("link", name="Public profile").click()
    expect(learner.get_by_text("Off: nobody can see a profile of yours")).to_be_visible()
    learner.get_by_label("Headline (optional)").fill("Data engineer in training")
    learner.get_by_role("checkbox", name="Data literacy for engineers").check()
    learner.get_by_role("button", name="Publish the profile").click()
    copy = learner.get_by_role("button", name="Copy link Public profile")
    tab_to(learner, copy)
    learner.keyboard.press("Enter")
    expect(learner.get_by_role("status").filter(has_text="Link copied")).to_be_visible()
    address = learner.evaluate("() => navigator.clipboard.readText()")
    assert_accessible(learner, "website-profile-settings")
    screenshots_in_every_language(learner, "website-profile-settings")

    visitor = new_page()
    visitor.goto(address)
    expect(visitor.get_by_role("heading", name="Dana Learner")).to_be_visible()
    expect(visitor.get_by_role("link", name="Data literacy for engineers")).to_be_visible()
    assert dana.email not in visitor.content()
    assert_accessible(visitor, "website-profile-public")
    screenshots_in_every_language(visitor, "website-profile-public")

    learner.once("dialog", lambda dialog: dialog.accept())
    learner.get_by_role("button", name="Unpublish and remove the profile").click()
    expect(learner.get_by_text("Your public profile is removed")).to_be_visible()
    # Asked without a page, so the expected 404 is not reported as a console error.
    assert visitor.request.get(address).status == 404


def test_the_partner_approval_conversation_stays_on_the_programme_page(
    new_page, alice, charlie, institution_a, institution_b
):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    catalogue_services.submit_programme(actor=alice, programme=programme)
    partner = new_page()
    sign_in(partner, charlie.email)
    partner.goto(f"/manage/programmes/{programme.pk}/")
    partner.get_by_label("What should change?").fill("Six ECTS, as agreed in the consortium.")
    partner.get_by_role("button", name="Send back to the coordinator").click()
    expect(partner.get_by_text("The programme was sent back to the coordinator.")).to_be_visible()

    programme.refresh_from_db()
    catalogue_services.update_programme(
        actor=alice, programme=programme, data={**complete_data(), "ects": Decimal("6.0")}
    )
    coordinator = new_page()
    sign_in(coordinator, alice.email)
    coordinator.goto(f"/manage/programmes/{programme.pk}/")
    conversation = coordinator.get_by_role("region", name="Approval conversation")
    expect(conversation).to_contain_text("Six ECTS, as agreed in the consortium.")
    coordinator.get_by_label("Reply to the partners (optional)").fill("Done: six ECTS.")
    coordinator.get_by_role("button", name="Submit to the partners").click()

    partner.goto(f"/manage/programmes/{programme.pk}/")
    conversation = partner.get_by_role("region", name="Approval conversation")
    expect(conversation).to_contain_text("Done: six ECTS.")
    changes = conversation.get_by_role("table", name="What changed since the previous submission")
    expect(changes.get_by_role("row", name=re.compile("workload.ects"))).to_contain_text("5.0")
    expect(changes.get_by_role("row", name=re.compile("workload.ects"))).to_contain_text("6.0")
    assert_accessible(partner, "website-07-approval-conversation")
    screenshots_in_every_language(partner, "website-07-approval-conversation")
