"""Where a credential to verify comes from, besides pasted or uploaded JSON:

- a **link** (`document_from_url`): a link into this portal (the public check page of a
  credential, a share link) is read from the database; any other address is fetched over
  HTTPS by the same safe fetcher as issuers' documents (public addresses only, size and time
  limits, same-origin redirects);
- an **image** (`document_from_image`): a baked Open Badges 3.0 badge (PNG with an
  `openbadgecredential` chunk, or SVG with `<openbadges:credential>`), or a picture of a QR
  code (decoded with zxing-cpp) holding such a link or a credential's JSON;
- an **Open Badges 2.0 signed assertion** (`signed_assertion_in`), pasted or uploaded: a
  compact JWS rather than JSON.

Everything a person can get wrong is a DomainError with a reason they can act on.
"""

from __future__ import annotations

import io
import re
from typing import Any
from urllib.parse import urlsplit

import zxingcpp
from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from credential_format import baking, ob2
from credential_format.verification import FetchError, NoNetworkFetcher
from issuance import identity
from issuance.models import Credential, CredentialState
from portal.errors import DomainError
from verification.documents import check_upload_size, parse_credential_text
from verification.fetching import SafeHttpsFetcher
from verification.signals import local_document_requested

MAX_URL_LENGTH = 2_000
_CHECK_PAGE = re.compile(r"^/verify/credentials/([0-9a-fA-F-]{36})/$")
# Decoding a photo of a QR code needs no more pixels than this; larger images are scaled down.
MAX_QR_PIXELS = 4_000_000


def _refuse(message: str) -> DomainError:
    return DomainError(message, code="unreadable_source", field="document")


def signed_assertion_in(data: bytes | str) -> str:
    """The compact JWS when `data` is an Open Badges 2.0 signed assertion, else ""."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    return text.strip() if ob2.looks_like_compact_jws(text) else ""


def document_from_url(url: str) -> dict[str, Any]:
    """The credential (or bundle) behind a link."""
    url = url.strip()
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH or parts.scheme not in ("http", "https") or not parts.hostname:
        raise _refuse(_("Enter the full web address of the credential, starting with https://."))
    local_path = identity.portal_path(url)
    if local_path is not None:
        return _local_document(local_path)
    if parts.scheme != "https":
        raise _refuse(_("Only https addresses are fetched."))
    try:
        return _document_fetcher().fetch_json(url)
    except FetchError as error:
        raise _refuse(
            _("The address could not be read as a credential: %(reason)s") % {"reason": error}
        ) from error


def _document_fetcher() -> Any:
    if not settings.VERIFICATION_NETWORK_FETCH:
        return NoNetworkFetcher()
    return SafeHttpsFetcher(
        timeout=settings.VERIFICATION_FETCH_TIMEOUT_SECONDS,
        max_bytes=settings.CREDENTIAL_UPLOAD_MAX_BYTES,
        loopback_routes=settings.VERIFICATION_FETCH_LOOPBACK_ROUTES,
    )


def _local_document(path: str) -> dict[str, Any]:
    not_found = _refuse(
        _("This portal has no credential at that address (or the link has expired).")
    )
    match = _CHECK_PAGE.match(path)
    if match:
        credential = Credential.objects.filter(
            uuid=match.group(1), state=CredentialState.ISSUED, learner__is_active=True
        ).first()
        if credential is None or credential.document is None:
            raise not_found
        return credential.document
    try:
        answers = local_document_requested.send(sender=None, path=path)
    except Http404 as error:
        raise not_found from error
    for _receiver, document in answers:
        if isinstance(document, dict):
            return document
    raise not_found


def document_from_image(data: bytes) -> dict[str, Any]:
    """The credential in a baked badge, or behind (or inside) a QR code in a picture."""
    check_upload_size(len(data))
    head = data[:512].lstrip()
    if data.startswith(baking.PNG_SIGNATURE):
        try:
            return parse_credential_text(baking.unbake_png(data))
        except baking.BakingError:
            pass  # A PNG without a credential: perhaps a picture of a QR code.
    elif head.startswith((b"<?xml", b"<svg", b"<!--")):
        try:
            return parse_credential_text(baking.unbake_svg(data))
        except baking.BakingError as error:
            raise _refuse(str(error)) from error
    return _document_from_qr_code(data)


def _document_from_qr_code(data: bytes) -> dict[str, Any]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_QR_PIXELS:
                image.thumbnail((2000, 2000))
            codes = zxingcpp.read_barcodes(
                image.convert("L"), formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
            )
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise _refuse(
            _("This file is neither a credential (JSON) nor an image this page can read.")
        ) from error
    texts = [code.text.strip() for code in codes if code.valid and code.text.strip()]
    if not texts:
        raise _refuse(
            _(
                "No credential was found in this image: it is not a baked badge and no QR code "
                "could be read in it."
            )
        )
    text = texts[0]
    if text.startswith("openid-credential-offer:"):
        raise _refuse(
            _("This QR code offers a credential to a mobile wallet; it is not a credential.")
        )
    if text.startswith(("https://", "http://")):
        return document_from_url(text)
    if text.startswith("{"):
        return parse_credential_text(text)
    raise _refuse(_("The QR code in this image holds neither a link nor a credential."))


_IMAGE_SIGNATURES = (baking.PNG_SIGNATURE, b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"RIFF", b"BM")


def document_from_upload(data: bytes) -> dict[str, Any]:
    """An uploaded file: a credential's JSON, a baked badge or a picture of a QR code."""
    head = data[:512].lstrip()
    if data.startswith(_IMAGE_SIGNATURES) or head.startswith((b"<?xml", b"<svg", b"<!--")):
        return document_from_image(data)
    return parse_credential_text(data)
