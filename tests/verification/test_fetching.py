"""The safe fetcher for other issuers' documents: HTTPS only, public addresses only (SSRF),
same-origin redirects only, size and time caps; tests and demos route a base URL to a
loopback server, which is how these tests run without the network."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from credential_format.keys import PublishedKey, build_did_web_document, public_key_multibase
from credential_format.signing import Ed25519Signer, add_proof
from credential_format.status_list import status_entry
from credential_format.verification import FetchError, verify_credential
from tests.credential_format.foreign import foreign_credential, foreign_signer
from verification.fetching import SafeHttpsFetcher, is_public_address, verification_fetcher
from verification.resolver import PortalFetcher
from verification.verify import verify_credential_document

ISSUER_BASE = "https://issuer.example"


class Routes(BaseHTTPRequestHandler):
    responses: dict[str, tuple[int, dict[str, str], bytes]] = {}

    def do_GET(self):
        status, headers, body = self.responses.get(self.path, (404, {}, b"{}"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback() -> Iterator[tuple[str, dict]]:
    responses: dict[str, tuple[int, dict[str, str], bytes]] = {}
    handler = type("Handler", (Routes,), {"responses": responses})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", responses
    finally:
        server.shutdown()
        server.server_close()


def _json(document: dict) -> tuple[int, dict[str, str], bytes]:
    return 200, {"Content-Type": "application/json"}, json.dumps(document).encode()


def test_a_routed_url_is_fetched_from_the_loopback_server(loopback):
    base, responses = loopback
    responses["/doc.json"] = _json({"id": "x"})
    fetcher = SafeHttpsFetcher(loopback_routes={ISSUER_BASE: base})
    assert fetcher.fetch_json(f"{ISSUER_BASE}/doc.json") == {"id": "x"}


def test_plain_http_is_refused():
    with pytest.raises(FetchError, match="only https"):
        SafeHttpsFetcher().fetch_json("http://issuer.example/did.json")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.5",
        "172.16.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "::ffff:127.0.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
    ],
)
def test_hosts_resolving_to_private_addresses_are_refused(address):
    fetcher = SafeHttpsFetcher(resolver=lambda host, port: [address])
    with pytest.raises(FetchError, match="private or reserved"):
        fetcher.fetch_json("https://innocent.example/.well-known/did.json")


def test_a_host_with_one_private_address_among_public_ones_is_refused():
    fetcher = SafeHttpsFetcher(resolver=lambda host, port: ["93.184.215.14", "10.0.0.7"])
    with pytest.raises(FetchError, match="private or reserved"):
        fetcher.fetch_json("https://mixed.example/did.json")


def test_public_addresses_are_recognised():
    assert is_public_address("93.184.215.14")
    assert is_public_address("2606:4700:4700::1111")
    assert not is_public_address("127.0.0.53")


def test_credentials_in_the_url_are_refused():
    with pytest.raises(FetchError, match="credentials"):
        SafeHttpsFetcher().fetch_json("https://user:pw@issuer.example/x")


def test_routes_may_only_point_to_the_loopback_interface():
    with pytest.raises(ValueError, match="loopback"):
        SafeHttpsFetcher(loopback_routes={ISSUER_BASE: "http://10.0.0.1:8000"})


def test_a_redirect_to_another_host_is_refused(loopback):
    base, responses = loopback
    responses["/did.json"] = (302, {"Location": "https://elsewhere.example/did.json"}, b"")
    fetcher = SafeHttpsFetcher(loopback_routes={ISSUER_BASE: base})
    with pytest.raises(FetchError, match="another host"):
        fetcher.fetch_json(f"{ISSUER_BASE}/did.json")


def test_a_redirect_within_the_site_is_followed(loopback):
    base, responses = loopback
    responses["/old.json"] = (301, {"Location": "/new.json"}, b"")
    responses["/new.json"] = _json({"moved": True})
    fetcher = SafeHttpsFetcher(loopback_routes={ISSUER_BASE: base})
    assert fetcher.fetch_json(f"{ISSUER_BASE}/old.json") == {"moved": True}


def test_endless_redirects_stop(loopback):
    base, responses = loopback
    responses["/loop.json"] = (302, {"Location": "/loop.json"}, b"")
    fetcher = SafeHttpsFetcher(loopback_routes={ISSUER_BASE: base})
    with pytest.raises(FetchError, match="redirected more than"):
        fetcher.fetch_json(f"{ISSUER_BASE}/loop.json")


def test_a_response_over_the_size_cap_is_refused(loopback):
    base, responses = loopback
    responses["/big.json"] = _json({"padding": "x" * 5_000})
    fetcher = SafeHttpsFetcher(max_bytes=1_000, loopback_routes={ISSUER_BASE: base})
    with pytest.raises(FetchError, match="larger than"):
        fetcher.fetch_json(f"{ISSUER_BASE}/big.json")


@pytest.mark.parametrize(
    ("response", "message"),
    [
        ((500, {}, b"oops"), "HTTP 500"),
        ((200, {}, b"<html>"), "usable JSON"),
        ((200, {}, b"[1]"), "object"),
    ],
)
def test_errors_and_non_json_are_fetch_errors(loopback, response, message):
    base, responses = loopback
    responses["/x.json"] = response
    fetcher = SafeHttpsFetcher(loopback_routes={ISSUER_BASE: base})
    with pytest.raises(FetchError, match=message):
        fetcher.fetch_json(f"{ISSUER_BASE}/x.json")


def test_an_unreachable_server_is_a_fetch_error():
    fetcher = SafeHttpsFetcher(timeout=1, loopback_routes={ISSUER_BASE: "http://127.0.0.1:9"})
    with pytest.raises(FetchError, match="could not be reached"):
        fetcher.fetch_json(f"{ISSUER_BASE}/did.json")


@pytest.mark.django_db
def test_the_portal_fetcher_answers_first_and_network_fetching_can_be_off():
    fetcher = verification_fetcher()
    assert isinstance(fetcher, PortalFetcher)
    with pytest.raises(FetchError, match="not allowed"):
        fetcher.fetch_json(f"{ISSUER_BASE}/.well-known/did.json")


@pytest.mark.django_db
def test_a_did_web_credential_of_another_provider_verifies_over_the_safe_fetcher(loopback):
    base, responses = loopback
    did = "did:web:issuer.example"
    signer_key = Ed25519Signer.from_seed(bytes([44]) * 32)
    signer = Ed25519Signer.from_seed(bytes([44]) * 32, f"{did}#key-1")
    responses["/.well-known/did.json"] = _json(
        build_did_web_document(
            did, [PublishedKey("key-1", public_key_multibase(signer_key.public_key))], []
        )
    )
    credential = foreign_credential(signer)
    with override_settings(
        VERIFICATION_NETWORK_FETCH=True, VERIFICATION_FETCH_LOOPBACK_ROUTES={ISSUER_BASE: base}
    ):
        result = verify_credential_document(credential)
    assert result.verified
    assert result.report.check("issuer-trust").code == "UNKNOWN_ISSUER"


# -- slow servers: one deadline for the whole exchange, one for all fetches of a verification --

DRIP_INTERVAL = 0.05
# The drip server gives up on its own after this long, so a regression cannot hang the suite.
DRIP_LIMIT_SECONDS = 6.0


class Drip(BaseHTTPRequestHandler):
    """Answers 200 with a large declared body, then sends it one byte at a time: each read
    gets a byte well within any per-read timeout, so only a total deadline stops it."""

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        stop = time.monotonic() + DRIP_LIMIT_SECONDS
        try:
            while time.monotonic() < stop:
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(DRIP_INTERVAL)
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def drip_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Drip)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_slow_drip_server_cannot_hold_one_fetch_past_its_deadline(drip_server):
    fetcher = SafeHttpsFetcher(timeout=0.5, loopback_routes={ISSUER_BASE: drip_server})
    started = time.monotonic()
    with pytest.raises(FetchError, match="took too long"):
        fetcher.fetch_json(f"{ISSUER_BASE}/status/1")
    assert time.monotonic() - started < 1.6


def test_all_fetches_of_one_verification_share_one_deadline(drip_server):
    signer = foreign_signer()
    document = foreign_credential(signer)
    document.pop("proof")
    document["credentialStatus"] = [
        status_entry(list_credential_url=f"{ISSUER_BASE}/status/{number}", index=5)
        for number in range(8)
    ]
    document = add_proof(document, signer)
    fetcher = SafeHttpsFetcher(timeout=5.0, loopback_routes={ISSUER_BASE: drip_server})
    started = time.monotonic()
    report = verify_credential(document, fetcher=fetcher, fetch_budget_seconds=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 2.5, elapsed
    assert not report.verified
    statuses = [check for check in report.checks if check.id.startswith("status[")]
    assert len(statuses) == 8
    assert {check.code for check in statuses} == {"STATUS_RETRIEVAL_ERROR"}


def test_the_whole_verification_stops_its_checks_at_its_time_cap():
    class SlowFetcher:
        def fetch_json(self, url):
            time.sleep(0.3)
            raise FetchError(f"{url} is slow and then fails")

    signer = foreign_signer()
    document = foreign_credential(signer)
    document.pop("proof")
    document["credentialStatus"] = [
        status_entry(list_credential_url=f"{ISSUER_BASE}/status/{number}", index=5)
        for number in range(8)
    ]
    document = add_proof(document, signer)
    started = time.monotonic()
    report = verify_credential(
        document, fetcher=SlowFetcher(), fetch_budget_seconds=60, time_budget_seconds=0.5
    )
    assert time.monotonic() - started < 1.5
    assert not report.verified
    assert report.check("time-limit").code == "VERIFICATION_TIME_LIMIT"
