from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.http import Http404
from django.utils import timezone

from alliances import services
from alliances.models import InstitutionRole, StaffInvitation, StaffRole
from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent
from tests.factories import UserFactory


def test_alice_invites_a_programme_manager_who_accepts_by_signing_in(
    alice, institution_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite_staff(
            actor=alice,
            institution=institution_a,
            email="New.Person@Example.org",
            role=InstitutionRole.PROGRAMME_MANAGER,
        )
    assert invitation.email == "new.person@example.org"
    assert len(mail.outbox) == 1
    assert invitation.token in mail.outbox[0].body
    assert "https://portal.test/invitations/" in mail.outbox[0].body

    newcomer = UserFactory(email="new.person@example.org")
    role = services.accept_invitation(user=newcomer, token=invitation.token)
    assert role.institution == institution_a
    assert role.role == InstitutionRole.PROGRAMME_MANAGER
    invitation.refresh_from_db()
    assert invitation.accepted_by == newcomer
    assert AuditEvent.objects.filter(action="staff.invitation_accepted", actor=newcomer).exists()


def test_invitation_cannot_be_accepted_with_another_address(alice, institution_a, eve):
    invitation = services.invite_staff(
        actor=alice,
        institution=institution_a,
        email="someone@example.org",
        role="programme_manager",
    )
    with pytest.raises(DomainError, match="another e-mail address"):
        services.accept_invitation(user=eve, token=invitation.token)
    assert not StaffRole.objects.filter(user=eve).exists()


def test_unverified_address_cannot_accept(alice, institution_a):
    invitation = services.invite_staff(
        actor=alice,
        institution=institution_a,
        email="unverified@example.org",
        role="programme_manager",
    )
    person = UserFactory(email="unverified@example.org", verified=False)
    with pytest.raises(DomainError):
        services.accept_invitation(user=person, token=invitation.token)


def test_expired_invitation_is_refused_and_can_be_sent_again(alice, institution_a):
    invitation = services.invite_staff(
        actor=alice, institution=institution_a, email="late@example.org", role="recognition_officer"
    )
    StaffInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    person = UserFactory(email="late@example.org")
    with pytest.raises(ConflictError):
        services.accept_invitation(user=person, token=invitation.token)
    fresh = services.invite_staff(
        actor=alice, institution=institution_a, email="late@example.org", role="recognition_officer"
    )
    assert services.accept_invitation(user=person, token=fresh.token).role == "recognition_officer"


def test_duplicate_open_invitation_is_a_conflict(alice, institution_a):
    services.invite_staff(
        actor=alice, institution=institution_a, email="x@example.org", role="programme_manager"
    )
    with pytest.raises(ConflictError):
        services.invite_staff(
            actor=alice, institution=institution_a, email="x@example.org", role="programme_manager"
        )


def test_inviting_someone_who_already_has_the_role_is_a_conflict(alice, bob, institution_a):
    with pytest.raises(ConflictError, match="already has this role"):
        services.invite_staff(
            actor=alice, institution=institution_a, email=bob.email, role="recognition_officer"
        )


def test_charlie_cannot_invite_staff_to_a(charlie, institution_a):
    with pytest.raises(Http404):
        services.invite_staff(
            actor=charlie,
            institution=institution_a,
            email="x@example.org",
            role="programme_manager",
        )
    assert not StaffInvitation.objects.exists()


def test_revoked_invitation_cannot_be_accepted(alice, institution_a):
    invitation = services.invite_staff(
        actor=alice, institution=institution_a, email="gone@example.org", role="programme_manager"
    )
    services.revoke_invitation(actor=alice, invitation=invitation)
    with pytest.raises(ConflictError):
        services.accept_invitation(
            user=UserFactory(email="gone@example.org"), token=invitation.token
        )


def test_the_last_admin_cannot_be_removed(alice, bob, institution_a):
    admin_role = StaffRole.objects.get(
        user=alice, institution=institution_a, role="institution_admin"
    )
    with pytest.raises(ConflictError, match="at least one admin"):
        services.remove_staff_role(actor=alice, staff_role=admin_role)
    assert StaffRole.objects.filter(pk=admin_role.pk).exists()


def test_alice_removes_bob(alice, bob, institution_a):
    role = StaffRole.objects.get(user=bob)
    services.remove_staff_role(actor=alice, staff_role=role)
    assert not StaffRole.objects.filter(user=bob).exists()
    event = AuditEvent.objects.get(action="staff.removed")
    assert event.data == {"user": bob.email, "role": "recognition_officer"}
    assert event.institution_id == institution_a.pk


def test_update_institution_refuses_fields_outside_the_editable_set(alice, institution_a):
    with pytest.raises(DomainError, match="slug"):
        services.update_institution(actor=alice, institution=institution_a, data={"slug": "stolen"})
    institution_a.refresh_from_db()
    assert institution_a.slug == "uni-a"


def test_update_institution_validates_and_audits(alice, institution_a):
    services.update_institution(
        actor=alice, institution=institution_a, data={"qa_accrediting_body": "AQU Catalunya"}
    )
    institution_a.refresh_from_db()
    assert institution_a.qa_accrediting_body == "AQU Catalunya"
    assert AuditEvent.objects.get(action="institution.updated").data == {
        "fields": ["qa_accrediting_body"]
    }


def test_alliance_admin_registers_a_member_institution(olga, alliance):
    institution = services.create_institution(
        actor=olga,
        alliance=alliance,
        legal_name="Tallinn University",
        slug="tlu",
        role="partner",
        country="EE",
        city="Tallinn",
    )
    assert institution.memberships.get().alliance == alliance


def test_alliance_admin_cannot_register_into_another_alliance(olga, other_alliance):
    with pytest.raises(Http404):
        services.create_institution(
            actor=olga,
            alliance=other_alliance,
            legal_name="X",
            slug="x",
            role="partner",
            country="EE",
            city="Tallinn",
        )
