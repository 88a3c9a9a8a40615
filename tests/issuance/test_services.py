"""Issuing credentials exactly once, with everything a verifier needs."""

from __future__ import annotations

import pytest
from django.core import mail
from django.http import Http404

from catalogue import services as catalogue_services
from credential_format.signing import add_proof, proofs_of, unsecured_document
from credential_format.verification import verify_credential
from issuance import identity, services
from issuance.models import Credential, CredentialState, IssuanceJob, StatusList
from portal.errors import ConflictError, DomainError
from tests.catalogue.factories import past
from tests.factories import UserFactory
from tests.issuance.factories import (
    as_issued_with_two_status_entries,
    enrol_all,
    issue_credential,
    pass_learner,
    programme_with_offering,
    record_pass,
    run_on_commit,
)


def test_a_pass_is_issued_as_a_verifiable_micro_credential(
    alice, institution_a, dana, portal_fetcher
):
    credential = issue_credential(alice, institution_a, dana)
    assert credential.state == CredentialState.ISSUED
    document = credential.document
    report = verify_credential(document, fetcher=portal_fetcher)
    assert report.verified, report.to_dict()
    assert document["issuer"]["id"] == identity.institution_did(institution_a)
    assert document["issuer"]["name"] == "Universitat A"
    subject = document["credentialSubject"]
    assert subject["identifier"][0]["identityHash"] == "Dana Learner"
    achievement = subject["achievement"]
    # Every EU mandatory element the programme carries is in the credential.
    for term in (
        "learningOutcome",
        "creditsAvailable",
        "eqfLevel",
        "assessmentType",
        "participationForm",
        "qualityAssurance",
        "awardingBody",
    ):
        assert achievement[term], term
    # One status entry, written as an object (the Open Badges 3.0 schema allows no more).
    assert document["credentialStatus"]["statusPurpose"] == "revocation"
    assert "dana@learner.example" not in credential.document_json


def test_the_learner_is_told_when_the_credential_is_issued(
    alice, institution_a, dana, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        issue_credential(alice, institution_a, dana)
    notices = [message for message in mail.outbox if message.to == [dana.email]]
    assert any("is ready" in message.subject for message in notices)


def test_recording_the_same_pass_again_plans_no_second_credential(alice, institution_a, dana):
    credential = issue_credential(alice, institution_a, dana)
    services.plan_credentials_for_results([credential.result])
    assert Credential.objects.filter(natural_key=credential.natural_key).count() == 1


def test_a_duplicated_or_retried_task_issues_nothing_twice(alice, institution_a, dana):
    credential = issue_credential(alice, institution_a, dana)
    before = credential.document_json
    outcome = services.issue_pending_credentials([credential.pk, credential.pk])
    assert outcome.issued == []
    credential.refresh_from_db()
    assert credential.document_json == before


def test_status_indices_are_random_distinct_and_in_a_full_size_list(alice, institution_a):
    _programme, offering = programme_with_offering(alice, institution_a)
    learners = [UserFactory() for _ in range(12)]
    for enrolment in enrol_all(offering, learners):
        record_pass(alice, enrolment)
    credentials = list(Credential.objects.filter(state=CredentialState.ISSUED))
    positions = {(c.status_list_id, c.status_index) for c in credentials}
    assert len(positions) == 12
    assert StatusList.objects.get().size == 131_072
    assert positions != {(credentials[0].status_list_id, n) for n in range(12)}


def test_a_pass_corrected_to_a_fail_revokes_the_credential(
    alice, institution_a, dana, portal_fetcher
):
    credential = issue_credential(alice, institution_a, dana)
    catalogue_services.record_result(
        actor=alice,
        enrolment=credential.result.enrolment,
        outcome="failed",
        grade="3.0",
        assessed_on=past(),
        identity_verified=True,
    )
    credential.refresh_from_db()
    assert credential.revoked_at is not None
    report = verify_credential(credential.document, fetcher=portal_fetcher)
    assert not report.verified
    assert any(check.code == "REVOKED" for check in report.errors)


def test_revocation_needs_a_reason_and_reaches_the_status_list(
    alice, institution_a, dana, portal_fetcher
):
    credential = issue_credential(alice, institution_a, dana)
    with pytest.raises(DomainError):
        services.revoke_credential(actor=alice, credential=credential, reason="  ")
    assert verify_credential(credential.document, fetcher=portal_fetcher).verified
    with run_on_commit():
        services.revoke_credential(actor=alice, credential=credential, reason="Academic misconduct")
    assert any("was revoked" in message.subject for message in mail.outbox)
    report = verify_credential(credential.document, fetcher=portal_fetcher)
    assert any(check.code == "REVOKED" for check in report.errors)
    with pytest.raises(ConflictError):
        services.revoke_credential(actor=alice, credential=credential, reason="again")


def test_suspension_is_reversible(alice, institution_a, dana, portal_fetcher):
    credential = as_issued_with_two_status_entries(issue_credential(alice, institution_a, dana))
    assert verify_credential(credential.document, fetcher=portal_fetcher).verified
    services.suspend_credential(actor=alice, credential=credential, reason="Under review")
    report = verify_credential(credential.document, fetcher=portal_fetcher)
    assert any(check.code == "SUSPENDED" for check in report.errors)
    services.unsuspend_credential(actor=alice, credential=Credential.objects.get(pk=credential.pk))
    assert verify_credential(credential.document, fetcher=portal_fetcher).verified


def test_a_credential_with_one_status_entry_cannot_be_suspended(
    alice, institution_a, dana, portal_fetcher
):
    credential = issue_credential(alice, institution_a, dana)
    with pytest.raises(ConflictError, match="cannot be suspended"):
        services.suspend_credential(actor=alice, credential=credential, reason="Under review")
    credential.refresh_from_db()
    assert credential.suspended_at is None
    assert verify_credential(credential.document, fetcher=portal_fetcher).verified


@pytest.mark.parametrize("outsider", ["charlie", "bob", "dana", "eve"])
def test_only_staff_of_the_issuer_revoke(request, alice, institution_a, dana, outsider):
    credential = issue_credential(alice, institution_a, dana)
    with pytest.raises(Http404):
        services.revoke_credential(
            actor=request.getfixturevalue(outsider), credential=credential, reason="x"
        )
    credential.refresh_from_db()
    assert credential.revoked_at is None


def _credential_of_a_pass(manager, institution, learner) -> Credential:
    """The credential planned for a new pass, once what its commit queued has run, whatever
    state issuing left it in."""
    with run_on_commit():
        result = pass_learner(manager, institution, learner)
    return Credential.objects.get(natural_key=f"result:{result.pk}")


def test_a_failure_is_visible_with_its_reason_and_can_be_retried(
    alice, institution_a, dana, monkeypatch
):
    from credential_format import builders

    def incomplete(claims):
        raise builders.IncompleteClaimsError("missing: learning outcomes")

    monkeypatch.setattr(builders, "build_micro_credential", incomplete)
    credential = _credential_of_a_pass(alice, institution_a, dana)
    assert credential.state == CredentialState.FAILED
    assert "learning outcomes" in credential.failure_reason
    assert credential.status_list_id is None
    monkeypatch.undo()
    with run_on_commit():
        services.retry_failed_credential(actor=alice, credential=credential)
    credential.refresh_from_db()
    assert credential.state == CredentialState.ISSUED
    with pytest.raises(ConflictError):
        services.retry_failed_credential(actor=alice, credential=credential)


def test_joint_credential_is_signed_by_the_coordinator_and_endorsed_by_each_partner(
    alice, charlie, institution_a, institution_b, dana, portal_fetcher
):
    credential = issue_credential(
        alice, institution_a, dana, partners=[institution_b], approvers=[charlie]
    )
    assert credential.state == CredentialState.ISSUED
    document = credential.document
    assert [proof["verificationMethod"].split("#")[0] for proof in proofs_of(document)] == [
        identity.institution_did(institution_a)
    ]
    (endorsement,) = document["endorsement"]
    assert endorsement["issuer"]["id"] == identity.institution_did(institution_b)
    assert endorsement["credentialSubject"]["id"] == document["id"]
    report = verify_credential(document, fetcher=portal_fetcher)
    assert report.verified, report.to_dict()
    attestations = [c.details for c in report.checks if c.id.startswith("awarding-body")]
    assert attestations == [
        {"awardingBody": identity.institution_did(institution_b), "attestation": "endorsement"}
    ]


def signer_for(institution):
    from issuance.signing_keys import signer_for_institution

    return signer_for_institution(institution)


def test_an_endorsement_forged_by_the_coordinator_fails(
    alice, charlie, institution_a, institution_b, dana, portal_fetcher
):
    from issuance.signing_keys import signer_for_institution

    credential = issue_credential(
        alice, institution_a, dana, partners=[institution_b], approvers=[charlie]
    )
    content = unsecured_document(credential.document)
    (endorsement,) = content["endorsement"]
    forged_proof = add_proof(
        unsecured_document(endorsement), signer_for_institution(institution_a)
    )["proof"]
    forged_proof["verificationMethod"] = endorsement["proof"][0]["verificationMethod"]
    content["endorsement"] = [{**endorsement, "proof": forged_proof}]
    forged = add_proof(content, signer_for_institution(institution_a))
    report = verify_credential(forged, fetcher=portal_fetcher)
    assert not report.verified
    assert report.check("endorsement[0]").code == "ENDORSEMENT_INVALID"


def test_a_joint_credential_left_waiting_for_co_signatures_is_finished_with_endorsements(
    alice, charlie, institution_a, institution_b, dana, portal_fetcher
):
    from issuance.signing_keys import signer_for_institution

    credential = issue_credential(
        alice, institution_a, dana, partners=[institution_b], approvers=[charlie]
    )
    coordinator_only = unsecured_document(credential.document)
    del coordinator_only["endorsement"]
    credential.document_json = services.serialise(
        add_proof(coordinator_only, signer_for_institution(institution_a))
    )
    credential.state = CredentialState.COSIGNING
    credential.save(update_fields=["document_json", "state"])
    assert services.cosign_pending_credentials([credential.pk]) == [credential.pk]
    credential.refresh_from_db()
    assert credential.state == CredentialState.ISSUED
    assert len(proofs_of(credential.document)) == 1
    assert len(credential.document["endorsement"]) == 1
    assert verify_credential(credential.document, fetcher=portal_fetcher).verified


def test_a_joint_credential_bound_to_a_wallet_is_endorsed_again(
    alice, charlie, institution_a, institution_b, dana, portal_fetcher
):
    holder = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
    credential = issue_credential(
        alice, institution_a, dana, partners=[institution_b], approvers=[charlie]
    )
    bound = services.holder_bound_document(credential, holder)
    assert bound["credentialSubject"]["id"] == holder
    assert bound["id"] == credential.credential_id
    report = verify_credential(bound, fetcher=portal_fetcher)
    assert report.verified, report.to_dict()
    assert report.check("endorsement[0]").outcome == "passed"
    # The original endorsement does not carry over to the bound content.
    stale = {**bound, "endorsement": credential.document["endorsement"]}
    stale = add_proof(unsecured_document(stale), signer_for(institution_a))
    assert verify_credential(stale, fetcher=portal_fetcher).check("endorsement[0]").code == (
        "ENDORSEMENT_CONTENT_MISMATCH"
    )


def test_completing_a_pathway_issues_the_stacked_credential(
    alice, institution_a, dana, portal_fetcher
):
    from catalogue.services import create_pathway
    from issuance.models import CredentialKind

    first_programme, first_offering = programme_with_offering(alice, institution_a, slug="first")
    second_programme, second_offering = programme_with_offering(alice, institution_a, slug="second")
    create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=institution_a.memberships.first().alliance,
        slug="data-path",
        title={"en": "Data pathway"},
        description={"en": "Two programmes."},
        rule="all",
        programme_ids=[first_programme.pk, second_programme.pk],
    )
    record_pass(alice, enrol_all(first_offering, [dana])[0])
    assert not Credential.objects.filter(kind=CredentialKind.PATHWAY).exists()
    record_pass(alice, enrol_all(second_offering, [dana])[0])
    stacked = Credential.objects.get(kind=CredentialKind.PATHWAY)
    assert stacked.state == CredentialState.ISSUED
    document = stacked.document
    constituents = {c.credential_id for c in Credential.objects.filter(kind=CredentialKind.MICRO)}
    assert {resource["id"] for resource in document["relatedResource"]} == constituents | {
        identity.vocabulary_context_url()
    }
    assert all(
        resource["digestMultibase"].startswith("u") for resource in document["relatedResource"]
    )
    assert verify_credential(document, fetcher=portal_fetcher).verified


def test_bulk_issuance_dry_run_then_job_with_progress(alice, institution_a, monkeypatch):
    _programme, offering = programme_with_offering(alice, institution_a)
    learners = [UserFactory() for _ in range(3)]
    enrolments = enrol_all(offering, learners)
    # The first pass is recorded while issuing is broken: it ends failed.
    from credential_format import builders

    monkeypatch.setattr(
        builders,
        "build_micro_credential",
        lambda claims: (_ for _ in ()).throw(builders.IncompleteClaimsError("broken")),
    )
    record_pass(alice, enrolments[0])
    monkeypatch.undo()
    record_pass(alice, enrolments[1])
    plan = services.plan_offering_issuance(actor=alice, offering=offering)
    assert len(plan.failed_to_retry) == 1
    assert len(plan.already_open) == 1
    with run_on_commit():
        job = services.issue_offering_passes(actor=alice, offering=offering)
    assert services.job_progress(job) == {"total": 1, "done": 1, "failed": 0, "remaining": 0}
    with pytest.raises(ConflictError):
        services.issue_offering_passes(actor=alice, offering=offering)


def test_charlie_cannot_issue_for_a(alice, charlie, institution_a):
    _programme, offering = programme_with_offering(alice, institution_a)
    with pytest.raises(Http404):
        services.plan_offering_issuance(actor=charlie, offering=offering)
    with pytest.raises(Http404):
        services.issue_offering_passes(actor=charlie, offering=offering)
    assert not IssuanceJob.objects.filter(requested_by=charlie).exists()


def test_broker_outage_at_commit_loses_nothing(alice, institution_a, dana, monkeypatch, settings):
    """The pass is stored and the credential intent stays pending; the sweeper queues it."""
    from datetime import timedelta

    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)

    def broker_down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    from celery.app.task import Task

    monkeypatch.setattr(Task, "apply_async", broker_down)
    _programme, offering = programme_with_offering(alice, institution_a)
    record_pass(alice, enrol_all(offering, [dana])[0])
    credential = Credential.objects.get()
    assert credential.state == CredentialState.PENDING
    monkeypatch.undo()
    Credential.objects.filter(pk=credential.pk).update(
        created_at=credential.created_at - timedelta(minutes=5)
    )
    with run_on_commit():
        assert services.sweep_stale_intents() == 1
    credential.refresh_from_db()
    assert credential.state == CredentialState.ISSUED


def test_a_batch_whose_signatures_do_not_match_the_published_key_fails_visibly(
    alice, institution_a, institution_b, dana
):
    """The self-check compares what was signed with the key verifiers will resolve."""
    from issuance.models import SigningKey
    from issuance.signing_keys import active_signing_key

    key_a = active_signing_key(institution_a)
    key_b = active_signing_key(institution_b)
    published_a, published_b = key_a.public_key_multibase, key_b.public_key_multibase
    # Publish B's public key as A's: A's private key no longer matches what verifiers resolve.
    SigningKey.objects.filter(pk=key_b.pk).update(public_key_multibase="zSwapping")
    SigningKey.objects.filter(pk=key_a.pk).update(public_key_multibase=published_b)
    SigningKey.objects.filter(pk=key_b.pk).update(public_key_multibase=published_a)
    credential = _credential_of_a_pass(alice, institution_a, dana)
    assert credential.state == CredentialState.FAILED
    assert "published key" in credential.failure_reason
    assert credential.document_json == ""


def test_the_job_of_recorded_passes_names_the_programme_and_the_offering(
    alice, institution_a, dana
):
    credential = issue_credential(alice, institution_a, dana)
    job = credential.job
    assert job.description == (
        f"Passes recorded for {credential.programme_version.title_en} ({job.offering.code})"
    )
