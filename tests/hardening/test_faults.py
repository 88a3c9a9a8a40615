"""Faults, for real (PostgreSQL, Redis, Celery workers, gunicorn, all on loopback):

- Redis stops for twenty seconds while learners enrol and staff record results: pages keep
  answering, writes succeed or ask to retry, and every credential intent is issued once Redis
  is back (the sweeper re-queues what the broker could not take).
- PostgreSQL connections are terminated while credentials are being signed: no credential is
  left half-made, and each is issued exactly once.
- Twenty officers decide the same case at once: exactly one decision.

The Redis here is a private server the test starts on a free port; the shared one is never
touched. Connections are terminated only on this test's own database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from catalogue import services as catalogue_services
from catalogue.models import AssessmentResult, Enrolment
from credential_format.verification import verify_credential
from issuance import services as issuance_services
from issuance.models import Credential, CredentialState
from portal.errors import ConflictError
from portal.tokens import create_api_token
from recognition.models import Decision
from tests.catalogue.factories import past
from tests.factories import OFFICER, UserFactory, grant
from tests.issuance.factories import programme_with_offering
from tests.recognition.factories import policy, submit, target
from tests.recognition.test_concurrency import _race
from tests.services import ROOT, WorkerPool, free_port, live_portal_server, wait_for
from verification.resolver import PortalFetcher

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

OUTAGE_SECONDS = 20
LEARNERS = 24
COHORT = 150


@dataclass
class PrivateRedis:
    port: int
    directory: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(lambda: _answers_ping(self.port), timeout=15, interval=0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=15)
        self.process = None


def _answers_ping(port: int) -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    if not _services_configured():
        pytest.skip("needs PostgreSQL and Redis: run `make test-services`")
    redis = PrivateRedis(port=free_port(), directory=tmp_path)
    redis.start()
    yield redis
    redis.stop()


def _services_configured() -> bool:
    return connection.vendor == "postgresql" and bool(os.environ.get("REDIS_URL"))


@contextmanager
def portal_on(redis: PrivateRedis, log_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """gunicorn and a Celery worker using the private Redis as cache and broker, with the
    production throttles and sign-in rate limits switched on."""
    pool = WorkerPool(f"faults-{redis.port}", log_dir, log_dir)
    env = {
        "REDIS_URL": redis.url,
        "CELERY_BROKER_URL": redis.url,
        "DJANGO_SETTINGS_MODULE": "tests.hardening.fault_settings",
        "API_THROTTLE_ANON": "100000/minute",
        "API_THROTTLE_USER": "100000/minute",
    }
    try:
        with live_portal_server(pool, log_dir, worker_pool="solo", **env) as portal:
            yield portal.url, pool.environment(**env, PORTAL_BASE_URL=portal.url)
    finally:
        pool.stop()


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    return _send(urllib.request.Request(url, headers=headers or {}))  # noqa: S310


def _post_json(url: str, body: dict, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(  # noqa: S310
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method="POST",
    )
    return _send(request)


def _send(request: urllib.request.Request) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError:
        return 0, b""


@dataclass
class Traffic:
    """What the clients saw: (kind, status) of each request, and the answers to look at."""

    statuses: Counter = field(default_factory=Counter)
    unclear: list[str] = field(default_factory=list)

    def record(self, kind: str, status: int, body: bytes) -> None:
        self.statuses[(kind, status)] += 1
        if status == 0 or (
            status >= 500 and not (kind == "write" and _asks_to_retry(status, body))
        ):
            self.unclear.append(f"{kind}: {status} {body[:200]!r}")


def _asks_to_retry(status: int, body: bytes) -> bool:
    if status != 503:
        return False
    try:
        return json.loads(body).get("code") == "retry_later"
    except ValueError:
        return False


def test_redis_stopping_for_twenty_seconds_loses_nothing(
    private_redis, alice, institution_a, tmp_path, record_property
):
    programme, offering = programme_with_offering(alice, institution_a, capacity=LEARNERS)
    learners = [UserFactory() for _ in range(LEARNERS)]
    tokens = {learner.pk: create_api_token(user=learner)[1] for learner in learners}
    staff_token = create_api_token(user=alice)[1]
    traffic = Traffic()

    with portal_on(private_redis, tmp_path) as (url, env):
        pages = [f"{url}/catalogue/", f"{url}/catalogue/{programme.slug}/", f"{url}/verify/"]

        def browse(stop: threading.Event) -> None:
            while not stop.is_set():
                for page in pages:
                    status, body = _get(page)
                    traffic.record("page", status, body)

        def enrol_and_pass(learner) -> None:
            status, body = _post_json(
                f"{url}/api/v1/enrolments/", {"offering": offering.pk}, tokens[learner.pk]
            )
            traffic.record("write", status, body)
            enrolment = Enrolment.objects.filter(learner=learner, offering=offering).first()
            if enrolment is None:
                return
            status, body = _post_json(
                f"{url}/api/v1/manage/offerings/{offering.pk}/results/",
                {
                    "enrolment": enrolment.pk,
                    "outcome": "passed",
                    "grade": "8",
                    "assessed_on": past().isoformat(),
                    "identity_verified": True,
                },
                staff_token,
            )
            traffic.record("write", status, body)

        stop = threading.Event()
        browser = threading.Thread(target=browse, args=(stop,))
        browser.start()
        try:
            for learner in learners[:4]:  # with Redis up
                enrol_and_pass(learner)
            private_redis.stop()
            outage_ends = time.monotonic() + OUTAGE_SECONDS
            for learner in learners[4:]:
                enrol_and_pass(learner)
                time.sleep(max(0.0, (outage_ends - time.monotonic()) / LEARNERS))
            time.sleep(max(0.0, outage_ends - time.monotonic()))
            private_redis.start()
            time.sleep(2)
        finally:
            stop.set()
            browser.join(timeout=60)

        def every_pass_issued() -> bool:
            _sweep(env)  # the periodic sweeper's job, at test speed
            passed = AssessmentResult.objects.filter(outcome="passed").count()
            issued = Credential.objects.filter(state=CredentialState.ISSUED).count()
            return passed > 0 and issued == passed

        wait_for(every_pass_issued, timeout=120, interval=3)

    assert not traffic.unclear, traffic.unclear
    results = AssessmentResult.objects.filter(outcome="passed")
    credentials = list(Credential.objects.all())
    assert len({c.natural_key for c in credentials}) == len(credentials) == results.count()
    assert len(credentials) >= LEARNERS // 2
    record_property("redis_outage_requests", sum(traffic.statuses.values()))
    record_property("redis_outage_statuses", dict(traffic.statuses))
    record_property("redis_outage_credentials", len(credentials))


def _sweep(env: dict[str, str]) -> None:
    """Run the sweeper once in a process that uses the private Redis as its broker."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from datetime import timedelta; "
            "from issuance.services import sweep_stale_intents; "
            "sweep_stale_intents(older_than=timedelta(seconds=0))",
        ],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=60,
        capture_output=True,
    )


def _terminate_other_connections() -> int:
    """End every other session on this test's own database (the workers' and the server's)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return int(cursor.fetchone()[0])


def _unfinished() -> bool:
    return Credential.objects.exclude(state=CredentialState.ISSUED).exists()


def test_terminated_database_connections_leave_no_partial_credential(
    workers, alice, institution_a, record_property
):
    _programme, offering = programme_with_offering(alice, institution_a, capacity=COHORT)
    learners = [UserFactory() for _ in range(COHORT)]
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                offering=offering, learner=learner, version=offering.version, status="enrolled"
            )
            for learner in learners
        ]
    )
    workers.start(count=1, pool="solo")

    for enrolment in enrolments:
        catalogue_services.record_result(
            actor=alice,
            enrolment=enrolment,
            outcome="passed",
            grade="8",
            assessed_on=past(),
            identity_verified=True,
        )
    # Terminate the worker's sessions again and again while it signs (bounded in time).
    rounds = terminated = 0
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _unfinished() and rounds < 60:
        ended = _terminate_other_connections()
        terminated += ended
        rounds += 1 if ended else 0
        time.sleep(0.15)

    def all_issued() -> bool:
        issuance_services.sweep_stale_intents(older_than=timedelta(seconds=0))
        return not _unfinished()

    wait_for(all_issued, timeout=120, interval=2)
    credentials = list(Credential.objects.all())
    assert len(credentials) == COHORT
    assert all(c.document and c.issued_at for c in credentials)
    assert len({(c.status_list_id, c.status_index) for c in credentials}) == COHORT
    assert rounds > 0
    fetcher = PortalFetcher()
    assert all(verify_credential(c.document, fetcher=fetcher).verified for c in credentials)
    record_property("postgresql_fault_rounds", rounds)
    record_property("postgresql_sessions_terminated", terminated)


def test_twenty_officers_deciding_at_once_in_three_rounds(
    alice, bob, dana, institution_a, record_property
):
    if not _services_configured():
        pytest.skip("needs PostgreSQL row locks: run `make test-services`")
    policy(alice, institution_a)
    course = target(bob, institution_a)
    officers = [grant(UserFactory(), institution_a, OFFICER) for _ in range(20)]
    for _round in range(3):
        request = submit(dana, institution_a, course, documents=None)
        decisions, errors = _race(request.pk, officers)
        assert len(decisions) == 1
        assert len(errors) == 19
        assert all(isinstance(e, ConflictError) for e in errors)
        assert Decision.objects.filter(request=request).count() == 1
    record_property("officer_race_rounds", 3)
