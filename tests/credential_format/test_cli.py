"""The command line, driven as a separate process (no Django settings involved)."""

import json
import subprocess
import sys
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from credential_format.builders import build_micro_credential
from credential_format.keys import (
    PublishedKey,
    build_did_web_document,
    private_key_from_seed,
    public_key_multibase,
)
from credential_format.signing import Ed25519Signer, add_proof
from credential_format.status_list import StatusBitstring, build_status_list_credential

from .conftest import REPOSITORY_ROOT
from .sample_claims import COORDINATOR, STATUS_LIST_URL, micro_credential_claims

SEED_HEX = "00" * 32


def run(*arguments: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "credential_format", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=60,
        check=False,
    )


def test_canonicalize_prints_rdfc_nquads(read_vector, tmp_path):
    path = tmp_path / "badge.json"
    path.write_text(json.dumps(read_vector("openbadges-3.0/unsigned.json")))
    result = run("canonicalize", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout == read_vector("openbadges-3.0/canonDoc.txt")


def test_sign_from_stdin_then_verify():
    credential = build_micro_credential(micro_credential_claims(status_index=None))
    signer = Ed25519Signer.from_seed(bytes(32))
    credential["issuer"]["id"] = signer.verification_method.split("#")[0]
    signed = run(
        "sign",
        "-",
        "--key-seed",
        SEED_HEX,
        "--created",
        "2025-01-01T00:00:00Z",
        stdin=json.dumps(credential),
    )
    assert signed.returncode == 0, signed.stderr
    document = json.loads(signed.stdout)
    assert document["proof"]["verificationMethod"] == signer.verification_method
    verified = run("verify", "-", stdin=signed.stdout)
    assert verified.returncode == 0, verified.stdout
    assert json.loads(verified.stdout)["verified"] is True
    document["credentialSubject"]["achievement"]["name"] = "Something else"
    tampered = run("verify", "-", stdin=json.dumps(document))
    assert tampered.returncode == 1
    assert json.loads(tampered.stdout)["verified"] is False


def test_sign_with_an_explicit_verification_method():
    credential = build_micro_credential(micro_credential_claims())
    result = run(
        "sign",
        "-",
        "--key-seed",
        SEED_HEX,
        "--verification-method",
        f"{COORDINATOR.id}#key-1",
        stdin=json.dumps(credential),
    )
    assert json.loads(result.stdout)["proof"]["verificationMethod"] == f"{COORDINATOR.id}#key-1"


def test_did_key_command(read_vector):
    vector = read_vector("did-key-ed25519.json")["vectors"][0]
    result = run("did-key", "--key-seed", vector["seedHex"])
    assert json.loads(result.stdout)["did"] == vector["did"]


@pytest.mark.parametrize(
    ("arguments", "stdin"),
    [
        (("canonicalize", "-"), "{not json"),
        (("canonicalize", "/nonexistent/file.json"), None),
        (("sign", "-", "--key-seed", "abc"), "{}"),
        (("sign", "-", "--key-seed", SEED_HEX), "[1, 2]"),
        (("canonicalize", "-"), '{"@context": "https://evil.example/ctx", "a": 1}'),
        (
            ("sign", "-", "--key-seed", SEED_HEX),
            '{"@context": ["https://www.w3.org/ns/credentials/v2"], "oops": 1}',
        ),
        (("verify", "-", "--allow-http-from", "ftp://x"), "{}"),
    ],
)
def test_bad_input_gives_one_line_on_stderr_and_status_2(arguments, stdin):
    result = run(*arguments, stdin=stdin)
    assert result.returncode == 2
    assert result.stderr.startswith("error: ")
    assert result.stderr.count("\n") == 1


def test_did_web_is_refused_without_an_http_mapping():
    credential = add_proof(
        build_micro_credential(micro_credential_claims(status_index=None)),
        Ed25519Signer.from_seed(bytes(32), f"{COORDINATOR.id}#key-1"),
    )
    result = run("verify", "-", stdin=json.dumps(credential))
    assert result.returncode == 1
    assert "KEY_UNREACHABLE" in result.stdout


@pytest.fixture
def local_site(tmp_path: Path):
    """Serves did.json and the status list from a loopback HTTP server."""
    seed = bytes([7]) * 32
    signer = Ed25519Signer.from_seed(seed, f"{COORDINATOR.id}#key-1")
    did_path = tmp_path / "institutions" / "uni-leuven"
    did_path.mkdir(parents=True)
    key = PublishedKey("key-1", public_key_multibase(private_key_from_seed(seed)))
    (did_path / "did.json").write_text(
        json.dumps(build_did_web_document(COORDINATOR.id, active=[key], retired=[]))
    )
    status_path = tmp_path / "status" / "revocation"
    status_path.mkdir(parents=True)
    status_list = build_status_list_credential(
        list_credential_url=STATUS_LIST_URL,
        issuer=COORDINATOR.id,
        purpose="revocation",
        bitstring=StatusBitstring(),
        valid_from="2025-01-01T00:00:00Z",
    )
    (status_path / "1").write_text(json.dumps(add_proof(status_list, signer)))
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield signer, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_verify_with_did_web_over_a_mapped_http_base(local_site):
    signer, base = local_site
    credential = add_proof(build_micro_credential(micro_credential_claims()), signer)
    result = run("verify", "-", "--allow-http-from", base, stdin=json.dumps(credential))
    report = json.loads(result.stdout)
    assert result.returncode == 0, report
    assert report["verifiedMethods"] == [signer.verification_method]
    assert any(c["id"] == "status" and c["code"] == "VALID" for c in report["checks"])
