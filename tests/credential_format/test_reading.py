"""The one reader of a credential document's structure (credential_format.reading)."""

from __future__ import annotations

import pytest

from credential_format.builders import build_micro_credential
from credential_format.reading import CredentialDocument, as_list, read_credential
from tests.credential_format.sample_claims import micro_credential_claims


def test_our_micro_credential_reads_in_its_known_places():
    document = build_micro_credential(micro_credential_claims())
    credential = read_credential(document)
    assert credential.id == document["id"]
    assert credential.kind == "OpenBadgeCredential"
    assert credential.issuer == document["issuer"]
    assert credential.valid_from == document["validFrom"]
    assert credential.subject == document["credentialSubject"]
    assert credential.achievement == document["credentialSubject"]["achievement"]


def test_lists_and_older_names_are_read_the_same_way():
    credential = read_credential(
        {
            "id": "urn:uuid:1",
            "type": "VerifiableCredential",
            "issuanceDate": "2020-01-01T00:00:00Z",
            "expirationDate": "2030-01-01T00:00:00Z",
            "credentialSubject": [
                "not an object",
                {"id": "did:example:holder", "result": [{"value": "9"}, "x"]},
            ],
            "proof": [{"proofValue": "z1"}, 3, {"proofValue": "z2"}],
        }
    )
    assert credential.kind == ""
    assert credential.valid_from == "2020-01-01T00:00:00Z"
    assert credential.valid_until == "2030-01-01T00:00:00Z"
    assert credential.subject["id"] == "did:example:holder"
    assert credential.achievement is None
    assert [result["value"] for result in credential.results] == ["9"]
    assert [proof["proofValue"] for proof in credential.proofs] == ["z1", "z2"]


@pytest.mark.parametrize("document", [None, "text", [1, 2], 7])
def test_anything_but_an_object_reads_as_an_empty_document(document):
    assert read_credential(document) == CredentialDocument()


def test_one_or_many():
    assert as_list(None) == []
    assert as_list("a") == ["a"]
    assert as_list(["a", "b"]) == ["a", "b"]
