"""The picture of a European Digital Credential that EDC viewers show (``individualDisplay``):
one PNG page per language, drawn from the same texts the document states."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

# Names carry letters beyond Latin-1 (ł, ő, č...): a Unicode font when the system has one.
_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)
WIDTH, HEIGHT, MARGIN = 1240, 877, 80  # A5 landscape at 150 dpi
BAND = (29, 63, 143)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in _FONTS:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def _wrapped(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.ImageFont | ImageFont.FreeTypeFont
) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= WIDTH - 2 * MARGIN:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines or [""]


def render_display_image(
    *, title: str, learner: str, awarding_bodies: list[str], issued_on: str, lines: list[str]
) -> bytes:
    """A PNG page: title, learner, awarding bodies, date, then the given lines."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 36), fill=BAND)
    y = 80
    for text, size in (
        (title, 44),
        (learner, 34),
        ("; ".join(awarding_bodies), 24),
        (issued_on[:10], 22),
        *((line, 20) for line in lines),
    ):
        font = _font(size)
        for part in _wrapped(draw, text, font):
            if y > HEIGHT - MARGIN:
                break
            draw.text((MARGIN, y), part, fill="black", font=font)
            y += int(size * 1.35)
        y += 14
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
