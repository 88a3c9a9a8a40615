"""The recognition journey: a learner brings a credential of another provider into the wallet and
asks for recognition; the officer reads the automated checks, asks for information, reads the
answer and recognises in part with reasons; the learner appeals; another officer decides the
appeal; the worker issues the recognition credential into the learner's wallet. Every key page
passes the accessibility check."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from issuance.models import Credential, CredentialKind, CredentialState
from recognition.models import Appeal, Decision, RecognitionRequest
from tests.credential_format.foreign import foreign_credential
from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import needs_services, sign_in
from tests.factories import OFFICER, UserFactory, grant
from tests.recognition.factories import policy, target
from tests.services import wait_for

pytestmark = [pytest.mark.e2e, needs_services]


def test_a_learner_has_a_foreign_credential_recognised_in_part_and_appeals(
    new_page, live_portal, alice, bob, dana, institution_a
):
    policy(alice, institution_a)
    target(bob, institution_a)
    reviewer = grant(
        UserFactory(email="brian@a.example", full_name="Brian Officer"), institution_a, OFFICER
    )
    document = foreign_credential(learner_name=dana.full_name)

    # The learner adds the other provider's credential to the wallet.
    learner = new_page()
    sign_in(learner, dana.email)
    learner.get_by_role("link", name="My credentials", exact=True).click()
    learner.get_by_role("link", name="Add a credential from another provider").click()
    assert_accessible(learner, "recognition-01-import")
    learner.get_by_label("Paste the credential (JSON)").fill(json.dumps(document))
    learner.get_by_role("button", name="Verify and add").click()
    expect(learner.get_by_role("heading", name="Data Literacy for Public Policy")).to_be_visible()
    assert_accessible(learner, "recognition-02-imported")

    # ... and asks institution A to recognise it.
    learner.goto("/recognition/")
    assert_accessible(learner, "recognition-03-index")
    learner.get_by_role("link", name=re.compile("Universitat A")).first.click()
    assert_accessible(learner, "recognition-04-institution")
    learner.get_by_role("link", name="Ask for recognition").click()
    course = learner.get_by_label("Course or module:")
    course.select_option(course.locator("option", has_text="DS101").get_attribute("value"))
    learner.get_by_role("checkbox", name=re.compile("Data Literacy for Public Policy")).check()
    learner.get_by_label("Motivation").fill("The course covered data analysis in depth.")
    assert_accessible(learner, "recognition-05-request-form")
    learner.get_by_role("button", name="Send the request").click()
    expect(learner.get_by_role("heading", name=re.compile("^Recognition request"))).to_be_visible()
    request = RecognitionRequest.objects.get(learner=dana)
    # The worker runs the automated pre-assessment.
    wait_for(lambda: RecognitionRequest.objects.get(pk=request.pk).checks_completed_at, timeout=60)

    # The officer reads the checks and asks for information.
    officer = new_page()
    sign_in(officer, bob.email)
    officer.get_by_role("link", name="Cases").first.click()
    assert_accessible(officer, "recognition-06-queue")
    officer.get_by_role("link", name=request.reference).click()
    expect(officer.get_by_role("heading", name="Automatic pre-assessment")).to_be_visible()
    expect(officer.get_by_text("Recommendation:")).to_be_visible()
    officer.get_by_role("button", name="Take the case").click()
    assert_accessible(officer, "recognition-07-case")
    officer.get_by_label("What do you need from the learner?").fill(
        "Please add the course syllabus with the hours of each topic."
    )
    officer.get_by_role("button", name="Send the question").click()
    expect(officer.get_by_text("Please add the course syllabus")).to_be_visible()

    # The learner answers.
    learner.reload()
    expect(
        learner.get_by_role("heading", name="The institution needs more information")
    ).to_be_visible()
    assert_accessible(learner, "recognition-08-question")
    learner.get_by_label("Your answer").fill("The syllabus lists 40 hours of data analysis.")
    learner.get_by_role("button", name="Send the answer").click()
    expect(learner.get_by_text("The syllabus lists 40 hours")).to_be_visible()

    # The officer recognises in part, with reasons.
    officer.reload()
    expect(officer.get_by_text("The syllabus lists 40 hours")).to_be_visible()
    officer.get_by_label("Recognised in part").check()
    officer.get_by_label("Credits recognised (ECTS)").fill("3")
    officer.get_by_label("Component replaced").fill("Laboratory part")
    officer.get_by_label("Learning outcomes:", exact=True).fill(
        "Training machine-learning models is not covered by the credential."
    )
    officer.get_by_label("Compensatory measures offered").fill("An extra modelling assignment.")
    assert_accessible(officer, "recognition-09-decision-form")
    officer.get_by_role("button", name="Record the decision").click()
    expect(officer.get_by_role("heading", name=re.compile("Recognised in part: 3"))).to_be_visible()
    assert Decision.objects.get(request=request).decided_by == bob

    # The learner reads the reasons and appeals.
    learner.reload()
    expect(learner.get_by_text("Training machine-learning models is not covered")).to_be_visible()
    assert_accessible(learner, "recognition-10-learner-decision")
    learner.get_by_label("Why should the decision change?").fill(
        "The course included a graded modelling project; its description is in my answer."
    )
    learner.get_by_role("button", name="Lodge the appeal").click()
    expect(learner.get_by_text("Your appeal was lodged.")).to_be_visible()
    appeal = Appeal.objects.get(request=request)

    # Another officer of the institution decides the appeal: the decision stands.
    second = new_page()
    sign_in(second, reviewer.email)
    second.get_by_role("link", name="Cases").first.click()
    second.get_by_role("link", name=request.reference).last.click()
    expect(second.get_by_role("heading", name=f"Appeal on {request.reference}")).to_be_visible()
    assert_accessible(second, "recognition-11-appeal")
    second.get_by_label("The decision stands").check()
    second.get_by_label("Reasons for the appeal decision").fill(
        "The modelling project was not assessed separately; the laboratory part stays."
    )
    second.get_by_role("button", name="Record the appeal decision").click()
    expect(second.locator(".meta .badge").first).to_have_text("Closed")
    second.goto(f"/recognition/manage/appeals/{appeal.pk}/")
    expect(second.get_by_text("The modelling project was not assessed separately")).to_be_visible()
    assert_accessible(second, "recognition-12-appeal-decided")
    appeal.refresh_from_db()
    assert appeal.reviewer == reviewer

    # The worker issues the recognition credential into the learner's wallet.
    credential = wait_for(
        lambda: Credential.objects.filter(
            learner=dana, kind=CredentialKind.RECOGNITION, state=CredentialState.ISSUED
        ).first(),
        timeout=90,
    )
    learner.get_by_role("link", name="My credentials", exact=True).click()
    # The wallet and the credential's page name it as the signed credential names itself.
    learner.get_by_role("link", name=credential.document["name"]).click()
    expect(learner.get_by_role("heading", name=credential.document["name"])).to_be_visible()
    states = learner.get_by_role("table", name="What the credential states")
    expect(states.get_by_role("row", name=re.compile("^Decision"))).to_contain_text(
        "Recognised in part"
    )
    expect(states.get_by_role("row", name=re.compile("^Credits recognised"))).to_contain_text("3")
    assert_accessible(learner, "recognition-13-recognition-credential")
    mails = wait_for(lambda: live_portal.mails_to(dana.email), timeout=60)
    assert any("Recognised in part" in body for body in mails)
