from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.models import Institution
from issuance.vc_api import TEST_TOKEN_LIFETIME, issuer_ids, test_client_token


class Command(BaseCommand):
    help = (
        "Print a bearer token of the institution's VC-API test client (created on first use), "
        "valid for the issue and status endpoints of that institution only, for "
        f"{int(TEST_TOKEN_LIFETIME.total_seconds() // 3600)} hours."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("institution", help="the institution's slug, e.g. uab")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print JSON with the token and the issuer identifiers (did:web and did:key)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"No institution with slug {options['institution']!r}.")
        token = test_client_token(institution)
        if not options["json"]:
            self.stdout.write(token)
            return
        ids = issuer_ids(institution)
        self.stdout.write(
            json.dumps({"token": token, "didWeb": ids.did_web, "didKey": ids.did_key})
        )
