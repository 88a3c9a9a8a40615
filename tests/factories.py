"""Factories shared by every app's tests."""

from __future__ import annotations

from datetime import date

import factory
from allauth.account.models import EmailAddress

from alliances.models import (
    Alliance,
    AllianceRole,
    Institution,
    InstitutionRole,
    Membership,
    MembershipRole,
    StaffRole,
)
from portal.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Alliance {n}")
    slug = factory.Sequence(lambda n: f"alliance-{n}")
    description = "A test alliance."
    founded_year = 2020


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution
        django_get_or_create = ("slug",)

    legal_name = factory.Sequence(lambda n: f"University {n}")
    short_name = factory.Sequence(lambda n: f"U{n}")
    slug = factory.Sequence(lambda n: f"university-{n}")
    country = "ES"
    city = "Barcelona"
    main_language = "es"


def add_member(
    alliance: Alliance, institution: Institution, role: str = MembershipRole.PARTNER
) -> Membership:
    return Membership.objects.create(
        alliance=alliance, institution=institution, role=role, joined_on=date(2020, 1, 1)
    )


def grant(user: User, institution: Institution, *roles: str) -> User:
    for role in roles:
        StaffRole.objects.get_or_create(user=user, institution=institution, role=role)
    return user


def make_alliance_admin(user: User, alliance: Alliance) -> User:
    AllianceRole.objects.get_or_create(user=user, alliance=alliance)
    return user


ADMIN = InstitutionRole.INSTITUTION_ADMIN
MANAGER = InstitutionRole.PROGRAMME_MANAGER
OFFICER = InstitutionRole.RECOGNITION_OFFICER
