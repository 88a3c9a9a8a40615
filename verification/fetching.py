"""Fetching other issuers' did:web documents and status lists safely, for verification.

Verifying a foreign credential needs its issuer's DID document and its status lists, which
live on the issuer's web server. Fetching a URL that a stranger put in a document is a
classic server-side request forgery: `SafeHttpsFetcher` only speaks HTTPS, resolves the host
itself and refuses any address that is not public (loopback, private, link-local, carrier-grade
NAT, multicast, reserved), connects to exactly the address it checked (so DNS cannot change
its answer in between), follows redirects only within the same origin, and caps time and
size. Time is capped for the whole exchange, not per read: each fetch ends by its own deadline
(twice the timeout) or the running verification's fetch deadline
(`credential_format.verification.fetch_deadline`), whichever is first, however slowly the server
drips its answer. JSON-LD contexts are never fetched: the credential library ships them.

`verification_fetcher()` is what every verifier in the portal uses: this portal's own DID
documents and status lists are read from the database (`PortalFetcher`), everything else goes
through one process-wide cache in front of the safe fetcher.

For tests and local demos, `VERIFICATION_FETCH_LOOPBACK_ROUTES` maps an https base URL to a
server on the loopback interface; only loopback targets are accepted there.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from django.conf import settings

from credential_format.errors import CredentialFormatError
from credential_format.verification import (
    CachingFetcher,
    Fetcher,
    FetchError,
    NoNetworkFetcher,
    fetch_deadline,
    parse_json_document,
)
from verification.resolver import PortalFetcher

MAX_REDIRECTS = 3
_REDIRECTS = {301, 302, 303, 307, 308}
_LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}

Resolver = Callable[[str, int], list[str]]


def resolve_host(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (IPv4 and IPv6)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchError(f"The host {host} could not be resolved.") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to one already checked address, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


class SafeHttpsFetcher:
    """Fetches JSON over HTTPS from public addresses only; see the module docstring."""

    def __init__(
        self,
        *,
        timeout: float = 5.0,
        max_bytes: int = 2_000_000,
        loopback_routes: Mapping[str, str] | None = None,
        resolver: Resolver = resolve_host,
    ):
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.resolver = resolver
        self.loopback_routes = {}
        for base, target in (loopback_routes or {}).items():
            if urlsplit(target).hostname not in _LOOPBACK_HOSTS:
                raise ValueError(f"{target} is not on the loopback interface.")
            self.loopback_routes[base.rstrip("/")] = target.rstrip("/")

    def fetch_json(self, url: str) -> dict[str, Any]:
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            status, location, body = self._request(current)
            if status in _REDIRECTS:
                if not location:
                    raise FetchError(f"{current} redirected without a location.")
                target = urljoin(current, location)
                if _origin(target) != _origin(url):
                    raise FetchError(
                        f"{current} redirected to another host ({_origin(target)}); "
                        "redirects are followed only within the same site."
                    )
                current = target
                continue
            if status != 200:
                raise FetchError(f"{current} answered HTTP {status}.")
            try:
                document = parse_json_document(body, max_bytes=self.max_bytes)
            except CredentialFormatError as error:
                raise FetchError(f"{current} did not return usable JSON: {error}") from error
            if not isinstance(document, dict):
                raise FetchError(f"{current} did not return a JSON object.")
            return document
        raise FetchError(f"{url} redirected more than {MAX_REDIRECTS} times.")

    def _connection(self, url: str) -> tuple[http.client.HTTPConnection, str]:
        for base, target in self.loopback_routes.items():
            if url == base or url.startswith(base + "/"):
                routed = urlsplit(target + url[len(base) :])
                connection = http.client.HTTPConnection(
                    routed.hostname or "", routed.port or 80, timeout=self.timeout
                )
                return connection, _path(routed)
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise FetchError(f"{url} is not an https URL; only https is fetched.")
        if parts.username or parts.password:
            raise FetchError(f"{url} carries credentials; refused.")
        port = parts.port or 443
        addresses = self.resolver(parts.hostname, port)
        if not addresses:
            raise FetchError(f"The host {parts.hostname} has no address.")
        refused = [address for address in addresses if not is_public_address(address)]
        if refused:
            raise FetchError(
                f"{parts.hostname} points to a private or reserved address; it is not fetched."
            )
        return _PinnedHTTPSConnection(parts.hostname, addresses[0], port, self.timeout), _path(
            parts
        )

    def _request(self, url: str) -> tuple[int, str | None, bytes]:
        deadline = time.monotonic() + self.timeout * 2
        shared = fetch_deadline()
        if shared is not None:
            deadline = min(deadline, shared)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchError(f"{url} was not fetched: no time is left for fetching.")
        connection, path = self._connection(url)
        connection.timeout = min(self.timeout, remaining)
        # A read timeout only bounds the wait for the next byte; the watchdog ends the exchange
        # at the deadline by shutting the socket down, which wakes any blocked read. (The
        # socket is held here: http.client drops its own reference once the headers are read.)
        expired = threading.Event()
        try:
            connection.connect()
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            raise FetchError(f"{url} could not be reached ({error.__class__.__name__}).") from error
        sock = connection.sock

        def stop() -> None:
            expired.set()
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

        remaining = max(deadline - time.monotonic(), 0.0)
        watchdog = threading.Timer(remaining, stop)
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request(
                "GET",
                path,
                headers={
                    "Accept": "application/did+json, application/vc, application/json",
                    "User-Agent": "alliance-credentials-verifier",
                },
            )
            response = connection.getresponse()
            declared = response.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > self.max_bytes:
                raise FetchError(f"{url} is larger than {self.max_bytes} bytes.")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read(65_536):
                size += len(chunk)
                if size > self.max_bytes:
                    raise FetchError(f"{url} is larger than {self.max_bytes} bytes.")
                if expired.is_set() or time.monotonic() > deadline:
                    raise FetchError(f"{url} took too long to answer.")
                chunks.append(chunk)
            if expired.is_set():
                raise FetchError(f"{url} took too long to answer.")
            return response.status, response.getheader("Location"), b"".join(chunks)
        except (OSError, http.client.HTTPException) as error:
            if expired.is_set():
                raise FetchError(f"{url} took too long to answer.") from error
            raise FetchError(f"{url} could not be reached ({error.__class__.__name__}).") from error
        finally:
            watchdog.cancel()
            connection.close()


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower(), parts.port


def _path(parts: Any) -> str:
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


@lru_cache(maxsize=4)
def _shared_network_fetcher(
    enabled: bool, timeout: float, max_bytes: int, routes: tuple[tuple[str, str], ...]
) -> Fetcher:
    if not enabled:
        return NoNetworkFetcher()
    return CachingFetcher(
        SafeHttpsFetcher(timeout=timeout, max_bytes=max_bytes, loopback_routes=dict(routes)),
        ttl_seconds=settings.VERIFICATION_FETCH_CACHE_SECONDS,
    )


def verification_fetcher() -> Fetcher:
    """The fetcher every verification in the portal uses: this portal's documents from the
    database, other issuers' through the cached safe HTTPS fetcher (or nothing, when
    `VERIFICATION_NETWORK_FETCH` is off)."""
    return PortalFetcher(
        fallback=_shared_network_fetcher(
            settings.VERIFICATION_NETWORK_FETCH,
            settings.VERIFICATION_FETCH_TIMEOUT_SECONDS,
            settings.VERIFICATION_FETCH_MAX_BYTES,
            tuple(sorted(settings.VERIFICATION_FETCH_LOOPBACK_ROUTES.items())),
        )
    )
