"""Building catalogue objects for tests through the services, so tests exercise the same
rules as the portal."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from catalogue import services
from catalogue.esco import load_shipped_data
from catalogue.models import Occupation, OccupationSkill, Offering, Programme, Skill
from tests.factories import UserFactory

DATA_SKILL = (
    "http://data.europa.eu/esco/skill/47a49cd6-097d-457a-9f7b-c290c14930d5"  # analyse big data
)
ML_SKILL = "http://data.europa.eu/esco/skill/8369c2d6-c100-4cf6-bd83-9668d8678433"  # utilise machine learning


def complete_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": {
            "en": "Data literacy for engineers",
            "es": "Alfabetización de datos",
            "de": "Datenkompetenz",
        },
        "summary": {
            "en": "Read, clean and question data.",
            "es": "Leer y limpiar datos.",
            "de": "Daten lesen und prüfen.",
        },
        "ects": Decimal("5.0"),
        "workload_hours": 125,
        "eqf_level": 6,
        "qf_ehea_cycle": "first",
        "assessment_type": {
            "en": "Project with oral defence",
            "es": "Proyecto con defensa oral",
            "de": "Projekt mit mündlicher Prüfung",
        },
        "participation_form": "online",
        "quality_assurance": {
            "en": "Internal QA, ESG 2015",
            "es": "Garantía interna, ESG 2015",
            "de": "Interne QS, ESG 2015",
        },
        "languages": ["en", "es"],
        "isced_f_code": "0613",
        "grading_scheme": "numeric_10",
    }
    data.update(overrides)
    return data


def ensure_esco_loaded() -> None:
    """The ESCO subset comes from a data migration; tests that flush the database
    (transactional tests) remove it, so load it again when it is missing."""
    if not Skill.objects.filter(uri=DATA_SKILL).exists():
        load_shipped_data(Skill, Occupation, OccupationSkill)


def outcomes() -> list[services.OutcomeInput]:
    ensure_esco_loaded()
    return [
        services.OutcomeInput(
            text={
                "en": "Analyse a data set and report its limits",
                "es": "Analizar un conjunto de datos",
                "de": "Einen Datensatz analysieren",
            },
            skill_uris=[DATA_SKILL],
        ),
        services.OutcomeInput(
            text={
                "en": "Train a simple model",
                "es": "Entrenar un modelo sencillo",
                "de": "Ein einfaches Modell trainieren",
            },
            skill_uris=[ML_SKILL],
        ),
    ]


def draft_programme(
    actor, coordinator, *, partners=(), slug="data-literacy", **overrides
) -> Programme:
    alliance = coordinator.memberships.first().alliance
    return services.create_programme(
        actor=actor,
        coordinator=coordinator,
        alliance=alliance,
        slug=slug,
        data=complete_data(**overrides),
        partner_ids=[partner.pk for partner in partners],
        outcomes=outcomes(),
    )


def published_programme(actor, coordinator, *, partners=(), approvers=(), **kwargs) -> Programme:
    """Create, submit and have every partner approve (approvers: one user per partner)."""
    programme = draft_programme(actor, coordinator, partners=partners, **kwargs)
    programme = services.submit_programme(actor=actor, programme=programme)
    for partner, approver in zip(partners, approvers, strict=True):
        programme = services.approve_programme(
            actor=approver, programme=programme, institution=partner
        )
    return programme


def open_offering(
    actor, programme, *, code="cohort-1", capacity=10, delivery=None, **overrides
) -> Offering:
    today = timezone.localdate()
    # Under way, so that results dated in the past (after it started) can be recorded.
    data = {
        "starts_on": today - timedelta(days=14),
        "ends_on": today + timedelta(days=90),
        "enrolment_opens_on": today - timedelta(days=20),
        "enrolment_closes_on": today + timedelta(days=20),
        "capacity": capacity,
        "language": "en",
    }
    data.update(overrides)
    return services.create_offering(
        actor=actor,
        programme=programme,
        code=code,
        data=data,
        delivery_institution_ids=[
            institution.pk for institution in (delivery or [programme.coordinator])
        ],
    )


def learners(count: int) -> list:
    return [UserFactory() for _ in range(count)]


def past(days: int = 1) -> date:
    return timezone.localdate() - timedelta(days=days)
