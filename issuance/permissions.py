"""Who may issue, revoke and view credentials, and manage an institution's keys and seal.

Built on the role helpers in `alliances.permissions` (one way of deciding access: same role
cache, same 404 rule through `get_object_or_404_for`, same audit of refusals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.permissions import ADMIN, MANAGER, administers_institution, roles_of

if TYPE_CHECKING:
    from alliances.models import Institution
    from issuance.models import Credential

# Who issues, revokes and suspends an institution's credentials.
CREDENTIAL_ROLES = (ADMIN, MANAGER)


def can_manage_credentials(user: Any, institution_id: int | None) -> bool:
    index = roles_of(user)
    return (
        index.is_operator
        or index.has(institution_id, *CREDENTIAL_ROLES)
        or institution_id in index.alliance_member_institutions
    )


def can_view_credential(user: Any, credential: Credential) -> bool:
    """The learner who holds it, or staff of the issuing institution."""
    return (
        getattr(user, "is_authenticated", False) and credential.learner_id == user.pk
    ) or can_manage_credentials(user, credential.issuer_id)


def can_manage_keys(user: Any, institution: Institution) -> bool:
    return administers_institution(user, institution.pk)


def can_manage_seal(user: Any, institution: Institution) -> bool:
    """Uploading the institution's electronic seal certificate: its administrators."""
    return administers_institution(user, institution.pk)
