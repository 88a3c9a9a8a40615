"""The adversarial credential set (tests/credential_format/adversarial.py) through the public verifier: the
verify API, the verify page and wallet import. Every hidden, forged, tampered or expired
credential is refused, the valid ones accepted, and no input gives a 500."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.urls import reverse

from tests.credential_format.adversarial import ACCEPTED, Case, cases, documents, hostile_inputs
from tests.credential_format.test_adversarial import OutOfTime, cpu_alarm
from wallet.models import ImportedCredential

CASES = [pytest.param(case, id=case.name) for case in cases() if not case.needs_work_budget]
CLIQUES = [pytest.param(case, id=case.name) for case in cases() if case.needs_work_budget]


def _encoded(value: Any) -> str | None:
    """JSON text for a request body (ASCII escapes keep lone surrogates sendable); None when
    the value is too deep for the encoder, then only its text form is sent."""
    try:
        return json.dumps(value)
    except (RecursionError, ValueError):
        return None


def _api_body(document: Any) -> str:
    text = document if isinstance(document, str) else _encoded(document)
    return '{"verifiableCredential": ' + (text or "null") + "}"


HOSTILE_BODIES = [
    pytest.param(_api_body(document), id=name)
    for name, document in hostile_inputs()
    if isinstance(document, str) or _encoded(document) is not None
] + [
    pytest.param("[" * 100_000 + "]" * 100_000, id="deep body"),
    pytest.param('{"verifiableCredential": "\\ud800"}', id="surrogate body"),
    pytest.param("42", id="number body"),
]
HOSTILE_TEXTS = [
    pytest.param(document if isinstance(document, str) else _encoded(document), id=name)
    for name, document in hostile_inputs()
    if isinstance(document, str) or _encoded(document) is not None
]


@pytest.fixture
def served(foreign_documents):
    foreign_documents.documents.update(documents())
    return foreign_documents


@pytest.mark.parametrize("case", CASES)
def test_the_verify_api_judges_each_adversarial_credential_right(api_client, served, case: Case):
    response = api_client.post(
        "/api/v1/credentials/verify",
        _api_body(case.document),
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is (case.expected == ACCEPTED), body["errors"]
    assert case.codes <= {error["code"] for error in body["errors"]}


@pytest.mark.parametrize("case", CASES)
def test_the_verify_page_judges_each_adversarial_credential_right(client, served, case: Case):
    response = client.post(reverse("verification:verify"), {"document": json.dumps(case.document)})
    assert response.status_code == 200
    assert response.context["verification"].verified is (case.expected == ACCEPTED)


@pytest.mark.parametrize("case", CLIQUES)
def test_the_verify_api_refuses_a_blank_node_clique_in_under_a_second(
    api_client, served, case: Case
):
    started = time.perf_counter()
    try:
        with cpu_alarm(3):
            response = api_client.post(
                "/api/v1/credentials/verify",
                _api_body(case.document),
                content_type="application/json",
            )
    except OutOfTime:
        pytest.fail("the clique was still being canonicalised after 3 s")
    assert response.status_code == 200
    assert response.json()["verified"] is False
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("body", HOSTILE_BODIES)
def test_the_verify_api_never_answers_a_hostile_body_with_a_500(api_client, served, body):
    response = api_client.post("/api/v1/credentials/verify", body, content_type="application/json")
    assert response.status_code in (200, 400, 413), response.content[:300]
    if response.status_code == 200:
        assert response.json()["verified"] is False
    else:
        assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_the_presentation_api_never_answers_a_hostile_credential_with_a_500(
    api_client, served, text
):
    presentation = (
        '{"verifiablePresentation": {"@context": ["https://www.w3.org/ns/credentials/v2"], '
        '"type": ["VerifiablePresentation"], "verifiableCredential": [' + text + "]}}"
    )
    response = api_client.post(
        "/api/v1/presentations/verify", presentation, content_type="application/json"
    )
    assert response.status_code in (200, 400, 413), response.content[:300]


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_the_verify_page_never_answers_hostile_text_with_a_500(client, served, text):
    response = client.post(reverse("verification:verify"), {"document": text})
    assert response.status_code == 200
    verification = response.context.get("verification")
    assert verification is None or verification.verified is False


@pytest.mark.parametrize("text", HOSTILE_TEXTS)
def test_wallet_import_refuses_hostile_text_clearly(as_user, dana, served, text):
    response = as_user(dana).post(reverse("wallet:wallet_import"), {"document": text})
    assert response.status_code == 200
    assert not ImportedCredential.objects.filter(learner=dana).exists()


REFUSED_CASES = [
    pytest.param(case, id=case.name)
    for case in cases()
    if case.expected != ACCEPTED and not case.needs_work_budget
]


@pytest.mark.parametrize("case", REFUSED_CASES)
def test_wallet_import_refuses_hidden_forged_and_expired_credentials(
    as_user, dana, served, case: Case
):
    response = as_user(dana).post(
        reverse("wallet:wallet_import"), {"document": json.dumps(case.document)}
    )
    assert response.status_code == 200
    assert "did not verify" in response.content.decode()
    assert not ImportedCredential.objects.filter(learner=dana).exists()


def test_wallet_import_accepts_the_valid_adversarial_set_member(as_user, dana, served):
    valid = next(case for case in cases() if case.expected == ACCEPTED)
    response = as_user(dana).post(
        reverse("wallet:wallet_import"), {"document": json.dumps(valid.document)}, follow=True
    )
    assert response.status_code == 200
    assert ImportedCredential.objects.filter(learner=dana).count() == 1


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(case, id=case.name)
        for case in cases()
        if "hidden by" in case.name and case.name.startswith("revoked")
    ],
)
def test_a_share_page_shows_a_credential_kept_before_this_check_as_refused(
    client, dana, served, case: Case
):
    """A credential with a hidden status that a wallet kept earlier (when the verifier could
    be fooled) is judged again on every view of a share link, and refused."""
    from wallet import sharing
    from wallet.imports import content_digest

    kept = ImportedCredential.objects.create(
        learner=dana,
        document=case.document,
        content_sha256=content_digest(case.document),
        credential_id=case.document["id"],
        title="Kept earlier",
        issuer_id=case.document["issuer"]["id"],
        verification={"verified": True},
    )
    link = sharing.create_share_link(learner=dana, name="For an employer", imported=[kept])
    response = client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    assert response.status_code == 200
    [verification] = response.context["verifications"]
    assert verification.verified is False
    assert verification.report.check("signed-statements").outcome == "failed"


def test_the_verify_api_answers_a_wrong_type_anywhere_with_a_report(api_client, served):
    from tests.credential_format.test_adversarial import _paths, _replaced

    # Hundreds of requests: each from its own address, as rate limits are tested elsewhere.
    addresses = (f"192.0.2.{n}" if n < 250 else f"198.51.100.{n - 250}" for n in range(500))

    valid = next(case for case in cases() if case.name == "valid, with status").document
    for path in _paths(valid):
        for wrong in ("@foo", {}, None):
            response = api_client.post(
                "/api/v1/credentials/verify",
                _api_body(_replaced(valid, path, wrong)),
                content_type="application/json",
                REMOTE_ADDR=next(addresses),
            )
            assert response.status_code in (200, 400), (path, wrong, response.content[:200])
            if response.status_code == 400:
                assert response["Content-Type"] == "application/problem+json"
