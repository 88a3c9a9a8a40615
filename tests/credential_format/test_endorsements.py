"""Joint credentials: every co-awarding institution attests with a signed Open Badges 3.0
endorsement embedded before the issuer signs; forged, foreign and misplaced endorsements fail."""

from __future__ import annotations

import copy

from credential_format.builders import AwardingBody, build_micro_credential
from credential_format.endorsements import build_endorsement, embed_endorsements
from credential_format.keys import build_did_web_document, did_web_document_url
from credential_format.verification import verify_credential

from .sample_claims import PARTNER, micro_credential_claims
from .test_verification import (
    COORDINATOR_SIGNER,
    NOW,
    OTHER_SEED,
    PARTNER_SEED,
    _key,
    _signer,
    _world,
    add_proof,
)

SIGNED_ON = "2025-01-15T10:00:00Z"
OUTSIDER = AwardingBody("did:web:portal.example.eu:institutions:outsider", "Outsider", "FR")
PARTNER_SIGNER = _signer(PARTNER, "key-1", PARTNER_SEED)
OUTSIDER_SIGNER = _signer(OUTSIDER, "key-1", OTHER_SEED)


def _world_with_outsider():
    world = _world()
    world.documents[did_web_document_url(OUTSIDER.id)] = build_did_web_document(
        OUTSIDER.id, active=[_key("key-1", OTHER_SEED)], retired=[]
    )
    return world


def _joint(endorsers=((PARTNER, PARTNER_SIGNER),), **claims) -> dict:
    unsigned = build_micro_credential(micro_credential_claims(**claims))
    endorsed = embed_endorsements(
        unsigned, list(endorsers), issued_on=SIGNED_ON, comment="Co-awarded."
    )
    return add_proof(endorsed, COORDINATOR_SIGNER)


def _outcomes(report, prefix: str) -> list[tuple[str, str]]:
    return [(c.outcome.value, c.code) for c in report.checks if c.id.startswith(prefix)]


def test_a_joint_credential_reports_each_partner_endorsement():
    report = verify_credential(_joint(), fetcher=_world(), now=NOW)
    assert report.verified, report.to_dict()
    assert _outcomes(report, "endorsement") == [("passed", "")]
    (attestation,) = [c for c in report.checks if c.id.startswith("awarding-body")]
    assert attestation.details == {"awardingBody": PARTNER.id, "attestation": "endorsement"}
    assert PARTNER_SIGNER.verification_method in report.verified_methods


def test_a_forged_endorsement_fails():
    impostor = _signer(PARTNER, "key-1", OTHER_SEED)  # claims the partner's key id
    report = verify_credential(_joint(((PARTNER, impostor),)), fetcher=_world(), now=NOW)
    assert not report.verified
    assert ("failed", "ENDORSEMENT_INVALID") in _outcomes(report, "endorsement")


def test_an_endorsement_by_an_institution_that_is_not_a_partner_fails():
    credential = _joint(((OUTSIDER, OUTSIDER_SIGNER),))
    report = verify_credential(credential, fetcher=_world_with_outsider(), now=NOW)
    assert not report.verified
    assert _outcomes(report, "endorsement") == [("failed", "ENDORSER_NOT_AWARDING_BODY")]


def test_an_endorsement_taken_from_another_credential_fails():
    other = _joint()
    unsigned = build_micro_credential(micro_credential_claims())
    unsigned["endorsement"] = copy.deepcopy(other["endorsement"])
    report = verify_credential(add_proof(unsigned, COORDINATOR_SIGNER), fetcher=_world(), now=NOW)
    assert not report.verified
    assert _outcomes(report, "endorsement") == [("failed", "ENDORSEMENT_SUBJECT_MISMATCH")]


def test_an_endorsement_of_content_changed_afterwards_fails():
    unsigned = build_micro_credential(micro_credential_claims())
    endorsed = embed_endorsements(
        unsigned, [(PARTNER, PARTNER_SIGNER)], issued_on=SIGNED_ON, comment="Co-awarded."
    )
    endorsed["credentialSubject"]["creditsEarned"] = 60  # the issuer changes it, then signs
    report = verify_credential(add_proof(endorsed, COORDINATOR_SIGNER), fetcher=_world(), now=NOW)
    assert not report.verified
    assert _outcomes(report, "endorsement") == [("failed", "ENDORSEMENT_CONTENT_MISMATCH")]


def test_an_endorsement_without_a_content_digest_fails():
    unsigned = build_micro_credential(micro_credential_claims())
    endorsement = build_endorsement(unsigned, PARTNER, issued_on=SIGNED_ON, comment="Co-awarded.")
    del endorsement["relatedResource"]
    unsigned["endorsement"] = [add_proof(endorsement, PARTNER_SIGNER)]
    report = verify_credential(add_proof(unsigned, COORDINATOR_SIGNER), fetcher=_world(), now=NOW)
    assert _outcomes(report, "endorsement") == [("failed", "ENDORSEMENT_CONTENT_MISMATCH")]


def test_an_endorsement_cannot_be_added_after_the_issuer_signed():
    signed = add_proof(build_micro_credential(micro_credential_claims()), COORDINATOR_SIGNER)
    late = build_endorsement(signed, PARTNER, issued_on=SIGNED_ON, comment="Co-awarded.")
    signed["endorsement"] = [add_proof(late, PARTNER_SIGNER)]
    report = verify_credential(signed, fetcher=_world(), now=NOW)
    assert not report.verified
    assert ("failed", "PROOF_VERIFICATION_ERROR") in _outcomes(report, "proof")


def test_a_partner_without_attestation_is_reported():
    report = verify_credential(_joint(endorsers=()), fetcher=_world(), now=NOW)
    assert _outcomes(report, "awarding-body") == [("warning", "AWARDING_BODY_NOT_ATTESTED")]


def test_a_legacy_co_signed_credential_still_verifies_and_is_reported_as_legacy():
    legacy = add_proof(
        add_proof(build_micro_credential(micro_credential_claims()), COORDINATOR_SIGNER),
        PARTNER_SIGNER,
    )
    report = verify_credential(legacy, fetcher=_world(), now=NOW)
    assert report.verified, report.to_dict()
    assert _outcomes(report, "joint-shape") == [("warning", "LEGACY_CO_SIGNATURES")]
    (attestation,) = [c for c in report.checks if c.id.startswith("awarding-body")]
    assert attestation.details["attestation"] == "co-signature"
