from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from credential_format.verification import NoNetworkFetcher, verify_credential
from portal.models import AuditEvent
from recognition.models import (
    Appeal,
    BlanketRule,
    Decision,
    PreApproval,
    RecognitionAgreement,
    RecognitionPolicy,
    RecognitionRequest,
    RecognitionTarget,
    RequestStatus,
    SubmittedCredential,
)

MODELS = (
    RecognitionPolicy,
    RecognitionTarget,
    RecognitionRequest,
    Decision,
    Appeal,
    RecognitionAgreement,
    AuditEvent,
)


def test_seed_demo_creates_policies_targets_cases_an_agreement_and_an_appeal(db):
    call_command("seed_demo", stdout=StringIO())
    assert set(RecognitionPolicy.objects.values_list("institution__slug", flat=True)) == {
        "uab",
        "utwente",
        "mondragon",
        "dhbw",
        "tuhh",
    }
    assert RecognitionTarget.objects.count() >= 5
    statuses = set(RecognitionRequest.objects.values_list("status", flat=True))
    assert {
        RequestStatus.SUBMITTED,
        RequestStatus.AWAITING_LEARNER,
        RequestStatus.DECIDED,
        RequestStatus.APPEALED,
        RequestStatus.CLOSED,
    } <= statuses
    assert RecognitionAgreement.objects.count() == 1
    assert Appeal.objects.count() == 1
    (rule,) = BlanketRule.objects.all()
    assert set(rule.signatures.values_list("institution__slug", flat=True)) == {"uab", "tuhh"}
    assert set(PreApproval.objects.values_list("status", flat=True)) == {"approved", "requested"}
    assert RecognitionRequest.objects.filter(escalated_at__isnull=False).exists()
    assert Decision.objects.filter(outcome="refused").exists()
    assert all(r.checks_status == "done" for r in RecognitionRequest.objects.all())
    # The demo credentials are signed by a did:key provider: they verify offline.
    for credential in SubmittedCredential.objects.all():
        assert credential.verdict == "verified"
        assert verify_credential(credential.document, fetcher=NoNetworkFetcher()).verified


def test_seed_demo_twice_changes_nothing_in_recognition(db):
    call_command("seed_demo", stdout=StringIO())
    before = [model.objects.count() for model in MODELS]
    call_command("seed_demo", stdout=StringIO())
    assert [model.objects.count() for model in MODELS] == before
