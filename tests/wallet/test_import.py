"""Importing another provider's credential: verified on intake, kept as external with the
issuer as stated and whether the registry knows it; refused with reasons when it does not
verify; one signed by an independent implementation (Digital Bazaar) is accepted."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credential_format.builders import AwardingBody, build_micro_credential
from credential_format.keys import did_key_for, private_key_from_seed
from portal.errors import ConflictError, DomainError
from tests.credential_format.foreign import foreign_credential
from tests.credential_format.sample_claims import micro_credential_claims
from tests.interop.dbstack import node
from wallet.imports import import_credential
from wallet.models import ImportedCredential

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
DB_SEED = bytes([33]) * 32


def test_a_foreign_credential_is_verified_and_kept_as_external(dana, foreign_documents):
    document = foreign_credential()
    imported = import_credential(learner=dana, data=json.dumps(document))
    assert imported.issuer_id == document["issuer"]["id"]
    assert imported.issuer_name == "Hogeschool Elders"
    assert imported.issuer_known is False
    assert imported.registered_institution is None
    assert imported.verification["verified"] is True
    assert imported.title == "Data Literacy for Public Policy"


def test_a_credential_of_a_registered_institution_is_marked_known(
    alice, institution_a, dana, eve, dana_credential
):
    # Eve received a copy of a credential issued here (e.g. from a share link): its issuer
    # is in the registry.
    imported = import_credential(learner=eve, data=json.dumps(dana_credential.document))
    assert imported.issuer_known is True
    assert imported.registered_institution == institution_a


def test_the_holder_cannot_import_their_own_issued_credential_again(dana, dana_credential):
    with pytest.raises(ConflictError, match="already in your wallet"):
        import_credential(learner=dana, data=json.dumps(dana_credential.document))


def test_a_tampered_credential_is_refused_with_the_reason(dana, foreign_documents):
    document = foreign_credential()
    document["credentialSubject"]["achievement"]["name"] = "Something else"
    with pytest.raises(DomainError, match="did not verify"):
        import_credential(learner=dana, data=json.dumps(document))
    assert not ImportedCredential.objects.exists()


def test_the_same_credential_is_imported_once(dana, foreign_documents):
    data = json.dumps(foreign_credential())
    import_credential(learner=dana, data=data)
    with pytest.raises(ConflictError):
        import_credential(learner=dana, data=data)


def test_an_issuer_that_is_not_a_did_is_refused(dana):
    document = foreign_credential()
    document["issuer"]["id"] = "https://example.org/issuer"
    with pytest.raises(DomainError, match="did:key or did:web"):
        import_credential(learner=dana, data=json.dumps(document))


def test_malformed_json_is_refused_clearly(dana):
    with pytest.raises(DomainError, match="not valid JSON"):
        import_credential(learner=dana, data="{nope")


def test_the_import_page_adds_and_shows_an_external_credential(as_user, dana, foreign_documents):
    client = as_user(dana)
    upload = SimpleUploadedFile("badge.json", json.dumps(foreign_credential()).encode())
    response = client.post(reverse("wallet:wallet_import"), {"file": upload}, follow=True)
    content = response.content.decode()
    assert "Not in the registry" in content
    assert "Hogeschool Elders" in content
    imported = ImportedCredential.objects.get(learner=dana)
    wallet_page = client.get(reverse("wallet:wallet")).content.decode()
    assert imported.title in wallet_page
    assert "External" in wallet_page


def test_the_import_page_shows_why_a_credential_was_refused(as_user, dana, foreign_documents):
    document = foreign_credential()
    document["validFrom"] = "2020-01-01T00:00:00Z"
    response = as_user(dana).post(
        reverse("wallet:wallet_import"), {"document": json.dumps(document)}
    )
    assert response.status_code == 200
    assert "did not verify" in response.content.decode()


def test_eve_cannot_see_or_remove_danas_import(as_user, dana, eve, foreign_documents):
    imported = import_credential(learner=dana, data=json.dumps(foreign_credential()))
    for name in ("wallet:wallet_imported", "wallet:imported_download"):
        assert as_user(eve).get(reverse(name, kwargs={"uuid": imported.uuid})).status_code == 404
    response = as_user(eve).post(reverse("wallet:imported_remove", kwargs={"uuid": imported.uuid}))
    assert response.status_code == 404
    assert ImportedCredential.objects.filter(pk=imported.pk).exists()
    as_user(dana).post(reverse("wallet:imported_remove", kwargs={"uuid": imported.uuid}))
    assert not ImportedCredential.objects.filter(pk=imported.pk).exists()


# -- an independent implementation ---------------------------------------------------------

needs_node = pytest.mark.skipif(
    not (ROOT / "node_modules" / "@digitalbazaar" / "vc").is_dir() or shutil.which("node") is None,
    reason="node_modules is missing (run `npm ci`) or Node.js is not installed",
)


def _signed_by_digital_bazaar() -> dict:
    key = private_key_from_seed(DB_SEED)
    issuer = AwardingBody(did_key_for(key), "Digital Bazaar University", "US")
    unsigned = build_micro_credential(
        micro_credential_claims(issuer=issuer, status_index=None, learner_did=None)
    )
    # dbstack.node fetches the portal's context over loopback (nothing preloaded).
    return node({"action": "sign", "credential": unsigned, "seedHex": DB_SEED.hex()})["credential"]


@needs_node
@pytest.mark.interop
def test_a_credential_signed_by_digital_bazaar_is_imported(dana, foreign_documents):
    signed = _signed_by_digital_bazaar()
    imported = import_credential(learner=dana, data=json.dumps(signed))
    assert imported.verification["verified"] is True
    assert imported.issuer_name == "Digital Bazaar University"
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["creditsEarned"] = 60
    with pytest.raises(DomainError, match="did not verify"):
        import_credential(learner=dana, data=json.dumps(tampered))
