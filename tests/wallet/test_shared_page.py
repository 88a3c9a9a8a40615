"""What an employer sees first on a share link, and coded values in the reader's words on the
credential pages, the share page and the PDF certificate."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from verification.element_values import element_label, localized_date
from verification.summaries import summarise_credential
from wallet import exports, sharing

pytestmark = pytest.mark.django_db

RAW_VALUES = ("supervised-with-identity-verification", "stand-alone", "stackable")


@pytest.fixture
def link(dana, dana_credential):
    return sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])


def _text(html: str) -> str:
    main = html[html.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_the_share_page_leads_with_achievement_learner_issuer_and_verdict(client, link):
    html = client.get(reverse("wallet:shared", kwargs={"token": link.token})).content.decode()
    text = _text(html)
    title = text.index("Data literacy for engineers")
    learner = text.index("Awarded to Dana Learner")
    issuer = text.index("Universitat A")
    verdict = text.index("Valid credential")
    first_check = text.index("Passed")
    assert title < learner < verdict < first_check
    assert issuer < verdict
    # The technical rows are folded inside a details element.
    details = html[html.index("<details") : html.index("</details>")]
    assert details.count('class="check check-') == html.count('class="check check-')
    assert "How it was checked" in details


def test_the_share_page_shows_the_issuers_logo(client, link, institution_a):
    output = io.BytesIO()
    Image.new("RGB", (64, 64)).save(output, format="PNG")
    institution_a.logo.save("uni-a.png", ContentFile(output.getvalue()))
    html = client.get(reverse("wallet:shared", kwargs={"token": link.token})).content.decode()
    assert 'src="/institutions/uni-a/logo.png"' in html


@pytest.mark.parametrize(
    ("language", "participation", "date"),
    [
        ("en", "Online", " 2026"),
        ("es", "En línea", " de 2026"),
        ("de", "Online", ". "),
        ("fr", "En ligne", " 2026"),
        ("ca", "En línia", " 2026"),
    ],
)
def test_pages_show_coded_values_translated_and_dates_localised(
    client, as_user, dana, dana_credential, link, language, participation, date
):
    pages = [
        client.get(
            reverse("wallet:shared", kwargs={"token": link.token}), HTTP_ACCEPT_LANGUAGE=language
        ),
        as_user(dana).get(
            reverse("wallet:wallet_credential", kwargs={"uuid": dana_credential.uuid}),
            HTTP_ACCEPT_LANGUAGE=language,
        ),
        client.get(
            reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid}),
            HTTP_ACCEPT_LANGUAGE=language,
        ),
    ]
    iso_date = dana_credential.document["validFrom"][:10]
    for page in pages:
        text = _text(page.content.decode())
        assert not [raw for raw in RAW_VALUES if raw in text]
        assert iso_date not in text
        with translation.override(language):
            assert localized_date(iso_date) in text
            assert str(element_label("online", "participation")) in text
        assert participation in text
    with translation.override(language):
        assert date in localized_date(iso_date)


def test_the_certificate_prints_coded_values_in_the_readers_words(dana_credential):
    summary = summarise_credential(dana_credential.document)
    with translation.override("es"):
        elements = dict(exports.certificate_elements(summary))
        assert elements["Fecha de emisión"] == localized_date(summary.valid_from)
    assert "2026-" not in " ".join(elements.values())
    assert not [raw for raw in RAW_VALUES if raw in " ".join(elements.values())]
    assert "En línea" in elements.values()


def test_an_unknown_value_of_another_provider_is_shown_as_stated():
    assert element_label("self-paced", "participation") is None
    assert localized_date("sometime in 2024") == "sometime in 2024"


def test_the_certificate_carries_the_awarding_institutions_logo(dana_credential, institution_a):
    without_logo = exports.certificate_pdf(dana_credential)
    output = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(output, format="PNG")
    institution_a.logo.save("uni-a.png", ContentFile(output.getvalue()))
    with_logo = exports.certificate_pdf(dana_credential)
    assert b"/Subtype /Image" not in without_logo
    assert b"/Subtype /Image" in with_logo
    assert exports.awarding_institutions(dana_credential) == [institution_a]
