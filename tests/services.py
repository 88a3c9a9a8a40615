"""Running real Celery worker processes against the test database and broker.

Used by tests marked `services`; they are skipped unless DATABASE_URL points at PostgreSQL and
REDIS_URL at Redis (`make test-services` and CI set both).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
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

    def start(self, count: int = 1, concurrency: int = 1) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DATABASE_URL": test_database_url(),
            "TEST_EMAIL_FILE_PATH": str(self.mail_dir),
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
        }
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
                        "--without-gossip",
                        "--without-mingle",
                        "--loglevel=INFO",
                    ],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )

    def kill(self, index: int = 0, sig: int = signal.SIGKILL) -> None:
        process = self.processes[index]
        process.send_signal(sig)
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
