"""Issuing real credentials in tests the way the portal does: publish a programme, open an
offering, enrol the learner and record a pass; the issuance hook signs the credential (eagerly
in SQLite tests, with the on-commit callbacks run here)."""

from __future__ import annotations

from django.test import TestCase
from django.utils import timezone

from catalogue import services as catalogue_services
from issuance.models import Credential, CredentialState
from tests.catalogue.factories import open_offering, published_programme


def record_pass(*, manager, institution, learner, slug="data-literacy", programme=None, grade="8"):
    """Publish (unless given) a programme, enrol the learner and record a pass; returns the
    result. Issuing then happens through the hook (in-process or in real workers)."""
    if programme is None:
        programme = published_programme(manager, institution, slug=slug)
    offering = open_offering(manager, programme, code=f"{programme.slug}-{learner.pk}", capacity=50)
    enrolment = catalogue_services.enrol(learner=learner, offering=offering)
    return catalogue_services.record_result(
        actor=manager,
        enrolment=enrolment,
        outcome="passed",
        grade=grade,
        assessed_on=timezone.localdate(),
        identity_verified=True,
    )


def issue_credential(
    *,
    manager,
    institution,
    learner,
    slug: str = "data-literacy",
    partners=(),
    approvers=(),
    grade: str = "8",
    programme=None,
) -> Credential:
    """A micro-credential issued to `learner` for a programme coordinated by `institution`."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        if programme is None:
            programme = published_programme(
                manager, institution, slug=slug, partners=partners, approvers=approvers
            )
        offering = open_offering(
            manager, programme, code=f"{programme.slug}-{learner.pk}", capacity=50
        )
        enrolment = catalogue_services.enrol(learner=learner, offering=offering)
        result = catalogue_services.record_result(
            actor=manager,
            enrolment=enrolment,
            outcome="passed",
            grade=grade,
            assessed_on=timezone.localdate(),
            identity_verified=True,
        )
    credential = Credential.objects.get(natural_key=f"result:{result.pk}")
    assert credential.state == CredentialState.ISSUED, credential.failure_reason
    return credential
