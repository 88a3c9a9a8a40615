from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from alliances.models import Alliance, AllianceRole, Institution, Membership, StaffRole
from portal.models import User


def _counts():
    return tuple(
        model.objects.count()
        for model in (Alliance, Institution, Membership, StaffRole, AllianceRole, User)
    )


def test_seed_demo_creates_alliances_members_and_every_role(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert set(Alliance.objects.values_list("slug", flat=True)) == {"eciu", "eu4dual"}
    assert Institution.objects.count() >= 8
    assert set(StaffRole.objects.values_list("role", flat=True)) == {
        "institution_admin",
        "programme_manager",
        "recognition_officer",
        "registrar",
        "mentor",
    }
    assert AllianceRole.objects.count() == 2
    assert User.objects.filter(is_superuser=True).count() == 1
    printed = out.getvalue()
    assert "admin.uab@demo.example" in printed
    assert "learner.ana@demo.example" in printed
    assert "Password:" in printed


def test_seed_demo_twice_changes_nothing(db):
    call_command("seed_demo", stdout=StringIO())
    before = _counts()
    call_command("seed_demo", stdout=StringIO())
    assert _counts() == before
