import copy
from datetime import UTC, datetime

import pytest

from credential_format.builders import build_micro_credential
from credential_format.contexts import CREDENTIALS_V2_URL
from credential_format.errors import CredentialFormatError
from credential_format.keys import (
    PublishedKey,
    build_did_web_document,
    did_web_document_url,
    private_key_from_seed,
    public_key_multibase,
)
from credential_format.signing import Ed25519Signer
from credential_format.signing import add_proof as sign
from credential_format.status_list import StatusBitstring, build_status_list_credential
from credential_format.verification import (
    CachingFetcher,
    FetchError,
    Outcome,
    parse_json_document,
    verify_credential,
    verify_presentation,
)

from .sample_claims import COORDINATOR, PARTNER, STATUS_LIST_URL, micro_credential_claims

NOW = datetime(2025, 6, 1, tzinfo=UTC)


def add_proof(document, signer, **options):
    """Sign before NOW: a proof dated after the verification time is refused."""
    return sign(document, signer, **{"created": "2025-01-15T10:00:00Z", **options})


ACTIVE_SEED, RETIRED_SEED, PARTNER_SEED, OTHER_SEED = (bytes([n]) * 32 for n in (1, 2, 3, 4))


class FakeFetcher:
    def __init__(self, documents: dict, failing: tuple[str, ...] = ()):
        self.documents = documents
        self.failing = failing
        self.calls: list[str] = []

    def fetch_json(self, url: str) -> dict:
        self.calls.append(url)
        if url in self.failing or url not in self.documents:
            raise FetchError(f"HTTP 500 for {url}")
        return copy.deepcopy(self.documents[url])


def _key(name: str, seed: bytes) -> PublishedKey:
    return PublishedKey(name, public_key_multibase(private_key_from_seed(seed)))


def _signer(body, key_id: str, seed: bytes) -> Ed25519Signer:
    return Ed25519Signer.from_seed(seed, f"{body.id}#{key_id}")


COORDINATOR_SIGNER = _signer(COORDINATOR, "key-2025", ACTIVE_SEED)


def _world(revoked: tuple[int, ...] = (), status_list_signer=COORDINATOR_SIGNER) -> FakeFetcher:
    bitstring = StatusBitstring()
    for index in revoked:
        bitstring.set(index)
    status_list = add_proof(
        build_status_list_credential(
            list_credential_url=STATUS_LIST_URL,
            issuer=COORDINATOR.id,
            purpose="revocation",
            bitstring=bitstring,
            valid_from="2025-01-01T00:00:00Z",
        ),
        status_list_signer,
    )
    return FakeFetcher(
        {
            did_web_document_url(COORDINATOR.id): build_did_web_document(
                COORDINATOR.id,
                active=[_key("key-2025", ACTIVE_SEED)],
                retired=[_key("key-2024", RETIRED_SEED)],
            ),
            did_web_document_url(PARTNER.id): build_did_web_document(
                PARTNER.id, active=[_key("key-1", PARTNER_SEED)], retired=[]
            ),
            STATUS_LIST_URL: status_list,
        }
    )


def _issued(**overrides) -> dict:
    return add_proof(
        build_micro_credential(micro_credential_claims(**overrides)), COORDINATOR_SIGNER
    )


def _codes(report) -> set[str]:
    return {check.code for check in report.errors}


def test_a_valid_joint_credential_verifies_with_every_check_reported():
    report = verify_credential(_issued(), fetcher=_world(), now=NOW)
    assert report.verified, report.to_dict()
    ids = [check.id for check in report.checks]
    for expected in (
        "parse",
        "shape",
        "contexts",
        "terms",
        "required-fields",
        "validity-period",
        "proof[0]",
        "issuer-key",
        "status",
    ):
        assert expected in ids
    assert report.verified_methods == [COORDINATOR_SIGNER.verification_method]
    assert report.check("status").code == "VALID"
    as_dict = report.to_dict()
    assert as_dict["verified"] is True
    assert as_dict["errors"] == []


def test_proof_set_reports_every_institution_key():
    partner_signer = _signer(PARTNER, "key-1", PARTNER_SEED)
    credential = add_proof(_issued(), partner_signer)
    report = verify_credential(credential, fetcher=_world(), now=NOW)
    assert report.verified
    assert report.verified_methods == [
        COORDINATOR_SIGNER.verification_method,
        partner_signer.verification_method,
    ]


def test_a_credential_signed_with_a_retired_key_still_verifies():
    credential = add_proof(
        build_micro_credential(micro_credential_claims()),
        _signer(COORDINATOR, "key-2024", RETIRED_SEED),
    )
    assert verify_credential(credential, fetcher=_world(), now=NOW).verified


def test_tampering_fails_the_proof():
    credential = _issued()
    credential["credentialSubject"]["achievement"]["name"] = "Quantum Physics"
    report = verify_credential(credential, fetcher=_world(), now=NOW)
    assert not report.verified
    assert report.check("proof[0]").outcome == Outcome.FAILED
    assert "changed after it was signed" in report.check("proof[0]").reason


def test_a_key_not_published_by_the_issuer_fails():
    rogue = Ed25519Signer.from_seed(OTHER_SEED, f"{COORDINATOR.id}#key-2025")
    credential = add_proof(build_micro_credential(micro_credential_claims()), rogue)
    report = verify_credential(credential, fetcher=_world(), now=NOW)
    assert not report.verified


def test_a_valid_proof_by_someone_else_does_not_make_them_the_issuer():
    credential = add_proof(
        build_micro_credential(micro_credential_claims()), _signer(PARTNER, "key-1", PARTNER_SEED)
    )
    report = verify_credential(credential, fetcher=_world(), now=NOW)
    assert report.check("proof[0]").outcome == Outcome.PASSED
    assert "ISSUER_KEY_MISMATCH" in _codes(report)


def test_expired_and_not_yet_valid():
    expired = _issued(valid_until="2025-05-01T00:00:00Z")
    report = verify_credential(expired, fetcher=_world(), now=NOW)
    assert _codes(report) == {"EXPIRED"}
    future = _issued(issued_on="2026-01-01T00:00:00Z")
    assert _codes(verify_credential(future, fetcher=_world(), now=NOW)) == {"NOT_YET_VALID"}


def test_revoked_is_distinct_from_unreachable_and_invalid_status_lists():
    credential = _issued(status_index=42)
    assert _codes(verify_credential(credential, fetcher=_world(revoked=(42,)), now=NOW)) == {
        "REVOKED"
    }
    unreachable = _world()
    unreachable.failing = (STATUS_LIST_URL,)
    report = verify_credential(credential, fetcher=unreachable, now=NOW)
    assert _codes(report) == {"STATUS_RETRIEVAL_ERROR"}
    assert "does not mean the credential is revoked" in report.check("status").reason
    forged_list = _world(
        status_list_signer=Ed25519Signer.from_seed(OTHER_SEED, f"{COORDINATOR.id}#key-2025")
    )
    assert _codes(verify_credential(credential, fetcher=forged_list, now=NOW)) == {
        "STATUS_VERIFICATION_ERROR"
    }


def test_suspension_is_reported_as_such():
    world = _world()
    bitstring = StatusBitstring()
    bitstring.set(5)
    suspension_url = "https://portal.example.eu/status/suspension/1"
    world.documents[suspension_url] = add_proof(
        build_status_list_credential(
            list_credential_url=suspension_url,
            issuer=COORDINATOR.id,
            purpose="suspension",
            bitstring=bitstring,
            valid_from="2025-01-01T00:00:00Z",
        ),
        COORDINATOR_SIGNER,
    )
    document = build_micro_credential(micro_credential_claims(status_index=None))
    document["credentialStatus"] = [
        {
            "id": f"{suspension_url}#5",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": "5",
            "statusListCredential": suspension_url,
        }
    ]
    report = verify_credential(add_proof(document, COORDINATOR_SIGNER), fetcher=world, now=NOW)
    assert _codes(report) == {"SUSPENDED"}


def test_unreachable_did_web_document_is_reported():
    world = _world()
    world.failing = (did_web_document_url(COORDINATOR.id),)
    report = verify_credential(_issued(), fetcher=world, now=NOW)
    assert "KEY_UNREACHABLE" in _codes(report)


def test_unknown_context_and_undefined_terms_fail_early():
    credential = _issued()
    credential["@context"].append("https://example.com/unknown-context")
    assert _codes(verify_credential(credential, fetcher=_world(), now=NOW)) == {"UNKNOWN_CONTEXT"}
    credential = _issued()
    credential["credentialSubject"]["extraCredits"] = 3
    assert _codes(verify_credential(credential, fetcher=_world(), now=NOW)) == {"UNDEFINED_TERM"}


def test_missing_open_badges_fields_are_reported():
    credential = _issued()
    del credential["credentialSubject"]["achievement"]["criteria"]
    report = verify_credential(credential, fetcher=_world(), now=NOW)
    assert "MISSING_FIELDS" in _codes(report)
    assert "credentialSubject.achievement.criteria" in report.check("required-fields").reason


def test_not_a_credential():
    report = verify_credential({"@context": [CREDENTIALS_V2_URL], "hello": 1}, fetcher=_world())
    assert _codes(report) == {"PARSING_ERROR"}


def test_size_and_depth_caps_apply_before_parsing():
    with pytest.raises(Exception, match="at most"):
        parse_json_document(b" " * 2_000_000)
    with pytest.raises(Exception, match="nested"):
        parse_json_document(b"[" * 10_000 + b"]" * 10_000)
    report = verify_credential("[" * 5000 + "]" * 5000, fetcher=_world())
    assert report.check("parse").outcome == Outcome.FAILED
    deep: dict = {}
    node = deep
    for _ in range(100):
        node["a"] = {}
        node = node["a"]
    assert _codes(verify_credential(deep, fetcher=_world())) == {"DOCUMENT_TOO_LARGE"}


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b'{"issuer": "did:key:a", "issuer": "did:key:b"}', "appears twice"),
        (b'{"grade": NaN}', "NaN"),
        (b'{"grade": -Infinity}', "Infinity"),
        ('{"issuer": "did:key:a"}'.encode("utf-16"), "not valid JSON"),
        (b'{"name": "\xff"}', "not valid JSON"),
    ],
)
def test_json_whose_meaning_depends_on_the_parser_is_refused(text, reason):
    with pytest.raises(CredentialFormatError, match=reason):
        parse_json_document(text)


def test_a_proof_dated_in_the_future_fails():
    credential = add_proof(_issued(), COORDINATOR_SIGNER, created="2025-06-02T00:00:00Z")
    report = verify_credential(credential, fetcher=_world(), now=NOW)
    assert "PROOF_CREATED_IN_FUTURE" in _codes(report)
    assert not report.verified
    # within the clock skew a proof is accepted
    credential = add_proof(_issued(), COORDINATOR_SIGNER, created="2025-06-01T00:04:00Z")
    assert verify_credential(credential, fetcher=_world(), now=NOW).verified


def test_open_badges_vector_with_a_fetched_issuer_controller_document(read_vector):
    signed = read_vector("openbadges-3.0/signed.json")
    key = read_vector("openbadges-3.0/keyAndExpected.json")
    issuer = signed["issuer"]["id"]
    controller_document = {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": issuer,
        "verificationMethod": [
            {
                "id": key["verificationMethod"],
                "type": "Multikey",
                "controller": issuer,
                "publicKeyMultibase": key["publicKeyMultibase"],
            }
        ],
        "assertionMethod": [key["verificationMethod"]],
    }
    report = verify_credential(signed, fetcher=FakeFetcher({issuer: controller_document}))
    assert report.verified, report.to_dict()
    assert report.check("status").outcome == Outcome.NOT_APPLICABLE


def test_ed25519_signature_2020_vector(read_vector, examples_loader):
    signed = read_vector("Ed25519Signature2020/signedEdSig.json")
    report = verify_credential(signed, fetcher=FakeFetcher({}), loader=examples_loader)
    # The signature is good, but the vector's did:key is not controlled by its https issuer.
    assert report.check("proof[0]").outcome == Outcome.PASSED
    assert _codes(report) == {"ISSUER_KEY_MISMATCH"}


def test_vc_1_1_open_badges_credential_verifies():
    signer = Ed25519Signer.from_seed(OTHER_SEED)
    issuer = signer.verification_method.split("#")[0]
    credential = {
        "@context": [
            "https://www.w3.org/2018/credentials/v1",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
        ],
        "id": "urn:uuid:2e8f3a5c-0000-4000-8000-000000000009",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer, "type": "Profile", "name": "Legacy Badges Inc."},
        "issuanceDate": "2023-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "did:example:learner",
            "type": "AchievementSubject",
            "achievement": {
                "id": "https://badges.example/a/1",
                "type": "Achievement",
                "name": "Teamwork",
                "description": "Works in teams.",
                "criteria": {"narrative": "Peer nominated."},
            },
        },
    }
    report = verify_credential(add_proof(credential, signer), fetcher=FakeFetcher({}), now=NOW)
    assert report.verified, report.to_dict()


def test_presentation_of_two_credentials():
    presentation = {
        "@context": [CREDENTIALS_V2_URL],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [_issued(), _issued()],
    }
    report = verify_presentation(presentation, fetcher=_world(), now=NOW)
    assert report.verified
    assert [c.code for c in report.warnings] == ["UNSIGNED_PRESENTATION"]
    assert len(report.credentials) == 2
    holder = Ed25519Signer.from_seed(OTHER_SEED)
    signed = add_proof(
        {**presentation, "holder": holder.verification_method.split("#")[0]},
        holder,
        proof_purpose="authentication",
    )
    signed["proof"]["challenge"] = "abc"
    report = verify_presentation(signed, fetcher=_world(), now=NOW, challenge="xyz")
    assert not report.verified
    presentation["verifiableCredential"][1]["credentialSubject"]["achievement"]["name"] = "X"
    assert not verify_presentation(presentation, fetcher=_world(), now=NOW).verified


def test_signed_presentation_verifies_with_holder_authentication():
    holder = Ed25519Signer.from_seed(OTHER_SEED)
    presentation = {
        "@context": [CREDENTIALS_V2_URL],
        "type": ["VerifiablePresentation"],
        "holder": holder.verification_method.split("#")[0],
        "verifiableCredential": [_issued()],
    }
    signed = add_proof(presentation, holder, proof_purpose="authentication")
    report = verify_presentation(signed, fetcher=_world(), now=NOW)
    assert report.verified, report.to_dict()
    assert report.verified_methods == [holder.verification_method]


def test_caching_fetcher_fetches_once_and_does_not_cache_failures():
    world = _world()
    fetcher = CachingFetcher(world)
    verify_credential(_issued(), fetcher=fetcher, now=NOW)
    verify_credential(_issued(), fetcher=fetcher, now=NOW)
    assert world.calls.count(STATUS_LIST_URL) == 1
    world.failing = ("https://missing.example/x",)
    for _ in range(2):
        with pytest.raises(FetchError):
            fetcher.fetch_json("https://missing.example/x")
    assert world.calls.count("https://missing.example/x") == 2
