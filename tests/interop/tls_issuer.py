"""The portal served over HTTPS on a loopback port, for wallet libraries that accept only
https issuers. The certificate authority and the server certificate are made for the test run;
Node.js trusts the authority through NODE_EXTRA_CA_CERTS."""

from __future__ import annotations

import ipaddress
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.db import connections
from django.test.testcases import LiveServerThread

# The port range this suite's servers use.
PORTS = range(8200, 8250)


@dataclass(frozen=True)
class TlsFiles:
    authority: Path
    certificate: Path
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificates(folder: Path) -> TlsFiles:
    """A throw-away certificate authority and a server certificate for localhost."""
    now = datetime.now(UTC)
    authority_key = ec.generate_private_key(ec.SECP256R1())
    authority = (
        x509.CertificateBuilder()
        .subject_name(_name("Test authority"))
        .issuer_name(_name("Test authority"))
        .public_key(authority_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(authority_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(_name("localhost"))
        .issuer_name(authority.subject)
        .public_key(server_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(authority_key, hashes.SHA256())
    )
    files = TlsFiles(folder / "authority.pem", folder / "server.pem", folder / "server-key.pem")
    files.authority.write_bytes(authority.public_bytes(serialization.Encoding.PEM))
    files.certificate.write_bytes(server.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(
        server_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


class _TlsLiveServerThread(LiveServerThread):
    tls_context: ssl.SSLContext

    def _create_server(self, connections_override=None):  # type: ignore[no-untyped-def]
        server = super()._create_server(connections_override)
        server.socket = self.tls_context.wrap_socket(server.socket, server_side=True)
        return server


def _start_on_a_free_port(context: ssl.SSLContext, shared: dict[str, Any]) -> _TlsLiveServerThread:
    """The first port of the range that binds (parallel test processes take turns)."""
    for port in PORTS:
        thread = _TlsLiveServerThread("localhost", lambda handler: handler, shared, port)
        thread.tls_context = context
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error is None:
            return thread
        thread.join()
        if not isinstance(thread.error, OSError):
            raise thread.error
    raise RuntimeError(f"No free port in {PORTS.start}-{PORTS.stop - 1}.")


@contextmanager
def https_portal(files: TlsFiles) -> Iterator[str]:
    """Serve the portal (this test's database) over HTTPS; yields its base URL."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(files.certificate, files.key)
    # An in-memory SQLite test database is shared with the server thread, as Django's own
    # LiveServerTestCase does.
    shared = {
        connection.alias: connection
        for connection in connections.all()
        if connection.vendor == "sqlite" and connection.is_in_memory_db()
    }
    for connection in shared.values():
        connection.inc_thread_sharing()
    thread = _start_on_a_free_port(context, shared)
    try:
        yield f"https://localhost:{thread.port}"
    finally:
        thread.terminate()
        for connection in shared.values():
            connection.dec_thread_sharing()
