"""A credential as a one-page PDF certificate with a QR code that opens the public
verification page. (The European Digital Credential version is `issuance.edc`.)"""

from __future__ import annotations

import io
from pathlib import Path

import segno
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from alliances.models import Institution
from issuance.models import Credential
from verification.element_values import element_label, localized_date
from verification.summaries import CredentialSummary, summarise_credential
from wallet.selectors import WITHDRAWN_STATUSES, public_verification_url

# Institution and learner names use letters beyond Latin-1 (ł, ő, č...): use a Unicode font
# when the system has one, the built-in Helvetica otherwise.
_UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)

LOGO_SIZE = 16 * mm


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
    _draw_logos(pdf, awarding_institutions(credential), right, height - 14 * mm)
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
    for label, value in certificate_elements(summary):
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


def certificate_elements(summary: CredentialSummary) -> list[tuple[str, str]]:
    """The EU elements the certificate prints, labelled and in the reader's words (coded
    values translated, dates in the reader's format); empty ones are left out."""
    elements = [
        (_("Date of issue"), localized_date(summary.valid_from)),
        (_("Country(ies) of the issuer"), ", ".join(summary.countries)),
        (
            _("Workload"),
            _("%(ects)s ECTS credits") % {"ects": summary.ects}
            + (f" ({summary.workload} h)" if summary.workload else ""),
        ),
        (
            _("Level"),
            f"EQF {summary.eqf_level}"
            + (
                f", QF-EHEA: {_coded(summary.qf_ehea_cycle, 'qf-ehea')}"
                if summary.qf_ehea_cycle
                else ""
            ),
        ),
        (_("Type of assessment"), summary.assessment_type),
        (_("Form of participation"), _coded(summary.participation_form, "participation")),
        (_("Quality assurance"), summary.quality_assurance),
        (_("Grade"), summary.grade),
        (
            _("Supervision and identity verification"),
            _coded(summary.supervision, "supervision"),
        ),
        (_("Integration"), _coded(summary.integration, "integration")),
    ]
    return [(label, value) for label, value in elements if value.strip()]


def awarding_institutions(credential: Credential) -> list[Institution]:
    """The institutions that award the credential: the programme version's awarding bodies
    (coordinator first), or the issuer alone."""
    version = credential.programme_version
    slugs = [
        str(body.get("slug", ""))
        for body in (version.snapshot.get("awarding_bodies", []) if version is not None else [])
        if isinstance(body, dict)
    ]
    if not slugs:
        return [credential.issuer]
    found = {
        institution.slug: institution for institution in Institution.objects.filter(slug__in=slugs)
    }
    return [found[slug] for slug in slugs if slug in found]


def _coded(value: str, element: str) -> str:
    """A coded element value in the reader's words (free text stays as stated)."""
    return element_label(value, element) or value if value else ""


def _draw_logos(
    pdf: canvas.Canvas, institutions: list[Institution], right: float, top: float
) -> None:
    """The awarding institutions' logos, right-aligned below the header band."""
    x = right
    for institution in reversed(institutions):
        if not institution.logo:
            continue
        try:
            with institution.logo.open("rb") as handle:
                image = ImageReader(io.BytesIO(handle.read()))
        except OSError:
            continue  # a missing file leaves the certificate without that logo
        x -= LOGO_SIZE
        pdf.drawImage(
            image, x, top - LOGO_SIZE, LOGO_SIZE, LOGO_SIZE, preserveAspectRatio=True, mask="auto"
        )
        x -= 4 * mm


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
