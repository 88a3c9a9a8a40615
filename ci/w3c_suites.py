"""Run the W3C Verifiable Credentials conformance suites against the portal's VC-API.

Starts the portal on loopback over HTTPS (a throw-away self-signed certificate: the suites
resolve status lists only over https and send an issuer's bearer token only to https
endpoints), on a fresh SQLite database with one institution, prints a fresh VC-API token into
each suite's localConfig.cjs, runs each suite with its `run-suite.sh`, prints the pass counts
and fails when a test fails that `ci/w3c-suites-known-failures.txt` does not list (each listed
failure is a decision explained in docs/conformance.md).

    .venv/bin/python ci/w3c_suites.py            (or: make w3c-suites)

W3C_SUITES_DIR     where the suites are (default ../shared/w3c-suites from the repository root)
W3C_SUITES_WORK    where their npm dependencies are installed and kept between runs
W3C_SUITES_PORT    the loopback port of the portal (default 8250)
"""

from __future__ import annotations

import base64
import datetime
import ipaddress
import json
import os
import re
import secrets
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
INSTITUTION = "conformance"
KNOWN_FAILURES = ROOT / "ci" / "w3c-suites-known-failures.txt"

# suite folder -> mocha arguments. The eddsa-jcs-2022 interop file is left out: the portal
# signs and verifies eddsa-rdfc-2022 only (docs/conformance.md).
SUITES = {
    "vc-di-eddsa-test-suite": [
        "tests/05-di-rdfc-create.js",
        "tests/15-di-rdfc-verify.js",
        "tests/30-rdfc-interop.js",
        "tests/70-data-model.js",
        "tests/80-algorithms.js",
    ],
    "vc-data-model-2.0-test-suite": ["tests/"],
    "vc-bitstring-status-list-test-suite": ["tests/"],
}
SUMMARY = re.compile(r"^\s+(\d+) (passing|failing|pending)", re.MULTILINE)
FAILURE_START = re.compile(r"^\s+\d+\) (.*)$")


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def wait_until_up(base_url: str, server: subprocess.Popen[bytes]) -> None:
    context = ssl._create_unverified_context()  # the certificate made above, on loopback
    for _ in range(60):
        if server.poll() is not None:
            raise SystemExit("The portal did not start.")
        try:
            urllib.request.urlopen(f"{base_url}/vc-api/credentials/verify", context=context)
        except urllib.error.HTTPError:
            return  # it answers (405 for a GET)
        except OSError:
            time.sleep(0.5)
    raise SystemExit("The portal did not answer within 30 seconds.")


def local_config(base_url: str, token: str, did_key: str) -> str:
    tags = ["eddsa-rdfc-2022", "vc2.0", "BitstringStatusList"]
    issuer_base = f"{base_url}/vc-api/institutions/{INSTITUTION}"
    config = {
        "settings": {"enableInteropTests": False, "testAllImplementations": False},
        "implementations": [
            {
                "name": "Alliance Credentials",
                "implementation": "Alliance Credentials portal",
                "issuers": [
                    {
                        "id": did_key,
                        "endpoint": f"{issuer_base}/credentials/issue",
                        "headers": {"Authorization": f"Bearer {token}"},
                        "supports": {"vc": ["1.1", "2.0"]},
                        "tags": tags,
                    }
                ],
                "verifiers": [
                    {
                        "id": f"{base_url}/vc-api",
                        "endpoint": f"{base_url}/vc-api/credentials/verify",
                        "tags": tags,
                    }
                ],
                "vpVerifiers": [
                    {
                        "id": f"{base_url}/vc-api",
                        "endpoint": f"{base_url}/vc-api/presentations/verify",
                        "tags": tags,
                    }
                ],
            }
        ],
    }
    return f"module.exports = {json.dumps(config, indent=2)};\n"


def failed_titles(output: str) -> list[str]:
    """The full titles of the failed tests in mocha's spec report (after its summary)."""
    summary = SUMMARY.search(output)
    if summary is None:
        return []
    titles: list[str] = []
    lines = output[summary.start() :].splitlines()
    index = 0
    while index < len(lines):
        start = FAILURE_START.match(lines[index])
        if start is None:
            index += 1
            continue
        parts = [start.group(1).strip()]
        while not parts[-1].endswith(":") and index + 1 < len(lines):
            index += 1
            parts.append(lines[index].strip())
        titles.append(" ".join(parts).rstrip(":"))
        index += 1
    return titles


def known_failures() -> list[tuple[str, str]]:
    """(suite, title fragment) pairs of failures that are documented decisions."""
    known = []
    for line in KNOWN_FAILURES.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            suite, fragment = line.split("|", 1)
            known.append((suite.strip(), fragment.strip()))
    return known


def run_suite(
    suites_dir: Path, work: Path, suite: str, config: Path
) -> tuple[dict[str, int], list[str]]:
    env = {**os.environ, "WORK": str(work / suite), "NO_COLOR": "1", "FORCE_COLOR": "0"}
    result = subprocess.run(
        [str(suites_dir / "run-suite.sh"), suite, str(config), *SUITES[suite]],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout + result.stderr)
    (work / f"{suite}.log").write_text(output, encoding="utf-8")
    counts = dict.fromkeys(("passing", "failing", "pending"), 0)
    for number, kind in SUMMARY.findall(output):
        counts[kind] = int(number)
    if counts["passing"] == 0 and result.returncode != 0 and counts["failing"] == 0:
        sys.stderr.write(output[-4000:])
        raise SystemExit(f"{suite} did not run (exit {result.returncode}).")
    return counts, failed_titles(output)


def main() -> int:
    suites_dir = Path(os.environ.get("W3C_SUITES_DIR", ROOT.parent / "shared" / "w3c-suites"))
    suites_dir = suites_dir.resolve()
    if not (suites_dir / "run-suite.sh").exists():
        raise SystemExit(f"No W3C suites at {suites_dir} (set W3C_SUITES_DIR).")
    work = Path(os.environ.get("W3C_SUITES_WORK", Path(tempfile.gettempdir()) / "w3c-suites"))
    work.mkdir(parents=True, exist_ok=True)
    port = int(os.environ.get("W3C_SUITES_PORT", "8250"))
    base_url = f"https://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        cert, key = self_signed_certificate(scratch)
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "KEY_ENCRYPTION_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "DATABASE_URL": f"sqlite:///{scratch / 'db.sqlite3'}",
            "PORTAL_BASE_URL": base_url,
            "REDIS_URL": "",
            "STAFF_MFA_REQUIRED": "0",
            # The suites, not the portal's clients, are measured here: no verify limit.
            "API_THROTTLE_VERIFY": "100000/minute",
            "API_THROTTLE_USER": "100000/minute",
        }
        manage(env, "migrate", "--noinput")
        manage(
            env,
            "shell",
            "-c",
            "from alliances.models import Institution; Institution.objects.create("
            f"legal_name='Conformance Test University', short_name='CTU', slug='{INSTITUTION}',"
            " country='ES', city='Barcelona')",
        )
        ids = json.loads(manage(env, "vc_api_token", INSTITUTION, "--json"))
        config = scratch / "localConfig.cjs"
        config.write_text(local_config(base_url, ids["token"], ids["didKey"]), encoding="utf-8")
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--certfile",
                str(cert),
                "--keyfile",
                str(key),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(base_url, server)
            results = {suite: run_suite(suites_dir, work, suite, config) for suite in SUITES}
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    known = known_failures()
    unexplained = []
    print("\nW3C conformance suites (passing / failing / pending):")
    for suite, (counts, failures) in results.items():
        print(f"  {suite}: {counts['passing']} / {counts['failing']} / {counts['pending']}")
        for title in failures:
            documented = any(s == suite and fragment in title for s, fragment in known)
            print(f"    {'known (docs/conformance.md)' if documented else 'FAILED'}: {title}")
            if not documented:
                unexplained.append(f"{suite}: {title}")
    print(f"  logs: {work}/<suite>.log")
    if unexplained:
        print(f"\n{len(unexplained)} failure(s) not explained in docs/conformance.md.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
