"""The one-page PDF certificate with its QR code. (The sealed European Digital Credential
export is tested in tests/issuance/test_edc.py.)"""

from __future__ import annotations

import re
import zlib

import pytest

from wallet import exports
from wallet.selectors import public_verification_url

pytestmark = pytest.mark.django_db


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (reportlab compresses page content)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_is_one_page_with_the_qr_target_and_the_elements(dana_credential):
    pdf = exports.certificate_pdf(dana_credential)
    assert pdf.startswith(b"%PDF")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 1
    )
    assert b"/Count 1" in pdf
    url = public_verification_url(dana_credential)
    assert url.encode() in pdf  # the QR code's link annotation
    assert url == f"https://portal.test/verify/credentials/{dana_credential.uuid}/"
    text = _pdf_text(pdf)
    assert b"dana@learner.example" not in text


def test_the_qr_code_encodes_the_verification_page(dana_credential, monkeypatch):
    encoded = []
    real_make = exports.segno.make
    monkeypatch.setattr(
        exports.segno,
        "make",
        lambda content, **kw: encoded.append(content) or real_make(content, **kw),
    )
    exports.certificate_pdf(dana_credential)
    assert encoded == [public_verification_url(dana_credential)]
