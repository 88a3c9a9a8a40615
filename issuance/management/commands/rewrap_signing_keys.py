from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from credential_format.keywrap import kek_fingerprint
from issuance.models import SigningKey
from issuance.signing_keys import decode_kek, key_encryption_key, rewrap_signing_keys


class Command(BaseCommand):
    help = (
        "Re-wrap every signing key stored under the old key encryption key with the current "
        "KEY_ENCRYPTION_KEY. The old key is read from the environment variable named by "
        "--old-key-env (never from the command line, where it would show in process lists "
        "and shell history)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--old-key-env",
            default="OLD_KEY_ENCRYPTION_KEY",
            help="environment variable holding the old KEK (default: OLD_KEY_ENCRYPTION_KEY)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        variable = options["old_key_env"]
        old_kek = decode_kek(os.environ.get(variable, ""), variable)
        new_kek = key_encryption_key()
        if old_kek == new_kek:
            raise CommandError("The old and the new key encryption keys are the same.")
        moved = rewrap_signing_keys(old_kek=old_kek, new_kek=new_kek)
        left = SigningKey.objects.filter(kek_fingerprint=kek_fingerprint(old_kek)).count()
        self.stdout.write(f"Re-wrapped {moved} signing key(s); {left} left under the old key.")
        if left:
            raise CommandError("Some keys are still wrapped under the old key.")
