"""The approval conversation of a joint programme stays on its page: the partner's request for
changes, the coordinator's reply, the approvals, and field by field what changed between two
submissions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue import services
from catalogue.diffs import FieldChange, snapshot_changes
from catalogue.models import ApprovalMessage, ProgrammeStatus
from tests.catalogue.factories import complete_data, draft_programme
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


def test_changes_are_listed_field_by_field():
    before = {"version": 1, "title": {"en": "Data"}, "workload": {"ects": "5.0"}, "tags": ["a"]}
    after = {"version": 2, "title": {"en": "Data science"}, "workload": {"ects": "5.0"}}
    assert snapshot_changes(before, after) == [
        FieldChange("title.en", "Data", "Data science"),
        FieldChange("tags 1", "a", ""),
    ]


def test_the_conversation_and_the_diff_through_the_pages(
    as_user, alice, charlie, institution_a, institution_b
):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    coordinator, partner = as_user(alice), as_user(charlie)
    manage = reverse("catalogue:programme_manage", args=[programme.pk])
    coordinator.post(reverse("catalogue:programme_submit", args=[programme.pk]))
    partner.post(
        reverse("catalogue:programme_request_changes", args=[programme.pk]),
        {"institution": institution_b.pk, "comment": "Six ECTS, as agreed in the consortium."},
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT
    services.update_programme(
        actor=alice, programme=programme, data={**complete_data(), "ects": Decimal("6.0")}
    )
    page = coordinator.get(manage).content.decode()
    assert "Six ECTS, as agreed in the consortium." in page
    assert "Reply to the partners (optional)" in page
    coordinator.post(
        reverse("catalogue:programme_submit", args=[programme.pk]),
        {"reply": "Done: six ECTS and 150 hours."},
    )
    page = partner.get(manage).content.decode()
    assert "Asked for changes" in page
    assert "Six ECTS, as agreed in the consortium." in page
    assert "Done: six ECTS and 150 hours." in page
    assert "What changed since the previous submission" in page
    assert "<code>workload.ects</code>" in page
    assert "<del>5.0</del>" in page
    assert "<ins>6.0</ins>" in page
    partner.post(
        reverse("catalogue:programme_approve", args=[programme.pk]),
        {"institution": institution_b.pk},
    )
    kinds = list(ApprovalMessage.objects.values_list("kind", flat=True))
    assert kinds == ["submitted", "changes_requested", "submitted", "approved"]


def test_staff_of_an_institution_outside_the_programme_do_not_see_the_conversation(
    as_user, alice, charlie, institution_a, institution_b, institution_c
):
    outsider = grant(UserFactory(), institution_c, "programme_manager")
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    services.submit_programme(actor=alice, programme=programme)
    response = as_user(outsider).get(reverse("catalogue:programme_manage", args=[programme.pk]))
    assert response.status_code == 404


def test_the_conversation_through_the_api(api_as, alice, charlie, institution_a, institution_b):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    base = f"/api/v1/manage/programmes/{programme.pk}"
    assert api_as(alice).post(f"{base}/submit/").status_code == 200
    asked = api_as(charlie).post(
        f"{base}/request-changes/",
        {"institution": institution_b.slug, "comment": "Name the assessment."},
        format="json",
    )
    assert asked.status_code == 200, asked.json()
    answered = api_as(alice).post(
        f"{base}/submit/", {"reply": "Named it: project with oral defence."}, format="json"
    )
    assert answered.status_code == 200, answered.json()
    texts = list(ApprovalMessage.objects.values_list("kind", "text"))
    assert texts == [
        ("submitted", ""),
        ("changes_requested", "Name the assessment."),
        ("submitted", "Named it: project with oral defence."),
    ]
