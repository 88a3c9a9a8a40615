"""Open Badges 3.0 baking, checked with parsers we did not write: Pillow reads the PNG's iTXt
chunk, Python's standard XML parser reads the SVG's openbadges:credential element."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from PIL import Image, PngImagePlugin

from credential_format import baking

CREDENTIAL = {
    "@context": ["https://www.w3.org/ns/credentials/v2"],
    "type": ["VerifiableCredential", "OpenBadgeCredential"],
    "name": "Données ouvertes ]]> & <éléments>",
    "proof": {"proofValue": "z3FXQ"},
}
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4"/></svg>'


def png_image() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(out, format="PNG")
    return out.getvalue()


def test_pillow_reads_the_credential_from_the_baked_png():
    baked = baking.bake_png(png_image(), CREDENTIAL)
    with Image.open(io.BytesIO(baked)) as image:
        image.load()
        assert image.size == (8, 8)
        chunk = image.text["openbadgecredential"]
    assert isinstance(chunk, PngImagePlugin.iTXt)
    assert json.loads(chunk) == CREDENTIAL
    assert baking.unbake(baked) == chunk


def test_baking_again_replaces_the_credential():
    once = baking.bake_png(png_image(), CREDENTIAL)
    twice = baking.bake_png(once, {**CREDENTIAL, "name": "other"})
    assert json.loads(baking.unbake_png(twice))["name"] == "other"
    assert twice.count(b"openbadgecredential") == 1


def test_a_compressed_chunk_written_by_pillow_is_read():
    info = PngImagePlugin.PngInfo()
    info.add_itxt("openbadgecredential", json.dumps(CREDENTIAL), zip=True)
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG", pnginfo=info)
    assert json.loads(baking.unbake_png(out.getvalue())) == CREDENTIAL


def test_the_standard_xml_parser_reads_the_credential_from_the_baked_svg():
    baked = baking.bake_svg(SVG, CREDENTIAL)
    root = ET.fromstring(baked)  # noqa: S314 (our own output, parsed by a second parser)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    element = root[0]
    assert element.tag == "{https://purl.imsglobal.org/ob/v3p0}credential"
    assert json.loads(element.text) == CREDENTIAL
    assert b"<![CDATA[" in baked
    assert root.find("{http://www.w3.org/2000/svg}circle") is not None
    assert json.loads(baking.unbake(baked)) == CREDENTIAL


@pytest.mark.parametrize(
    "image",
    [
        b"",
        b"not an image",
        b"\x89PNG\r\n\x1a\n\x00\x00",
        png_image()[:-5],
        png_image(),
        SVG,
        b'<svg xmlns="http://www.w3.org/2000/svg"><unclosed></svg>',
        b'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
        b"<html/>",
    ],
)
def test_images_without_a_credential_are_refused_clearly(image):
    with pytest.raises(baking.BakingError):
        baking.unbake(image)


def test_a_damaged_chunk_is_refused():
    baked = bytearray(baking.bake_png(png_image(), CREDENTIAL))
    index = baked.index(b"openbadgecredential") + 40
    baked[index] ^= 0xFF
    with pytest.raises(baking.BakingError, match="checksum"):
        baking.unbake(bytes(baked))
