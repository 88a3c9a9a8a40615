from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# What makemessages must not read: installed packages, the Node.js packages, the test suite
# and the benchmarks (their strings never reach a user).
IGNORED = [".venv", "venv", "node_modules", "tests", "bench", "staticfiles", "var"]

# Catalogues are kept wrapped at this width, so that extracting strings again changes only the
# entries that changed (makemessages itself wraps at 79 columns).
CATALOGUE_WRAP_WIDTH = 100


def translated_languages() -> list[str]:
    """Every interface language except English, the language of the source strings."""
    return [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def extract_messages(*, languages: list[str] | None = None, verbosity: int = 1) -> None:
    """Run makemessages (GNU gettext) for the portal's catalogues. Locations are file names
    only, so a string moving within a file does not rewrite every catalogue; entries no longer
    in the code are dropped rather than kept as obsolete."""
    call_command(
        "makemessages",
        locale=languages or translated_languages(),
        domain="django",
        ignore_patterns=IGNORED,
        add_location="file",
        no_obsolete=True,
        verbosity=verbosity,
    )
    for language in languages or translated_languages():
        for locale_dir in settings.LOCALE_PATHS:
            path = Path(locale_dir) / language / "LC_MESSAGES" / "django.po"
            if path.exists():
                polib.pofile(str(path), wrapwidth=CATALOGUE_WRAP_WIDTH).save(str(path))


class Command(BaseCommand):
    help = (
        "Extract the interface's strings into locale/<language>/LC_MESSAGES/django.po for every "
        "language in settings.LANGUAGES (needs GNU gettext), then translate the new entries."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        extract_messages(verbosity=options["verbosity"])
        self.stdout.write(
            "Catalogues updated. Translate every new or changed entry (no empty or fuzzy ones), "
            "then run `make messages`."
        )
