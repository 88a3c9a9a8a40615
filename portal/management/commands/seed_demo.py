from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from portal.demo import seeders


class Command(BaseCommand):
    help = (
        "Create the demo alliances, institutions, people and programmes. Running it again "
        "changes nothing that already exists."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        logins: list[tuple[str, str, str]] = []
        # Seeding issues credentials and decides cases: nobody is e-mailed about demo data.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for seed in seeders():
                with transaction.atomic():
                    logins.extend(seed(stdout=self.stdout) or [])
        if logins:
            self.stdout.write(self.style.SUCCESS("\nDemo logins (password for all: see below)"))
            width = max(len(email) for email, _, _ in logins)
            for email, _, description in logins:
                self.stdout.write(f"  {email.ljust(width)}  {description}")
            self.stdout.write(f"\n  Password: {logins[0][1]}\n")
