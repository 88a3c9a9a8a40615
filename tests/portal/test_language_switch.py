"""The language switch in the header works on every page: posting it (as the switch does, with
`next` set to the page) brings the reader back to that page in the chosen language."""

from __future__ import annotations

import json
import re

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation

from catalogue import services as catalogue_services
from recognition import services as recognition_services
from tests.catalogue.factories import DATA_SKILL, draft_programme, open_offering
from tests.conftest import client_for
from tests.credential_format.foreign import foreign_credential
from tests.issuance.factories import issue_credential
from tests.recognition.factories import policy, submit, target
from wallet import sharing
from wallet.imports import import_credential

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def _label(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


@pytest.fixture
def site(alice, bob, dana, institution_a, institution_b, alliance):
    """The objects the pages need: a published programme with an offering, a credential held
    by dana, a share link, and a recognition request of dana's at A."""
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    programme = credential.programme_version.programme
    offering = open_offering(alice, programme, code="cohort-switch")
    policy(alice, institution_a)
    course = target(bob, institution_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        request = submit(dana, institution_a, course)
    link = sharing.create_share_link(learner=dana, name="Employer", credentials=[credential])
    imported = import_credential(learner=dana, data=json.dumps(foreign_credential()))
    draft = draft_programme(alice, institution_a, slug="draft-switch")
    results = catalogue_services.preview_results_upload(
        actor=alice,
        filename="results.csv",
        size=80,
        data=b"offering,learner_email,outcome,grade,assessed_on,identity_verified\nx,y,z,,,\n",
    )
    # A decided request under appeal (the recognition journey's last pages).
    appealed = submit(dana, institution_a, course, now=timezone.now())
    recognition_services.take_case(officer=bob, case=appealed)
    recognition_services.decide_request(
        officer=bob,
        case=appealed,
        outcome="refused",
        differences=[recognition_services.DifferenceInput("level", "Lower level.")],
    )
    appeal = recognition_services.lodge_appeal(learner=dana, case=appealed, grounds="More.")
    return {
        "credential": credential,
        "programme": programme,
        "offering": offering,
        "request": request,
        "link": link,
        "imported": imported,
        "draft": draft,
        "results": results.upload,
        "appeal": appeal,
    }


def _pages(site, institution_a, alliance) -> dict[str, list[str]]:
    credential, programme, request = site["credential"], site["programme"], site["request"]
    return {
        "anonymous": [
            reverse("home"),
            reverse("catalogue:catalogue"),
            reverse("catalogue:catalogue") + f"?skill={DATA_SKILL}",
            reverse("catalogue:programme_detail", args=[programme.slug]),
            reverse("alliances:alliance_list"),
            reverse("alliances:alliance_detail", args=[alliance.slug]),
            reverse("alliances:institution_list"),
            reverse("alliances:institution_detail", args=[institution_a.slug]),
            reverse("insights:observatory"),
            reverse("verification:verify"),
            reverse("verification:verify_stored_credential", args=[credential.uuid]),
            sharing.share_url(site["link"]).removeprefix(settings.PORTAL_BASE_URL),
            reverse("recognition:index"),
            reverse("recognition:institution", args=[institution_a.slug]),
            reverse("account_login"),
            reverse("account_signup"),
        ],
        "learner": [
            reverse("dashboard"),
            reverse("profile"),
            reverse("wallet:wallet"),
            reverse("wallet:wallet_credential", args=[credential.uuid]),
            reverse("wallet:wallet_import"),
            reverse("wallet:wallet_imported", args=[site["imported"].uuid]),
            reverse("recognition:request_create", args=[institution_a.slug]),
            reverse("my_data"),
            reverse("insights:careers"),
            reverse("recognition:my_requests"),
            reverse("recognition:request_detail", args=[request.pk]),
        ],
        "staff": [
            reverse("dashboard"),
            reverse("catalogue:staff_programmes"),
            reverse("catalogue:programme_create"),
            reverse("catalogue:programme_manage", args=[programme.pk]),
            reverse("catalogue:offering_manage", args=[site["offering"].pk]),
            reverse("catalogue:results_upload"),
            reverse("catalogue:results_upload_preview", args=[site["results"].pk]),
            reverse("catalogue:programme_edit", args=[site["draft"].pk]),
            reverse("catalogue:offering_create", args=[programme.pk]),
            reverse("issuance:offering_issuance", args=[site["offering"].pk]),
            reverse("issuance:job", args=[credential.job_id]),
            reverse("issuance:staff_credentials"),
            reverse("issuance:staff_credential", args=[credential.uuid]),
            reverse("alliances:institution_edit", args=[institution_a.slug]),
            reverse("alliances:staff_list", args=[institution_a.slug]),
            reverse("recognition:policy_edit", args=[institution_a.slug]),
        ],
        "officer": [
            reverse("recognition:queue"),
            reverse("recognition:case_detail", args=[request.pk]),
            reverse("recognition:targets", args=[institution_a.slug]),
            reverse("recognition:agreements"),
            reverse("recognition:appeal_detail", args=[site["appeal"].pk]),
        ],
    }


def test_the_switch_works_on_every_page_in_every_language(
    site, alice, bob, dana, institution_a, alliance
):
    people = {"anonymous": None, "learner": dana, "staff": alice, "officer": bob}
    checked = 0
    for role, paths in _pages(site, institution_a, alliance).items():
        client = client_for(people[role])
        # Signed in, the header shows "Sign out"; anonymous, "Sign in".
        known = "Sign out" if people[role] else "Sign in"
        for path in paths:
            assert client.get(path).status_code == 200, path
            for language in LANGUAGES:
                response = client.post(
                    reverse("set_language"), {"language": language, "next": path}, follow=True
                )
                assert response.redirect_chain[-1][0] == path, (path, language)
                assert response.status_code == 200, (path, language)
                page = response.content.decode()
                assert re.search(rf'<html lang="{language}"', page), (path, language)
                assert 'id="language-select"' in page, path
                label = _label(known, language)
                if language != "en":
                    assert label != known, f"{known!r} is not translated into {language}"
                assert label in page, (path, language)
                checked += 1
    assert checked == sum(
        len(paths) for paths in _pages(site, institution_a, alliance).values()
    ) * (len(LANGUAGES))


def test_the_switch_offers_every_language_by_its_own_name(client, db):
    page = client.get("/").content.decode()
    for code, name in [
        ("en", "English"),
        ("es", "Español"),
        ("ca", "Català"),
        ("de", "Deutsch"),
        ("fr", "Français"),
    ]:
        assert f'<option value="{code}" lang="{code}"' in page
        assert name in page


def test_english_dates_are_written_day_first_on_a_24_hour_clock(db):
    from datetime import datetime

    from django.utils import formats

    moment = datetime(2026, 12, 28, 22, 29)
    with translation.override("en"):
        assert formats.date_format(moment, "DATE_FORMAT") == "28 December 2026"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "28/12/2026 22:29"
    with translation.override("de"):
        assert formats.date_format(moment, "SHORT_DATE_FORMAT") == "28.12.2026"
