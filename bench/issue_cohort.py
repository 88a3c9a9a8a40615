"""Issue a whole cohort end to end with real Celery workers, and say where the time goes.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
    REDIS_URL=redis://127.0.0.1:6379/9 \
    python bench/issue_cohort.py [--learners 10000] [--write-docs]

It creates (and afterwards drops) its own database next to the one DATABASE_URL names, seeds
an institution, a published programme, an offering and N enrolled learners with passes, then
for 1 and for 2 worker processes: starts the workers, hands the passes to the issuing
pipeline (the same hook that recording results calls), and times until every credential is
issued (database rows, signing, self-check, status lists). A separate in-process run of the
same pipeline on part of the cohort measures the share of time spent signing.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DOCS = ROOT / "docs" / "benchmarks.md"
START, END = "<!-- issuance-bench:start -->", "<!-- issuance-bench:end -->"


def _database_urls() -> tuple[str, str]:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the benchmark uses its own database).")
    parts = urlsplit(base)
    name = f"ac_bench_issue_{uuid.uuid4().hex[:6]}"
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(sql)


def _setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", base64.urlsafe_b64encode(os.urandom(40)).decode())
    os.environ.setdefault("KEY_ENCRYPTION_KEY", base64.urlsafe_b64encode(os.urandom(32)).decode())
    os.environ.setdefault("PORTAL_BASE_URL", "https://credentials.example.eu")
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["LOG_LEVEL"] = "WARNING"
    import django

    django.setup()


def _seed(learners: int):  # type: ignore[no-untyped-def]
    from datetime import timedelta
    from decimal import Decimal

    from django.core.management import call_command
    from django.utils import timezone

    from alliances.models import Alliance, Institution, InstitutionRole, Membership, StaffRole
    from catalogue import services as catalogue
    from catalogue.esco import load_shipped_data
    from catalogue.models import AssessmentResult, Enrolment, Skill
    from portal.models import User

    call_command("migrate", verbosity=0)
    if not Skill.objects.exists():
        load_shipped_data()
    alliance = Alliance.objects.create(name="Bench Alliance", slug="bench", founded_year=2020)
    institution = Institution.objects.create(
        legal_name="Universitat de Prova",
        short_name="UdP",
        slug="udp",
        country="ES",
        city="Girona",
        main_language="es",
        qa_accrediting_body="AQU Catalunya",
    )
    Membership.objects.create(
        alliance=alliance, institution=institution, role="coordinator", joined_on=date(2020, 1, 1)
    )
    manager = User.objects.create_user(
        "manager@udp.example", "x" * 12, full_name="Programme Manager"
    )
    StaffRole.objects.create(
        user=manager, institution=institution, role=InstitutionRole.PROGRAMME_MANAGER
    )
    skills = list(Skill.objects.order_by("pk")[:6])
    outcomes = [
        catalogue.OutcomeInput(
            text={
                "en": f"Outcome {n}: apply data methods to a real challenge.",
                "es": f"Resultado {n}.",
            },
            skill_uris=[skill.uri for skill in skills[n * 2 : n * 2 + 2]],
        )
        for n in range(3)
    ]
    programme = catalogue.create_programme(
        actor=manager,
        coordinator=institution,
        alliance=alliance,
        slug="data-for-challenges",
        data={
            "title": {"en": "Data for societal challenges", "es": "Datos para retos sociales"},
            "summary": {
                "en": "Analyse open data for a city challenge.",
                "es": "Analizar datos abiertos.",
            },
            "ects": Decimal("5.0"),
            "workload_hours": 125,
            "eqf_level": 6,
            "qf_ehea_cycle": "first",
            "assessment_type": {
                "en": "Project with oral defence",
                "es": "Proyecto con defensa oral",
            },
            "participation_form": "blended",
            "quality_assurance": {
                "en": "Internal QA (ESG 2015)",
                "es": "Garantía interna de calidad",
            },
            "prerequisites": {"en": "Basic statistics", "es": "Estadística básica"},
            "supervision": "supervised_verified",
            "grading_scheme": "numeric_10",
            "stackability": "stackable",
            "further_information": {
                "en": "https://udp.example/data",
                "es": "https://udp.example/data",
            },
            "languages": ["en", "es"],
            "isced_f_code": "0688",
            "fee_amount": Decimal("0.00"),
        },
        partner_ids=[],
        outcomes=outcomes,
    )
    programme = catalogue.submit_programme(actor=manager, programme=programme)
    today = timezone.localdate()
    offering = catalogue.create_offering(
        actor=manager,
        programme=programme,
        code="bench-cohort",
        data={
            "starts_on": today - timedelta(days=60),
            "ends_on": today - timedelta(days=5),
            "enrolment_opens_on": today - timedelta(days=90),
            "enrolment_closes_on": today - timedelta(days=61),
            "capacity": learners,
            "language": "en",
        },
        delivery_institution_ids=[institution.pk],
    )
    people = User.objects.bulk_create(
        [
            User(email=f"learner{n}@cohort.example", full_name=f"Learner {n:05d} Ñúñez")
            for n in range(learners)
        ],
        batch_size=2000,
    )
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(offering=offering, learner=p, version=offering.version, status="enrolled")
            for p in people
        ],
        batch_size=2000,
    )
    results = AssessmentResult.objects.bulk_create(
        [
            AssessmentResult(
                enrolment=e,
                offering=offering,
                learner_id=e.learner_id,
                version=offering.version,
                outcome="passed",
                grade=f"{6 + n % 4}.5",
                assessed_on=today - timedelta(days=5),
                identity_verified=True,
                recorded_by=manager,
            )
            for n, e in enumerate(enrolments)
        ],
        batch_size=2000,
    )
    return institution, results


def _reset() -> None:
    from issuance.models import Credential, IssuanceJob, StatusList

    Credential.objects.all().delete()
    IssuanceJob.objects.all().delete()
    StatusList.objects.all().delete()


@contextmanager
def _workers(count: int, queue: str):  # type: ignore[no-untyped-def]
    env = dict(os.environ)
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "-Q",
                queue,
                "--pool",
                "solo",
                "-n",
                f"bench{n}-{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for n in range(count)
    ]
    try:
        time.sleep(4)  # let each worker connect and warm up its imports
        yield
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _end_to_end(results, worker_count: int) -> float:  # type: ignore[no-untyped-def]
    from django.db import transaction

    from issuance import services
    from issuance.models import Credential, CredentialState
    from portal.celery import app

    _reset()
    queue = f"bench-{uuid.uuid4().hex[:6]}"
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    with _workers(worker_count, queue):
        started = time.perf_counter()
        with transaction.atomic():
            services.plan_credentials_for_results(list(results))
        planned = time.perf_counter()
        while Credential.objects.filter(state=CredentialState.ISSUED).count() < len(results):
            if Credential.objects.filter(state=CredentialState.FAILED).exists():
                raise RuntimeError("a credential failed; see the failure reasons")
            time.sleep(0.2)
        finished = time.perf_counter()
        print(
            f"{worker_count} worker(s): intents stored in {planned - started:.1f} s, "
            f"issued in {finished - planned:.1f} s",
            file=sys.stderr,
        )
        return finished - started


def _signing_share(results) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """In-process run of the same pipeline, timing the signing calls inside it."""
    from django.db import transaction

    from issuance import services
    from issuance.models import Credential
    from portal.celery import app

    _reset()
    app.conf.task_always_eager = False
    import portal.tasking

    portal.tasking.send_task_now = lambda *args, **kwargs: True  # queue nothing; we drive it
    with transaction.atomic():
        services.plan_credentials_for_results(list(results))
    ids = list(Credential.objects.order_by("pk").values_list("pk", flat=True))
    signing = 0.0
    original = services.sign_credentials

    def timed_sign(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal signing
        begin = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            signing += time.perf_counter() - begin

    services.sign_credentials = timed_sign  # type: ignore[assignment]
    started = time.perf_counter()
    for start in range(0, len(ids), services.BATCH_SIZE):
        services.issue_pending_credentials(ids[start : start + services.BATCH_SIZE])
    total = time.perf_counter() - started
    services.sign_credentials = original  # type: ignore[assignment]
    return total, signing


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL {server}, Redis broker"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=10_000)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        sys.exit("Set REDIS_URL: the benchmark runs real Celery workers.")
    admin_url, bench_url = _database_urls()
    load_before = os.getloadavg()[0]
    name = urlsplit(bench_url).path.lstrip("/")
    _admin(admin_url, f'CREATE DATABASE "{name}"')
    try:
        _setup_django(bench_url)
        _institution, results = _seed(args.learners)
        timings = {count: _end_to_end(results, count) for count in (1, 2)}
        sample = results[: min(2000, len(results))]
        in_process, signing = _signing_share(sample)
        machine = _machine()
        from django.db import connection

        connection.close()
    finally:
        _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    n = args.learners
    table = [
        f"Measured {datetime.now(UTC):%Y-%m-%d} with `bench/issue_cohort.py --learners {n}`: {machine}.",
        "One cohort of one programme, every learner passed; the pipeline is the one recording results",
        "triggers (intents, status list allocation, Open Badges 3.0 build, eddsa-rdfc-2022 signing,",
        "self-verification of the stored JSON, one write per credential), with `celery worker --pool solo`",
        "processes on a Redis broker, timed from handing over the passes until every credential is issued.",
        f"Load average of the machine when the run started: {load_before:.1f} (other work on the same cores",
        "slows every figure here).",
        "",
        "| workers | learners | end to end | credentials/s |",
        "| --- | --- | --- | --- |",
    ]
    for count, seconds in timings.items():
        table.append(f"| {count} | {n:,} | {seconds:.1f} s | {n / seconds:,.0f} |")
    table += [
        "",
        f"Share of time spent signing (in-process run of {len(sample):,} credentials, {len(sample) / in_process:,.0f}/s on one core):",
        f"{signing / in_process:.0%} in `sign_credentials` (canonicalisation, hashing, Ed25519); the rest is",
        "building the documents, the self-check of each stored document, status list allocation and the",
        "database writes.",
    ]
    report = "\n".join(table)
    print(report)
    if args.write_docs:
        text = DOCS.read_text() if DOCS.exists() else "# Benchmarks\n"
        block = f"{START}\n{report}\n{END}"
        if START in text:
            text = re.sub(
                re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S
            )
        else:
            text = text.rstrip() + "\n\n## Issuance\n\n" + block + "\n"
        DOCS.write_text(text)


if __name__ == "__main__":
    main()
