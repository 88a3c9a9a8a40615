"""The fixed cast every test module uses.

- Institution A and B are in the same alliance; C is in another alliance.
- alice: institution admin and programme manager at A
- bob: recognition officer at A
- charlie: institution admin and programme manager at B (same alliance as A)
- carol: recognition officer at B
- dana: a learner
- eve: a learner with no relation to anything
- olga: alliance admin of A and B's alliance
- oscar: operator (superuser)
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from credential_format.verification import FetchError
from tests.factories import (
    ADMIN,
    MANAGER,
    OFFICER,
    AllianceFactory,
    InstitutionFactory,
    UserFactory,
    add_member,
    grant,
    make_alliance_admin,
)
from tests.issuance.factories import issue_credential
from verification.resolver import PortalFetcher


def pytest_configure(config):
    """Compile the message catalogues that are missing or older than their .po (as `make
    messages` does), once, before any test process starts, so a bare `pytest` works too."""
    if hasattr(config, "workerinput"):
        return
    from pathlib import Path

    import polib

    for po_path in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


@pytest.fixture(autouse=True)
def _interface_in_english():
    """Each test starts in the default language. A request through the test client leaves the
    language it negotiated active in the thread (harmless in a server, where every request
    negotiates again), so without this a test calling services after another test's Spanish
    request would read Spanish messages."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings):
    """Each test reads and writes its own cache keys: nothing cached by one test (or by the
    other test process sharing Redis) is seen by another, and no test needs to flush a shared
    Redis database."""
    caches = copy.deepcopy(settings.CACHES)
    caches["default"]["KEY_PREFIX"] = (
        f"{caches['default'].get('KEY_PREFIX', '')}-{uuid.uuid4().hex[:10]}"
    )
    settings.CACHES = caches


@pytest.fixture
def alliance(db):
    return AllianceFactory(name="Test Alliance", slug="test-alliance")


@pytest.fixture
def other_alliance(db):
    return AllianceFactory(name="Other Alliance", slug="other-alliance")


@pytest.fixture
def institution_a(alliance):
    institution = InstitutionFactory(
        legal_name="Universitat A", short_name="UA", slug="uni-a", country="ES"
    )
    add_member(alliance, institution, "coordinator")
    return institution


@pytest.fixture
def institution_b(alliance):
    institution = InstitutionFactory(
        legal_name="Universität B", short_name="UB", slug="uni-b", country="DE", main_language="de"
    )
    add_member(alliance, institution)
    return institution


@pytest.fixture
def institution_c(other_alliance):
    institution = InstitutionFactory(
        legal_name="Université C", short_name="UC", slug="uni-c", country="FR", main_language="fr"
    )
    add_member(other_alliance, institution, "coordinator")
    return institution


@pytest.fixture
def alice(institution_a):
    return grant(
        UserFactory(email="alice@a.example", full_name="Alice Admin"), institution_a, ADMIN, MANAGER
    )


@pytest.fixture
def bob(institution_a):
    return grant(
        UserFactory(email="bob@a.example", full_name="Bob Officer"), institution_a, OFFICER
    )


@pytest.fixture
def charlie(institution_b):
    return grant(
        UserFactory(email="charlie@b.example", full_name="Charlie Manager"),
        institution_b,
        ADMIN,
        MANAGER,
    )


@pytest.fixture
def carol(institution_b):
    return grant(
        UserFactory(email="carol@b.example", full_name="Carol Officer"), institution_b, OFFICER
    )


@pytest.fixture
def dana(db):
    return UserFactory(email="dana@learner.example", full_name="Dana Learner")


@pytest.fixture
def eve(db):
    return UserFactory(email="eve@learner.example", full_name="Eve Outsider")


@pytest.fixture
def olga(alliance, institution_a, institution_b):
    return make_alliance_admin(
        UserFactory(email="olga@alliance.example", full_name="Olga Alliance"), alliance
    )


@pytest.fixture
def oscar(db):
    return UserFactory(
        email="oscar@operator.example", full_name="Oscar Operator", is_superuser=True, is_staff=True
    )


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def api_client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def as_user():
    """`as_user(alice)` returns a logged-in test client (None: anonymous)."""
    return client_for


@pytest.fixture
def api_as():
    return api_client_for


@pytest.fixture
def workers(transactional_db, tmp_path, worker_id):
    """Real Celery workers (started with `workers.start()`) on a queue private to this test
    process, against the test database. Skips unless PostgreSQL and Redis are configured."""
    from tests.services import real_workers, services_available

    if not services_available():
        pytest.skip(
            "needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): run `make test-services`"
        )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    # A fresh queue name per test, so messages left by an earlier run are never consumed.
    with real_workers(f"test-{worker_id}-{uuid.uuid4().hex[:8]}", mail_dir, tmp_path) as pool:
        yield pool


@pytest.fixture
def live_portal(workers, tmp_path):
    """The portal served by gunicorn on a loopback port with real workers (PostgreSQL and
    Redis only; skips otherwise). Its PORTAL_BASE_URL is the server's own address."""
    from tests.services import live_portal_server

    with live_portal_server(workers, tmp_path) as portal:
        yield portal


# -- credentials and other issuers' documents (issuance, verification and wallet tests) --------


class MapFetcher:
    """Foreign documents for a test, by URL; anything else is unreachable."""

    def __init__(self, documents: dict[str, Any] | None = None):
        self.documents = dict(documents or {})
        self.requested: list[str] = []

    def fetch_json(self, url: str) -> dict[str, Any]:
        self.requested.append(url)
        if url not in self.documents:
            raise FetchError(f"{url} is not reachable in this test.")
        return copy.deepcopy(self.documents[url])


@pytest.fixture
def foreign_documents(monkeypatch):
    """Documents of other issuers that the portal's verification fetcher can reach."""
    documents = MapFetcher()
    monkeypatch.setattr(
        "verification.fetching.verification_fetcher", lambda: PortalFetcher(fallback=documents)
    )
    monkeypatch.setattr(
        "verification.verify.verification_fetcher", lambda: PortalFetcher(fallback=documents)
    )
    return documents


@pytest.fixture
def dana_credential(alice, institution_a, dana):
    return issue_credential(manager=alice, institution=institution_a, learner=dana)


@pytest.fixture
def api_client(api_as):
    """An anonymous API client."""
    return api_as(None)


@pytest.fixture
def portal_fetcher():
    return PortalFetcher()
