from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from credential_format.errors import CredentialFormatError
from credential_format.verification import parse_json_document
from recognition import services
from recognition.issuers import parse_registry_list

MAX_REGISTRY_BYTES = 10_000_000


class Command(BaseCommand):
    help = (
        "Register external issuers in the trust registry from a registry list in the DCC "
        "issuer registry format (name, DID, country, legal identifiers). Reads a local file "
        "only; existing entries with the same DID are updated."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="the registry list (JSON)")
        parser.add_argument(
            "--source", default="", help="what the list is, shown with each entry (its URL)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        try:
            data = parse_json_document(path.read_bytes(), max_bytes=MAX_REGISTRY_BYTES)
        except (OSError, CredentialFormatError, json.JSONDecodeError) as error:
            raise CommandError(f"{path} cannot be read as a registry list: {error}") from error
        entries = parse_registry_list(data)
        if not entries:
            raise CommandError(f"{path} lists no issuer with a name and a did:key or did:web DID.")
        created, updated = services.import_trusted_issuers(
            entries=entries, source=options["source"] or path.name
        )
        self.stdout.write(f"{created} issuers registered, {updated} updated.")
