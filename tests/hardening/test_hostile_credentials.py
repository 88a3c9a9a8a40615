"""Every bad credential of the corpus, sent to every place that accepts one: the public
verification API, the verify page, the wallet import and a recognition request. Each answer is
a clear 4xx or a verification report that says why it failed, never a 500, and nothing that
was stored changes."""

from __future__ import annotations

import copy

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credential_format.verification import FetchError
from recognition.models import RecognitionRequest, SubmittedCredential, VerificationVerdict
from tests.credential_format.foreign import STATUS_LIST_URL
from tests.hardening.bad_credentials import CLEAN_LIST, CORPUS, SIGNED, STATUS_LISTS
from verification.resolver import PortalFetcher
from wallet.models import ImportedCredential

pytestmark = pytest.mark.django_db


class StatusListFetcher:
    """The foreign issuer's status list as this case serves it; nothing else is reachable."""

    def __init__(self):
        self.status_list = CLEAN_LIST

    def fetch_json(self, url: str):
        if url != STATUS_LIST_URL:
            raise FetchError(f"{url} is not reachable in this test.")
        return copy.deepcopy(self.status_list)


@pytest.fixture
def status_lists(monkeypatch):
    fetcher = StatusListFetcher()
    for where in ("verification.fetching", "verification.verify", "recognition.checks"):
        monkeypatch.setattr(
            f"{where}.verification_fetcher", lambda: PortalFetcher(fallback=fetcher), raising=False
        )
    return fetcher


def stored_state():
    return (
        ImportedCredential.objects.count(),
        RecognitionRequest.objects.count(),
        SubmittedCredential.objects.count(),
    )


def wrap(key: str, raw: bytes) -> bytes:
    return b'{"' + key.encode() + b'": ' + (raw or b'""') + b"}"


def test_the_good_credential_passes_everywhere(world, status_lists, api_as, record_property):
    """The corpus is only meaningful if the unspoilt credential is accepted."""
    report = api_as(None).post(
        "/api/v1/credentials/verify",
        wrap("verifiableCredential", SIGNED),
        content_type="application/json",
    )
    assert report.status_code == 200
    assert report.json()["verified"], report.json()["errors"]
    record_property("bad_credentials", len(CORPUS))


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_a_bad_credential_is_refused_everywhere(
    case, world, status_lists, api_as, as_user, django_capture_on_commit_callbacks
):
    status_lists.status_list = STATUS_LISTS.get(case, CLEAN_LIST)
    raw = CORPUS[case]
    dana = world.users["learner"]
    before = stored_state()
    problems = []

    api = api_as(None).post(
        "/api/v1/credentials/verify",
        wrap("verifiableCredential", raw),
        content_type="application/json",
    )
    if api.status_code >= 500 or (api.status_code == 200 and api.json()["verified"]):
        problems.append(f"verify API: {api.status_code} {api.content[:200]!r}")
    elif api.status_code == 200 and not api.json()["errors"]:
        problems.append("verify API: failed without saying why")

    page = as_user(None).post("/verify/", {"file": SimpleUploadedFile("c.json", raw)})
    verification = page.context.get("verification") if page.context else None
    if page.status_code >= 500 or (verification is not None and verification.verified):
        problems.append(f"verify page: {page.status_code}, verified={verification}")
    elif verification is None and not (page.status_code >= 400 or page.context["form"].errors):
        problems.append("verify page: neither a report nor an error")

    imported = as_user(dana).post("/wallet/import/", {"file": SimpleUploadedFile("c.json", raw)})
    if imported.status_code >= 500:
        problems.append(f"wallet import: {imported.status_code}")
    if stored_state() != before:
        problems.append("wallet import stored it")

    # A recognition request either refuses the credential or keeps it with a failed verdict
    # for the officer to see; it is never taken as verified.
    body = b'{"institution": "uni-a", "target": %d, "motivation": "m", "credentials": [%s]}' % (
        world.target.pk,
        raw or b'""',
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = api_as(dana).post(
            "/api/v1/recognition/requests/", body, content_type="application/json"
        )
    if request.status_code >= 500:
        problems.append(f"recognition request: {request.status_code} {request.content[:200]!r}")
    elif request.status_code == 201:
        verdicts = set(
            SubmittedCredential.objects.filter(request_id=request.json()["id"]).values_list(
                "verdict", flat=True
            )
        )
        if VerificationVerdict.VERIFIED in verdicts or not verdicts:
            problems.append(f"recognition request: kept with verdicts {verdicts}")
    elif stored_state() != before:
        problems.append("recognition request refused but stored something")
    assert not problems, problems
