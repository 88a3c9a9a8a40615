"""The portal under test behind TLS on loopback, for verifiers that resolve did:web (which is
HTTPS only): Django's live server thread with its socket wrapped in TLS, and a self-signed
certificate for 127.0.0.1 made at test time (Node trusts it through NODE_EXTRA_CA_CERTS)."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.db import connections
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from tests.interop.dbstack import TEST_PORTS as PORTS

HOST = "127.0.0.1"


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key, written to `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(hours=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certificate_path, key_path = folder / "portal.pem", folder / "portal.key"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certificate_path, key_path


class _TLSLiveServerThread(LiveServerThread):
    tls: ssl.SSLContext

    def _create_server(self, connections_override: Any = None) -> Any:
        server = super()._create_server(connections_override)
        server.socket = self.tls.wrap_socket(server.socket, server_side=True)
        return server


def _started(tls: ssl.SSLContext, shared: dict[str, Any]) -> _TLSLiveServerThread:
    """A server thread listening on the first free port of the tests' range (binding is the
    test, so parallel test workers never take the same port)."""
    for port in PORTS:
        thread = _TLSLiveServerThread(HOST, _StaticFilesHandler, shared, port)
        thread.tls = tls
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error is None:
            return thread
        thread.join()
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@contextmanager
def tls_live_server(certificate: Path, key: Path) -> Iterator[str]:
    """Serve the portal on https://127.0.0.1:<port> while the block runs; yields the base URL.
    The server thread shares the test's in-memory SQLite connection, as Django's own
    LiveServerTestCase does."""
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(certificate, key)
    shared = {}
    for connection in connections.all():
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            shared[connection.alias] = connection
            connection.inc_thread_sharing()
    try:
        thread = _started(tls, shared)
        try:
            yield f"https://{HOST}:{thread.port}"
        finally:
            thread.terminate()
    finally:
        for connection in shared.values():
            connection.dec_thread_sharing()
