"""A dishonest learner with a copy of someone else's credential.

Eve obtains a copy of Dana's credential (a share link's presentation, a forwarded file) and
submits it as her own: through the API and the website, at both institutions, towards a course
and as free-elective credits, with and without a recognition agreement that covers it, under
her own name and after renaming herself to Dana's. It is never recognised automatically, and
the officer sees "holder not proven" or "issued to someone else"."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import identity
from portal.errors import DomainError
from recognition import checks, services
from recognition.models import (
    Decision,
    HolderStatus,
    RecognitionRequest,
    RequestStatus,
    SubmittedCredential,
)
from tests.catalogue.factories import published_programme
from tests.recognition.factories import (
    PortalFetcher,
    issued_to,
    signed_credential,
    submit,
    trust_provider,
)

pytestmark = pytest.mark.django_db

BASE = "/api/v1/recognition"
HOLDER_LABELS = {"Holder not proven", "Issued to someone else"}


@pytest.fixture
def world(alice, bob, carol, institution_a, institution_b, course_a, course_b, monkeypatch):
    """Both institutions take requests; A's programme is published; the portal's resolver
    serves A's did:web document; the external provider is in the trust registry."""
    monkeypatch.setattr(checks, "verification_fetcher", lambda: PortalFetcher(institution_a))
    trust_provider()
    programme = published_programme(alice, institution_a)
    return {
        "programme": programme,
        "version": programme.published_version,
        "institutions": {
            "uni-a": (institution_a, course_a, bob),
            "uni-b": (institution_b, course_b, carol),
        },
    }


def _agree(world, slug):
    _institution, course, officer = world["institutions"][slug]
    return services.create_agreement(
        actor=officer, target=course, programme=world["programme"], ects=course.ects
    )


def _copied_credential(world, origin, dana):
    if origin == "issued_here":
        _institution_a, _course, _officer = world["institutions"]["uni-a"]
        return issued_to(dana, world["version"], _institution_a)
    return signed_credential()


def _submit_through(channel, client, slug, kind, course, document):
    if channel == "api":
        payload = {"institution": slug, "kind": kind, "credentials": [document]}
        if kind == "course":
            payload["target"] = course.pk
        response = client.post(f"{BASE}/requests/", payload, format="json")
        assert response.status_code == 201, response.content
    else:
        data = {
            "kind": kind,
            "motivation": "Mine.",
            "credential_file": SimpleUploadedFile(
                "badge.json", json.dumps(document).encode(), "application/json"
            ),
        }
        if kind == "course":
            data["target"] = course.pk
        response = client.post(reverse("recognition:request_create", args=[slug]), data)
        assert response.status_code == 302, response.content.decode()[:2000]
    return RecognitionRequest.objects.latest("pk")


@pytest.mark.parametrize("channel", ["api", "website"])
@pytest.mark.parametrize("slug", ["uni-a", "uni-b"])
@pytest.mark.parametrize("kind", ["course", "free_elective"])
@pytest.mark.parametrize("with_agreement", [True, False], ids=["agreement", "no-agreement"])
@pytest.mark.parametrize("renamed", [True, False], ids=["renamed", "own-name"])
@pytest.mark.parametrize("origin", ["issued_here", "external"])
def test_a_copied_credential_is_never_recognised_automatically(
    world,
    dana,
    eve,
    api_as,
    as_user,
    django_capture_on_commit_callbacks,
    channel,
    slug,
    kind,
    with_agreement,
    renamed,
    origin,
):
    _institution, course, officer = world["institutions"][slug]
    if with_agreement:
        _agree(world, slug)
    document = _copied_credential(world, origin, dana)
    if renamed:
        identity.change_name(user=eve, new_name="Dana Learner")
    client = api_as(eve) if channel == "api" else as_user(eve)
    with django_capture_on_commit_callbacks(execute=True):
        request = _submit_through(channel, client, slug, kind, course, document)
    request.refresh_from_db()

    assert request.learner == eve
    assert not Decision.objects.filter(request=request).exists()
    assert request.status == RequestStatus.SUBMITTED
    assert request.checks["recommendation"]["automatic"] is False
    assert request.checks["recommendation"]["kind"] == "examine"
    credential = request.credentials.get()
    expected = HolderStatus.ISSUED_TO_OTHER if origin == "issued_here" else HolderStatus.NOT_PROVEN
    assert credential.holder_status == expected
    page = as_user(officer).get(reverse("recognition:case_detail", args=[request.pk]))
    assert page.status_code == 200
    assert any(label in page.content.decode() for label in HOLDER_LABELS)


def test_the_true_holder_is_still_recognised_automatically(
    world, dana, institution_a, course_b, django_capture_on_commit_callbacks
):
    """The control for the matrix above: the same credential, submitted by Dana herself under
    the same agreement, is decided automatically."""
    _agree(world, "uni-b")
    document = issued_to(dana, world["version"], institution_a)
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(dana, course_b.institution, course_b, documents=[document])
    request.refresh_from_db()
    assert request.credentials.get().holder_status == HolderStatus.ISSUED_HERE
    assert request.final_decision is not None
    assert request.final_decision.automatic


def test_one_credential_is_the_basis_of_recognition_for_one_person_across_institutions(
    world, dana, eve, institution_a, institution_b, course_a, course_b
):
    document = signed_credential()
    first = submit(dana, institution_a, course_a, documents=[document])
    services.run_preassessment(request_id=first.pk)
    # Eve's copy at the other institution: the same credential id, digest and proof.
    copy = submit(eve, institution_b, course_b, documents=[json.loads(json.dumps(document))])
    services.run_preassessment(request_id=copy.pk)
    copy.refresh_from_db()
    assert copy.credentials.get().holder_status == HolderStatus.ISSUED_TO_OTHER
    assert copy.checks["recommendation"]["kind"] == "examine"
    # Even with the id removed (a different digest), the proof gives the copy away.
    stripped = json.loads(json.dumps(document))
    stripped.pop("id")
    third = submit(eve, institution_a, None, documents=[stripped])
    services.run_preassessment(request_id=third.pk)
    assert (
        SubmittedCredential.objects.get(request=third).holder_status == HolderStatus.ISSUED_TO_OTHER
    )


def test_an_officer_recorded_identity_check_is_audited_and_counts_as_proof(
    world, bob, eve, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    with pytest.raises(DomainError, match="reason"):
        services.record_identity_check(officer=bob, case=request, position=1, note=" ")
    services.record_identity_check(
        officer=bob, case=request, position=1, note="Identity card checked."
    )
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert request.credentials.get().holder_status == HolderStatus.OFFICER
    assert request.checks["recommendation"]["kind"] == "full"
    from portal.models import AuditEvent

    event = AuditEvent.objects.get(action="recognition.identity_checked")
    assert event.actor == bob
    assert event.data["note"] == "Identity card checked."


def test_another_institutions_officer_cannot_record_an_identity_check(
    world, carol, dana, institution_a, course_a
):
    from django.http import Http404

    request = submit(dana, institution_a, course_a)
    with pytest.raises(Http404):
        services.record_identity_check(officer=carol, case=request, position=1, note="x")


def test_holder_challenges_are_reused_while_valid_and_limited_per_request(
    world, dana, institution_a, course_a
):
    from recognition.models import HolderChallenge

    request = submit(dana, institution_a, course_a)
    first = services.issue_holder_challenge(learner=dana, case=request)
    assert services.issue_holder_challenge(learner=dana, case=request) == first
    challenge = first
    for attempt in range(1, services.MAX_HOLDER_CHALLENGES + 1):
        unsigned = {"type": "VerifiablePresentation", "proof": {"challenge": challenge.challenge}}
        with pytest.raises(DomainError):
            services.prove_holder(learner=dana, case=request, presentation=unsigned)
        if attempt < services.MAX_HOLDER_CHALLENGES:
            challenge = services.issue_holder_challenge(learner=dana, case=request)
    with pytest.raises(DomainError, match="Too many attempts"):
        services.issue_holder_challenge(learner=dana, case=request)
    assert HolderChallenge.objects.filter(request=request).count() == services.MAX_HOLDER_CHALLENGES
