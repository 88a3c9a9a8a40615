"""Joint credentials: each co-awarding institution attests the credential with an Open Badges 3.0
``EndorsementCredential`` it signs, embedded in the credential before the issuer signs it
(docs/decisions/joint-credentials-as-endorsements.md).

An endorsement names the credential it endorses (``credentialSubject.id``) and pins its content
by digest (``relatedResource``: the ``digestMultibase`` of the RDFC-1.0 canonical form of the
credential without its proofs and endorsements), so it cannot be moved to another credential,
nor kept on a credential whose content changed.
"""

from __future__ import annotations

import uuid
from typing import Any

from credential_format.builders import AwardingBody, credential_digest_multibase, profile
from credential_format.contexts import CREDENTIALS_V2_URL, OPEN_BADGES_V3_URL
from credential_format.signing import Signer, add_proof, unsecured_document, with_proof_list

ENDORSEMENT_CONTEXT = [CREDENTIALS_V2_URL, OPEN_BADGES_V3_URL]


def endorsed_content(credential: dict[str, Any]) -> dict[str, Any]:
    """The part of a credential its endorsements attest: everything but proofs and endorsements."""
    content = unsecured_document(credential)
    content.pop("endorsement", None)
    return content


def endorsed_content_digest(credential: dict[str, Any]) -> str:
    return credential_digest_multibase(endorsed_content(credential))


def build_endorsement(
    credential: dict[str, Any],
    endorser: AwardingBody,
    *,
    issued_on: str,
    comment: str,
    content_digest: str | None = None,
) -> dict[str, Any]:
    """An unsigned ``EndorsementCredential`` by ``endorser`` of ``credential`` (as it stands now,
    without proofs and endorsements)."""
    credential_id = credential["id"]
    return {
        "@context": list(ENDORSEMENT_CONTEXT),
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": f"{endorser.name} co-awards this credential",
        "issuer": profile(endorser),
        "validFrom": issued_on,
        "credentialSubject": {
            "id": credential_id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
        "relatedResource": [
            {
                "id": credential_id,
                "digestMultibase": content_digest or endorsed_content_digest(credential),
            }
        ],
    }


def embed_endorsements(
    credential: dict[str, Any],
    endorsers: list[tuple[AwardingBody, Signer]],
    *,
    issued_on: str,
    comment: str,
) -> dict[str, Any]:
    """The unsigned credential with one signed endorsement per co-awarding institution; the
    issuer signs the result, so its proof covers the endorsements too."""
    if not endorsers:
        return credential
    digest = endorsed_content_digest(credential)
    endorsements = [
        with_proof_list(
            add_proof(
                build_endorsement(
                    credential, body, issued_on=issued_on, comment=comment, content_digest=digest
                ),
                signer,
                created=issued_on,
            )
        )
        for body, signer in endorsers
    ]
    return {**credential, "endorsement": endorsements}
