from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from catalogue import esco
from catalogue.models import Occupation, OccupationSkill, Skill


class Command(BaseCommand):
    help = (
        "Load the ESCO skills and occupations shipped with the project, or files of an "
        "official ESCO CSV export (skills_en.csv, occupations_en.csv, "
        "occupationSkillRelations_en.csv). Reads local files only."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--skills", type=Path, help="an ESCO skills CSV")
        parser.add_argument("--occupations", type=Path, help="an ESCO occupations CSV")
        parser.add_argument(
            "--relations",
            type=Path,
            help="ESCO occupationSkillRelations CSV; replaces the curated links it covers",
        )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        skills, occupations, links = esco.load_shipped_data(Skill, Occupation, OccupationSkill)
        if options["skills"]:
            skills += esco.load_skills(Skill, esco.read_rows(options["skills"]))
        if options["occupations"]:
            occupations += esco.load_occupations(Occupation, esco.read_rows(options["occupations"]))
        if options["relations"]:
            links += esco.load_relations(
                OccupationSkill, Occupation, Skill, esco.read_rows(options["relations"]), "esco"
            )
        self.stdout.write(
            f"Skills: {skills} rows read, occupations: {occupations}, links: {links}. "
            f"Now {Skill.objects.count()} skills, {Occupation.objects.count()} occupations."
        )
