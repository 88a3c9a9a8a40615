"""Names are identity data: every change is recorded, and once a learner holds credentials or
has a recognition request a change waits for staff approval. The holder check reads the name
as of submission from the record, so renaming around a submission does not make a copied
credential "match"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from portal import identity
from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent, NameChange, NameChangeStatus
from recognition import services
from tests.recognition.factories import issued_to, signed_credential, submit

pytestmark = pytest.mark.django_db


def _name_check(request):
    return next(c for c in request.checks["checks"] if c["id"] == "holder-name-1")


def test_rename_submit_rename_back_does_not_make_the_holder_check_match(
    as_user, eve, oscar, institution_a, course_a
):
    """The attack: Eve takes Dana's name, submits Dana's credential, and takes her own name
    back. Before, the stored check said "match" and nothing showed the rename."""
    client = as_user(eve)
    response = client.post(reverse("profile"), {"full_name": "Dana Learner"})
    assert response.status_code == 302
    eve.refresh_from_db()
    assert eve.full_name == "Dana Learner"  # no credentials, no request: applied at once

    request = submit(
        eve, institution_a, course_a, documents=[signed_credential()], now=timezone.now()
    )
    assert request.learner_name == "Dana Learner"

    # Renaming back now needs a reason and staff approval.
    refused = client.post(reverse("profile"), {"full_name": "Eve Outsider"})
    assert refused.status_code == 200
    assert "give a reason" in refused.content.decode()
    asked = client.post(
        reverse("profile"), {"full_name": "Eve Outsider", "name_change_reason": "My real name."}
    )
    assert asked.status_code == 302
    eve.refresh_from_db()
    assert eve.full_name == "Dana Learner"
    pending = NameChange.objects.get(user=eve, status=NameChangeStatus.PENDING)

    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    name_check = _name_check(request)
    assert name_check["outcome"] == "difference"
    assert "Eve Outsider → Dana Learner" in name_check["reason"]["params"]["changes"]
    assert request.checks["recommendation"]["kind"] == "examine"
    assert request.credentials.get().holder_status == "not_proven"

    # Staff approve the change back; the case still reads the name the request was made in.
    identity.decide_name_change(actor=oscar, change=pending, approve=True, note="Passport seen.")
    eve.refresh_from_db()
    assert eve.full_name == "Eve Outsider"
    request.checks_status = "pending"
    request.save(update_fields=["checks_status"])
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert _name_check(request)["evidence"]["name_at_submission"] == "Dana Learner"
    assert _name_check(request)["outcome"] == "difference"
    actions = set(AuditEvent.objects.filter(actor=eve).values_list("action", flat=True))
    assert {"account.name_changed", "account.name_change_requested"} <= actions
    assert AuditEvent.objects.filter(action="account.name_change_approved", actor=oscar).exists()


def test_a_learner_holding_credentials_changes_name_only_with_approval(
    alice, dana, oscar, institution_a
):
    from tests.catalogue.factories import published_programme

    version = published_programme(alice, institution_a).published_version
    issued_to(dana, version, institution_a)
    with pytest.raises(DomainError, match="give a reason"):
        identity.change_name(user=dana, new_name="Dana Other")
    change = identity.change_name(user=dana, new_name="Dana Other", reason="Marriage.")
    assert change is not None
    assert change.status == NameChangeStatus.PENDING
    dana.refresh_from_db()
    assert dana.full_name == "Dana Learner"
    with pytest.raises(ConflictError):
        identity.change_name(user=dana, new_name="Dana Third", reason="Again.")
    # Nobody but staff approves, nobody approves their own change, and never without a note.
    with pytest.raises(DomainError):
        identity.decide_name_change(actor=alice, change=change, approve=True, note="ok")
    with pytest.raises(DomainError):
        identity.decide_name_change(actor=oscar, change=change, approve=True, note=" ")
    identity.decide_name_change(actor=oscar, change=change, approve=False, note="No document.")
    dana.refresh_from_db()
    assert dana.full_name == "Dana Learner"
    with pytest.raises(ConflictError):
        identity.decide_name_change(actor=oscar, change=change, approve=True, note="late")


def test_staff_approve_a_change_of_name_in_the_admin(as_user, dana, oscar, institution_a, course_a):
    submit(dana, institution_a, course_a)
    change = identity.change_name(user=dana, new_name="Dana Married", reason="Marriage.")
    url = reverse("admin:portal_namechange_change", args=[change.pk])
    response = as_user(oscar).post(
        url, {"decision_note": "Certificate seen.", "decision": "approve"}
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert dana.full_name == "Dana Married"
    assert identity.name_at(dana, change.requested_at) == "Dana Learner"


def test_the_name_at_a_moment_comes_from_the_record(dana):
    first = identity.change_name(user=dana, new_name="Dana Two")
    second = identity.change_name(user=dana, new_name="Dana Three")
    assert first is not None
    assert second is not None
    assert first.applied_at is not None
    assert second.applied_at is not None
    assert identity.name_at(dana, first.applied_at) == "Dana Two"
    assert identity.name_at(dana, second.applied_at) == "Dana Three"
    from datetime import timedelta

    assert identity.name_at(dana, first.applied_at - timedelta(seconds=1)) == "Dana Learner"
