"""Command line for the credential format library (no Django needed).

    python -m credential_format canonicalize FILE
    python -m credential_format sign FILE --key-seed HEX [--verification-method URL] [--created TS]
    python -m credential_format verify FILE [--allow-http-from BASE]
    python -m credential_format did-key --key-seed HEX

FILE may be ``-`` for standard input. Bad input prints one line on stderr and exits with 2;
``verify`` exits with 0 only when the credential verifies (1 otherwise).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlsplit

from credential_format.errors import CredentialFormatError
from credential_format.jsonld import canonicalize
from credential_format.keys import did_key_for, private_key_from_seed, resolve_did_key
from credential_format.signing import Ed25519Signer, add_proof
from credential_format.verification import (
    CachingFetcher,
    Fetcher,
    FetchError,
    NoNetworkFetcher,
    fetch_deadline,
    parse_json_document,
    verify_credential,
    verify_presentation,
)

FETCH_TIMEOUT_SECONDS = 5
MAX_FETCH_BYTES = 2_000_000


class UsageError(Exception):
    pass


class MappedHttpFetcher:
    """Fetches ``https://HOST/PATH`` from ``BASE/PATH`` instead, and nothing else.

    Used to verify against a local or staging deployment that serves did.json and status lists.
    """

    def __init__(self, base_url: str, timeout: float = FETCH_TIMEOUT_SECONDS) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"--allow-http-from needs an http(s) base URL, not {base_url!r}")
        self._base = base_url.rstrip("/")
        self._timeout = timeout

    def fetch_json(self, url: str) -> dict[str, Any]:
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.netloc:
            raise FetchError(f"Only https URLs are resolved, not {url}.")
        target = self._base + (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = urllib.request.Request(target, headers={"Accept": "application/json"})  # noqa: S310
        timeout = self._timeout
        deadline = fetch_deadline()
        if deadline is not None:
            # Each read waits at most until the verification's fetch deadline.
            timeout = max(min(timeout, deadline - time.monotonic()), 0.001)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                body = response.read(MAX_FETCH_BYTES + 1)
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise FetchError(f"{url} could not be fetched from {target}: {error}") from error
        if len(body) > MAX_FETCH_BYTES:
            raise FetchError(f"{url} is larger than {MAX_FETCH_BYTES} bytes.")
        try:
            document = json.loads(body)
        except ValueError as error:
            raise FetchError(f"{url} did not return JSON.") from error
        if not isinstance(document, dict):
            raise FetchError(f"{url} did not return a JSON object.")
        return document


def _read_json(path: str) -> Any:
    try:
        data = sys.stdin.buffer.read() if path == "-" else open(path, "rb").read()  # noqa: SIM115
    except OSError as error:
        raise UsageError(f"cannot read {path}: {error.strerror}") from error
    return parse_json_document(data)


def _seed(hex_seed: str) -> bytes:
    try:
        seed = bytes.fromhex(hex_seed)
    except ValueError:
        raise UsageError("--key-seed must be 64 hexadecimal characters") from None
    if len(seed) != 32:
        raise UsageError("--key-seed must be 64 hexadecimal characters (32 bytes)")
    return seed


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m credential_format", description=__doc__.split("\n")[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    canon = commands.add_parser("canonicalize", help="print RDFC-1.0 canonical N-Quads")
    canon.add_argument("file")
    sign = commands.add_parser("sign", help="add an eddsa-rdfc-2022 proof")
    sign.add_argument("file")
    sign.add_argument("--key-seed", required=True)
    sign.add_argument("--verification-method")
    sign.add_argument("--created")
    verify = commands.add_parser("verify", help="print the verification report as JSON")
    verify.add_argument("file")
    verify.add_argument("--allow-http-from", metavar="BASE")
    did_key = commands.add_parser("did-key", help="print the did:key and its DID document")
    did_key.add_argument("--key-seed", required=True)
    return parser


def _run(arguments: argparse.Namespace) -> int:
    if arguments.command == "canonicalize":
        sys.stdout.write(canonicalize(_read_json(arguments.file)))
        return 0
    if arguments.command == "sign":
        document = _read_json(arguments.file)
        if not isinstance(document, dict):
            raise UsageError("the document to sign must be a JSON object")
        signer = Ed25519Signer.from_seed(_seed(arguments.key_seed), arguments.verification_method)
        signed = add_proof(document, signer, created=arguments.created)
        sys.stdout.write(json.dumps(signed, indent=2, ensure_ascii=False) + "\n")
        return 0
    if arguments.command == "verify":
        document = _read_json(arguments.file)
        fetcher: Fetcher = NoNetworkFetcher()
        if arguments.allow_http_from:
            fetcher = CachingFetcher(MappedHttpFetcher(arguments.allow_http_from))
        types = document.get("type") if isinstance(document, dict) else None
        if "VerifiablePresentation" in (types if isinstance(types, list) else [types]):
            report = verify_presentation(document, fetcher=fetcher)
        else:
            report = verify_credential(document, fetcher=fetcher)
        sys.stdout.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return 0 if report.verified else 1
    private_key = private_key_from_seed(_seed(arguments.key_seed))
    did = did_key_for(private_key)
    sys.stdout.write(json.dumps({"did": did, "didDocument": resolve_did_key(did)}, indent=2) + "\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        return _run(arguments)
    except (UsageError, CredentialFormatError) as error:
        message = " ".join(str(error).split())
        sys.stderr.write(f"error: {message}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main())
