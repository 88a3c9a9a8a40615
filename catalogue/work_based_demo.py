"""Demo data for dual and challenge-based learning: a company of the EU4DUAL alliance with a
mentor assigned to the industrial automation cohort, and a challenge team in the cooperative
entrepreneurship cohort. Idempotent."""

from __future__ import annotations

from datetime import date

from alliances.demo import demo_legal_identifier, demo_pic
from alliances.models import (
    Alliance,
    Institution,
    InstitutionRole,
    Membership,
    MembershipRole,
    OrganisationKind,
    StaffRole,
)
from catalogue.models import ChallengeTeam, Enrolment, EnrolmentStatus, Offering, OfferingMentor
from portal.demo import DEMO_PASSWORD, ensure_demo_user
from portal.models import User


def seed_work_based(operator: User, today: date) -> list[tuple[str, str, str]]:
    alliance = Alliance.objects.filter(slug="eu4dual").first()
    if alliance is None:
        return []
    company, _created = Institution.objects.get_or_create(
        slug="arrasate-automation",
        defaults={
            "legal_name": "Arrasate Automation S.Coop.",
            "short_name": "Arrasate Automation",
            "country": "ES",
            "city": "Arrasate-Mondragón",
            "kind": OrganisationKind.COMPANY,
            "legal_identifier": demo_legal_identifier("arrasate-automation", "ES"),
            "nuts_region": "ES212",  # Gipuzkoa
            "pic": demo_pic("arrasate-automation"),
        },
    )
    Membership.objects.get_or_create(
        alliance=alliance,
        institution=company,
        defaults={"role": MembershipRole.PARTNER, "joined_on": today},
    )
    mentor = ensure_demo_user("mentor.arrasate@demo.example", "Mentor, Arrasate Automation")
    StaffRole.objects.get_or_create(user=mentor, institution=company, role=InstitutionRole.MENTOR)
    offering = Offering.objects.filter(code__startswith="industry-4-automation-").first()
    if offering is not None:
        OfferingMentor.objects.get_or_create(
            offering=offering,
            mentor=mentor,
            defaults={"organisation": company, "assigned_by": operator},
        )
    cohort = Offering.objects.filter(code=f"cooperative-entrepreneurship-{today.year + 1}").first()
    if cohort is not None and not cohort.teams.exists():
        team = ChallengeTeam.objects.create(
            offering=cohort,
            name="Team Aretxabaleta",
            challenge="Design a cooperative spin-off for a workshop's unused machinery.",
            provider=company,
        )
        team.members.set(Enrolment.objects.filter(offering=cohort, status=EnrolmentStatus.ENROLLED))
    return [(mentor.email, DEMO_PASSWORD, "mentor at Arrasate Automation (a company of EU4DUAL)")]
