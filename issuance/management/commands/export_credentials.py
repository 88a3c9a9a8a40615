from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalogue.models import Offering
from issuance.models import Credential, CredentialState


class Command(BaseCommand):
    help = "Write every issued credential (or those of one offering) as JSON files, one per credential."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--out", required=True, help="folder to write into (created if missing)"
        )
        parser.add_argument(
            "--offering", help="only this offering's credentials (its reference code)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        credentials = Credential.objects.filter(state=CredentialState.ISSUED).order_by("pk")
        if options["offering"]:
            offering = Offering.objects.filter(code=options["offering"]).first()
            if offering is None:
                raise CommandError(f"No offering with reference {options['offering']!r}.")
            credentials = credentials.filter(result__offering=offering)
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        written = 0
        for credential in credentials.only("uuid", "document_json").iterator(chunk_size=500):
            # Byte for byte the document that was signed and stored.
            (out / f"{credential.uuid}.json").write_text(credential.document_json, encoding="utf-8")
            written += 1
        self.stdout.write(f"Wrote {written} credential(s) to {out}")
