from __future__ import annotations

import pytest
from django.urls import reverse

from catalogue.models import Occupation, OccupationSkill, Skill
from insights import selectors
from tests.catalogue.factories import DATA_SKILL, ML_SKILL
from tests.issuance.factories import issue_credential, programme_with_offering


@pytest.fixture
def occupation(db):
    from tests.catalogue.factories import ensure_esco_loaded

    ensure_esco_loaded()
    occupation = Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/test-data-analyst",
        preferred_label="data analyst",
    )
    extra = Skill.objects.exclude(uri__in=[DATA_SKILL, ML_SKILL]).order_by("pk").first()
    for skill in Skill.objects.filter(uri__in=[DATA_SKILL, ML_SKILL]) | Skill.objects.filter(
        pk=extra.pk
    ):
        OccupationSkill.objects.create(occupation=occupation, skill=skill, relation="essential")
    return occupation


def test_plan_shows_covered_missing_and_ranked_programmes(alice, institution_a, dana, occupation):
    issue_credential(alice, institution_a, dana, slug="held")
    plan = selectors.career_plan(learner=dana, occupation=occupation)
    held = selectors.held_skill_uris(dana)
    assert {skill.uri for skill in plan.covered} == {
        uri for uri in occupation.skills.values_list("uri", flat=True) if uri in held
    }
    assert plan.covered
    assert len(plan.covered) + len(plan.missing) == 3
    # A programme the learner already passed is never suggested.
    assert all(suggestion.programme.slug != "held" for suggestion in plan.suggestions)


def test_programmes_covering_more_missing_skills_rank_first(alice, institution_a, eve, occupation):
    programme_with_offering(alice, institution_a, slug="candidate")
    plan = selectors.career_plan(learner=eve, occupation=occupation)
    assert plan.covered == []
    assert [s.programme.slug for s in plan.suggestions] == ["candidate"]
    assert {skill.uri for skill in plan.suggestions[0].covers} >= {DATA_SKILL}
    covers = [len(s.covers) for s in plan.suggestions]
    assert covers == sorted(covers, reverse=True)


def test_careers_page(as_user, alice, institution_a, dana, occupation):
    issue_credential(alice, institution_a, dana)
    client = as_user(dana)
    page = client.get(reverse("insights:careers"), {"occupation": occupation.uri})
    assert page.status_code == 200
    assert "essential skills of data analyst" in page.content.decode()
    bad = client.get(reverse("insights:careers"), {"occupation": "http://example.org/nope"})
    assert bad.status_code == 400
    assert "Choose an occupation from the list" in bad.content.decode()


def test_careers_needs_sign_in(client, db):
    response = client.get(reverse("insights:careers"))
    assert response.status_code == 302
