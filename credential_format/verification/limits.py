"""How much input the verifier accepts, and how JSON text becomes a document: size and nesting
are bounded before parsing; duplicate keys, non-finite numbers and lone surrogates are refused."""

from __future__ import annotations

import json
import re
from typing import Any

from credential_format.errors import CredentialFormatError, DocumentLimitError

MAX_DOCUMENT_BYTES = 1_000_000
MAX_NESTING_DEPTH = 48
MAX_PROOFS = 16
MAX_STATUS_ENTRIES = 8
MAX_PRESENTED_CREDENTIALS = 64


def parse_json_document(
    data: str | bytes, *, max_bytes: int = MAX_DOCUMENT_BYTES, max_depth: int = MAX_NESTING_DEPTH
) -> Any:
    """Parse JSON text after checking its size, then check its nesting depth."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise DocumentLimitError(
            f"The document is {len(raw)} bytes; at most {max_bytes} bytes are accepted."
        )
    # Depth is bounded before json.loads recurses: count brackets outside strings.
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x7B, 0x5B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise DocumentLimitError(
                    f"The document is nested more than {max_depth} levels deep."
                )
        elif byte in (0x7D, 0x5D):
            depth -= 1
    try:
        # JSON between systems is UTF-8 (RFC 8259): other encodings are refused, not guessed.
        document = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_refuse_duplicate_keys,
            parse_constant=_refuse_non_finite_number,
        )
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise CredentialFormatError(f"The document is not valid JSON: {error}") from error
    if _ESCAPED_SURROGATE.search(raw):
        try:
            json.dumps(document, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            raise _lone_surrogate() from error
    return document


# A \uD800-\uDFFF escape: half of a pair (fine) or a lone surrogate (not Unicode text).
_ESCAPED_SURROGATE = re.compile(rb"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def _lone_surrogate() -> CredentialFormatError:
    return CredentialFormatError(
        "The document contains text that is not valid Unicode (a lone surrogate).",
        code="PARSING_ERROR",
    )


def _refuse_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A key given twice means what each parser decides (first or last wins), so a signer and
    a reader could see different credentials: refuse it."""
    document: dict[str, Any] = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"the key {key!r} appears twice in one object")
        document[key] = value
    return document


def _refuse_non_finite_number(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_document_limits(
    document: Any, *, max_bytes: int = MAX_DOCUMENT_BYTES, max_depth: int = MAX_NESTING_DEPTH
) -> None:
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > max_depth:
            raise DocumentLimitError(f"The document is nested more than {max_depth} levels deep.")
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
    try:
        size = len(json.dumps(document, ensure_ascii=False).encode("utf-8"))
    except UnicodeEncodeError as error:
        raise _lone_surrogate() from error
    except (TypeError, ValueError) as error:
        raise CredentialFormatError(
            "The document is not JSON data.", code="PARSING_ERROR"
        ) from error
    if size > max_bytes:
        raise DocumentLimitError(f"The document is {size} bytes; at most {max_bytes} are accepted.")
