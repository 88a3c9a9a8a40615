"""Catalogue search and programme page latency on PostgreSQL at catalogue scale.

Usage (from the repository root, PostgreSQL reachable):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_credentials \\
        .venv/bin/python bench/catalogue_search.py [--requests 200] [--reuse]

It creates its own database (the name in DATABASE_URL plus `_catalogue_bench`, dropped and
recreated unless --reuse), migrates it, seeds 10,000 published programmes (with versions,
ESCO skills, awarding bodies and offerings) and 100,000 enrolments, then measures the
catalogue page (with and without text query and filters) and the programme page through
the Django test client, in production settings. It prints the numbers and writes them,
with the machine and date, into the "Catalogue" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
import warnings
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PROGRAMMES = 10_000
ENROLMENTS = 100_000
LEARNERS = 10_000
START = "<!-- catalogue-bench:start -->"
END = "<!-- catalogue-bench:end -->"

TOPICS = [
    "data", "energy", "storage", "robotics", "sustainability", "entrepreneurship", "ethics",
    "cybersecurity", "manufacturing", "automation", "hydrogen", "design", "marketing", "health",
    "language", "communication", "leadership", "finance", "logistics", "water", "climate",
    "mobility", "materials", "software", "cloud", "networks", "biology", "chemistry", "law",
    "tourism", "agriculture", "education", "media", "games", "security", "privacy", "policy",
]  # fmt: skip
QUALIFIERS = ["Applied", "Introduction to", "Advanced", "Practical", "Responsible", "Digital",
              "Sustainable", "Industrial", "Urban", "Circular"]  # fmt: skip


def bench_database_url(url: str, scale: int = 1) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    suffix = "_catalogue_bench" if scale == 1 else f"_catalogue_bench_x{scale}"
    return urlunsplit(parts._replace(path=f"/{name}{suffix}"))


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
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
            # One client sends thousands of requests; the rate limits are not what is measured.
            "API_THROTTLE_ANON": "1000000/minute",
            # What is measured is the database and rendering work of every request, not the
            # page cache that spares it to repeated visits (bench/load.py measures that).
            "PAGE_CACHE_SECONDS": "0",
        }
    )
    os.environ.pop("REDIS_URL", None)
    os.environ.pop("CELERY_BROKER_URL", None)
    import django

    # Static files are served from the source folders here; no collectstatic has run.
    warnings.filterwarnings("ignore", message="No directory at")
    django.setup()


def seed(rng: random.Random) -> None:
    from io import StringIO

    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection, transaction

    from alliances.demo import seed as seed_alliances
    from alliances.models import Alliance, Institution
    from catalogue.models import (
        Enrolment,
        Offering,
        Programme,
        ProgrammeStatus,
        ProgrammeVersion,
        Skill,
    )
    from catalogue.services import fill_search_documents
    from portal.models import User

    call_command("migrate", verbosity=0)
    with transaction.atomic():
        seed_alliances(stdout=StringIO())
    alliances = {alliance.pk: alliance for alliance in Alliance.objects.all()}
    members = {
        alliance_id: list(Institution.objects.filter(memberships__alliance_id=alliance_id))
        for alliance_id in alliances
    }
    skills = list(Skill.objects.values_list("pk", "uri", "preferred_label"))
    skill_ids = {uri: pk for pk, uri, _ in skills}
    today = date.today()
    forms = ["online", "blended", "onsite"]
    language_sets = [["en"], ["en", "es"], ["en", "de"], ["en", "nl"], ["es"], ["en", "fr"]]

    started = time.monotonic()
    with transaction.atomic():
        programmes = []
        for number in range(PROGRAMMES):
            alliance_id = rng.choice(list(alliances))
            coordinator = rng.choice(members[alliance_id])
            programmes.append(
                Programme(
                    alliance_id=alliance_id,
                    coordinator=coordinator,
                    slug=f"programme-{number}",
                    status=ProgrammeStatus.PUBLISHED,
                    title={"en": f"{rng.choice(QUALIFIERS)} {rng.choice(TOPICS)} {number}"},
                )
            )
        Programme.objects.bulk_create(programmes, batch_size=2000)
        versions = []
        version_skills = []
        version_bodies = []
        for programme in programmes:
            alliance_members = members[programme.alliance_id]
            partners = rng.sample(alliance_members, k=min(2, len(alliance_members)))
            words = rng.sample(TOPICS, 4)
            chosen = rng.sample(skills, 3)
            languages = rng.choice(language_sets)
            ects = Decimal(rng.choice(["1", "2", "3", "4", "5", "6", "10"]))
            title = programme.title["en"]
            summary = f"A micro-credential on {words[0]}, {words[1]} and {words[2]} for {words[3]}."
            snapshot = {
                "schema": 1,
                "programme": {"id": programme.pk, "slug": programme.slug},
                "version": 1,
                "title": {"en": title},
                "summary": {"en": summary},
                "alliance": {
                    "slug": alliances[programme.alliance_id].slug,
                    "name": alliances[programme.alliance_id].name,
                },
                "awarding_bodies": [
                    {
                        "id": body.pk,
                        "slug": body.slug,
                        "legal_name": body.legal_name,
                        "short_name": body.short_name,
                        "country": str(body.country),
                        "website": body.website,
                        "schac_home_organization": "",
                        "erasmus_code": "",
                        "role": "coordinator" if body.pk == programme.coordinator_id else "partner",
                        "quality_assurance": {
                            "accrediting_body": "",
                            "procedures": "",
                            "reports_url": "",
                        },
                    }
                    for body in {programme.coordinator, *partners}
                ],
                "learning_outcomes": [
                    {
                        "position": 1,
                        "text": {"en": f"Apply {words[0]} to {words[1]}"},
                        "skills": [{"uri": uri, "label": label} for _, uri, label in chosen],
                    }
                ],
                "skills": [{"uri": uri, "label": label} for _, uri, label in chosen],
                "workload": {"ects": str(ects), "hours": int(ects * 28)},
                "eqf_level": rng.choice([5, 6, 6, 7, 7, 8]),
                "qf_ehea_cycle": "",
                "assessment_type": {"en": "Project"},
                "participation_form": rng.choice(forms),
                "quality_assurance": {"en": "ESG 2015"},
                "prerequisites": {},
                "supervision": "",
                "grading_scheme": "numeric_10",
                "stackability": "standalone",
                "further_information": {},
                "languages": languages,
                "isced_f": "0613",
                "fee": {"amount": "0.00", "currency": "EUR"},
            }
            versions.append(
                ProgrammeVersion(
                    programme=programme,
                    number=1,
                    snapshot=snapshot,
                    title_en=title,
                    ects=ects,
                    eqf_level=snapshot["eqf_level"],
                    participation_form=snapshot["participation_form"],
                    languages="," + ",".join(languages) + ",",
                    alliance_id=programme.alliance_id,
                    listed=True,
                    search_text=" ".join([title, summary, *(label for _, _, label in chosen)]),
                )
            )
        ProgrammeVersion.objects.bulk_create(versions, batch_size=2000)
        fill_search_documents(ProgrammeVersion.objects.all())
        for programme, version in zip(programmes, versions, strict=True):
            programme.published_version = version
            version_skills += [
                ProgrammeVersion.skills.through(
                    programmeversion_id=version.pk, skill_id=skill_ids[skill["uri"]]
                )
                for skill in version.snapshot["skills"]
            ]
            version_bodies += [
                ProgrammeVersion.awarding_bodies.through(
                    programmeversion_id=version.pk, institution_id=body["id"]
                )
                for body in version.snapshot["awarding_bodies"]
            ]
        Programme.objects.bulk_update(programmes, ["published_version"], batch_size=2000)
        ProgrammeVersion.skills.through.objects.bulk_create(version_skills, batch_size=5000)
        ProgrammeVersion.awarding_bodies.through.objects.bulk_create(
            version_bodies, batch_size=5000
        )

        offerings = []
        for number, (programme, version) in enumerate(zip(programmes, versions, strict=True)):
            for cohort in range(1 + number % 2):
                starts = today + timedelta(days=rng.randint(-200, 300))
                offerings.append(
                    Offering(
                        programme=programme,
                        version=version,
                        code=f"offering-{number}-{cohort}",
                        starts_on=starts,
                        ends_on=starts + timedelta(days=60),
                        enrolment_opens_on=starts - timedelta(days=40),
                        enrolment_closes_on=starts - timedelta(days=5),
                        capacity=40,
                        language=version.snapshot["languages"][0],
                    )
                )
        Offering.objects.bulk_create(offerings, batch_size=5000)
        Offering.delivery_institutions.through.objects.bulk_create(
            [
                Offering.delivery_institutions.through(
                    offering_id=offering.pk, institution_id=offering.programme.coordinator_id
                )
                for offering in offerings
            ],
            batch_size=5000,
        )
        password = make_password(None)
        learners = User.objects.bulk_create(
            [
                User(email=f"bench-learner-{n}@example.org", password=password)
                for n in range(LEARNERS)
            ],
            batch_size=5000,
        )
        enrolments = []
        counts: dict[int, int] = {}
        pairs: set[tuple[int, int]] = set()
        while len(enrolments) < ENROLMENTS:
            offering = rng.choice(offerings)
            learner = rng.choice(learners)
            if (offering.pk, learner.pk) in pairs or counts.get(
                offering.pk, 0
            ) >= offering.capacity:
                continue
            pairs.add((offering.pk, learner.pk))
            counts[offering.pk] = counts.get(offering.pk, 0) + 1
            enrolments.append(
                Enrolment(
                    offering=offering,
                    learner=learner,
                    version_id=offering.version_id,
                    status="enrolled",
                )
            )
        Enrolment.objects.bulk_create(enrolments, batch_size=5000)
        for offering in offerings:
            offering.enrolled_count = counts.get(offering.pk, 0)
        Offering.objects.bulk_update(offerings, ["enrolled_count"], batch_size=5000)
    # Bulk updates leave half the rows of these tables dead; a running database has them
    # vacuumed (and its index-only scans rely on the visibility map that VACUUM sets).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"Seeded {PROGRAMMES} programmes and {ENROLMENTS} enrolments in {time.monotonic() - started:.0f} s"
    )


def measure(requests: int) -> list[tuple[str, str, float, float]]:
    from django.test import Client, override_settings

    from catalogue.models import Programme, Skill

    skill = Skill.objects.filter(programme_versions__isnull=False).first()
    programme_slug = Programme.objects.order_by("pk").values_list("slug", flat=True)[
        PROGRAMMES // 2
    ]
    cases = [
        ("catalogue, no filter", "/catalogue/"),
        ("catalogue, text query", "/catalogue/?q=energy+storage"),
        ("catalogue, filters", "/catalogue/?eqf=6&form=online&language=es&ects_min=3"),
        (
            "catalogue, text query and filters",
            "/catalogue/?q=data&eqf=7&form=blended&alliance=eciu",
        ),
        ("catalogue, skill filter", f"/catalogue/?skill={skill.uri if skill else ''}"),
        ("catalogue, page 100", "/catalogue/?page=100"),
        ("programme page", f"/catalogue/{programme_slug}/"),
        ("API catalogue, text query", "/api/v1/programmes/?q=energy"),
    ]
    results = []
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        client = Client()
        for label, url in cases:
            for _ in range(5):
                assert client.get(url).status_code == 200, url
            timings = []
            for _ in range(requests):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
            timings.sort()
            median = statistics.median(timings)
            p95 = timings[int(len(timings) * 0.95) - 1]
            results.append((label, url, median, p95))
            print(f"{label:38} median {median:6.1f} ms   p95 {p95:6.1f} ms")
    return results


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
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL {server} on the same machine"


def write_report(results: list[tuple[str, str, float, float]], requests: int) -> None:
    path = ROOT / "docs" / "benchmarks.md"
    lines = [
        START,
        f"Measured {date.today().isoformat()} with `bench/catalogue_search.py` ({requests} requests per case after 5 warm-up requests, one process, Django test client, production settings): {machine()}.",
        f"Data: {PROGRAMMES:,} published programmes with versions, ESCO skills and awarding bodies, {ENROLMENTS:,} enrolments in {PROGRAMMES * 3 // 2:,} offerings.",
        "",
        "| case | request | median | p95 |",
        "| --- | --- | --- | --- |",
        *(
            f"| {label} | `{url}` | {median:.1f} ms | {p95:.1f} ms |"
            for label, url, median, p95 in results
        ),
        END,
    ]
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if START in text:
        head, rest = text.split(START, 1)
        text = head + "\n".join(lines) + rest.split(END, 1)[1]
    else:
        heading = "Catalogue" if PROGRAMMES == 10_000 else f"Catalogue at {PROGRAMMES:,} programmes"
        text = text.rstrip() + f"\n\n## {heading}\n\n" + "\n".join(lines) + "\n"
    path.write_text(text)
    print(f"Wrote {path.relative_to(ROOT)}")


def _already_seeded() -> bool:
    from django.db import DatabaseError

    from catalogue.models import Programme

    try:
        return Programme.objects.count() >= PROGRAMMES
    except DatabaseError:
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="keep an already seeded database")
    parser.add_argument("--no-report", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="multiply the data (10 gives 100,000 programmes and 1,000,000 enrolments); "
        "the figures go to their own table",
    )
    arguments = parser.parse_args()
    global PROGRAMMES, ENROLMENTS, LEARNERS, START, END
    PROGRAMMES *= arguments.scale
    ENROLMENTS *= arguments.scale
    LEARNERS *= arguments.scale
    if arguments.scale != 1:
        START = f"<!-- catalogue-bench-x{arguments.scale}:start -->"
        END = f"<!-- catalogue-bench-x{arguments.scale}:end -->"
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to a PostgreSQL server (its database is not touched; a new one is made)."
        )
    url = bench_database_url(url, arguments.scale)
    if not arguments.reuse:
        recreate_database(url)
    configure(url)
    if not arguments.reuse or not _already_seeded():
        seed(random.Random(2026))
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    results = measure(arguments.requests)
    if not arguments.no_report:
        write_report(results, arguments.requests)


if __name__ == "__main__":
    main()
