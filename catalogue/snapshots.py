"""The completeness rule (EU Council Recommendation 2022, Annex I) and the frozen snapshot
of a programme version.

Snapshot shape (`ProgrammeVersion.snapshot`, `"schema": 1`); language maps are
`{"en": "...", "<lang>": "..."}`, decimals are strings:

    {
      "schema": 1,
      "programme": {"id": 7, "slug": "data-literacy"},
      "version": 2,
      "title": {...}, "summary": {...},
      "alliance": {"slug": "eciu", "name": "ECIU University"},
      "awarding_bodies": [            # coordinator first, then partners
        {"id": 3, "slug": "uab", "legal_name": "...", "short_name": "UAB",
         "country": "ES", "website": "...", "schac_home_organization": "uab.cat",
         "erasmus_code": "E BARCELO02", "pic": "999880887",
         "legal_identifier": "VATES-Q0818002H", "nuts_region": "ES511",
         "role": "coordinator" | "partner",
         "quality_assurance": {"accrediting_body": "...", "procedures": "...",
                               "reports_url": "..."}}
      ],
      "learning_outcomes": [
        {"position": 1, "text": {...},
         "skills": [{"uri": "http://data.europa.eu/esco/skill/...", "label": "..."}]}
      ],
      "skills": [{"uri": ..., "label": ...}],          # union over the outcomes
      "workload": {"ects": "5.0", "hours": 125},
      "eqf_level": 6, "qf_ehea_cycle": "first" | "",
      "assessment_type": {...}, "participation_form": "online" | "blended" | "onsite",
      "quality_assurance": {...},
      "prerequisites": {...},
      "supervision": "unsupervised" | "supervised" | "supervised_verified" | "",
      "grading_scheme": "pass_fail" | "ects" | "numeric_10" | "percentage",
      "stackability": "standalone" | "stackable" | "integrated",
      "further_information": {...},
      "languages": ["en", "es"],
      "isced_f": "0613",
      "fee": {"amount": "0.00", "currency": "EUR"}
    }

The learner's identification and the date of issuing (Annex I elements 1 and 5) belong to
the credential, not to the programme; the issuer's country is each awarding body's
`country`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from catalogue.models import CYCLE_EQF_LEVEL, Programme
from catalogue.texts import all_texts

SNAPSHOT_SCHEMA = 1


@dataclass(frozen=True)
class MissingElement:
    """One missing element: `field` is the form field (and page anchor) to fix it."""

    field: str
    label: StrOrPromise


def form_languages(programme: Programme) -> list[str]:
    """The languages the programme's texts are written in on the edit page: English and the
    coordinating institution's own language."""
    languages = ["en"]
    local = (programme.coordinator.main_language or "en").split("-")[0].lower()
    if local not in languages:
        languages.append(local)
    return languages


def required_languages(programme: Programme) -> list[str]:
    """The languages every text must be given in before submission: English (the language
    of the issued credentials, read across the alliance) and the coordinator's own language
    only when the programme is taught in it; a text in a language nobody is taught in is
    welcome but not demanded."""
    taught = {code.split("-")[0].lower() for code in programme.language_codes}
    return [code for code in form_languages(programme) if code == "en" or code in taught]


def _missing_translations(language_map: Any, languages: list[str]) -> list[str]:
    if not isinstance(language_map, dict):
        return languages
    return [code for code in languages if not str(language_map.get(code, "")).strip()]


def missing_elements(programme: Programme) -> list[MissingElement]:
    """Every mandatory element that is missing; publishing needs an empty list.

    Expects `coordinator`, `partner_links__institution` and `learning_outcomes` to be
    loaded or loadable.
    """
    languages = required_languages(programme)
    missing: list[MissingElement] = []

    def need_text(field: str, label: Any, value: Any) -> None:
        for code in _missing_translations(value, languages):
            missing.append(MissingElement(field=f"{field}_{code}", label=f"{label} ({code})"))

    need_text("title", _("Title of the micro-credential"), programme.title)
    need_text("summary", _("Summary for the catalogue"), programme.summary)
    if not programme.coordinator.country:
        missing.append(MissingElement("coordinator", _("Country of the awarding body")))
    for link in programme.partner_links.all():
        if link.institution.pk == programme.coordinator_id:
            missing.append(
                MissingElement("partners", _("The coordinator cannot also be a partner"))
            )
    outcomes = list(programme.learning_outcomes.all())
    if not outcomes:
        missing.append(MissingElement("outcomes", _("Learning outcomes")))
    for outcome in outcomes:
        for code in _missing_translations(outcome.text, languages):
            missing.append(
                MissingElement(
                    "outcomes",
                    _("Learning outcome %(position)s (%(language)s)")
                    % {"position": outcome.position, "language": code},
                )
            )
    if not programme.ects:
        missing.append(MissingElement("ects", _("Notional workload in ECTS credits")))
    if not programme.workload_hours:
        missing.append(MissingElement("workload_hours", _("Notional workload in hours")))
    if not programme.eqf_level:
        missing.append(MissingElement("eqf_level", _("EQF level")))
    elif (
        programme.qf_ehea_cycle
        and CYCLE_EQF_LEVEL.get(programme.qf_ehea_cycle) != programme.eqf_level  # type: ignore[call-overload]
    ):
        missing.append(
            MissingElement("qf_ehea_cycle", _("A QF-EHEA cycle that matches the EQF level"))
        )
    need_text("assessment_type", _("Type of assessment"), programme.assessment_type)
    if not programme.participation_form:
        missing.append(MissingElement("participation_form", _("Form of participation")))
    need_text("quality_assurance", _("Type of quality assurance"), programme.quality_assurance)
    if not programme.language_codes:
        missing.append(MissingElement("languages", _("Languages of instruction")))
    return missing


def _institution(institution: Any, role: str) -> dict[str, Any]:
    return {
        "id": institution.pk,
        "slug": institution.slug,
        "legal_name": institution.legal_name,
        "short_name": institution.short_name,
        "country": str(institution.country),
        "website": institution.website,
        "schac_home_organization": institution.schac_home_organization,
        "erasmus_code": institution.erasmus_code,
        "pic": institution.pic,
        "legal_identifier": institution.legal_identifier,
        "nuts_region": institution.nuts_region,
        "role": role,
        "quality_assurance": {
            "accrediting_body": institution.qa_accrediting_body,
            "procedures": institution.qa_procedures,
            "reports_url": institution.qa_reports_url,
        },
    }


def build_snapshot(programme: Programme, number: int) -> dict[str, Any]:
    outcomes = []
    union: dict[str, str] = {}
    for outcome in programme.learning_outcomes.all():
        skills = [
            {"uri": skill.uri, "label": skill.preferred_label} for skill in outcome.skills.all()
        ]
        for skill in skills:
            union.setdefault(skill["uri"], skill["label"])
        outcomes.append(
            {"position": outcome.position, "text": dict(outcome.text), "skills": skills}
        )
    awarding = [_institution(programme.coordinator, "coordinator")]
    awarding += [
        _institution(link.institution, "partner") for link in programme.partner_links.all()
    ]
    return {
        "schema": SNAPSHOT_SCHEMA,
        "programme": {"id": programme.pk, "slug": programme.slug},
        "version": number,
        "title": dict(programme.title),
        "summary": dict(programme.summary),
        "alliance": {"slug": programme.alliance.slug, "name": programme.alliance.name},
        "awarding_bodies": awarding,
        "learning_outcomes": outcomes,
        "skills": [
            {"uri": uri, "label": label}
            for uri, label in sorted(union.items(), key=lambda kv: kv[1])
        ],
        "workload": {"ects": str(programme.ects), "hours": programme.workload_hours},
        "eqf_level": programme.eqf_level,
        "qf_ehea_cycle": programme.qf_ehea_cycle,
        "assessment_type": dict(programme.assessment_type),
        "participation_form": programme.participation_form,
        "quality_assurance": dict(programme.quality_assurance),
        "prerequisites": dict(programme.prerequisites),
        "supervision": programme.supervision,
        "grading_scheme": programme.grading_scheme,
        "stackability": programme.stackability,
        "further_information": dict(programme.further_information),
        "languages": programme.language_codes,
        "isced_f": programme.isced_f_code,
        "fee": {"amount": str(programme.fee_amount), "currency": programme.fee_currency},
    }


def search_text_of(snapshot: dict[str, Any]) -> str:
    """Everything a learner may search for, in every language, as one text."""
    parts = [all_texts(snapshot["title"]), all_texts(snapshot["summary"])]
    parts += [all_texts(outcome["text"]) for outcome in snapshot["learning_outcomes"]]
    parts += [skill["label"] for skill in snapshot["skills"]]
    parts += [body["short_name"] + " " + body["legal_name"] for body in snapshot["awarding_bodies"]]
    return " ".join(part for part in parts if part)
