"""Institution keys: wrapped under the KEK, published in did:web, rotated and re-wrapped
without breaking a single credential."""

from __future__ import annotations

import base64
import logging
import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from credential_format import keywrap
from credential_format.errors import CredentialFormatError
from credential_format.verification import verify_credential
from issuance import identity, signing_keys
from issuance.models import KeyState, SigningKey
from tests.issuance.factories import issue_credential


def _new_kek_text() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def test_keys_are_stored_only_wrapped_and_unique(institution_a, institution_b):
    key_a = signing_keys.active_signing_key(institution_a)
    key_b = signing_keys.active_signing_key(institution_b)
    assert key_a.public_key_multibase != key_b.public_key_multibase
    assert key_a.wrapped_private_key.startswith("akw1.")
    assert key_a.kek_fingerprint == keywrap.kek_fingerprint(signing_keys.key_encryption_key())
    assert "wrapped" not in repr(key_a)
    assert key_a.wrapped_private_key not in repr(key_a)


def test_a_wrapped_key_moved_to_another_institutions_row_does_not_unwrap(
    institution_a, institution_b
):
    key_a = signing_keys.active_signing_key(institution_a)
    key_b = signing_keys.active_signing_key(institution_b)
    SigningKey.objects.filter(pk=key_b.pk).update(wrapped_private_key=key_a.wrapped_private_key)
    key_b.refresh_from_db()
    signing_keys.forget_cached_signers()
    with pytest.raises(CredentialFormatError, match="does not belong to this owner"):
        signing_keys.signer_for_key(key_b)


def test_did_document_publishes_active_and_retired_keys(client, institution_a):
    first = signing_keys.active_signing_key(institution_a)
    second = signing_keys.rotate_signing_key(actor=None, institution=institution_a)
    response = client.get(f"/institutions/{institution_a.slug}/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/did+json"
    document = response.json()
    assert document["id"] == identity.institution_did(institution_a)
    methods = {
        method["id"]: method["publicKeyMultibase"] for method in document["verificationMethod"]
    }
    assert methods == {
        f"{document['id']}#{first.key_id}": first.public_key_multibase,
        f"{document['id']}#{second.key_id}": second.public_key_multibase,
    }


def test_credentials_signed_before_a_rotation_still_verify(
    alice, institution_a, dana, eve, portal_fetcher
):
    before = issue_credential(alice, institution_a, dana, slug="before")
    call_command("rotate_signing_key", institution_a.slug, stdout=StringIO())
    assert SigningKey.objects.filter(institution=institution_a, state=KeyState.RETIRED).count() == 1
    after = issue_credential(alice, institution_a, eve, slug="after")
    assert verify_credential(before.document, fetcher=portal_fetcher).verified
    assert verify_credential(after.document, fetcher=portal_fetcher).verified
    assert (
        before.document["proof"][0]["verificationMethod"]
        != after.document["proof"][0]["verificationMethod"]
    )


def test_only_admins_of_the_institution_rotate(charlie, institution_a):
    from django.http import Http404

    with pytest.raises(Http404):
        signing_keys.rotate_signing_key(actor=charlie, institution=institution_a)


def test_rewrapping_moves_every_key_to_the_new_kek(
    alice, institution_a, institution_b, dana, settings, monkeypatch, portal_fetcher
):
    signing_keys.active_signing_key(institution_a)
    signing_keys.active_signing_key(institution_b)
    old_text = settings.KEY_ENCRYPTION_KEY
    old_fingerprint = keywrap.kek_fingerprint(signing_keys.key_encryption_key())
    settings.KEY_ENCRYPTION_KEY = _new_kek_text()
    monkeypatch.setenv("OLD_KEY_ENCRYPTION_KEY", old_text)
    out = StringIO()
    call_command("rewrap_signing_keys", stdout=out)
    assert "Re-wrapped 2 signing key(s); 0 left" in out.getvalue()
    assert not SigningKey.objects.filter(kek_fingerprint=old_fingerprint).exists()
    signing_keys.forget_cached_signers()
    credential = issue_credential(alice, institution_a, dana)
    assert verify_credential(credential.document, fetcher=portal_fetcher).verified
    # Running it again is harmless.
    call_command("rewrap_signing_keys", stdout=StringIO())


def test_rewrap_refuses_a_missing_or_identical_old_key(settings, monkeypatch, institution_a):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.delenv("OLD_KEY_ENCRYPTION_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured):
        call_command("rewrap_signing_keys", stdout=StringIO())
    monkeypatch.setenv("OLD_KEY_ENCRYPTION_KEY", settings.KEY_ENCRYPTION_KEY)
    with pytest.raises(CommandError, match="same"):
        call_command("rewrap_signing_keys", stdout=StringIO())


def test_no_key_material_reaches_the_logs(alice, institution_a, dana, caplog):
    caplog.set_level(logging.DEBUG)
    credential = issue_credential(alice, institution_a, dana)
    signing_keys.rotate_signing_key(actor=alice, institution=institution_a)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for key in SigningKey.objects.all():
        private = signing_keys.key_backend().signer(key, "x")._private_key  # type: ignore[attr-defined]
        seed_hex = private.private_bytes_raw().hex()
        assert seed_hex not in logged
        assert key.wrapped_private_key not in logged
    assert credential.document_json not in logged  # credentials are not logged either


def test_missing_or_malformed_kek_is_a_clear_configuration_error(settings, institution_a):
    from django.core.exceptions import ImproperlyConfigured

    settings.KEY_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="make secrets"):
        signing_keys.active_signing_key(institution_a)
    settings.KEY_ENCRYPTION_KEY = "c2hvcnQ"
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        signing_keys.active_signing_key(institution_a)


def test_the_did_document_comes_from_the_cache_until_a_key_changes(client, institution_a):
    url = f"/institutions/{institution_a.slug}/did.json"
    first = signing_keys.active_signing_key(institution_a)
    assert first.key_id in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) == 0
    second = signing_keys.rotate_signing_key(actor=None, institution=institution_a)
    assert second.key_id in client.get(url).content.decode()
    assert client.get("/institutions/no-such-place/did.json").status_code == 404
