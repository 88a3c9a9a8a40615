"""The automated pre-assessment of recognition requests: throughput and latency per request.

Usage (from the repository root):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_credentials \\
        .venv/bin/python bench/recognition_preassessment.py [--requests 1000] [--no-report]

With a PostgreSQL DATABASE_URL it creates its own database (the name plus
`_recognition_bench`, dropped and recreated); without one it uses a temporary SQLite file.
It seeds two institutions with published procedures and five target courses, and 1,000
requests whose Open Badges 3.0 credentials (five course shapes, every learner's credential
different) are signed by an external provider's did:key. Then it runs the pre-assessment of
each request as the Celery task does (`services.run_preassessment`: verification, the
comparison, precedents and agreements, storing the report); every third request is decided
right after its checks (not timed), so later requests find precedents. It prints requests per
second, median and p95 per request, and writes them with the machine and date into the
"Recognition" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

START = "<!-- recognition-bench:start -->"
END = "<!-- recognition-bench:end -->"
SKILL = "http://data.europa.eu/esco/skill/{:08d}-0000-4000-8000-000000000000"


def bench_database_url(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(path=f"/{name}_recognition_bench"))


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def configure(url: str) -> None:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "0",
            "SECRET_KEY": "benchmark-only-secret-key-not-used-anywhere-else-0123456789",
            "KEY_ENCRYPTION_KEY": "YmVuY2htYXJrLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc=",
            "PORTAL_BASE_URL": "http://testserver",
            "LOG_LEVEL": "WARNING",
        }
    )
    # Tasks queued on commit must not run in-process during seeding: the benchmark runs the
    # pre-assessment itself and times it.
    os.environ["CELERY_BROKER_URL"] = "memory://"
    os.environ.pop("REDIS_URL", None)
    import django

    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(count: int) -> list[int]:
    from alliances.models import Alliance, Institution, Membership, StaffRole
    from credential_format.keys import private_key_from_seed
    from portal.models import User
    from recognition import services
    from recognition.models import RecognitionTarget, RequestKind
    from recognition.samples import ExternalCourse, sign_external_credential

    alliance = Alliance.objects.create(name="Bench Alliance", slug="bench")
    institutions = []
    for slug in ("receiving-a", "receiving-b"):
        institution = Institution.objects.create(
            legal_name=f"University {slug}", short_name=slug, slug=slug, country="ES", city="X"
        )
        Membership.objects.create(
            alliance=alliance, institution=institution, role="partner", joined_on=date(2020, 1, 1)
        )
        institutions.append(institution)
    operator = User.objects.create_superuser(email="bench@example.org", password=None)
    officer = User.objects.create_user(email="officer@example.org", password=None)
    targets = []
    for institution in institutions:
        StaffRole.objects.create(user=officer, institution=institution, role="recognition_officer")
        services.save_policy(
            actor=operator,
            institution=institution,
            time_limit_days=30,
            appeal_period_days=14,
            appeals_decided_by="other_officer",
        )
        for number in range(5):
            targets.append(
                services.create_target(
                    actor=operator,
                    institution=institution,
                    data={
                        "code": f"C{number}",
                        "title": f"Course {number}",
                        "ects": Decimal(5 + number % 3),
                        "eqf_level": 6 + number % 2,
                        "learning_outcomes": ["Outcome one", "Outcome two"],
                        "skill_uris": [SKILL.format(number * 10 + k) for k in range(4)],
                    },
                )
            )
    key = private_key_from_seed(bytes([42]) * 32)
    courses = [
        ExternalCourse(
            title=f"External course {shape}",
            ects=Decimal(4 + shape),
            eqf_level=5 + shape % 3,
            outcomes=[
                (f"Outcome {k}", [(SKILL.format(shape * 10 + k), f"skill {k}")]) for k in range(3)
            ],
            grade="8",
        )
        for shape in range(5)
    ]
    learners = [
        User.objects.create_user(email=f"learner{n}@example.org", password=None)
        for n in range(count)
    ]
    ids = []
    for n in range(count):
        shape = n % 5
        target: RecognitionTarget = targets[(n * 7) % len(targets)]
        document = sign_external_credential(
            key, courses[shape], learner_name=f"Learner {n}", learner_email=learners[n].email
        )
        request = services.submit_request(
            learner=learners[n],
            institution=target.institution,
            kind=RequestKind.COURSE,
            target=target,
            motivation="",
            credentials=[services.CredentialInput(document=document)],
        )
        ids.append(request.pk)
    return ids


def measure(ids: list[int]) -> tuple[float, float, float]:
    from portal.models import User
    from recognition import services
    from recognition.models import RecognitionRequest

    officer = User.objects.get(email="officer@example.org")
    durations = []
    for index, request_id in enumerate(ids):
        begin = time.perf_counter()
        services.run_preassessment(request_id=request_id)
        durations.append(time.perf_counter() - begin)
        if index % 3 == 0:
            request = RecognitionRequest.objects.get(pk=request_id)
            services.decide_request(officer=officer, case=request, outcome="full")
    timed = sum(durations)
    ordered = sorted(durations)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return len(ids) / timed, statistics.median(durations) * 1000, p95 * 1000


def machine() -> str:
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]} on the same machine"
    else:
        database = "SQLite"
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, {database}"


def write_report(count: int, rate: float, median: float, p95: float) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    lines = [
        START,
        f"Measured {date.today().isoformat()} with `bench/recognition_preassessment.py`, one process, production settings: {machine()}.",
        f"Data: {count:,} requests at two institutions with five target courses each; each request carries one Open Badges 3.0 credential (five course shapes, every credential different) signed by an external provider's did:key; a third of the requests are decided as the run goes, so later ones find precedents.",
        "",
        "| requests | requests / s | median per request | p95 per request |",
        "| ---: | ---: | ---: | ---: |",
        f"| {count:,} | {rate:.0f} | {median:.1f} ms | {p95:.1f} ms |",
        END,
    ]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text:
        head, rest = text.split(START, 1)
        text = head + "\n".join(lines) + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Recognition\n\n" + "\n".join(lines) + "\n"
    path.write_text(text)
    print(f"Wrote {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
    arguments = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        url = bench_database_url(url)
        recreate_database(url)
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/recognition-bench.sqlite3"
    configure(url)
    print(f"Seeding {arguments.requests} requests ...")
    ids = seed(arguments.requests)
    print("Running the pre-assessment ...")
    rate, median, p95 = measure(ids)
    print(
        f"{arguments.requests} requests: {rate:.0f} requests/s, median {median:.1f} ms, p95 {p95:.1f} ms"
    )
    if not arguments.no_report:
        write_report(arguments.requests, rate, median, p95)


if __name__ == "__main__":
    main()
