"""What first-time users tripped over, in the browser: the page an employer opens from a share
link (achievement, learner, issuers with logos and the verdict first, the checks folded), coded
values and dates in the reader's words, verify-page errors, the phone layout, programme
authoring, precedents that refresh by themselves and recognition in "My data".

Visual pages are saved at desktop and phone width in every interface language
(`test-artifacts/screenshots/fixes-*.png`) and checked with axe-core."""

from __future__ import annotations

import copy
import io
import json
import re
import zipfile

import pytest
from PIL import Image
from playwright.sync_api import expect

from catalogue.models import Programme
from issuance.models import Credential, CredentialState
from recognition import services as recognition_services
from tests.catalogue.factories import ensure_esco_loaded, open_offering, published_programme
from tests.e2e.conftest import assert_accessible, save_screenshot
from tests.e2e.journeys import needs_services, sign_in
from tests.issuance.factories import pass_learner
from tests.recognition.factories import RECEIVED, policy, submit, target
from tests.services import wait_for
from wallet import sharing

pytestmark = [pytest.mark.e2e, needs_services]

LANGUAGES = {"en": "en-GB", "es": "es-ES", "ca": "ca-ES", "de": "de-DE", "fr": "fr-FR"}
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
RAW_VALUES = ("supervised-with-identity-verification", "stand-alone", "stackable")


def _upload_logo(page, institution) -> None:
    """The institution's admin uploads its logo on the edit page."""
    output = io.BytesIO()
    Image.new("RGB", (120, 120), (29, 63, 143)).save(output, format="PNG")
    page.goto(f"/institutions/{institution.slug}/edit/")
    page.locator("input[name=logo]").set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": output.getvalue()}]
    )
    page.get_by_role("button", name="Upload the logo").click()
    expect(page.get_by_text("The logo was saved.")).to_be_visible()
    expect(page.locator("img.institution-logo")).to_be_visible()
    assert_accessible(page, "fixes-logo-uploaded")


def _issued(manager, institution, learner) -> Credential:
    """A pass recorded by staff, and the credential the worker issues for it."""
    result = pass_learner(manager, institution, learner)
    return wait_for(
        lambda: Credential.objects.filter(
            natural_key=f"result:{result.pk}", state=CredentialState.ISSUED
        ).first(),
        timeout=90,
    )


def _top(locator) -> float:
    box = locator.bounding_box()
    assert box is not None
    return box["y"]


def test_the_share_page_leads_with_the_achievement_in_every_language(
    new_page, live_portal, alice, dana, institution_a
):
    staff = new_page()
    sign_in(staff, alice.email)
    _upload_logo(staff, institution_a)
    credential = _issued(alice, institution_a, dana)
    link = sharing.create_share_link(learner=dana, name="Acme", credentials=[credential])
    iso_date = credential.document["validFrom"][:10]
    for language, locale in LANGUAGES.items():
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = new_page(viewport=viewport, locale=locale)
            page.goto(f"/s/{link.token}/")
            article = page.locator("article.shared-credential")
            # The credential's own name, in the reader's language where it carries one.
            name = credential.document.get("nameLanguages", {}).get(language)
            title = article.get_by_role("heading", name=name or credential.document["name"])
            verdict = article.locator(".verdict")
            details = article.locator("details.checks-details")
            expect(title).to_be_visible()
            expect(article.locator("img.institution-logo")).to_be_visible()
            expect(details).not_to_have_attribute("open", "")
            expect(article.locator(".check").first).to_be_hidden()
            assert _top(title) < _top(verdict) < _top(details)
            text = page.locator("main").inner_text()
            assert "Dana Learner" in text
            assert not [raw for raw in RAW_VALUES if raw in text]
            assert iso_date not in text
            assert_accessible(page, f"fixes-10-share-{language}-{width}")
            if width == "desktop":
                details.locator("summary").click()
                expect(article.locator(".check").first).to_be_visible()
                save_screenshot(page, f"fixes-10-share-checks-open-{language}")
            page.context.close()


def test_a_tampered_credential_shows_no_green_issuer_trust_and_no_raw_errors(
    new_page, live_portal, alice, dana, institution_a
):
    credential = _issued(alice, institution_a, dana)
    tampered = copy.deepcopy(credential.document)
    tampered["credentialSubject"]["achievement"]["name"] = "Doctorate in everything"
    for language, locale in LANGUAGES.items():
        for width, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page = new_page(viewport=viewport, locale=locale)
            page.goto("/verify/")
            page.locator("textarea").fill(json.dumps(tampered))
            page.locator("form.stacked-form button[type=submit]").click()
            expect(page.locator(".verdict-invalid")).to_be_visible()
            passed = page.locator(".check-passed").all_inner_texts()
            labels = ("Issuer trust", "Revocation", "Validity dates")
            assert not [row for row in passed if any(label in row for label in labels)]
            assert page.locator(".check-failed").count() >= 1
            assert_accessible(page, f"fixes-13-tampered-{language}-{width}")

            page.locator("textarea").fill('{"issuer": ')
            page.locator("form.stacked-form button[type=submit]").click()
            errors = page.locator(".errorlist, .errors, .notice-error").first.inner_text()
            assert "Expecting" not in errors
            assert "line 1" not in errors
            page.locator("textarea").fill('{"a": 1}')
            page.locator("form.stacked-form button[type=submit]").click()
            rows = " ".join(page.locator(".check").all_inner_texts())
            assert "?" not in rows
            assert_accessible(page, f"fixes-13-not-a-credential-{language}-{width}")
            page.context.close()


def test_on_a_phone_results_enrol_and_the_menu_come_early(
    new_page, live_portal, alice, dana, institution_a
):
    programme = published_programme(alice, institution_a)
    open_offering(alice, programme, code="data-literacy-2026")
    for language, locale in LANGUAGES.items():
        page = new_page(viewport=PHONE, locale=locale)
        page.goto("/catalogue/")
        first_result = page.locator(".programme-cards .card").first
        # On the first screen of the phone (it was about 1,400 px down).
        assert _top(first_result) < PHONE["height"] - 100, _top(first_result)
        save_screenshot(page, f"fixes-11-catalogue-{language}-phone")
        # The filters are one tap away, and work.
        page.locator("details.more-filters summary").click()
        expect(page.locator("#id_eqf")).to_be_visible()
        assert_accessible(page, f"fixes-11-catalogue-filters-{language}-phone")
        page.locator(".programme-cards .card a").first.click()
        enrol = page.locator("form[action*='enrol'] button, a.button[href*='login']").first
        assert _top(enrol) < 900, _top(enrol)
        assert_accessible(page, f"fixes-11-programme-{language}-phone")
        page.context.close()

        page = new_page(viewport=PHONE, locale=locale)
        sign_in_any_language(page, dana.email)
        header = page.locator("header.site-header")
        assert header.bounding_box()["height"] < 80, header.bounding_box()
        menu = page.locator(".menu-toggle")
        expect(page.locator("#site-menu-nav")).to_be_hidden()
        menu.click()
        expect(menu).to_have_attribute("aria-expanded", "true")
        expect(page.locator("#site-menu-nav a[href='/wallet/']")).to_be_visible()
        assert_accessible(page, f"fixes-11-menu-open-{language}-phone")
        page.context.close()


def sign_in_any_language(page, email: str) -> None:
    from tests.factories import TEST_PASSWORD

    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_a_programme_gets_its_address_from_the_title_and_skills_by_typing(
    new_page, live_portal, alice, institution_a
):
    ensure_esco_loaded()  # an earlier browser test may have flushed the shipped ESCO subset
    page = new_page()
    sign_in(page, alice.email)
    page.goto("/manage/programmes/new/")
    page.get_by_label("Coordinating institution").select_option(str(institution_a.pk))
    page.get_by_label("Alliance").select_option(index=1)
    page.get_by_label("Title in English").fill("Cyber Security Essentials")
    expect(page.get_by_label("Page address")).to_have_value("cyber-security-essentials")
    page.get_by_label("Page address").fill("cyber-essentials")
    page.get_by_label("Title in English").fill("Cyber Security Essentials 2")
    expect(page.get_by_label("Page address")).to_have_value("cyber-essentials")
    assert_accessible(page, "fixes-12-new-programme")
    page.get_by_role("button", name="Create the draft").click()
    page.wait_for_url("**/edit/")
    programme = Programme.objects.get(slug="cyber-essentials")
    # Texts in the coordinator's language are optional while it is not taught in it.
    if institution_a.main_language != "en":
        optional_title = page.locator(
            "label", has_text=re.compile(r"Title of the micro-credential · .+\(optional\)")
        )
        expect(optional_title).to_have_count(1)
    search = page.get_by_label("Search ESCO skills").first
    search.fill("big data")
    page.get_by_role("button", name="+ analyse big data").first.click()
    expect(page.get_by_role("button", name=re.compile("Remove analyse big data"))).to_be_visible()
    page.locator("textarea[name='outcomes-0-text_en']").fill("Analyse a data set")
    assert_accessible(page, "fixes-12-skill-picker")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("The programme was saved.")).to_be_visible()
    outcome = programme.learning_outcomes.get()
    assert [skill.preferred_label for skill in outcome.skills.all()] == ["analyse big data"]


def test_precedents_refresh_and_my_data_holds_the_recognition_request(
    new_page, live_portal, alice, bob, dana, eve, institution_a
):
    policy(alice, institution_a)
    course = target(bob, institution_a)
    first = submit(dana, institution_a, course, now=RECEIVED)
    second = submit(eve, institution_a, course, now=RECEIVED)
    for case in (first, second):
        recognition_services.run_preassessment(request_id=case.pk)
    officer = new_page()
    sign_in(officer, bob.email)
    officer.goto(f"/recognition/manage/cases/{second.pk}/")
    expect(officer.get_by_text(first.reference)).to_have_count(0)
    recognition_services.decide_request(officer=bob, case=first, outcome="full")
    officer.reload()  # no "run the checks again"
    expect(officer.get_by_text(re.compile(re.escape(first.reference)))).to_be_visible()
    expect(officer.get_by_text(re.compile("Earlier decisions updated on"))).to_be_visible()
    assert_accessible(officer, "fixes-08-precedents-refreshed")

    learner = new_page()
    sign_in(learner, dana.email)
    learner.goto("/account/my-data/")
    with learner.expect_download() as download:
        learner.locator("form[action$='/export/'] button").click()
    archive = zipfile.ZipFile(download.value.path())
    [request] = json.loads(archive.read("recognition/requests.json"))
    assert request["request"] == first.pk
    assert request["decisions"][0]["outcome"] == "full"
