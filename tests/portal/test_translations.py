"""Every interface language has a complete, well-formed catalogue, and the catalogues hold every
string the code and templates use (docs/translations.md says how to keep them so)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from portal.management.commands.update_translations import translated_languages

LOCALE = Path(settings.LOCALE_PATHS[0])
# Python-format placeholders: %(name)s, %s, %d... ("%%" is a literal percent sign).
HTML_TAG = re.compile(r"</?(?:a|abbr|br|code|em|span|strong)\b")
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[#0\- +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")
PLURAL_FORMS = {
    "es": "nplurals=2; plural=(n != 1);",
    "ca": "nplurals=2; plural=(n != 1);",
    "de": "nplurals=2; plural=(n != 1);",
    "fr": "nplurals=2; plural=(n > 1);",
}


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def _placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text.replace("%%", "")))


def test_every_interface_language_except_english_has_a_catalogue():
    assert translated_languages() == ["es", "ca", "de", "fr"]
    for language in translated_languages():
        assert (LOCALE / language / "LC_MESSAGES" / "django.po").is_file(), language


@pytest.mark.parametrize("language", translated_languages())
def test_the_catalogue_header_is_right(language):
    catalogue = _catalogue(language)
    assert catalogue.metadata.get("Language") == language
    assert catalogue.metadata.get("Plural-Forms") == PLURAL_FORMS[language]
    assert not catalogue.metadata_is_fuzzy


@pytest.mark.parametrize("language", translated_languages())
def test_the_catalogue_is_complete(language):
    catalogue = _catalogue(language)
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    obsolete = [entry.msgid for entry in catalogue.obsolete_entries()]
    assert not untranslated, f"{len(untranslated)} untranslated in {language}: {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:5]}"
    assert not obsolete, f"{len(obsolete)} obsolete in {language}: {obsolete[:5]}"
    for entry in catalogue:
        if entry.msgid_plural:
            assert len(entry.msgstr_plural) == 2, (language, entry.msgid)
            assert all(entry.msgstr_plural.values()), (language, entry.msgid)


@pytest.mark.parametrize("language", translated_languages())
def test_translations_keep_every_placeholder_and_tag(language):
    problems = []
    for entry in _catalogue(language).translated_entries():
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        wanted = set().union(*(_placeholders(source) for source in sources))
        for text in translations:
            # A singular form may leave out the count ("one credential") but never a name.
            missing = wanted - _placeholders(text)
            if entry.msgid_plural:
                missing -= {"%(counter)s", "%(count)s", "%d", "%s"} & missing
                missing &= _placeholders(entry.msgid_plural)
            if missing:
                problems.append((entry.msgid, text, sorted(missing)))
            if _placeholders(text) - wanted:
                problems.append((entry.msgid, text, sorted(_placeholders(text) - wanted)))
            if sorted(re.findall(HTML_TAG, entry.msgid)) != sorted(re.findall(HTML_TAG, text)):
                problems.append((entry.msgid, text, "HTML tags differ"))
    assert not problems, problems[:10]


@pytest.mark.parametrize("language", translated_languages())
def test_the_compiled_catalogue_is_used(language):
    with translation.override(language):
        assert translation.gettext("Dashboard") != "Dashboard"
        assert translation.gettext("Sign out") != "Sign out"


def _only_sources(directory: str, names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if (not (Path(directory) / name).is_dir() and not name.endswith((".py", ".html", ".txt")))
        or name in {"__pycache__", "migrations"}
    ]


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="extracting strings needs GNU gettext (xgettext, msgmerge); CI installs it",
)
def test_the_catalogues_hold_every_string_of_the_code(tmp_path, monkeypatch, settings):
    """makemessages over the code, into a copy of the catalogues, adds no new string: a string
    added to a template or to Python without updating the catalogues fails here."""
    # makemessages writes next to the code it reads, so it runs over a copy of the code.
    root = Path(settings.BASE_DIR)
    sources = tmp_path / "project"
    for name in [
        "portal",
        "alliances",
        "catalogue",
        "issuance",
        "credential_format",
        "verification",
        "wallet",
        "recognition",
        "insights",
    ]:
        shutil.copytree(root / name, sources / name, ignore=_only_sources)
    shutil.copytree(root / "templates", sources / "templates", ignore=_only_sources)
    copy = sources / "locale"
    shutil.copytree(LOCALE, copy, ignore=shutil.ignore_patterns("*.mo"))
    settings.LOCALE_PATHS = [copy]
    monkeypatch.chdir(sources)
    from portal.management.commands.update_translations import extract_messages

    extract_messages(verbosity=0)
    for language in translated_languages():
        committed = {(e.msgctxt, e.msgid) for e in _catalogue(language)}
        extracted = polib.pofile(str(copy / language / "LC_MESSAGES" / "django.po"))
        new = sorted(
            entry.msgid
            for entry in extracted
            if (entry.msgctxt, entry.msgid) not in committed and not entry.obsolete
        )
        assert not new, (
            f"{len(new)} string(s) missing from locale/{language}: {new[:5]}. "
            "Run `make translations` and translate them (docs/translations.md)."
        )
        gone = committed - {(e.msgctxt, e.msgid) for e in extracted if not e.obsolete}
        assert not gone, (
            f"{len(gone)} string(s) in locale/{language} no longer used: {sorted(gone)[:5]}. "
            "Run `make translations`."
        )
