"""Badge images: one per programme, shown on wallet cards, share and verification pages and
named in each new credential's achievement (Open Badges 3.0 ``image``).

A programme manager may upload a PNG; it is checked with Pillow and re-encoded (which drops
any metadata and anything that is not pixels). Without an upload the portal draws the badge
itself, the same way every time: the programme's title and the coordinating institution's
short name on a disc in a colour derived from that institution, as SVG (for pages) and PNG
(for baking a credential into the image).
"""

from __future__ import annotations

import base64
import hashlib
import io
import textwrap
from colorsys import hls_to_rgb
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont, UnidentifiedImageError

from portal.errors import DomainError

MAX_UPLOAD_BYTES = 1_000_000
MIN_SIDE, MAX_SIDE = 64, 2048
PNG_SIDE = 512


@dataclass(frozen=True)
class BadgeText:
    title: str
    institution: str
    # What the colour is derived from (the coordinating institution's address name).
    colour_seed: str


def institution_colour(seed: str) -> tuple[int, int, int]:
    """A dark, saturated colour that white text reads well on, the same for the same seed."""
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    hue = int.from_bytes(digest[:2], "big") / 65_536
    red, green, blue = hls_to_rgb(hue, 0.32, 0.62)
    return round(red * 255), round(green * 255), round(blue * 255)


def _hex(colour: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour)


def _title_lines(title: str) -> list[str]:
    lines = textwrap.wrap(title, width=18)[:4]
    if len(textwrap.wrap(title, width=18)) > 4:
        lines[-1] = lines[-1][:16].rstrip() + "…"
    return lines or [""]


def generated_svg(text: BadgeText) -> bytes:
    colour = _hex(institution_colour(text.colour_seed))
    lines = _title_lines(text.title)
    first_y = 256 - (len(lines) - 1) * 19
    title = "".join(
        f'<tspan x="256" y="{first_y + index * 38}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" '
        f'height="512" role="img" aria-label="{escape(text.title, {chr(34): "&quot;"})}">'
        f'<circle cx="256" cy="256" r="248" fill="{colour}"/>'
        '<circle cx="256" cy="256" r="222" fill="none" stroke="#ffffff" stroke-width="6"/>'
        '<text text-anchor="middle" font-family="sans-serif" font-weight="bold" '
        f'font-size="32" fill="#ffffff">{title}</text>'
        '<text x="256" y="430" text-anchor="middle" font-family="sans-serif" font-size="26" '
        f'fill="#ffffff">{escape(text.institution[:30])}</text>'
        "</svg>"
    )
    return svg.encode("utf-8")


def generated_png(text: BadgeText) -> bytes:
    colour = institution_colour(text.colour_seed)
    image = Image.new("RGBA", (PNG_SIDE, PNG_SIDE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, 504, 504), fill=colour)
    draw.ellipse((34, 34, 478, 478), outline=(255, 255, 255), width=6)
    title_font = ImageFont.load_default(size=32)
    small_font = ImageFont.load_default(size=26)
    lines = _title_lines(text.title)
    first_y = 256 - (len(lines) - 1) * 19
    for index, line in enumerate(lines):
        draw.text((256, first_y + index * 38), line, fill="white", font=title_font, anchor="ms")
    draw.text((256, 430), text.institution[:30], fill="white", font=small_font, anchor="ms")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def clean_upload(data: bytes) -> bytes:
    """An uploaded badge as a fresh PNG, or a DomainError saying what is wrong with it."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(
            _("The image is larger than %(limit)s bytes.") % {"limit": MAX_UPLOAD_BYTES},
            field="image",
        )
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if image_format != "PNG":
                raise DomainError(_("Upload the badge as a PNG image."), field="image")
            if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
                raise DomainError(
                    _("The badge must be between %(min)s and %(max)s pixels on each side.")
                    % {"min": MIN_SIDE, "max": MAX_SIDE},
                    field="image",
                )
            pixels = image.convert("RGBA")
    except DomainError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise DomainError(_("This file is not a readable PNG image."), field="image") from error
    out = io.BytesIO()
    pixels.save(out, format="PNG")
    return out.getvalue()


def svg_around_png(png: bytes) -> bytes:
    """An uploaded (PNG) badge as an SVG image, so it can be baked as SVG too."""
    with Image.open(io.BytesIO(png)) as image:
        width, height = image.size
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}"><image width="{width}" height="{height}" '
        f'href="data:image/png;base64,{data}"/></svg>'
    ).encode("ascii")
