from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from catalogue import selectors, services
from catalogue.models import Occupation, ProgrammeStatus, ProgrammeVersion
from tests.catalogue.factories import (
    DATA_SKILL,
    draft_programme,
    open_offering,
    past,
    published_programme,
)


def _pass(actor, programme, learner, code):
    offering = open_offering(actor, programme, code=code)
    enrolment = services.enrol(learner=learner, offering=offering)
    return services.record_result(
        actor=actor,
        enrolment=enrolment,
        outcome="passed",
        grade="8",
        assessed_on=past(),
        identity_verified=True,
    )


def catalogue_slugs(**filters):
    ids = list(selectors.search_catalogue_ids(selectors.CatalogueFilters(**filters)))
    return [programme.slug for programme in selectors.catalogue_rows(ids)]


def test_catalogue_shows_published_programmes_only(alice, institution_a):
    published_programme(alice, institution_a, slug="visible")
    draft_programme(alice, institution_a, slug="draft")
    archived = published_programme(alice, institution_a, slug="archived")
    services.archive_programme(actor=alice, programme=archived)
    assert catalogue_slugs() == ["visible"]


def test_catalogue_filters_combine(alice, institution_a, charlie, institution_b):
    published_programme(
        alice, institution_a, slug="online-6", title={"en": "Alpha data", "es": "a", "de": "a"}
    )
    published_programme(
        alice,
        institution_a,
        slug="onsite-7",
        eqf_level=7,
        qf_ehea_cycle="second",
        participation_form="onsite",
        ects=Decimal("10"),
        title={"en": "Beta robots", "es": "b", "de": "b"},
    )
    published_programme(
        charlie,
        institution_b,
        slug="b-prog",
        languages=["de"],
        title={"en": "Gamma", "es": "g", "de": "g"},
    )

    def slugs(**filters):
        return sorted(catalogue_slugs(**filters))

    assert slugs(eqf_level=7) == ["onsite-7"]
    assert slugs(participation_form="online") == ["b-prog", "online-6"]
    assert slugs(ects_min=Decimal("6")) == ["onsite-7"]
    assert slugs(ects_max=Decimal("5")) == ["b-prog", "online-6"]
    assert slugs(language="de") == ["b-prog"]
    assert slugs(institution="uni-b") == ["b-prog"]
    assert slugs(alliance="test-alliance") == ["b-prog", "online-6", "onsite-7"]
    assert slugs(alliance="other-alliance") == []
    assert slugs(skill=DATA_SKILL) == ["b-prog", "online-6", "onsite-7"]
    assert slugs(query="robots") == ["onsite-7"]
    assert slugs(query="robots", eqf_level=6) == []


def test_start_date_filter_uses_offerings(alice, institution_a):
    from datetime import timedelta

    from django.utils import timezone

    programme = published_programme(alice, institution_a)
    today = timezone.localdate()
    open_offering(alice, programme, starts_on=today + timedelta(days=30))
    assert (
        selectors.search_catalogue_ids(selectors.CatalogueFilters(starts_from=today)).count() == 1
    )
    assert (
        selectors.search_catalogue_ids(
            selectors.CatalogueFilters(starts_from=today + timedelta(days=60))
        ).count()
        == 0
    )
    [row] = selectors.catalogue_rows([programme.pk])
    assert row.next_start == today + timedelta(days=30)


def test_a_revision_in_progress_keeps_the_published_text_in_the_catalogue(alice, institution_a):
    programme = published_programme(alice, institution_a)
    services.update_programme(
        actor=alice, programme=programme, data={"title": {"en": "Unpublished rename", "es": "x"}}
    )
    [found] = selectors.catalogue_rows(
        list(selectors.search_catalogue_ids(selectors.CatalogueFilters(query="literacy")))
    )
    assert found.status == ProgrammeStatus.DRAFT
    assert found.published_version.title_en == "Data literacy for engineers"
    assert not selectors.search_catalogue_ids(
        selectors.CatalogueFilters(query="Unpublished")
    ).exists()


@pytest.fixture
def three_programmes(alice, institution_a):
    return [
        published_programme(alice, institution_a, slug=f"p{n}", ects=Decimal(ects))
        for n, ects in enumerate(["5", "3", "4"])
    ]


def test_pathway_all_of(alice, institution_a, dana, three_programmes):
    pathway = services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=three_programmes[0].alliance,
        slug="all",
        title={"en": "All"},
        rule="all",
        programme_ids=[p.pk for p in three_programmes],
    )
    _pass(alice, three_programmes[0], dana, "c0")
    [progress] = selectors.pathway_progress(learner=dana)
    assert progress.pathway == pathway
    assert (len(progress.passed_programme_ids), progress.needed_programmes, progress.complete) == (
        1,
        3,
        False,
    )
    assert progress.percent == 33
    _pass(alice, three_programmes[1], dana, "c1")
    _pass(alice, three_programmes[2], dana, "c2")
    [progress] = selectors.pathway_progress(learner=dana)
    assert progress.complete
    assert progress.ects_earned == Decimal("12")


def test_pathway_n_of_with_minimum_ects(alice, institution_a, dana, three_programmes):
    services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=three_programmes[0].alliance,
        slug="two-of",
        title={"en": "Two"},
        rule="n_of",
        required_count=2,
        min_ects=Decimal("8"),
        programme_ids=[p.pk for p in three_programmes],
    )
    _pass(alice, three_programmes[1], dana, "c1")
    _pass(alice, three_programmes[2], dana, "c2")
    [progress] = selectors.pathway_progress(learner=dana)
    assert not progress.complete, "two programmes but only 7 ECTS"
    _pass(alice, three_programmes[0], dana, "c0")
    assert selectors.pathway_progress(learner=dana)[0].complete


def test_pathway_minimum_ects_only(alice, institution_a, dana, three_programmes):
    services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=three_programmes[0].alliance,
        slug="ects",
        title={"en": "ECTS"},
        rule="min_ects",
        min_ects=Decimal("5"),
        programme_ids=[p.pk for p in three_programmes],
    )
    _pass(alice, three_programmes[0], dana, "c0")
    assert selectors.pathway_progress(learner=dana)[0].complete


def test_a_failed_result_does_not_count_towards_a_pathway(
    alice, institution_a, dana, three_programmes
):
    services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=three_programmes[0].alliance,
        slug="ects",
        title={"en": "ECTS"},
        rule="min_ects",
        min_ects=Decimal("1"),
        programme_ids=[p.pk for p in three_programmes],
    )
    enrolment = services.enrol(learner=dana, offering=open_offering(alice, three_programmes[0]))
    services.record_result(
        actor=alice,
        enrolment=enrolment,
        outcome="failed",
        grade="2",
        assessed_on=past(),
        identity_verified=True,
    )
    [progress] = selectors.pathway_progress(learner=dana)
    assert not progress.complete


def test_pathway_rules_are_validated(alice, institution_a, three_programmes):
    from portal.errors import DomainError

    with pytest.raises(DomainError):
        services.create_pathway(
            actor=alice,
            owner=institution_a,
            alliance=three_programmes[0].alliance,
            slug="bad",
            title={"en": "Bad"},
            rule="n_of",
            required_count=9,
            programme_ids=[p.pk for p in three_programmes],
        )


def test_occupation_essential_skills_covered_by_passed_programmes(alice, institution_a, dana):
    _pass(alice, published_programme(alice, institution_a), dana, "c0")
    occupation = Occupation.objects.get(preferred_label="data scientist")
    covered, missing = selectors.essential_skills_covered(learner=dana, occupation=occupation)
    assert {skill.preferred_label for skill in covered} == {
        "analyse big data",
        "utilise machine learning",
    }
    assert missing


def test_skill_search_matches_words_of_the_label(db):
    labels = [skill.preferred_label for skill in selectors.search_skills(text="machine learn")]
    assert labels == ["utilise machine learning"]


def test_staff_programme_list_narrows_to_own_institutions(
    alice, charlie, institution_a, institution_b, carol
):
    published_programme(alice, institution_a, slug="a-only")
    draft_programme(alice, institution_a, slug="with-b", partners=[institution_b])
    assert sorted(p.slug for p in selectors.list_programmes_for_staff(user=charlie)) == ["with-b"]
    assert list(selectors.list_programmes_for_staff(user=carol)) == []


@pytest.mark.parametrize("outsider", ["bob", "charlie", "dana", "olga"])
def test_only_managers_of_the_owner_create_pathways(
    request, institution_a, three_programmes, outsider
):
    from django.http import Http404

    with pytest.raises(Http404):
        services.create_pathway(
            actor=request.getfixturevalue(outsider),
            owner=institution_a,
            alliance=three_programmes[0].alliance,
            slug="nope",
            title={"en": "Nope"},
            rule="all",
            programme_ids=[p.pk for p in three_programmes],
        )


def listed_version_ids():
    return set(ProgrammeVersion.objects.filter(listed=True).values_list("pk", flat=True))


def test_the_catalogue_lists_the_published_version_until_the_programme_is_archived(
    alice, institution_a
):
    programme = published_programme(alice, institution_a)
    first = programme.published_version
    assert first.alliance_id == programme.alliance_id
    assert listed_version_ids() == {first.pk}
    programme = services.update_programme(
        actor=alice,
        programme=programme,
        data={"title": {"en": "Renamed data course", "es": "x", "de": "x"}},
    )
    assert listed_version_ids() == {first.pk}
    assert catalogue_slugs(query="Renamed") == []
    programme = services.submit_programme(actor=alice, programme=programme)
    second = programme.published_version
    assert second.number == 2
    assert listed_version_ids() == {second.pk}
    assert catalogue_slugs(query="Renamed") == [programme.slug]
    services.archive_programme(actor=alice, programme=programme)
    assert listed_version_ids() == set()
    assert catalogue_slugs() == []


def test_text_search_puts_the_best_match_first_then_orders_by_title(alice, institution_a):
    for slug, title in [
        ("beta", "Beta robots"),
        ("most", "Robots build robots"),
        ("alpha", "Alpha robots"),
    ]:
        published_programme(
            alice, institution_a, slug=slug, title={"en": title, "es": "x", "de": "x"}
        )
    if connection.vendor == "postgresql":
        # The word twice in "most" ranks it first; equal ranks keep the title order.
        assert catalogue_slugs(query="robots") == ["most", "alpha", "beta"]
    else:
        assert catalogue_slugs(query="robots") == ["alpha", "beta", "most"]
    assert catalogue_slugs(query="robots", participation_form="onsite") == []
