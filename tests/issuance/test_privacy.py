"""Download all my data (one ZIP, pluggable exporters) and delete my account (credentials
stay verifiable, the person goes; audit rows only lose their link to the person)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.urls import reverse

from issuance import services
from issuance.models import Credential
from portal import privacy
from portal.errors import DomainError
from portal.models import ApiToken, AuditEvent
from portal.signals import personal_data_export
from portal.tokens import create_api_token
from tests.credential_format.foreign import foreign_credential
from verification.verify import verify_credential_document
from wallet import sharing
from wallet.imports import import_credential
from wallet.models import ImportedCredential, ShareLink

pytestmark = pytest.mark.django_db


def _archive(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_the_export_holds_account_learning_credentials_and_links(
    as_user, dana, dana_credential, foreign_documents
):
    import_credential(learner=dana, data=json.dumps(foreign_credential()))
    sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])
    response = as_user(dana).post(reverse("my_data_export"))
    assert response["Content-Type"] == "application/zip"
    archive = _archive(response.content)
    names = set(archive.namelist())
    assert {
        "README.txt",
        "account.json",
        "learning/enrolments.json",
        "learning/results.json",
    } <= names
    assert f"credentials/{dana_credential.uuid}.json" in names
    assert json.loads(archive.read(f"credentials/{dana_credential.uuid}.json")) == (
        dana_credential.document
    )
    assert json.loads(archive.read("account.json"))["email"] == "dana@learner.example"
    assert json.loads(archive.read("share-links.json"))[0]["name"] == "Acme"
    assert any(name.startswith("imported/") for name in names)
    assert json.loads(archive.read("learning/results.json"))[0]["outcome"] == "passed"


def test_exporters_are_pluggable(dana):
    personal_data_export.connect(recognition_like_exporter)
    try:
        archive = _archive(privacy.personal_data_archive(user=dana))
    finally:
        personal_data_export.disconnect(recognition_like_exporter)
    assert json.loads(archive.read("recognition/requests.json")) == [{"learner": dana.email}]


def recognition_like_exporter(user, **_signal):
    return {"recognition/requests.json": [{"learner": user.email}]}


def test_the_export_contains_only_my_data(dana, eve, dana_credential):
    archive = _archive(privacy.personal_data_archive(user=eve))
    assert not any(str(dana_credential.uuid) in name for name in archive.namelist())
    assert b"dana@learner.example" not in b"".join(archive.read(n) for n in archive.namelist())


def test_deleting_the_account_removes_the_person_and_keeps_credentials_verifiable(
    as_user, client, alice, dana, dana_credential, foreign_documents
):
    imported = import_credential(learner=dana, data=json.dumps(foreign_credential()))
    link = sharing.create_share_link(
        learner=dana, name="Application to Acme", credentials=[dana_credential], imported=[imported]
    )
    only_imported = sharing.create_share_link(learner=dana, name="Old", imported=[imported])
    create_api_token(user=dana)
    document = dana_credential.document
    learner_client = as_user(dana)
    response = learner_client.post(
        reverse("my_data"), {"confirmation": "dana@learner.example"}, follow=True
    )
    assert "Your account was deleted" in response.content.decode()
    dana.refresh_from_db()
    assert not dana.is_active
    assert dana.email.endswith("@deleted.invalid")
    assert dana.full_name == ""
    assert not dana.has_usable_password()
    assert not EmailAddress.objects.filter(user=dana).exists()
    assert not ApiToken.objects.filter(user=dana).exists()
    assert not ImportedCredential.objects.exists()
    assert not AuditEvent.objects.filter(actor=dana).exists()
    assert AuditEvent.objects.filter(action="account.deleted").exists()
    assert Credential.objects.filter(pk=dana_credential.pk).exists()
    assert verify_credential_document(document).verdict == "valid"
    assert learner_client.get(reverse("wallet:wallet")).status_code == 302
    # The share link the learner handed out stays, nameless and with the issued credential
    # only; a link that showed only imported credentials is gone.
    kept = ShareLink.objects.get(pk=link.pk)
    assert kept.name == ""
    assert list(kept.credentials.all()) == [dana_credential]
    assert not ShareLink.objects.filter(pk=only_imported.pk).exists()

    # Whoever holds the QR code's address or the share link still gets the verdict and the
    # status, never the person: no name, e-mail address or grade, no signed document.
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Exam fraud")
    public = client.get(
        reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    )
    shared = client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    for answer in (public, shared):
        page = answer.content.decode()
        assert answer.status_code == 200
        assert "Revoked" in page
        assert dana_credential.title in page
        assert "deleted their account" in page
        assert "Dana Learner" not in page
        assert "dana@learner.example" not in page
        assert "Application to Acme" not in page
        assert '<th scope="row">Grade</th>' not in page
    presentation = client.get(reverse("wallet:shared_presentation", kwargs={"token": link.token}))
    assert presentation.status_code == 404


def test_before_the_deletion_the_check_page_names_the_learner(client, dana_credential):
    page = client.get(
        reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    ).content.decode()
    assert "Dana Learner" in page
    assert "deleted their account" not in page


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the audit trigger is PostgreSQL's")
def test_the_audit_trigger_allows_the_pseudonymisation(dana, dana_credential):
    events = AuditEvent.objects.filter(actor=dana).count()
    assert events > 0
    privacy.delete_account(user=dana, confirmation=dana.email)
    assert (
        AuditEvent.objects.filter(actor__isnull=True, actor_label="deleted account").count()
        >= events
    )


def test_the_confirmation_must_be_the_email(dana):
    with pytest.raises(DomainError, match="e-mail address"):
        privacy.delete_account(user=dana, confirmation="yes")
    dana.refresh_from_db()
    assert dana.is_active


def test_staff_must_give_up_their_roles_first(alice):
    with pytest.raises(DomainError, match="staff"):
        privacy.delete_account(user=alice, confirmation=alice.email)


def test_the_pages_need_sign_in(client):
    assert client.get(reverse("my_data")).status_code == 302
    assert client.post(reverse("my_data_export")).status_code == 302
