"""A grade corrected after issuance: the signed credential stating the old grade is revoked
with the correction as its reason, the learner is told, and a new credential is issued."""

from __future__ import annotations

import json

from django.core import mail

from catalogue import services as catalogue_services
from issuance.models import Credential, CredentialState
from tests.catalogue.factories import past
from tests.issuance.factories import issue_credential, run_on_commit


def _correct(manager, credential, grade, outcome="passed"):
    with run_on_commit():
        catalogue_services.record_result(
            actor=manager,
            enrolment=credential.result.enrolment,
            outcome=outcome,
            grade=grade,
            assessed_on=past(),
            identity_verified=True,
        )


def _grade(credential):
    return json.loads(credential.document_json)["credentialSubject"]["result"][0]["value"]


def test_a_corrected_grade_reissues_the_credential_and_revokes_the_old_one(
    alice, institution_a, dana
):
    old = issue_credential(alice, institution_a, dana, grade="6")
    assert _grade(old) == "6"
    mail.outbox.clear()
    _correct(alice, old, "8.5")
    old.refresh_from_db()
    assert old.revoked_at is not None
    assert "corrected from 6 to 8.5" in old.revocation_reason
    new = Credential.objects.get(natural_key=old.natural_key, revoked_at__isnull=True)
    assert new.pk != old.pk
    assert new.state == CredentialState.ISSUED
    assert _grade(new) == "8.5"
    assert any(dana.email in message.to for message in mail.outbox)


def test_the_same_grade_again_changes_nothing(alice, institution_a, dana):
    credential = issue_credential(alice, institution_a, dana, grade="6")
    _correct(alice, credential, "6")
    credential.refresh_from_db()
    assert credential.revoked_at is None
    assert Credential.objects.filter(natural_key=credential.natural_key).count() == 1
