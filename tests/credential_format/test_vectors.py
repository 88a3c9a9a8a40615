"""The published test vectors, reproduced exactly."""

import hashlib

from credential_format.jsonld import canonicalize
from credential_format.keys import (
    did_key_for,
    private_key_from_multibase,
    private_key_from_seed,
    public_key_from_multibase,
    public_key_multibase,
    raw_public_key,
    resolve_did_key,
)
from credential_format.signing import Ed25519Signer, add_proof, verify_proof


def test_eddsa_rdfc_2022_vector_is_reproduced_exactly(read_vector, examples_loader):
    unsigned = read_vector("unsigned.json")
    proof_config = read_vector("eddsa-rdfc-2022/proofConfigDataInt.json")
    canonical_document = canonicalize(unsigned, loader=examples_loader)
    canonical_proof = canonicalize(proof_config, loader=examples_loader)
    assert canonical_document == read_vector("eddsa-rdfc-2022/canonDocDataInt.txt")
    assert canonical_proof == read_vector("eddsa-rdfc-2022/proofCanonDataInt.txt")
    document_hash = hashlib.sha256(canonical_document.encode()).hexdigest()
    proof_hash = hashlib.sha256(canonical_proof.encode()).hexdigest()
    assert document_hash == read_vector("eddsa-rdfc-2022/docHashDataInt.txt").strip()
    assert proof_hash == read_vector("eddsa-rdfc-2022/proofHashDataInt.txt").strip()
    assert (
        proof_hash + document_hash == read_vector("eddsa-rdfc-2022/combinedHashDataInt.txt").strip()
    )

    key_pair = read_vector("keyPair.json")
    private_key = private_key_from_multibase(key_pair["privateKeyMultibase"])
    assert public_key_multibase(private_key) == key_pair["publicKeyMultibase"]
    signer = Ed25519Signer(private_key, proof_config["verificationMethod"])
    signed = add_proof(unsigned, signer, created=proof_config["created"], loader=examples_loader)
    assert (
        signed["proof"]["proofValue"] == read_vector("eddsa-rdfc-2022/sigBTC58DataInt.txt").strip()
    )
    assert signed == read_vector("eddsa-rdfc-2022/signedDataInt.json")


def test_eddsa_rdfc_2022_signed_vector_verifies(read_vector, examples_loader):
    signed = read_vector("eddsa-rdfc-2022/signedDataInt.json")
    public_key = public_key_from_multibase(read_vector("keyPair.json")["publicKeyMultibase"])
    verify_proof(signed, signed["proof"], public_key, loader=examples_loader)


def test_open_badges_vector_is_reproduced_and_verifies(read_vector):
    expected = read_vector("openbadges-3.0/keyAndExpected.json")
    unsigned = read_vector("openbadges-3.0/unsigned.json")
    signed_vector = read_vector("openbadges-3.0/signed.json")
    assert canonicalize(unsigned) == read_vector("openbadges-3.0/canonDoc.txt")
    assert canonicalize(read_vector("openbadges-3.0/proofConfig.json")) == read_vector(
        "openbadges-3.0/proofCanon.txt"
    )
    public_key = public_key_from_multibase(expected["publicKeyMultibase"])
    verify_proof(signed_vector, signed_vector["proof"], public_key)
    seed = bytes.fromhex(expected["privateKeyHex_seedPlusPublic_64bytes"])[:32]
    signer = Ed25519Signer.from_seed(seed, expected["verificationMethod"])
    signed = add_proof(unsigned, signer, created=signed_vector["proof"]["created"])
    assert signed["proof"]["proofValue"] == expected["proofValue"]


def test_ed25519_signature_2020_vector_verifies(read_vector, examples_loader):
    signed = read_vector("Ed25519Signature2020/signedEdSig.json")
    assert (
        signed["proof"]["proofValue"]
        == read_vector("Ed25519Signature2020/sigBTC58EdSig.txt").strip()
    )
    public_key = public_key_from_multibase(read_vector("keyPair.json")["publicKeyMultibase"])
    verify_proof(signed, signed["proof"], public_key, loader=examples_loader)


def test_did_key_vectors_are_derived(read_vector):
    for vector in read_vector("did-key-ed25519.json")["vectors"]:
        private_key = private_key_from_seed(bytes.fromhex(vector["seedHex"]))
        assert raw_public_key(private_key.public_key()).hex() == vector["publicKeyHex"]
        assert public_key_multibase(private_key) == vector["publicKeyMultibase"]
        assert did_key_for(private_key) == vector["did"]
        document = resolve_did_key(vector["did"])
        assert document["verificationMethod"][0]["id"] == vector["verificationMethodId"]
        assert document["assertionMethod"] == [vector["verificationMethodId"]]
