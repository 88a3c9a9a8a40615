"""The verify page explains bad input in the reader's words: no parser exception text, no "?"
standing in for a missing issuer, and nothing that depends on the signature is shown as passed
when the signature fails."""

from __future__ import annotations

import copy
import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from verification.verify import verify_credential_document

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[str]:
    rows = re.findall(r'<li class="check check-[^"]+">(.*?)</li>', html, re.S)
    return [re.sub(r"<[^>]+>", "", row) for row in rows]


def _tampered(document):
    tampered = copy.deepcopy(document)
    tampered["credentialSubject"]["achievement"]["name"] = "Doctorate in everything"
    return tampered


def test_a_tampered_credential_shows_no_passed_issuer_trust_dates_or_status(dana_credential):
    result = verify_credential_document(_tampered(dana_credential.document))
    outcomes = {check.id: check.outcome for check in result.report.checks}
    assert outcomes["issuer-trust"] == "not-applicable"
    assert outcomes["validity-period"] == "not-applicable"
    assert {outcomes[i] for i in outcomes if i.startswith("status")} == {"not-applicable"}
    assert not result.issuer_confirmed


def test_the_verify_page_shows_a_tampered_credentials_issuer_as_unconfirmed(
    dana_credential, client
):
    document = json.dumps(_tampered(dana_credential.document))
    html = client.post(reverse("verification:verify"), {"document": document}).content.decode()
    rows = _rows(html)
    assert not [row for row in rows if row.startswith("Passed Issuer trust")]
    assert not [row for row in rows if row.startswith("Passed Revocation")]
    assert "not confirmed: the signature is not valid" in html
    assert "(registered name)" not in html


def test_an_untouched_credential_still_passes_issuer_trust(dana_credential, client):
    document = json.dumps(dana_credential.document)
    html = client.post(reverse("verification:verify"), {"document": document}).content.decode()
    assert "Passed Issuer trust: The issuer is Universitat A" in " ".join(_rows(html))


@pytest.mark.parametrize(
    "text",
    ['{"issuer": ', "not json at all", "{" * 300 + "}" * 300],
)
def test_unreadable_json_is_explained_without_the_parsers_message(client, text):
    html = client.post(reverse("verification:verify"), {"document": text}).content.decode()
    assert "This is not valid JSON" in html
    assert "Expecting" not in html  # json's exception text
    assert "line 1 column" not in html
    assert "(" + ")" not in html


def test_a_document_without_an_issuer_shows_no_question_mark(client):
    html = client.post(reverse("verification:verify"), {"document": '{"a": 1}'}).content.decode()
    rows = " ".join(_rows(html))
    assert "?" not in rows
    assert "it names no issuer" in rows
    assert "not stated" in html


def test_a_shape_failure_is_explained_in_the_readers_language(client):
    with translation.override("de"):
        client.cookies["django_language"] = "de"
        html = client.post(
            reverse("verification:verify"), {"document": '{"a": 1}'}, HTTP_ACCEPT_LANGUAGE="de"
        ).content.decode()
    assert "This is not a verifiable credential" not in html
    assert 'lang="en"' not in " ".join(re.findall(r'<li class="check[^>]*>.*?</li>', html, re.S))
