"""A credential or presentation as people hand it in (pasted, uploaded, posted to the API):
within the size and depth limits, parsed to a JSON object, or refused with a clear reason."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from credential_format.errors import CredentialFormatError
from credential_format.verification import parse_json_document
from portal.errors import DomainError


class DocumentTooLargeError(DomainError):
    status_code = 413
    code = "too_large"


def check_upload_size(size: int) -> None:
    limit = settings.CREDENTIAL_UPLOAD_MAX_BYTES
    if size > limit:
        raise DocumentTooLargeError(
            _(
                "The file is %(size)s bytes; a credential may be at most %(limit)s bytes. "
                "Check that you chose the credential file and not something else."
            )
            % {"size": size, "limit": limit},
            field="document",
        )


def parse_credential_text(data: str | bytes) -> dict[str, Any]:
    """JSON text (pasted or uploaded) as a document, within the size and depth limits."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_upload_size(len(raw))
    try:
        document = parse_json_document(raw, max_bytes=settings.CREDENTIAL_UPLOAD_MAX_BYTES)
    except CredentialFormatError as error:
        # The parser's own message is English and technical; the reader gets what to do.
        raise DomainError(
            _(
                "This is not valid JSON, or it is nested too deeply to be checked. Paste or "
                "upload the credential file as it is, from its first { to its last }."
            ),
            code="malformed",
            field="document",
        ) from error
    if not isinstance(document, dict):
        raise DomainError(_("A credential is a JSON object."), code="malformed", field="document")
    return document
