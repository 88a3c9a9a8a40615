"""Dual and challenge-based learning: mentors of companies and challenge providers assigned
to an offering, and challenge teams of its learners."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution, InstitutionRole, Membership, OrganisationKind
from catalogue import permissions as catalogue_permissions
from catalogue.models import (
    ChallengeTeam,
    Enrolment,
    EnrolmentStatus,
    Offering,
    OfferingMentor,
)
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User


def _require_offering_staff(actor: User, offering: Offering) -> None:
    permissions.require(
        any(
            catalogue_permissions.manages_programmes_at(actor, institution_id)
            for institution_id in offering.delivery_institution_ids
        )
    )


def _alliance_organisation(offering: Offering, organisation: Institution) -> None:
    """The organisation must be a current member of the programme's alliance and not a
    university (mentors and challenges come from companies and challenge providers)."""
    if organisation.kind == OrganisationKind.UNIVERSITY:
        raise DomainError(
            _("Mentors and challenges come from companies and challenge providers."),
            field="organisation",
        )
    member = Membership.objects.filter(
        alliance_id=offering.programme.alliance_id,
        institution=organisation,
        left_on__isnull=True,
    ).exists()
    if not member:
        raise DomainError(
            _("%(name)s is not a member of the programme's alliance.")
            % {"name": organisation.short_name},
            field="organisation",
        )


@transaction.atomic
def assign_mentor(
    *, actor: User, offering: Offering, mentor: User, organisation: Institution
) -> OfferingMentor:
    """Staff of a delivering institution assign a mentor (who holds the mentor role at a
    company or challenge provider of the alliance) to assess the offering."""
    offering = Offering.objects.select_related("programme").get(pk=offering.pk)
    _require_offering_staff(actor, offering)
    _alliance_organisation(offering, organisation)
    if not mentor.institution_roles.filter(
        institution=organisation, role=InstitutionRole.MENTOR
    ).exists():
        raise DomainError(
            _("%(email)s is not a mentor of %(name)s.")
            % {"email": mentor.email, "name": organisation.short_name},
            field="mentor",
        )
    assignment, created = OfferingMentor.objects.get_or_create(
        offering=offering,
        mentor=mentor,
        defaults={
            "organisation": organisation,
            "assigned_by": actor,
            "assigned_at": timezone.now(),
        },
    )
    if not created:
        raise ConflictError(_("This mentor is already assigned to the offering."))
    record_event(
        actor=actor,
        action="catalogue.mentor_assigned",
        target=offering,
        institution_id=organisation.pk,
        data={"mentor": mentor.pk, "organisation": organisation.pk},
    )
    return assignment


@transaction.atomic
def create_challenge_team(
    *,
    actor: User,
    offering: Offering,
    name: str,
    challenge: str,
    members: Sequence[User],
    provider: Institution | None = None,
) -> ChallengeTeam:
    """Group enrolled learners of the offering into a team working on one challenge."""
    offering = Offering.objects.select_related("programme").get(pk=offering.pk)
    _require_offering_staff(actor, offering)
    name, challenge = name.strip()[:120], challenge.strip()[:4000]
    if not name:
        raise DomainError(_("Give the team a name."), field="name")
    if not challenge:
        raise DomainError(_("Describe the challenge."), field="challenge")
    if provider is not None:
        _alliance_organisation(offering, provider)
    enrolments = list(
        Enrolment.objects.filter(
            offering=offering, status=EnrolmentStatus.ENROLLED, learner__in=members
        )
    )
    if len(enrolments) != len({member.pk for member in members}):
        raise DomainError(_("Every member must be enrolled in the offering."), field="members")
    if ChallengeTeam.objects.filter(offering=offering, name=name).exists():
        raise ConflictError(_("The offering already has a team of that name."))
    team = ChallengeTeam.objects.create(
        offering=offering, name=name, challenge=challenge, provider=provider
    )
    team.members.set(enrolments)
    record_event(
        actor=actor,
        action="catalogue.challenge_team_created",
        target=offering,
        data={"team": team.pk, "members": len(enrolments)},
    )
    return team
