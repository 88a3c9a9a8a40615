"""Badge images of the credentials in a wallet, and the credentials baked into them (Open
Badges 3.0 baking, `credential_format.baking`): a baked PNG or SVG is the badge image with the
signed credential inside, which the verify page reads back."""

from __future__ import annotations

from catalogue import badge_images
from catalogue import selectors as catalogue_selectors
from credential_format import baking
from issuance.models import Credential


def badge_image(credential: Credential, *, as_png: bool) -> bytes:
    """The credential's badge image: its programme's (uploaded or drawn), its pathway's, or,
    for a recognition decision, one drawn from its title."""
    if credential.programme_version_id:
        body, media_type = catalogue_selectors.version_badge(
            version_id=credential.programme_version_id, as_png=as_png
        )
    elif credential.pathway is not None:
        body, media_type = catalogue_selectors.pathway_badge(
            slug=credential.pathway.slug, as_png=as_png
        )
    else:
        text = badge_images.BadgeText(
            title=credential.title,
            institution=credential.issuer.short_name or credential.issuer.legal_name,
            colour_seed=credential.issuer.slug,
        )
        body = badge_images.generated_png(text) if as_png else badge_images.generated_svg(text)
        media_type = "image/png" if as_png else "image/svg+xml"
    if not as_png and media_type == "image/png":
        return badge_images.svg_around_png(body)
    return body


def baked_png(credential: Credential) -> bytes:
    return baking.bake_png(badge_image(credential, as_png=True), credential.document or {})


def baked_svg(credential: Credential) -> bytes:
    return baking.bake_svg(badge_image(credential, as_png=False), credential.document or {})
