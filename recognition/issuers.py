"""Which registered institution (and programme version) a credential comes from.

The portal's institutions issue as `did:web:<portal host>:institutions:<slug>` under
`settings.PORTAL_BASE_URL`. The name a credential claims for its issuer is shown as claimed;
the registered name comes from here, so officers never mistake a look-alike issuer for one of
ours. Matching the issuer id is not proof: the verification report says whether a key the
issuer controls signed the credential.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from django.conf import settings

from alliances.models import Institution
from catalogue.models import ProgrammeVersion


def _did_web_prefix() -> str:
    base = urlsplit(settings.PORTAL_BASE_URL)
    host = quote(base.netloc, safe="")  # a port's colon becomes %3A, as did:web requires
    segments = [segment for segment in base.path.split("/") if segment]
    return ":".join(["did:web", host, *segments, "institutions"]) + ":"


def institution_did(institution: Institution) -> str:
    return _did_web_prefix() + institution.slug


def institution_for_issuer(issuer_id: str) -> Institution | None:
    """The registered institution whose DID is `issuer_id`, if any."""
    prefix = _did_web_prefix()
    if not issuer_id.startswith(prefix):
        return None
    slug = issuer_id[len(prefix) :]
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug):
        return None
    return Institution.objects.filter(slug=slug).first()


def programme_version_achievement_id(version: ProgrammeVersion) -> str:
    """The achievement id of credentials issued for a programme version: the version's public
    API address, which never changes once published."""
    return f"{settings.PORTAL_BASE_URL}/api/v1/programme-versions/{version.pk}/"


def programme_version_for_achievement(
    achievement_id: str, issuer: Institution | None
) -> ProgrammeVersion | None:
    """The programme version a credential of one of our institutions was issued for.

    Only an issuer that is one of the version's awarding bodies counts, so a credential from
    elsewhere cannot borrow our programme's identity."""
    if issuer is None:
        return None
    prefix = f"{settings.PORTAL_BASE_URL}/api/v1/programme-versions/"
    match = re.fullmatch(re.escape(prefix) + r"(\d{1,18})/", achievement_id)
    if not match:
        return None
    return (
        ProgrammeVersion.objects.filter(pk=int(match.group(1)), awarding_bodies=issuer)
        .select_related("programme")
        .first()
    )
