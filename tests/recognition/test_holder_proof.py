"""Proving that a credential is yours: a Verifiable Presentation signed by the credential's
subject DID over a challenge and domain the portal issued for the request.

The presentations here are signed by an implementation we did not write: Digital Bazaar's
@digitalbazaar/vc with the eddsa-rdfc-2022 Data Integrity suite (tests/interop/js/present.mjs),
as a learner's wallet would sign them."""

from __future__ import annotations

import json
import subprocess
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from credential_format.keys import did_key_for, private_key_from_seed
from portal.errors import DomainError
from portal.models import AuditEvent
from recognition import services
from recognition.models import HolderChallenge, HolderStatus
from recognition.samples import sign_external_credential
from tests.interop.dbstack import REPOSITORY_ROOT, context_redirects, requires_node_stack
from tests.recognition.factories import DATA_COURSE, PROVIDER_KEY, submit, trust_provider

pytestmark = [pytest.mark.django_db, pytest.mark.interop, requires_node_stack]

DANA_SEED = bytes([21]) * 32
EVE_SEED = bytes([22]) * 32
DANA_DID = did_key_for(private_key_from_seed(DANA_SEED))
BASE = "/api/v1/recognition"


def wallet_presentation(seed: bytes, challenge: str, domain: str, credentials=()) -> dict:
    """A presentation signed by Digital Bazaar's stack with the did:key of `seed`."""
    result = subprocess.run(
        ["node", str(REPOSITORY_ROOT / "tests" / "interop" / "js" / "present.mjs")],
        input=json.dumps(
            {
                "seedHex": seed.hex(),
                "credentials": list(credentials),
                "challenge": challenge,
                "domain": domain,
                "contextRedirects": context_redirects(settings.CREDENTIAL_CONTEXT_BASE_URL),
            }
        ),
        capture_output=True,
        text=True,
        cwd=REPOSITORY_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)["presentation"]


def danas_credential() -> dict:
    return sign_external_credential(
        PROVIDER_KEY,
        DATA_COURSE,
        learner_name="Dana Learner",
        learner_email="dana@learner.example",
        learner_did=DANA_DID,
    )


@pytest.fixture
def danas_request(dana, institution_a, course_a):
    trust_provider()
    request = submit(dana, institution_a, course_a, documents=[danas_credential()])
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert request.credentials.get().holder_status == HolderStatus.NOT_PROVEN
    assert request.checks["recommendation"]["kind"] == "examine"
    return request


def test_a_presentation_signed_by_the_subject_proves_the_holder(
    dana, danas_request, django_capture_on_commit_callbacks
):
    request = danas_request
    challenge = services.issue_holder_challenge(learner=dana, case=request)
    presentation = wallet_presentation(
        DANA_SEED, challenge.challenge, challenge.domain, [request.credentials.get().document]
    )
    assert presentation["proof"]["proofPurpose"] == "authentication"
    with django_capture_on_commit_callbacks(execute=True):
        services.prove_holder(learner=dana, case=request, presentation=presentation)
    request.refresh_from_db()
    credential = request.credentials.get()
    assert credential.holder_status == HolderStatus.PRESENTATION
    assert DANA_DID in credential.holder_note
    assert request.checks["recommendation"]["kind"] == "full"
    assert AuditEvent.objects.filter(action="recognition.holder_proven").exists()
    # The challenge is used up: the same presentation again is refused.
    with pytest.raises(DomainError, match="does not prove"):
        services.prove_holder(learner=dana, case=request, presentation=presentation)


def test_a_presentation_is_refused_for_another_key_challenge_domain_or_too_late(
    dana, danas_request
):
    request = danas_request

    def attempt(seed, *, challenge=None, domain=None, expire=False):
        issued = services.issue_holder_challenge(learner=dana, case=request)
        if expire:
            HolderChallenge.objects.filter(pk=issued.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            )
        presentation = wallet_presentation(
            seed, challenge or issued.challenge, domain or issued.domain
        )
        with pytest.raises(DomainError, match="does not prove"):
            services.prove_holder(learner=dana, case=request, presentation=presentation)
        # Used up, even though refused.
        return HolderChallenge.objects.get(pk=issued.pk)

    assert attempt(EVE_SEED).used_at is not None  # signed by someone else's DID
    attempt(DANA_SEED, challenge="made-up-challenge")
    assert attempt(DANA_SEED, domain="evil.example").used_at is not None
    attempt(DANA_SEED, expire=True)
    request.refresh_from_db()
    assert request.credentials.get().holder_status == HolderStatus.NOT_PROVEN
    assert AuditEvent.objects.filter(action="recognition.holder_proof_refused").count() == 4


def test_a_copy_cannot_be_proven_with_the_owners_presentation(
    dana, eve, danas_request, institution_b, course_b, charlie, carol
):
    """Eve has Dana's credential and even a presentation Dana signed for her own request:
    neither proves anything for Eve's request."""
    from tests.recognition.factories import policy

    policy(charlie, institution_b)
    request = danas_request
    challenge = services.issue_holder_challenge(learner=dana, case=request)
    danas_presentation = wallet_presentation(DANA_SEED, challenge.challenge, challenge.domain)
    copy = submit(eve, institution_b, course_b, documents=[request.credentials.get().document])
    with pytest.raises(DomainError):
        services.prove_holder(learner=eve, case=copy, presentation=danas_presentation)
    eves_challenge = services.issue_holder_challenge(learner=eve, case=copy)
    eves_presentation = wallet_presentation(
        EVE_SEED, eves_challenge.challenge, eves_challenge.domain
    )
    with pytest.raises(DomainError):
        services.prove_holder(learner=eve, case=copy, presentation=eves_presentation)
    services.run_preassessment(request_id=copy.pk)
    copy.refresh_from_db()
    assert copy.credentials.get().holder_status == HolderStatus.ISSUED_TO_OTHER
    assert copy.checks["recommendation"]["kind"] == "examine"


def test_the_holder_proof_through_the_api(
    api_as, eve, dana, danas_request, django_capture_on_commit_callbacks
):
    request = danas_request
    assert api_as(eve).post(f"{BASE}/requests/{request.pk}/holder-challenge/").status_code == 404
    issued = api_as(dana).post(f"{BASE}/requests/{request.pk}/holder-challenge/")
    assert issued.status_code == 201
    body = issued.json()
    presentation = wallet_presentation(DANA_SEED, body["challenge"], body["domain"])
    wrong = api_as(dana).post(
        f"{BASE}/requests/{request.pk}/holder-proof/",
        {"presentation": wallet_presentation(EVE_SEED, body["challenge"], body["domain"])},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong["Content-Type"] == "application/problem+json"
    fresh = api_as(dana).post(f"{BASE}/requests/{request.pk}/holder-challenge/").json()
    presentation = wallet_presentation(DANA_SEED, fresh["challenge"], fresh["domain"])
    with django_capture_on_commit_callbacks(execute=True):
        proven = api_as(dana).post(
            f"{BASE}/requests/{request.pk}/holder-proof/",
            {"presentation": presentation},
            format="json",
        )
    assert proven.status_code == 200, proven.json()
    assert proven.json()["credentials"][0]["holder_status"] == "presentation"
    assert proven.json()["recommendation"] is None  # still no recommendation for the learner


def test_the_true_holder_who_comes_second_proves_it_and_the_copy_stays_flagged(
    carol,
    dana,
    eve,
    institution_a,
    institution_b,
    course_a,
    course_b,
    django_capture_on_commit_callbacks,
):
    """Eve submits a copy of Dana's credential first; Dana's own request is then flagged, and
    her signed presentation settles it for her, not for Eve."""
    trust_provider()
    document = danas_credential()
    copy = submit(eve, institution_b, course_b, documents=[document])
    services.run_preassessment(request_id=copy.pk)
    own = submit(dana, institution_a, course_a, documents=[document])
    services.run_preassessment(request_id=own.pk)
    own.refresh_from_db()
    assert own.credentials.get().holder_status == HolderStatus.ISSUED_TO_OTHER
    challenge = services.issue_holder_challenge(learner=dana, case=own)
    presentation = wallet_presentation(DANA_SEED, challenge.challenge, challenge.domain)
    with django_capture_on_commit_callbacks(execute=True):
        services.prove_holder(learner=dana, case=own, presentation=presentation)
    own.refresh_from_db()
    assert own.credentials.get().holder_status == HolderStatus.PRESENTATION
    assert own.checks["recommendation"]["kind"] == "full"
    services.rerun_checks(officer=carol, case=copy)
    services.run_preassessment(request_id=copy.pk)
    copy.refresh_from_db()
    assert copy.credentials.get().holder_status == HolderStatus.ISSUED_TO_OTHER
