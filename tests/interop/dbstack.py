"""Running Digital Bazaar's JavaScript stack (tests/interop/js/dbstack.mjs) from the tests.

The stack reads only the standard contexts; the portal's micro-credential context is served on
loopback, byte for byte the files a deployment serves at `/contexts/microcredential/v1` and
`/contexts/microcredential/v2`, and
the stack fetches it from there (as from a w3id.org redirect to a deployment)."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from credential_format.contexts import (
    AUTHORED_CONTEXT_PATHS,
    MICROCREDENTIAL_V1_PATH,
    MICROCREDENTIAL_V1_URL,
    authored_context_bytes,
)

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPOSITORY_ROOT / "tests" / "interop" / "js" / "dbstack.mjs"

requires_node_stack = pytest.mark.skipif(
    shutil.which("node") is None
    or not (REPOSITORY_ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir(),
    reason="Node.js or node_modules is missing: install Node.js and run `npm ci`",
)


# The ports the interoperability tests may listen on.
TEST_PORTS = range(8100, 8150)
CONTEXT_BASE_URL = MICROCREDENTIAL_V1_URL.removesuffix(MICROCREDENTIAL_V1_PATH)


class _ContextHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        served = {f"/contexts/{path}": url for url, path in AUTHORED_CONTEXT_PATHS.items()}
        if self.path not in served:
            self.send_error(404)
            return
        body = authored_context_bytes(served[self.path])
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests report what matters."""


class _ContextServer(ThreadingHTTPServer):
    # Node verifies a batch of credentials concurrently: room for a burst of connections, which
    # the default queue of 5 would drop into TCP's retransmission delays.
    request_queue_size = 128


@functools.cache
def context_server() -> str:
    """The base URL of a loopback server publishing the portal's contexts, on the first port of
    the tests' range that is free (binding is the test, so parallel workers never collide)."""
    for port in TEST_PORTS:
        try:
            server = _ContextServer(("127.0.0.1", port), _ContextHandler)
        except OSError:
            continue
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{port}/contexts/"
    raise RuntimeError("no free port for the context server")


def context_redirects(*bases: str) -> dict[str, str]:
    """Where the JavaScript side fetches the portal's contexts: the canonical base and the
    given deployments' context bases all redirect to the loopback context server."""
    return {base: context_server() for base in (CONTEXT_BASE_URL, *bases)}


def node(request: dict[str, Any]) -> Any:
    request = {**request, "contextRedirects": context_redirects()}
    result = subprocess.run(
        ["node", str(SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
