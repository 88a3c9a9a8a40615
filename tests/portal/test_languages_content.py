"""Content in the reader's language: programme texts fall back to English with a visible note
and `lang="en"`, verification checks are explained in the reader's language, and e-mails go
out in the recipient's preferred language."""

from __future__ import annotations

from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import translation

from tests.catalogue.factories import published_programme
from tests.conftest import client_for
from tests.credential_format.foreign import foreign_credential
from tests.issuance.factories import issue_credential
from verification.check_messages import localize_check
from verification.verify import verify_credential_document


def _in(language: str, client=None):
    client = client or client_for(None)
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    return client


def _german_and_english_programme(alice, institution_a):
    """complete_data() gives English and Spanish texts; this one has German too (title only)."""
    return published_programme(
        alice,
        institution_a,
        slug="english-only",
        title={"en": "Data literacy in English", "es": "Alfabetización de datos"},
    )


def test_a_programme_without_the_readers_language_is_shown_in_english_with_a_note(
    alice, institution_a
):
    programme = _german_and_english_programme(alice, institution_a)
    page = (
        _in("de").get(reverse("catalogue:programme_detail", args=[programme.slug])).content.decode()
    )
    assert '<html lang="de"' in page
    assert '<h1 lang="en">Data literacy in English</h1>' in page
    assert 'class="notice fallback-note" role="note"' in page
    assert "Auf Englisch angezeigt: nicht auf Deutsch verfügbar." in page


def test_a_programme_in_the_readers_language_has_no_note(alice, institution_a):
    programme = _german_and_english_programme(alice, institution_a)
    page = (
        _in("es").get(reverse("catalogue:programme_detail", args=[programme.slug])).content.decode()
    )
    assert "Alfabetización de datos" in page
    assert "fallback-note" not in page.split("<main", 1)[1].split("Micro", 1)[0]
    assert '<h1 lang="en">' not in page


def test_the_catalogue_notes_each_card_shown_in_english(alice, institution_a):
    _german_and_english_programme(alice, institution_a)
    page = _in("fr").get(reverse("catalogue:catalogue")).content.decode()
    assert 'lang="en">Data literacy in English</a>' in page
    # French typography puts a no-break space before the colon.
    assert "Affiché en anglais\xa0: non disponible en français." in page


def test_the_wallet_and_the_check_page_say_the_credential_is_in_english(alice, institution_a, dana):
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    learner = _in("ca", client_for(dana))
    wallet = learner.get(reverse("wallet:wallet")).content.decode()
    assert f'<span lang="en">{credential.title}</span>' in wallet
    assert "Es mostra en anglès: no disponible en català." in wallet
    detail = learner.get(
        reverse("wallet:wallet_credential", args=[credential.uuid])
    ).content.decode()
    assert "fallback-note" in detail
    check = (
        _in("ca")
        .get(reverse("verification:verify_stored_credential", args=[credential.uuid]))
        .content.decode()
    )
    assert "Es mostra en anglès: no disponible en català." in check
    assert f'<span lang="en">{credential.title}</span>' in check


def test_the_verification_page_explains_the_checks_in_the_readers_language(
    alice, institution_a, dana
):
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    page = (
        _in("es")
        .get(reverse("verification:verify_stored_credential", args=[credential.uuid]))
        .content.decode()
    )
    assert "Firma" in page
    with translation.override("es"):
        expected = translation.gettext("Every property of the credential is defined.")
    assert expected != "Every property of the credential is defined."
    assert expected in page
    assert "Every property of the credential is defined." not in page


def test_every_check_of_a_real_report_has_a_translated_reason(alice, institution_a, dana):
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    checks = verify_credential_document(credential.document).report.checks
    checks += verify_credential_document(foreign_credential()).report.checks
    checks += verify_credential_document('{"not": "closed"').report.checks
    with translation.override("es"):
        for check in checks:
            localized = localize_check(check)
            assert localized.reason_language == "", (check.id, check.code)
            assert localized.reason != check.reason, (check.id, check.code)


def test_an_unknown_check_keeps_the_libraries_english_reason():
    with translation.override("fr"):
        localized = localize_check(
            {"id": "future-check", "outcome": "warning", "code": "NEW", "reason": "Look."}
        )
    assert (localized.reason, localized.reason_language) == ("Look.", "en")
    assert localized.label == "future-check"


def test_the_api_keeps_english_reasons_and_codes(api_as, alice, institution_a, dana):
    credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    response = api_as(None).post(
        "/api/v1/credentials/verify",
        {"verifiableCredential": credential.document},
        format="json",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 200
    reasons = {check["id"]: check["reason"] for check in response.json()["checks"]}
    assert reasons["terms"] == "Every property of the credential is defined."
    assert reasons["issuer-trust"].startswith("The issuer is Universitat A")


def test_credential_emails_use_the_learners_preferred_language(alice, institution_a, dana):
    dana.preferred_language = "fr"
    dana.save()
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        credential = issue_credential(manager=alice, institution=institution_a, learner=dana)
    notice = next(
        message
        for message in mail.outbox
        if message.to == [dana.email] and credential.title in message.subject
    )
    with translation.override("fr"):
        greeting = translation.gettext("Dear %(name)s,") % {"name": dana.display_name}
    assert greeting != f"Dear {dana.display_name},"
    assert greeting in notice.body
    assert f"«\xa0{credential.title}\xa0»" in notice.body
    assert "&quot;" not in notice.body


def test_a_proof_from_the_future_is_explained_as_such():
    check = {
        "id": "proof[0]",
        "outcome": "failed",
        "code": "PROOF_CREATED_IN_FUTURE",
        "reason": "English",
        "details": {"created": "2999-01-01T00:00:00Z"},
    }
    localized = localize_check(check)
    assert "2999-01-01T00:00:00Z, which is in the future" in localized.reason
    with translation.override("de"):
        assert localize_check(check).reason != localized.reason


def test_every_refusal_of_the_adversarial_set_has_a_translated_reason():
    """Hidden statements, a status list of another issuer, a time limit, an unreadable
    document: each new refusal is explained in every interface language."""
    from datetime import UTC, datetime

    from credential_format.verification import Check, Outcome
    from tests.credential_format.adversarial import cases, documents
    from tests.credential_format.test_adversarial import MapFetcher

    checks: list[Check] = []
    for case in cases():
        if not case.needs_work_budget:
            checks += verify_credential_document(
                case.document, fetcher=MapFetcher(documents()), now=datetime(2025, 6, 1, tzinfo=UTC)
            ).report.checks
    checks += [
        Check("time-limit", Outcome.FAILED, "Stopped.", "VERIFICATION_TIME_LIMIT"),
        Check("verifier", Outcome.FAILED, "Broken.", "VERIFIER_ERROR"),
    ]
    codes = {check.code for check in checks}
    assert {"NOT_PLAIN_FORM", "HIDDEN_STATEMENTS", "STATUS_ISSUER_MISMATCH"} <= codes
    for language in ("es", "ca", "de", "fr"):
        with translation.override(language):
            for check in checks:
                localized = localize_check(check)
                assert localized.reason_language == "", (language, check.id, check.code)
                assert localized.reason != check.reason, (language, check.id, check.code)
                assert localized.label != check.id.split("[")[0], (language, check.id)
