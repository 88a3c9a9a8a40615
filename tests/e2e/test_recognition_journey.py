"""An officer decides a recognition case in part, with reasons; the learner reads the reasons
and appeals. Pages pass the accessibility check."""

from __future__ import annotations

import os
import re

import pytest

from recognition import services
from recognition.models import Appeal, Decision
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD
from tests.recognition.factories import policy, submit, target
from tests.services import wait_for

pytestmark = [
    pytest.mark.e2e,
    # Skipped before any fixture runs: the session-wide browser fixture would otherwise start
    # (and set DJANGO_ALLOW_ASYNC_UNSAFE for the whole session) only to find no services.
    pytest.mark.skipif(
        not (
            os.environ.get("DATABASE_URL", "").startswith("postgres")
            and os.environ.get("REDIS_URL")
        ),
        reason="needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): run `make test-services`",
    ),
]


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url("**/dashboard/")


def test_officer_decides_in_part_and_the_learner_appeals(
    new_page, live_portal, alice, bob, dana, institution_a
):
    policy(alice, institution_a)
    course = target(bob, institution_a)
    request = submit(dana, institution_a, course)
    services.run_preassessment(request_id=request.pk)

    officer = new_page()
    sign_in(officer, bob.email)
    officer.get_by_role("link", name="Cases").first.click()
    assert_accessible(officer, "recognition-queue")
    officer.get_by_role("link", name=request.reference).click()
    assert officer.get_by_text("Recommendation:").is_visible()
    officer.get_by_role("button", name="Take the case").click()
    assert_accessible(officer, "recognition-case")
    officer.get_by_label("Recognised in part").check()
    officer.get_by_label("Credits recognised (ECTS)").fill("3")
    officer.get_by_label("Component replaced").fill("Laboratory part")
    officer.get_by_label("Learning outcomes:", exact=True).fill(
        "Training machine-learning models is not covered by the credential."
    )
    officer.get_by_label("Compensatory measures offered").fill("An extra modelling assignment.")
    officer.get_by_role("button", name="Record the decision").click()
    assert officer.get_by_role("heading", name=re.compile("Recognised in part: 3")).is_visible()
    decision = Decision.objects.get(request=request)
    assert decision.decided_by == bob

    learner = new_page()
    sign_in(learner, dana.email)
    learner.goto(f"/recognition/requests/{request.pk}/")
    assert learner.get_by_text("Training machine-learning models is not covered").is_visible()
    assert_accessible(learner, "recognition-learner-decision")
    learner.get_by_label("Why should the decision change?").fill(
        "The course included a graded modelling project; its description is attached to my request."
    )
    learner.get_by_role("button", name="Lodge the appeal").click()
    assert learner.get_by_text("Your appeal was lodged.").is_visible()
    assert Appeal.objects.filter(request=request).exists()
    mails = wait_for(lambda: live_portal.mails_to(dana.email), timeout=60)
    assert any("Recognised in part" in body for body in mails)
