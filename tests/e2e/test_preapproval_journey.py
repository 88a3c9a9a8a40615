"""Recognition promised before enrolment: a learner reads on a programme page what it counts
for at another institution, asks that institution for a pre-approval, its officer approves it,
and once the learner passes the programme the worker applies it: the recognition is decided as
committed and the officer sees it. Every key page passes the accessibility check."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from recognition import services as recognition_services
from recognition.models import PreApproval, PreApprovalStatus
from tests.catalogue.factories import published_programme
from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import needs_services, sign_in
from tests.issuance.factories import pass_learner
from tests.recognition.factories import policy, target
from tests.services import wait_for

pytestmark = [pytest.mark.e2e, needs_services]


def test_a_learner_has_a_programme_pre_approved_and_it_is_applied_once_issued(
    new_page, live_portal, alice, charlie, carol, dana, institution_a, institution_b
):
    programme = published_programme(alice, institution_a, slug="data-literacy")
    policy(charlie, institution_b)
    course = target(carol, institution_b, code="B-DS", title="Datenanalyse")
    recognition_services.create_agreement(
        actor=carol, target=course, programme=programme, ects=Decimal("5")
    )

    # The learner reads what the programme counts for and asks for a pre-approval.
    learner = new_page()
    sign_in(learner, dana.email)
    learner.goto(f"/catalogue/{programme.slug}/")
    section = learner.get_by_role("region", name="What this programme counts for")
    expect(section.get_by_role("row", name=re.compile("B-DS Datenanalyse"))).to_contain_text(
        "a recognition agreement"
    )
    assert_accessible(learner, "preapproval-01-programme")
    learner.get_by_role("link", name="Ask for pre-approval before you enrol").click()
    learner.get_by_label("Home institution").select_option("uni-b")
    learner.get_by_label("Towards a course or module").check()
    choice = learner.get_by_label("Course or module:")
    choice.select_option(choice.locator("option", has_text="B-DS").get_attribute("value"))
    learner.get_by_label("Motivation").fill("I plan to take it next term.")
    assert_accessible(learner, "preapproval-02-form")
    learner.get_by_role("button", name="Ask for pre-approval").click()
    expect(learner.get_by_role("heading", name=re.compile("^Pre-approval P-"))).to_be_visible()
    preapproval = PreApproval.objects.get(learner=dana)

    # The home institution's officer approves it.
    officer = new_page()
    sign_in(officer, carol.email)
    officer.goto("/recognition/preapprovals/")
    officer.get_by_role("link", name=preapproval.reference).click()
    officer.get_by_label("Approve").check()
    officer.get_by_label("Reasons").fill("Covered by our agreement.")
    assert_accessible(officer, "preapproval-03-answer")
    officer.get_by_role("button", name="Record the answer").click()
    expect(officer.get_by_text("Approved: applies once the credential is issued")).to_be_visible()

    # The learner passes; the worker issues the credential and applies the pre-approval.
    pass_learner(alice, institution_a, dana, programme=programme)
    applied = wait_for(
        lambda: PreApproval.objects.filter(
            pk=preapproval.pk, status=PreApprovalStatus.APPLIED
        ).first(),
        timeout=120,
    )
    learner.reload()
    expect(learner.get_by_text("Applied: credits recognised")).to_be_visible()
    assert_accessible(learner, "preapproval-04-applied")
    officer.goto(f"/recognition/manage/cases/{applied.case_id}/")
    expect(
        officer.get_by_text(re.compile(r"Decided automatically as pre-approved \(P-"))
    ).to_be_visible()
    assert_accessible(officer, "preapproval-05-case")
    mails = wait_for(lambda: live_portal.mails_to(carol.email), timeout=60)
    assert any("decided as committed" in body for body in mails)
