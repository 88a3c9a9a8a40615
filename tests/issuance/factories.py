"""Issued credentials for tests, made the way the portal makes them: a published programme,
an offering, enrolments, and passes recorded through the catalogue services (the pass hook
plans the credentials; Celery runs eagerly in tests unless real workers are started)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.test import TestCase

from catalogue import services as catalogue_services
from catalogue.models import AssessmentResult, Enrolment, Offering, Programme
from credential_format.signing import add_proof, unsecured_document
from credential_format.status_list import status_entry
from issuance import identity, status_lists
from issuance.models import Credential, CredentialState
from issuance.signing_keys import signer_for_institution
from tests.catalogue.factories import ensure_esco_loaded, open_offering, past, published_programme


def programme_with_offering(
    actor, coordinator, *, partners=(), approvers=(), slug="data-literacy", capacity=50
) -> tuple[Programme, Offering]:
    ensure_esco_loaded()
    programme = published_programme(
        actor, coordinator, partners=partners, approvers=approvers, slug=slug
    )
    offering = open_offering(actor, programme, code=f"{slug}-cohort", capacity=capacity)
    return programme, offering


def enrol_all(offering: Offering, learners: Sequence) -> list[Enrolment]:
    return [catalogue_services.enrol(learner=learner, offering=offering) for learner in learners]


def run_on_commit():
    """Run what the block queues for after commit (tests run inside a transaction)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def record_pass(actor, enrolment: Enrolment, grade: str = "8.5") -> AssessmentResult:
    """Record a pass and run what its commit queues (issuing runs eagerly in tests)."""
    with run_on_commit():
        return catalogue_services.record_result(
            actor=actor,
            enrolment=enrolment,
            outcome="passed",
            grade=grade,
            assessed_on=past(),
            identity_verified=True,
        )


def pass_learner(
    manager,
    institution,
    learner,
    *,
    programme=None,
    slug="data-literacy",
    partners=(),
    approvers=(),
    grade="8",
) -> AssessmentResult:
    """Publish (unless given) a programme of `institution`, open an offering, enrol the learner
    and record a pass. Issuing then happens through the pass hook, in-process or in real
    workers, once the transaction commits."""
    if programme is None:
        ensure_esco_loaded()
        programme = published_programme(
            manager, institution, slug=slug, partners=partners, approvers=approvers
        )
    offering = open_offering(manager, programme, code=f"{programme.slug}-{learner.pk}", capacity=50)
    enrolment = catalogue_services.enrol(learner=learner, offering=offering)
    return catalogue_services.record_result(
        actor=manager,
        enrolment=enrolment,
        outcome="passed",
        grade=grade,
        assessed_on=past(),
        identity_verified=True,
    )


def issue_credential(manager, institution, learner, **options: Any) -> Credential:
    """A micro-credential issued to `learner` for a programme coordinated by `institution`
    (options as for `pass_learner`)."""
    with run_on_commit():
        result = pass_learner(manager, institution, learner, **options)
    credential = Credential.objects.get(natural_key=f"result:{result.pk}")
    assert credential.state == CredentialState.ISSUED, credential.failure_reason
    return credential


def as_issued_with_two_status_entries(credential: Credential) -> Credential:
    """`credential` re-signed as the portal issued credentials before each carried one status
    entry: a revocation and a suspension entry at its position in the list pair."""
    assert credential.status_list is not None
    assert credential.status_index is not None
    status_list, index = credential.status_list, credential.status_index
    document = unsecured_document(credential.document or {})
    document["credentialStatus"] = [
        status_entry(
            list_credential_url=identity.status_list_url(
                status_list.institution, status_list.number, purpose
            ),
            index=index,
            purpose=purpose,
        )
        for purpose in status_lists.PURPOSES
    ]
    signed = add_proof(document, signer_for_institution(credential.issuer))
    credential.document_json = json.dumps(signed, ensure_ascii=False, separators=(",", ":"))
    credential.save(update_fields=["document_json"])
    return credential


def issue_pathway_credential(
    manager,
    institution,
    learner,
    *,
    slug: str = "data-path",
    title: dict[str, str] | None = None,
    description: dict[str, str] | None = None,
    first_programme: dict[str, Any] | None = None,
) -> Credential:
    """The stacked credential of a pathway of two programmes coordinated by `institution`
    (options of the first as for `programme_with_offering`), once `learner` passed both."""
    from catalogue.services import create_pathway
    from issuance.models import CredentialKind

    first, first_offering = programme_with_offering(
        manager, institution, slug="first", **(first_programme or {})
    )
    second, second_offering = programme_with_offering(manager, institution, slug="second")
    create_pathway(
        actor=manager,
        owner=institution,
        alliance=institution.memberships.first().alliance,
        slug=slug,
        title=title or {"en": "Data pathway"},
        description=description or {"en": "Two programmes."},
        rule="all",
        programme_ids=[first.pk, second.pk],
    )
    record_pass(manager, enrol_all(first_offering, [learner])[0])
    record_pass(manager, enrol_all(second_offering, [learner])[0])
    return Credential.objects.get(kind=CredentialKind.PATHWAY, learner=learner)
