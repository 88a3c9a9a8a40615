"""The credential pages (the learner's, the share page, the public verification page) and the
PDF certificate show the credential's texts in the reader's language when the credential states
them in it, and in its default language, with the visible note, when it does not."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from verification.summaries import summarise_credential
from wallet import sharing
from wallet.exports import certificate_elements

pytestmark = pytest.mark.django_db

# The test programme is written in English, Spanish and German.
TITLES = {
    "en": "Data literacy for engineers",
    "es": "Alfabetización de datos",
    "de": "Datenkompetenz",
}
OUTCOMES = {
    "en": "Analyse a data set and report its limits",
    "es": "Analizar un conjunto de datos",
    "de": "Einen Datensatz analysieren",
}


def _text(html: str) -> str:
    main = html[html.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def _pages(client, as_user, dana, credential, language):
    link = sharing.create_share_link(learner=dana, name="Acme", credentials=[credential])
    return {
        "share page": client.get(
            reverse("wallet:shared", kwargs={"token": link.token}), HTTP_ACCEPT_LANGUAGE=language
        ),
        "wallet page": as_user(dana).get(
            reverse("wallet:wallet_credential", kwargs={"uuid": credential.uuid}),
            HTTP_ACCEPT_LANGUAGE=language,
        ),
        "wallet list": as_user(dana).get(reverse("wallet:wallet"), HTTP_ACCEPT_LANGUAGE=language),
        "verification page": client.get(
            reverse("verification:verify_stored_credential", kwargs={"uuid": credential.uuid}),
            HTTP_ACCEPT_LANGUAGE=language,
        ),
    }


@pytest.mark.parametrize("language", ["es", "de"])
def test_pages_show_the_texts_in_the_readers_language(
    client, as_user, dana, dana_credential, language
):
    for name, page in _pages(client, as_user, dana, dana_credential, language).items():
        html = page.content.decode()
        text = _text(html)
        assert TITLES[language] in text, name
        assert TITLES["en"] not in text, name
        assert 'lang="en"' not in html[html.index("<main") :], name
    # The learning outcomes are listed on the pages with the EU elements.
    wallet_page = _pages(client, as_user, dana, dana_credential, language)["wallet page"]
    assert OUTCOMES[language] in _text(wallet_page.content.decode())


def test_a_language_the_credential_lacks_falls_back_to_english_with_the_note(
    client, as_user, dana, dana_credential
):
    for name, page in _pages(client, as_user, dana, dana_credential, "fr").items():
        html = page.content.decode()
        assert TITLES["en"] in _text(html), name
        assert "Affiché en anglais" in _text(html), name
        assert 'lang="en"' in html[html.index("<main") :], name


def test_the_certificate_is_printed_in_the_readers_language(dana_credential):
    with translation.override("de"):
        summary = summarise_credential(dana_credential.document)
        elements = dict(certificate_elements(summary))
    assert summary.title == TITLES["de"]
    assert summary.text_language == "de"
    assert summary.outcomes[0].text == OUTCOMES["de"]
    assert "Projekt mit mündlicher Prüfung" in elements.values()
    with translation.override("fr"):
        assert summarise_credential(dana_credential.document).title == TITLES["en"]
