"""Open Badges 3.0 baking (1EdTech Open Badges 3.0, section "Baking"): the signed credential
carried inside its badge image, so the image alone can be verified.

- PNG: one uncompressed ``iTXt`` chunk with the keyword ``openbadgecredential`` whose text is
  the credential's JSON, placed before ``IEND``. A chunk with that keyword already in the image
  is replaced (an image carries one credential).
- SVG: an ``<openbadges:credential>`` element (namespace
  ``https://purl.imsglobal.org/ob/v3p0``) as the first child of the root ``<svg>``, with the
  credential's JSON as CDATA.

Pure Python; reading refuses anything that is not a well-formed PNG or SVG within the limits.
"""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

from lxml import etree

from credential_format.errors import CredentialFormatError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEYWORD = b"openbadgecredential"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
OPENBADGES_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
MAX_IMAGE_BYTES = 5_000_000


class BakingError(CredentialFormatError):
    """An image that cannot be baked or read as a baked badge."""


def credential_text(credential: dict[str, Any]) -> str:
    return json.dumps(credential, ensure_ascii=False, separators=(",", ":"))


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if len(png) > MAX_IMAGE_BYTES:
        raise BakingError(f"The image is larger than {MAX_IMAGE_BYTES} bytes.")
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("This is not a PNG image.")
    chunks: list[tuple[bytes, bytes]] = []
    position = len(PNG_SIGNATURE)
    while position < len(png):
        if position + 8 > len(png):
            raise BakingError("The PNG image is truncated.")
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(png):
            raise BakingError("The PNG image is truncated.")
        data = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : end])
        if zlib.crc32(kind + data) != crc:
            raise BakingError("The PNG image is damaged (a chunk checksum is wrong).")
        chunks.append((kind, data))
        position = end
        if kind == b"IEND":
            break
    if not chunks or chunks[0][0] != b"IHDR" or chunks[-1][0] != b"IEND":
        raise BakingError("The PNG image is incomplete.")
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _is_credential_chunk(kind: bytes, data: bytes) -> bool:
    return kind == b"iTXt" and data.split(b"\x00", 1)[0] == PNG_KEYWORD


def bake_png(png: bytes, credential: dict[str, Any]) -> bytes:
    """The PNG with the credential in an ``iTXt`` chunk (keyword ``openbadgecredential``)."""
    # iTXt: keyword, NUL, compression flag 0, compression method 0, empty language tag, NUL,
    # empty translated keyword, NUL, UTF-8 text.
    itxt = PNG_KEYWORD + b"\x00\x00\x00" + b"\x00" + b"\x00" + credential_text(credential).encode()
    out = [PNG_SIGNATURE]
    for kind, data in _chunks(png):
        if _is_credential_chunk(kind, data):
            continue
        if kind == b"IEND":
            out.append(_chunk(b"iTXt", itxt))
        out.append(_chunk(kind, data))
    return b"".join(out)


def unbake_png(png: bytes) -> str:
    """The credential text of a baked PNG."""
    found = [data for kind, data in _chunks(png) if _is_credential_chunk(kind, data)]
    if not found:
        raise BakingError("This PNG image carries no Open Badges credential.")
    if len(found) > 1:
        raise BakingError("This PNG image carries more than one credential.")
    # keyword NUL, compression flag, compression method, language tag NUL, translated
    # keyword NUL, text.
    _keyword, rest = found[0].split(b"\x00", 1)
    parts = rest[2:].split(b"\x00", 2) if len(rest) >= 2 else []
    if len(parts) != 3:
        raise BakingError("The credential chunk of this PNG image is malformed.")
    compressed, text = rest[0], parts[2]
    if compressed:
        try:
            text = zlib.decompressobj().decompress(text, MAX_IMAGE_BYTES)
        except zlib.error as error:
            raise BakingError("The credential chunk of this PNG image is damaged.") from error
    try:
        return text.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BakingError("The credential in this PNG image is not UTF-8 text.") from error


def _svg_root(svg: bytes) -> etree._Element:
    if len(svg) > MAX_IMAGE_BYTES:
        raise BakingError(f"The image is larger than {MAX_IMAGE_BYTES} bytes.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, strip_cdata=False
    )
    try:
        root = etree.fromstring(svg, parser)
    except etree.XMLSyntaxError as error:
        raise BakingError(f"This is not a well-formed SVG image ({error}).") from error
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise BakingError("This is not an SVG image.")
    return root


def bake_svg(svg: bytes, credential: dict[str, Any]) -> bytes:
    """The SVG with the credential in ``<openbadges:credential>`` as its first child."""
    root = _svg_root(svg)
    for old in root.findall(f"{{{OPENBADGES_NAMESPACE}}}credential"):
        root.remove(old)
    # A root element's namespace declarations cannot be added in place with lxml: rebuild it.
    namespaces = {**root.nsmap, "openbadges": OPENBADGES_NAMESPACE}
    baked = etree.Element(root.tag, attrib=dict(root.attrib), nsmap=namespaces)
    baked.text = root.text
    element = etree.SubElement(baked, f"{{{OPENBADGES_NAMESPACE}}}credential")
    element.text = etree.CDATA(credential_text(credential))
    element.tail = root.text
    for child in root:
        baked.append(child)
    return etree.tostring(baked, xml_declaration=True, encoding="utf-8")


def unbake_svg(svg: bytes) -> str:
    """The credential text of a baked SVG."""
    found = _svg_root(svg).findall(f"{{{OPENBADGES_NAMESPACE}}}credential")
    if not found:
        raise BakingError("This SVG image carries no Open Badges credential.")
    if len(found) > 1:
        raise BakingError("This SVG image carries more than one credential.")
    return "".join(found[0].itertext()).strip()


def unbake(image: bytes) -> str:
    """The credential text of a baked PNG or SVG image."""
    if image.startswith(PNG_SIGNATURE):
        return unbake_png(image)
    return unbake_svg(image)
