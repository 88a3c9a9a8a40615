"""Load on the whole stack: gunicorn in front of PostgreSQL, driven by Locust on loopback.

Usage (from the repository root, PostgreSQL reachable; `make load` runs it):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alliance_credentials \\
        .venv/bin/python bench/load.py [--step-seconds 20] [--users 4,8,16,32]

It creates its own database (the name in DATABASE_URL plus `_load`, dropped and recreated),
migrates it and seeds the demo data, then serves the portal with gunicorn (2 workers x 4
threads, production settings, plain HTTP on 127.0.0.1) and runs Locust headless in steps of
more and more simulated users. The mix: catalogue browsing and search, programme pages, the
verification page of stored credentials, and signed-in learners' wallet pages. A trivial view
that does no database work runs alone afterwards as the ceiling of the stack. Throughput and
p50/p95/p99 per step are written, with the machine and date, into the "Load" section of
docs/benchmarks.md; the knee is the last step before throughput stops growing by 10 %.
Bounded in time: about 30 s of setup plus (steps + 1) x step seconds.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import redis  # noqa: E402
from catalogue_search import recreate_database  # noqa: E402

START = "<!-- load-bench:start -->"
END = "<!-- load-bench:end -->"
SIGNED_IN_LEARNERS = 20


def load_database_url(url: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "postgres"
    return urlunsplit(parts._replace(path=f"/{name}_load"))


def environment(database_url: str, base_url: str, redis_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "DATABASE_URL": database_url,
            # The shared cache and sessions, as in production (tasks run in-process:
            # load_settings).
            "REDIS_URL": redis_url,
            # One loopback address stands for many visitors here.
            "PAGE_RATE_LIMITS_ENABLED": "0",
            "DJANGO_SETTINGS_MODULE": "load_settings",
            "PYTHONPATH": f"{ROOT / 'bench'}:{ROOT}",
            "DEBUG": "0",
            "SECRET_KEY": "load-benchmark-only-secret-key-not-used-anywhere-else-0123456789",
            "KEY_ENCRYPTION_KEY": "YmVuY2htYXJrLW9ubHkta2V5LTMyLWJ5dGVzLWxvbmc=",
            "PORTAL_BASE_URL": base_url,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "LOG_LEVEL": "WARNING",
            "API_THROTTLE_ANON": "1000000/minute",
            "API_THROTTLE_USER": "1000000/minute",
        }
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return result.stdout


TARGETS_SCRIPT = """
import json
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from alliances.models import Institution
from catalogue.models import Programme
from issuance.models import Credential, CredentialState
from wallet.sharing import create_share_link

issued = Credential.objects.filter(state=CredentialState.ISSUED).select_related("learner")
learners = {c.learner for c in issued[:500]}
shares = [
    create_share_link(learner=c.learner, name="Load", credentials=[c]).token for c in issued[:50]
]
sessions = []
for learner in list(learners)[:%d]:
    session = SessionStore()
    session[SESSION_KEY] = str(learner.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = learner.get_session_auth_hash()
    session.create()
    sessions.append(session.session_key)
print(json.dumps({
    "programmes": list(Programme.objects.filter(published_version__isnull=False).values_list("slug", flat=True)[:200]),
    "credentials": [str(u) for u in issued.values_list("uuid", flat=True)[:200]],
    "sessions": sessions,
    "shares": shares,
    "institutions": list(Institution.objects.values_list("slug", flat=True)),
}))
"""


def run_step(url: str, users: int, seconds: int, user_classes: str, targets: Path) -> dict:
    with tempfile.TemporaryDirectory() as directory:
        prefix = Path(directory) / "step"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(ROOT / "bench" / "load_locustfile.py"),
                "--headless",
                "--host",
                url,
                "--users",
                str(users),
                "--spawn-rate",
                str(users),
                "--run-time",
                f"{seconds}s",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                user_classes,
            ],
            cwd=ROOT,
            env={**os.environ, "LOAD_TARGETS": str(targets)},
            check=False,
            capture_output=True,
            timeout=seconds + 60,
        )
        with open(f"{prefix}_stats.csv", newline="") as stats:
            rows = list(csv.DictReader(stats))
        total = next(row for row in rows if row["Name"] == "Aggregated")
        for row in rows:  # where the time goes, per kind of page
            print(
                f"  {row['Name']:40} {row['Request Count']:>6} req  p50 {row['50%']:>5} ms  p95 {row['95%']:>5} ms"
            )
    return {
        "users": users,
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
    }


def knee(steps: list[dict]) -> dict | None:
    """The last step before adding users stops adding 10 % throughput (None: not reached)."""
    for previous, step in itertools.pairwise(steps):
        if step["rps"] < previous["rps"] * 1.10:
            return previous
    return None


def machine(env: dict[str, str]) -> str:
    cpu = platform.machine()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    server = manage(env, "shell", "-c", "from django.db import connection as c; "
                    "cur = c.cursor(); cur.execute('SHOW server_version'); print(cur.fetchone()[0])")  # fmt: skip
    return (
        f"{cpu}, {os.cpu_count()} cores (Locust, gunicorn and PostgreSQL share them), "
        f"Python {platform.python_version()}, PostgreSQL {server.strip().splitlines()[-1]}"
    )


def write_report(
    steps: list[dict], ceiling: dict, seconds: int, described: str, load: tuple[float, float]
) -> None:
    best = knee(steps)
    ratio = (
        f"{best['rps'] / ceiling['rps']:.0%} of the trivial view's {ceiling['rps']:.0f} requests/s"
        if best
        else "not reached"
    )
    row = "| {label} | {users} | {rps:.0f} | {p50:.0f} ms | {p95:.0f} ms | {p99:.0f} ms | {failures} |"
    lines = [
        START,
        f"Measured {date.today().isoformat()} with `bench/load.py` (`make load`): {described}.",
        "gunicorn 2 workers x 4 threads, production settings over plain HTTP on 127.0.0.1, demo "
        f"data, Redis as the shared cache; Locust headless, {seconds} s per step. Mix per "
        "simulated user: catalogue page and search (5), programme page (3), verification page "
        "of a stored credential (2), a signed-in learner's wallet (2), a share page (1), an "
        "institution's DID document (1). Every request asks for the whole page (browsers' "
        "conditional requests, answered 304, are not simulated).",
        f"Load average of the machine when the run started: {load[0]:.1f}, when it ended: "
        f"{load[1]:.1f} (other work shares the two cores; compare rows of the same run).",
        "",
        f"Knee: {ratio}.",
        "",
        "| step | users | requests/s | p50 | p95 | p99 | failures |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(row.format(label="knee" if step is best else "mix", **step) for step in steps),
        row.format(label="ceiling: trivial view", **ceiling),
        "",
        "The knee is the last step before more users stop adding 10 % throughput"
        + ("." if best else "; these steps did not reach it."),
        END,
    ]
    path = ROOT / "docs" / "benchmarks.md"
    text = path.read_text()
    if START in text:
        head, rest = text.split(START, 1)
        text = head + "\n".join(lines) + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n## Load\n\n" + "\n".join(lines) + "\n"
    path.write_text(text)
    print(f"Wrote {path.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--step-seconds", type=int, default=20)
    parser.add_argument("--users", default="4,8,16,32,64")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server (the load runs against PostgreSQL).")
    database_url = load_database_url(os.environ["DATABASE_URL"])
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    redis_url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/14")
    env = environment(database_url, url, redis_url)

    started = time.monotonic()
    recreate_database(database_url)
    redis.Redis.from_url(redis_url).flushdb()  # pages cached by an earlier run
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    targets = Path(tempfile.mkstemp(suffix=".json")[1])
    output = manage(env, "shell", "-c", TARGETS_SCRIPT % SIGNED_IN_LEARNERS)
    targets.write_text(output.strip().splitlines()[-1])
    print(f"Seeded in {time.monotonic() - started:.0f} s: {json.loads(targets.read_text()).keys()}")

    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        _wait_until_up(url)
        load_before = os.getloadavg()[0]
        steps = []
        for users in (int(n) for n in options.users.split(",")):
            step = run_step(url, users, options.step_seconds, "Visitor", targets)
            print(step)
            steps.append(step)
        ceiling = run_step(
            url, max(s["users"] for s in steps), options.step_seconds, "Ceiling", targets
        )
        print("ceiling", ceiling)
    finally:
        server.terminate()
        server.wait(timeout=30)
        targets.unlink()
    write_report(
        steps, ceiling, options.step_seconds, machine(env), (load_before, os.getloadavg()[0])
    )


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(url: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit("gunicorn did not start")


if __name__ == "__main__":
    main()
