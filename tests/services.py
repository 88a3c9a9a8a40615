"""Running real Celery worker processes against the test database and broker.

Used by tests marked `services`; they are skipped unless DATABASE_URL points at PostgreSQL and
REDIS_URL at Redis (`make test-services` and CI set both).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes
from pathlib import Path
from urllib.parse import quote

from django.db import connection

from portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[1]


def services_available() -> bool:
    return connection.vendor == "postgresql" and bool(os.environ.get("REDIS_URL"))


def test_database_url() -> str:
    settings = connection.settings_dict
    user = quote(settings.get("USER") or "")
    password = quote(settings.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{credentials}{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"


class WorkerPool:
    """One or more `celery worker` processes consuming a queue private to this test process."""

    def __init__(self, queue: str, mail_dir: Path, log_dir: Path):
        self.queue = queue
        self.mail_dir = mail_dir
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def environment(self, **extra: str) -> dict[str, str]:
        """Environment for a process that shares this pool's database, queue and mailbox."""
        inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        return {
            **inherited,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": test_database_url(),
            "TEST_EMAIL_FILE_PATH": str(self.mail_dir),
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "TEST_CACHE_KEY_PREFIX": self.queue,
            "TEST_MEDIA_ROOT": str(self.log_dir / "media"),
            **extra,
        }

    def start(
        self, count: int = 1, concurrency: int = 1, pool: str = "prefork", **extra_env: str
    ) -> None:
        env = self.environment(**extra_env)
        for number in range(count):
            log = open(self.log_dir / f"worker-{self.queue}-{len(self.processes)}.log", "ab")  # noqa: SIM115
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "portal",
                        "worker",
                        "-Q",
                        self.queue,
                        "-c",
                        str(concurrency),
                        "-n",
                        f"{self.queue}-{number}-{time.time_ns()}@%h",
                        "--pool",
                        pool,
                        "--without-gossip",
                        "--without-mingle",
                        "--loglevel=INFO",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    # Its own process group, so a kill takes the pool's children with it.
                    start_new_session=True,
                )
            )

    def kill(self, index: int = 0, sig: int = signal.SIGKILL) -> None:
        process = self.processes[index]
        os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


@contextmanager
def real_workers(queue: str, mail_dir: Path, log_dir: Path) -> Iterator[WorkerPool]:
    """Send tasks to the broker (not in-process) and run workers for the duration."""
    previous = (celery_app.conf.task_always_eager, celery_app.conf.task_default_queue)
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = queue
    pool = WorkerPool(queue, mail_dir, log_dir)
    try:
        yield pool
    finally:
        pool.stop()
        celery_app.conf.task_always_eager, celery_app.conf.task_default_queue = previous


def wait_for(predicate, timeout: float = 60.0, interval: float = 0.2):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def live_portal_port() -> int:
    """The live portal's port: LIVE_PORTAL_PORT when set (a machine shared by people who were
    each given ports), else a free one."""
    if os.environ.get("LIVE_PORTAL_PORT"):
        return int(os.environ["LIVE_PORTAL_PORT"])
    return free_port()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LivePortal:
    """The portal served by gunicorn on a loopback port, with real workers behind it."""

    url: str
    mail_dir: Path

    def mails_to(self, address: str) -> list[str]:
        """Bodies of the e-mails sent to `address`, oldest first."""
        bodies = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            for chunk in path.read_bytes().split(b"-" * 79):
                if not chunk.strip():
                    continue
                message = message_from_bytes(chunk.strip())
                if address not in str(message.get("To", "")):
                    continue
                payload = message.get_payload(decode=True)
                assert isinstance(payload, bytes)
                bodies.append(payload.decode(message.get_content_charset() or "utf-8"))
        return bodies


@contextmanager
def live_portal_server(
    pool: WorkerPool, log_dir: Path, *, worker_pool: str = "prefork", **extra_env: str
) -> Iterator[LivePortal]:
    """Start workers and gunicorn for the test database; PORTAL_BASE_URL is the server's.
    `extra_env` goes to both (another cache or broker, other settings)."""
    port = live_portal_port()
    url = f"http://127.0.0.1:{port}"
    env = {**extra_env, "PORTAL_BASE_URL": url}
    pool.start(pool=worker_pool, **env)
    log = (log_dir / "server.log").open("ab")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
        ],
        cwd=ROOT,
        env=pool.environment(**env),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(
                        f"the portal did not start; see {log_dir / 'server.log'}"
                    ) from None
                time.sleep(0.3)
        yield LivePortal(url=url, mail_dir=pool.mail_dir)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
