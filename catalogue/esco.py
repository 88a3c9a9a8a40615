"""Loading ESCO skills and occupations from CSV files (never from the network).

The functions take the model classes as arguments so that the data migration can pass its
historical models and `manage.py load_esco` the current ones.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
SKILLS_FILE = DATA_DIR / "esco_skills.csv"
OCCUPATIONS_FILE = DATA_DIR / "esco_occupations.csv"
CURATED_RELATIONS_FILE = DATA_DIR / "occupation_skills_curated.csv"

SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            {key: (value or "").strip() for key, value in row.items() if key}
            for row in csv.DictReader(handle)
        ]


def load_skills(skill_model: Any, rows: list[dict[str, str]]) -> int:
    """Insert or update skills. Accepts this project's columns or ESCO's own
    (`conceptUri`, `preferredLabel`, `skillType`, `reuseLevel`)."""
    count = 0
    for row in rows:
        uri = row.get("uri") or row.get("conceptUri", "")
        label = row.get("preferred_label") or row.get("preferredLabel", "")
        if not uri.startswith(SKILL_PREFIX) or not label:
            continue
        skill_model.objects.update_or_create(
            uri=uri,
            defaults={
                "preferred_label": label[:255],
                "skill_type": row.get("skill_type") or row.get("skillType") or "skill/competence",
                "reuse_level": (row.get("reuse_level") or row.get("reuseLevel", ""))[:30],
                "collections": row.get("collections", "")[:100],
            },
        )
        count += 1
    return count


def load_occupations(occupation_model: Any, rows: list[dict[str, str]]) -> int:
    count = 0
    for row in rows:
        uri = row.get("uri") or row.get("conceptUri", "")
        label = row.get("preferred_label") or row.get("preferredLabel", "")
        if not uri.startswith(OCCUPATION_PREFIX) or not label:
            continue
        occupation_model.objects.update_or_create(
            uri=uri, defaults={"preferred_label": label[:255]}
        )
        count += 1
    return count


def load_relations(
    link_model: Any,
    occupation_model: Any,
    skill_model: Any,
    rows: list[dict[str, str]],
    source: str,
) -> int:
    """Link occupations to skills; rows naming an occupation or skill that is not loaded
    are skipped (an official ESCO export covers far more than the shipped subset)."""
    occupations = dict(occupation_model.objects.values_list("uri", "pk"))
    skills = dict(skill_model.objects.values_list("uri", "pk"))
    count = 0
    for row in rows:
        occupation_id = occupations.get(row.get("occupation_uri") or row.get("occupationUri", ""))
        skill_id = skills.get(row.get("skill_uri") or row.get("skillUri", ""))
        relation = row.get("relation") or row.get("relationType", "")
        if occupation_id is None or skill_id is None or relation not in {"essential", "optional"}:
            continue
        link_model.objects.update_or_create(
            occupation_id=occupation_id,
            skill_id=skill_id,
            defaults={"relation": relation, "source": source},
        )
        count += 1
    return count


def load_shipped_data(
    skill_model: Any, occupation_model: Any, link_model: Any
) -> tuple[int, int, int]:
    return (
        load_skills(skill_model, read_rows(SKILLS_FILE)),
        load_occupations(occupation_model, read_rows(OCCUPATIONS_FILE)),
        load_relations(
            link_model, occupation_model, skill_model, read_rows(CURATED_RELATIONS_FILE), "curated"
        ),
    )
