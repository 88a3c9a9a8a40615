from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from catalogue import selectors
from catalogue.models import (
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    Offering,
    Pathway,
    Programme,
    ProgrammeStatus,
    ProgrammeVersion,
)
from catalogue.snapshots import missing_elements
from portal.models import AuditEvent, User

MODELS = (Programme, ProgrammeVersion, Offering, Enrolment, AssessmentResult, Pathway, AuditEvent)


def test_seed_demo_publishes_joint_programmes_with_offerings_results_and_pathways(db):
    call_command("seed_demo", stdout=StringIO())
    published = Programme.objects.filter(status=ProgrammeStatus.PUBLISHED)
    assert published.count() >= 12
    assert set(published.values_list("alliance__slug", flat=True)) == {"eciu", "eu4dual"}
    assert all(programme.partner_links.exists() for programme in published)
    drafts = Programme.objects.filter(status=ProgrammeStatus.DRAFT)
    assert drafts.count() == 2
    assert all(missing_elements(programme) for programme in drafts)
    assert Enrolment.objects.filter(status=EnrolmentStatus.WAITLISTED).count() == 1
    assert AssessmentResult.objects.filter(outcome="passed").exists()
    assert Pathway.objects.count() == 2
    ana = User.objects.get(email="learner.ana@demo.example")
    progress = {entry.pathway.slug: entry for entry in selectors.pathway_progress(learner=ana)}
    assert progress["eciu-digital-transformation"].complete


def test_seed_demo_twice_changes_nothing_in_the_catalogue(db):
    call_command("seed_demo", stdout=StringIO())
    before = [model.objects.count() for model in MODELS]
    call_command("seed_demo", stdout=StringIO())
    assert [model.objects.count() for model in MODELS] == before
