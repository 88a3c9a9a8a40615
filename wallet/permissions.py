"""What a learner holds and shares: only the holder acts on their wallet.

Built on the role helpers in `alliances.permissions` and the credential rules in
`issuance.permissions` (one way of deciding access: same 404 rule through
`get_object_or_404_for`, same audit of refusals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from issuance.permissions import can_view_credential

if TYPE_CHECKING:
    from issuance.models import Credential
    from wallet.models import ImportedCredential, ShareLink, WalletOffer


def holds(user: Any, owned: Credential | ImportedCredential | ShareLink | WalletOffer) -> bool:
    """The signed-in user is the learner the object belongs to."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and getattr(owned, "learner_id", None) == user.pk
    )


def can_share_credential(user: Any, credential: Credential | ImportedCredential) -> bool:
    """Only the holder shares a credential (issued or imported) or sends it to a wallet."""
    return holds(user, credential)


def can_manage_share_link(user: Any, link: ShareLink) -> bool:
    return holds(user, link)


def can_view_imported_credential(user: Any, imported: ImportedCredential) -> bool:
    return holds(user, imported)


def can_download_credential_exports(user: Any, credential: Credential) -> bool:
    """The sealed ELM document and the PDF certificate: the holder and the issuing
    institution's staff."""
    return can_view_credential(user, credential)
