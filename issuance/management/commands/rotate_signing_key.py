from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.models import Institution
from issuance.signing_keys import rotate_signing_key


class Command(BaseCommand):
    help = (
        "Retire an institution's active signing key and create a new one. The retired key stays "
        "in the institution's DID document, so credentials it signed keep verifying."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("institution", help="the institution's slug, e.g. uab")

    def handle(self, *args: Any, **options: Any) -> None:
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"No institution with slug {options['institution']!r}.")
        key = rotate_signing_key(actor=None, institution=institution)
        self.stdout.write(f"{institution.slug}: new active key {key.key_id}")
