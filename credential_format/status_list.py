"""W3C Bitstring Status List v1.0: the bitstring, the list credential and the entry check.

``encodedList`` = ``"u"`` + base64url-without-padding(GZIP(bitstring)); index 0 is the most
significant bit of byte 0; a list has at least 131,072 entries (16 KB) for herd privacy.
Decoding caps the decompressed size, so a small gzip bomb cannot exhaust memory.
"""

from __future__ import annotations

import base64
import gzip
import zlib
from dataclasses import dataclass
from typing import Any

from credential_format.contexts import CREDENTIALS_V2_URL
from credential_format.errors import StatusListError

MINIMUM_ENTRIES = 131_072
# A status is at most one byte: no status purpose needs more, and the cost of reading an entry
# must not depend on a number the credential chooses.
MAX_STATUS_SIZE = 8
# Enough digits for any index into a list of MAX_DECOMPRESSED_BYTES.
MAX_INDEX_DIGITS = 12
# 16 MiB of bits = 134 million entries: far beyond any real list, far below a memory problem.
MAX_DECOMPRESSED_BYTES = 16 * 1024 * 1024
STATUS_PURPOSES = ("revocation", "suspension", "refresh", "message")


class StatusBitstring:
    """A mutable bitstring; ``set(index)`` marks a credential revoked or suspended."""

    def __init__(self, length: int = MINIMUM_ENTRIES, *, status_size: int = 1) -> None:
        if status_size < 1 or status_size > 8:
            raise ValueError("statusSize must be between 1 and 8 bits.")
        total_bits = length * status_size
        self.length = length
        self.status_size = status_size
        self._bytes = bytearray((total_bits + 7) // 8)

    @classmethod
    def from_bytes(cls, data: bytes, *, status_size: int = 1) -> StatusBitstring:
        bitstring = cls(0, status_size=status_size)
        bitstring._bytes = bytearray(data)
        bitstring.length = len(data) * 8 // status_size
        return bitstring

    def _check_index(self, index: int) -> None:
        if not 0 <= index < self.length:
            raise StatusListError(
                f"Status index {index} is outside the list (0..{self.length - 1}).",
                code="RANGE_ERROR",
            )

    def get(self, index: int) -> int:
        """The status value at ``index`` (0 or 1 for a 1-bit list)."""
        self._check_index(index)
        value = 0
        first_bit = index * self.status_size
        for bit in range(first_bit, first_bit + self.status_size):
            value = (value << 1) | ((self._bytes[bit // 8] >> (7 - bit % 8)) & 1)
        return value

    def set(self, index: int, value: int | bool = 1) -> None:
        self._check_index(index)
        value = int(value)
        if not 0 <= value < (1 << self.status_size):
            raise ValueError(f"Status value {value} does not fit in {self.status_size} bits.")
        first_bit = index * self.status_size
        for offset in range(self.status_size):
            bit = first_bit + offset
            mask = 1 << (7 - bit % 8)
            if (value >> (self.status_size - 1 - offset)) & 1:
                self._bytes[bit // 8] |= mask
            else:
                self._bytes[bit // 8] &= ~mask

    def to_bytes(self) -> bytes:
        return bytes(self._bytes)

    def encode(self) -> str:
        # mtime=0 keeps the encoding deterministic, so an unchanged list re-signs identically.
        compressed = gzip.compress(self.to_bytes(), compresslevel=9, mtime=0)
        return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(
        cls,
        encoded: str,
        *,
        status_size: int = 1,
        max_decompressed_bytes: int = MAX_DECOMPRESSED_BYTES,
    ) -> StatusBitstring:
        if not isinstance(encoded, str) or not encoded.startswith("u"):
            raise StatusListError(
                "encodedList is not multibase base64url (it must start with 'u')."
            )
        body = encoded[1:]
        try:
            compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (ValueError, TypeError) as error:
            raise StatusListError("encodedList is not valid base64url.") from error
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        try:
            data = decompressor.decompress(compressed, max_decompressed_bytes)
        except zlib.error as error:
            raise StatusListError("encodedList is not valid GZIP data.") from error
        if decompressor.unconsumed_tail:
            raise StatusListError(
                f"encodedList expands to more than {max_decompressed_bytes} bytes; refusing it "
                "(possible compression bomb)."
            )
        return cls.from_bytes(data, status_size=status_size)


def status_entry(
    *, list_credential_url: str, index: int, purpose: str = "revocation"
) -> dict[str, Any]:
    """A ``BitstringStatusListEntry`` for a credential's ``credentialStatus``."""
    if purpose not in STATUS_PURPOSES:
        raise ValueError(f"Unknown status purpose {purpose!r}.")
    if index < 0:
        raise ValueError("statusListIndex must be non-negative.")
    return {
        "id": f"{list_credential_url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),
        "statusListCredential": list_credential_url,
    }


def status_purposes(credential: dict[str, Any]) -> set[str]:
    """The purposes of a credential's ``BitstringStatusListEntry`` entries."""
    entries = credential.get("credentialStatus")
    entries = entries if isinstance(entries, list) else [entries]
    return {
        entry["statusPurpose"]
        for entry in entries
        if isinstance(entry, dict)
        and entry.get("type") == "BitstringStatusListEntry"
        and isinstance(entry.get("statusPurpose"), str)
    }


def build_status_list_credential(
    *,
    list_credential_url: str,
    issuer: str | dict[str, Any],
    purpose: str,
    bitstring: StatusBitstring,
    valid_from: str,
    valid_until: str | None = None,
    ttl_milliseconds: int | None = None,
) -> dict[str, Any]:
    """An unsigned ``BitstringStatusListCredential``; sign it with ``signing.add_proof``."""
    if purpose not in ("revocation", "suspension"):
        raise ValueError("The portal publishes revocation and suspension lists only.")
    if bitstring.length < MINIMUM_ENTRIES:
        raise ValueError(f"A status list has at least {MINIMUM_ENTRIES} entries.")
    subject: dict[str, Any] = {
        "id": f"{list_credential_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": bitstring.encode(),
    }
    if ttl_milliseconds is not None:
        subject["ttl"] = ttl_milliseconds
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_URL],
        "id": list_credential_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": valid_from,
        "credentialSubject": subject,
    }
    if valid_until is not None:
        credential["validUntil"] = valid_until
    return credential


@dataclass(frozen=True)
class StatusResult:
    purpose: str
    index: int
    status: int
    message: str | None

    @property
    def is_set(self) -> bool:
        """True when the credential is revoked/suspended (for 1-bit purposes)."""
        return self.status != 0


def check_status_entry(
    entry: dict[str, Any],
    status_list_credential: dict[str, Any],
    *,
    minimum_entries: int = MINIMUM_ENTRIES,
    max_decompressed_bytes: int = MAX_DECOMPRESSED_BYTES,
) -> StatusResult:
    """Read one ``BitstringStatusListEntry`` from an already fetched *and verified* list.

    Raises :class:`StatusListError` with code STATUS_VERIFICATION_ERROR, STATUS_LIST_LENGTH_ERROR
    or RANGE_ERROR.
    """
    if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
        raise StatusListError("The credentialStatus entry is not a BitstringStatusListEntry.")
    purpose = entry.get("statusPurpose")
    list_url = entry.get("statusListCredential")
    raw_index = entry.get("statusListIndex")
    if not isinstance(list_url, str) or not isinstance(purpose, str):
        raise StatusListError("The status entry lacks statusPurpose or statusListCredential.")
    if entry.get("id") is not None and entry.get("id") == list_url:
        raise StatusListError("The status entry id must not be the status list's URL.")
    if not isinstance(raw_index, str) or not raw_index.isdigit() or not raw_index.isascii():
        raise StatusListError("statusListIndex must be a string of decimal digits.")
    if len(raw_index) > MAX_INDEX_DIGITS:
        raise StatusListError(
            "statusListIndex is far beyond the end of any status list.", code="RANGE_ERROR"
        )
    index = int(raw_index)
    status_size = entry.get("statusSize", 1)
    if (
        not isinstance(status_size, int)
        or isinstance(status_size, bool)
        or not 1 <= status_size <= MAX_STATUS_SIZE
    ):
        raise StatusListError(
            f"statusSize must be a whole number of bits from 1 to {MAX_STATUS_SIZE}."
        )
    if status_list_credential.get("id") not in (None, list_url):
        raise StatusListError("The status list credential's id is not the URL the entry names.")
    types = status_list_credential.get("type", [])
    if "BitstringStatusListCredential" not in (types if isinstance(types, list) else [types]):
        raise StatusListError("The document is not a BitstringStatusListCredential.")
    subject = status_list_credential.get("credentialSubject")
    if not isinstance(subject, dict) or subject.get("type") != "BitstringStatusList":
        raise StatusListError("The status list credential has no BitstringStatusList subject.")
    list_purposes = subject.get("statusPurpose")
    list_purposes = list_purposes if isinstance(list_purposes, list) else [list_purposes]
    if purpose not in list_purposes:
        raise StatusListError(
            f"The entry's purpose {purpose!r} is not one of the list's purposes {list_purposes}."
        )
    bitstring = StatusBitstring.decode(
        subject.get("encodedList", ""),
        status_size=status_size,
        max_decompressed_bytes=max_decompressed_bytes,
    )
    if bitstring.length < minimum_entries:
        raise StatusListError(
            f"The status list has {bitstring.length} entries, fewer than the minimum "
            f"{minimum_entries}.",
            code="STATUS_LIST_LENGTH_ERROR",
        )
    status = bitstring.get(index)
    message = None
    messages = entry.get("statusMessage")
    for candidate in messages if isinstance(messages, list) else [messages]:
        if isinstance(candidate, dict) and candidate.get("status") == hex(status):
            message = candidate.get("message")
    return StatusResult(purpose=purpose, index=index, status=status, message=message)
