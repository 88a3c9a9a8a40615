"""A visitor verifies a pasted credential and opens a share link; the learner's wallet and
credential pages; each page passes the accessibility check (screenshots saved)."""

from __future__ import annotations

import json

from issuance import sharing
from issuance.models import Credential, CredentialState
from tests.e2e.conftest import assert_accessible
from tests.factories import TEST_PASSWORD
from tests.issuance.factories import pass_learner
from tests.services import wait_for


def _issued(manager, institution, learner) -> Credential:
    result = pass_learner(manager, institution, learner)
    return wait_for(
        lambda: Credential.objects.filter(
            natural_key=f"result:{result.pk}", state=CredentialState.ISSUED
        ).first(),
        timeout=90,
    )


def test_a_visitor_verifies_a_pasted_credential_and_opens_a_share_link(
    new_page, live_portal, alice, institution_a, dana
):
    credential = _issued(alice, institution_a, dana)

    page = new_page()
    page.goto("/verify/")
    assert_accessible(page, "verify-empty")
    page.get_by_label("Paste the credential (JSON)").fill(json.dumps(credential.document))
    page.get_by_role("button", name="Verify", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Valid credential", exact=True).is_visible()
    assert page.get_by_text("Universitat A").first.is_visible()
    assert "dana@learner.example" not in page.content()
    assert_accessible(page, "verify-valid")

    tampered = dict(credential.document, name="A doctorate")
    page.get_by_label("Paste the credential (JSON)").fill(json.dumps(tampered))
    page.get_by_role("button", name="Verify", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Not valid: do not rely on this credential").is_visible()
    assert_accessible(page, "verify-tampered")

    link = sharing.create_share_link(learner=dana, name="For Acme", credentials=[credential])
    page.goto(f"/s/{link.token}/")
    assert page.get_by_text("Valid credential", exact=True).is_visible()
    assert "dana@learner.example" not in page.content()
    assert_accessible(page, "shared-link")

    phone = new_page(viewport={"width": 375, "height": 740})
    phone.goto(f"/s/{link.token}/")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(phone, "shared-link-phone")


def test_the_learner_sees_the_wallet_and_a_credential(
    new_page, live_portal, alice, institution_a, dana
):
    credential = _issued(alice, institution_a, dana)
    page = new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(dana.email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/dashboard/")
    page.get_by_role("link", name="My credentials", exact=True).click()
    assert page.get_by_role("heading", name="My credentials").is_visible()
    assert_accessible(page, "wallet")
    page.get_by_role("link", name=credential.title).click()
    assert page.get_by_role("heading", name=credential.title).is_visible()
    assert page.get_by_role("link", name="Add to LinkedIn profile").is_visible()
    assert_accessible(page, "wallet-credential")
    page.get_by_role("button", name="Show the QR code").click()
    assert page.get_by_alt_text("QR code of the credential offer").is_visible()
    assert_accessible(page, "wallet-offer")
