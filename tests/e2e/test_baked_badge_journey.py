"""A learner downloads the badge image with their credential baked in, and a visitor who is
given the image uploads it on the verify page and sees the credential verified, in the browser
against the real server and workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from credential_format import baking
from issuance.models import Credential, CredentialState
from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import needs_services, sign_in
from tests.issuance.factories import pass_learner
from tests.services import wait_for

pytestmark = [pytest.mark.e2e, needs_services]


def test_a_downloaded_baked_badge_verifies_on_the_verify_page(
    new_page, live_portal, alice, dana, institution_a, tmp_path
):
    result = pass_learner(alice, institution_a, dana)
    credential = wait_for(
        lambda: Credential.objects.filter(
            natural_key=f"result:{result.pk}", state=CredentialState.ISSUED
        ).first(),
        timeout=90,
    )

    learner = new_page()
    sign_in(learner, dana.email)
    learner.goto(f"/wallet/{credential.uuid}/")
    with learner.expect_download() as download_info:
        learner.get_by_role("link", name="Badge image with the credential baked in (PNG)").click()
    download = download_info.value
    assert download.suggested_filename == f"badge-{credential.uuid}.png"
    image = Path(tmp_path) / download.suggested_filename
    download.save_as(image)
    png = image.read_bytes()
    assert png.startswith(baking.PNG_SIGNATURE)

    visitor = new_page()
    visitor.goto("/verify/")
    visitor.locator("input[type=file][name=file]").set_input_files(str(image))
    visitor.get_by_role("button", name="Verify", exact=True).click()
    expect(visitor.locator(".verdict-title")).to_have_text("Valid credential")
    expect(visitor.get_by_text(credential.title).first).to_be_visible()
    assert_accessible(visitor, "baked-badge-verified")
