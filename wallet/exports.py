"""A credential as a one-page PDF certificate with a QR code that opens the public
verification page. (The European Digital Credential version is `issuance.edc`.)"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from issuance.models import Credential
from verification.summaries import summarise_credential
from wallet.selectors import WITHDRAWN_STATUSES, public_verification_url

# Institution and learner names use letters beyond Latin-1 (ł, ő, č...): use a Unicode font
# when the system has one, the built-in Helvetica otherwise.
_UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


def _font() -> tuple[str, str]:
    for path in _UNICODE_FONTS:
        if path.exists():
            if "PortalSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("PortalSans", str(path)))
            return "PortalSans", "PortalSans"
    return "Helvetica", "Helvetica-Bold"


def certificate_pdf(credential: Credential) -> bytes:
    """A one-page A4 certificate: title, learner, awarding institutions, the EU elements and a
    QR code (also a link) to the public verification page."""
    summary = summarise_credential(credential.document)
    url = public_verification_url(credential)
    regular, bold = _font()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(summary.title or credential.title)
    pdf.setAuthor(credential.issuer.legal_name)
    pdf.setSubject(_("Micro-credential certificate"))
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 28 * mm

    def line(text: str, size: float = 10, font: str = regular, gap: float = 1.4) -> None:
        nonlocal y
        for part in simpleSplit(text, font, size, right - left) or [""]:
            pdf.setFont(font, size)
            pdf.drawString(left, y, part)
            y -= size * gap

    pdf.setFillColorRGB(0.114, 0.247, 0.561)
    pdf.rect(0, height - 12 * mm, width, 12 * mm, stroke=0, fill=1)
    pdf.setFillColorRGB(0, 0, 0)
    line(_("Certificate of achievement"), 12, regular)
    y -= 4
    line(summary.title or credential.title, 20, bold, 1.3)
    y -= 6
    line(_("awarded to"), 10)
    line(summary.learner_name or credential.learner.display_name, 16, bold)
    y -= 4
    bodies = summary.awarding_bodies or [summary.issuer]
    line(
        _("by")
        + " "
        + "; ".join(f"{b.name} ({b.country})" if b.country else b.name for b in bodies),
        11,
    )
    y -= 8
    elements = [
        (_("Date of issue"), (summary.valid_from or "")[:10]),
        (_("Country(ies) of the issuer"), ", ".join(summary.countries)),
        (
            _("Workload"),
            _("%(ects)s ECTS credits") % {"ects": summary.ects}
            + (f" ({summary.workload} h)" if summary.workload else ""),
        ),
        (
            _("Level"),
            f"EQF {summary.eqf_level}"
            + (f", QF-EHEA {summary.qf_ehea_cycle} cycle" if summary.qf_ehea_cycle else ""),
        ),
        (_("Type of assessment"), summary.assessment_type),
        (_("Form of participation"), summary.participation_form),
        (_("Quality assurance"), summary.quality_assurance),
        (_("Grade"), summary.grade),
        (_("Supervision and identity verification"), summary.supervision),
        (_("Integration"), summary.integration),
    ]
    for label, value in elements:
        if value.strip():
            line(f"{label}: {value}", 9.5)
    if summary.outcomes:
        y -= 4
        line(_("Learning outcomes"), 11, bold)
        for outcome in summary.outcomes[:8]:
            line(f"• {outcome.text}", 9.5)
    if summary.skills:
        line(
            _("Skills (ESCO)") + ": " + ", ".join(skill.label for skill in summary.skills[:12]), 9.5
        )
    _draw_qr(pdf, url, left, 18 * mm, 34 * mm)
    pdf.setFont(regular, 9)
    text_left = left + 40 * mm
    pdf.drawString(text_left, 44 * mm, _("Check this credential: scan the code or open"))
    pdf.drawString(text_left, 39 * mm, url)
    pdf.drawString(text_left, 32 * mm, _("Identifier") + f": {credential.credential_id}")
    pdf.drawString(
        text_left,
        27 * mm,
        _("The digital credential (signed JSON) is the authoritative version of this certificate."),
    )
    pdf.linkURL(url, (left, 18 * mm, left + 34 * mm, 52 * mm), relative=0)
    pdf.linkURL(url, (text_left, 38 * mm, right, 42 * mm), relative=0)
    _draw_status_mark(pdf, credential, bold)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _draw_status_mark(pdf: canvas.Canvas, credential: Credential, font: str) -> None:
    """A revoked or suspended credential's certificate says so across the page, so a printed
    copy cannot pass for one the issuer still stands behind."""
    status = credential.lifecycle_status()
    if status not in WITHDRAWN_STATUSES:
        return
    mark = _("REVOKED") if status == "revoked" else _("SUSPENDED")
    width, height = A4
    pdf.saveState()
    pdf.setFillColorRGB(0.75, 0.1, 0.1)
    pdf.setFont(font, 11)
    pdf.drawString(
        20 * mm,
        height - 20 * mm,
        _("The issuer has withdrawn this credential (%(status)s): do not rely on it.")
        % {"status": mark},
    )
    pdf.setFillAlpha(0.25)
    pdf.setFont(font, 72)
    pdf.translate(width / 2, height / 2)
    pdf.rotate(45)
    pdf.drawCentredString(0, 0, mark)
    pdf.restoreState()


def _draw_qr(pdf: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code as vector squares (crisp at any zoom, no image library involved)."""
    code = segno.make(url, error="m")
    rows = [list(row) for row in code.matrix_iter(scale=1, border=4)]
    module = size / len(rows)
    pdf.setFillColorRGB(0, 0, 0)
    for row_index, row in enumerate(rows):
        for column_index, dark in enumerate(row):
            if dark:
                pdf.rect(
                    x + column_index * module,
                    y + size - (row_index + 1) * module,
                    module,
                    module,
                    stroke=0,
                    fill=1,
                )
