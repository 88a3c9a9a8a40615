"""Which registered institution (and programme version) a credential comes from.

The portal's institutions issue as `did:web:<portal host>:institutions:<slug>`
(`issuance.identity`). The name a credential claims for its issuer is shown as claimed; the
registered name comes from here, so officers never mistake a look-alike issuer for one of ours.
Matching the issuer id is not proof: the verification report says whether a key the issuer
controls signed the credential.
"""

from __future__ import annotations

from alliances.models import Institution
from catalogue.models import ProgrammeVersion
from issuance import identity


def institution_for_issuer(issuer_id: str) -> Institution | None:
    """The registered institution whose DID is `issuer_id`, if any."""
    slug = identity.institution_slug_from_did(issuer_id)
    return Institution.objects.filter(slug=slug).first() if slug else None


def programme_version_for_achievement(
    achievement_id: str, issuer: Institution | None
) -> ProgrammeVersion | None:
    """The programme version a credential of one of our institutions was issued for.

    Only an issuer that is one of the version's awarding bodies counts, so a credential from
    elsewhere cannot borrow our programme's identity."""
    version_id = identity.version_id_from_achievement(achievement_id)
    if issuer is None or version_id is None:
        return None
    return (
        ProgrammeVersion.objects.filter(pk=version_id, awarding_bodies=issuer)
        .select_related("programme")
        .first()
    )
