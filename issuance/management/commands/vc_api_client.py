from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alliances.models import Institution
from issuance.vc_api import register_client


class Command(BaseCommand):
    help = (
        "Register an OAuth2 client (client-credentials grant) that may issue and update the "
        "status of credentials through the VC-API for one institution, and print its client id "
        "and secret (shown only now)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("institution", help="the institution's slug, e.g. uab")
        parser.add_argument("--name", required=True, help="who the client is, e.g. 'Registrar'")

    def handle(self, *args: Any, **options: Any) -> None:
        institution = Institution.objects.filter(slug=options["institution"]).first()
        if institution is None:
            raise CommandError(f"No institution with slug {options['institution']!r}.")
        client_id, secret = register_client(institution, options["name"])
        self.stdout.write(f"client_id={client_id}\nclient_secret={secret}")
