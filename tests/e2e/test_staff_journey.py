"""The staff journey: a programme manager creates a joint programme through the forms, guided by
the completeness panel until every EU element is present; the partner institution approves and
the programme is published; an offering opens; a results file with a bad row is refused row by
row, corrected and uploaded again; the worker issues the credentials while the job's progress
bar fills. Every key page passes the accessibility check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalogue import services as catalogue_services
from catalogue.models import Offering
from issuance.models import Credential, CredentialState
from tests.catalogue.factories import ensure_esco_loaded
from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import needs_services, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, needs_services]


def fill_texts(page, field: str, english: str, spanish: str) -> None:
    page.locator(f"#id_{field}_en").fill(english)
    page.locator(f"#id_{field}_es").fill(spanish)


def results_file(offering_code: str, rows: list[tuple[str, str, str]]) -> dict:
    today = timezone.localdate().isoformat()
    lines = ["offering,learner_email,outcome,grade,assessed_on,identity_verified"]
    lines += [
        f"{offering_code},{email},{outcome},{grade},{today},yes" for email, outcome, grade in rows
    ]
    return {
        "name": "results.csv",
        "mimeType": "text/csv",
        "buffer": ("\n".join(lines) + "\n").encode(),
    }


def test_a_manager_builds_a_joint_programme_and_issues_its_credentials(
    new_page, live_portal, workers, alice, charlie, institution_a, institution_b
):
    ensure_esco_loaded()
    learners = [
        UserFactory(email="ines@learner.example", full_name="Inès Learner"),
        UserFactory(email="jon@learner.example", full_name="Jon Learner"),
    ]

    # The coordinator's manager starts a draft.
    manager = new_page()
    sign_in(manager, alice.email)
    manager.get_by_role("link", name="Programmes", exact=True).click()
    assert_accessible(manager, "staff-01-programmes")
    manager.get_by_role("link", name="New programme").click()
    assert_accessible(manager, "staff-02-new-programme")
    manager.get_by_label("Coordinating institution").select_option(label="UA")
    manager.get_by_label("Alliance").select_option(label="Test Alliance")
    manager.get_by_label("Title in English").fill("Green energy systems")
    # The page address is made from the title as it is typed; the manager shortens it.
    expect(manager.get_by_label("Page address")).to_have_value("green-energy-systems")
    manager.get_by_label("Page address").fill("green-energy")
    manager.get_by_role("button", name="Create the draft").click()
    expect(manager.get_by_role("heading", name="Edit programme")).to_be_visible()

    # The completeness panel lists what the EU Council Recommendation still needs.
    completeness = manager.locator(".completeness")
    expect(completeness.get_by_role("link", name="Learning outcomes")).to_be_visible()
    expect(completeness.get_by_role("link", name="EQF level")).to_be_visible()
    assert_accessible(manager, "staff-03-draft-incomplete")

    manager.get_by_label("UB").check()
    fill_texts(manager, "title", "Green energy systems", "Sistemas de energía verde")
    fill_texts(
        manager,
        "summary",
        "Design and assess renewable energy systems.",
        "Diseñar y evaluar sistemas de energías renovables.",
    )
    manager.get_by_label("Notional workload in ECTS credits").fill("4")
    manager.get_by_label("Notional workload in hours").fill("100")
    manager.get_by_role("button", name="Save", exact=True).click()
    expect(manager.get_by_text("The programme was saved.")).to_be_visible()
    expect(completeness.get_by_role("link", name="Notional workload in hours")).to_have_count(0)
    expect(completeness.get_by_role("link", name="Learning outcomes")).to_be_visible()
    assert_accessible(manager, "staff-04-draft-partly-complete")

    # Each missing element links to its field.
    completeness.get_by_role("link", name="EQF level").click()
    expect(manager).to_have_url(re.compile("#id_eqf_level$"))
    manager.get_by_label("EQF level").select_option("6")
    manager.get_by_label("QF-EHEA cycle").select_option("first")
    fill_texts(manager, "assessment_type", "Project with a defence", "Proyecto con defensa")
    fill_texts(manager, "quality_assurance", "Internal QA, ESG 2015", "Garantía interna, ESG 2015")
    manager.get_by_label("Form of participation").select_option("blended")
    manager.get_by_label("Languages of instruction").select_option(["en", "es"])
    manager.get_by_label("ISCED-F field").fill("0713")
    manager.get_by_label("Grading scheme").select_option("numeric_10")
    manager.locator("#id_outcomes-0-text_en").fill("Size a solar installation")
    manager.locator("#id_outcomes-0-text_es").fill("Dimensionar una instalación solar")
    # ESCO skills are picked by typing.
    manager.get_by_label("Search ESCO skills").first.fill("big data")
    manager.get_by_role("button", name="+ analyse big data").first.click()
    manager.get_by_role("button", name="Save", exact=True).click()
    expect(completeness.get_by_text("Every mandatory element is present.")).to_be_visible()
    assert_accessible(manager, "staff-05-draft-complete")

    manager.get_by_role("link", name="Cancel").click()
    manager.get_by_role("button", name="Submit to the partners").click()
    expect(manager.get_by_text("The programme was submitted to the partners")).to_be_visible()
    assert_accessible(manager, "staff-06-submitted")

    # The partner institution's manager approves; the programme is published.
    partner = new_page()
    sign_in(partner, charlie.email)
    partner.get_by_role("link", name="Programmes", exact=True).click()
    partner.get_by_role("link", name="Green energy systems").first.click()
    assert_accessible(partner, "staff-07-partner-approval")
    partner.get_by_role("button", name="Approve").click()
    expect(partner.get_by_text("Your institution's approval was recorded.")).to_be_visible()
    expect(partner.locator(".meta .badge")).to_have_text("Published")

    # The coordinator opens an offering.
    manager.reload()
    manager.get_by_role("link", name="New offering").click()
    today = timezone.localdate()
    manager.get_by_label("Reference").fill("green-energy-2027")
    # Already under way: results are dated today, and none may predate the start.
    manager.get_by_label("Starts on").fill((today - timedelta(days=7)).isoformat())
    manager.get_by_label("Ends on").fill((today + timedelta(days=90)).isoformat())
    manager.get_by_label("Enrolment opens on").fill((today - timedelta(days=14)).isoformat())
    manager.get_by_label("Enrolment closes on").fill((today + timedelta(days=20)).isoformat())
    manager.get_by_label("Places").fill("30")
    assert_accessible(manager, "staff-08-new-offering")
    manager.get_by_role("button", name="Save", exact=True).click()
    expect(manager.get_by_text("The offering is open.")).to_be_visible()
    offering_address = manager.url
    offering = Offering.objects.get(code="green-energy-2027")
    for learner in learners:
        catalogue_services.enrol(learner=learner, offering=offering)

    # A results file with a bad row: the row's problem is shown, nothing is saved yet.
    manager.reload()
    assert_accessible(manager, "staff-09-offering")
    manager.get_by_role("link", name="Upload results (CSV)").click()
    assert_accessible(manager, "staff-10-upload-results")
    manager.get_by_label("Results file (CSV)").set_input_files(
        results_file(
            offering.code,
            [("ines@learner.example", "passed", "8"), ("jon@learner.example", "passed", "14")],
        )
    )
    manager.get_by_role("button", name="Check the file").click()
    expect(manager.get_by_role("status")).to_have_text("1 valid rows, 1 rows with problems.")
    expect(manager.locator("tr.row-error")).to_contain_text("jon@learner.example")
    assert_accessible(manager, "staff-11-results-with-a-bad-row")

    manager.get_by_role("link", name="Upload a corrected file instead").click()
    manager.get_by_label("Results file (CSV)").set_input_files(
        results_file(
            offering.code,
            [("ines@learner.example", "passed", "8"), ("jon@learner.example", "passed", "7")],
        )
    )
    manager.get_by_role("button", name="Check the file").click()
    expect(manager.get_by_role("status")).to_have_text("2 valid rows, 0 rows with problems.")
    # The workers pause, so that the job is seen waiting and then filling up live.
    workers.stop()
    manager.get_by_role("button", name="Save 2 valid rows").click()
    expect(manager.get_by_text("2 results were saved.")).to_be_visible()
    assert_accessible(manager, "staff-12-results-saved")

    # The passes go to the workers as one issuance job; its progress bar fills.
    manager.goto(offering_address)
    manager.get_by_role("link", name="Issue credentials").click()
    assert_accessible(manager, "staff-13-issuance")
    manager.get_by_role("link", name=re.compile("^Passes recorded for")).click()
    bar = manager.locator("#job-progress-bar")
    expect(bar).to_have_attribute("max", "2")
    expect(bar).to_have_attribute("value", "0")
    expect(manager.get_by_text("Workers are issuing; this page updates by itself.")).to_be_visible()
    assert_accessible(manager, "staff-14-issuance-running")
    workers.start(PORTAL_BASE_URL=live_portal.url)
    expect(bar).to_have_attribute("value", "2", timeout=90_000)
    expect(manager.get_by_text("2 issued · 0 failed · 0 remaining")).to_be_visible()
    expect(manager.get_by_text("Finished. Reload to see each learner's result.")).to_be_visible()
    expect(manager.get_by_role("button", name=re.compile("^Resume"))).to_have_count(0)
    assert_accessible(manager, "staff-15-issuance-finished-live")
    manager.reload()
    expect(manager.get_by_role("row", name=re.compile("Jon Learner"))).to_contain_text("Valid")
    assert_accessible(manager, "staff-16-issuance-finished")
    assert (
        Credential.objects.filter(job__offering=offering, state=CredentialState.ISSUED).count() == 2
    )
