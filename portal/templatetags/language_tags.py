"""Texts that are not in the reader's language: mark their language and say so visibly.

Programme texts are language maps that fall back to English (`catalogue.texts`), and a
credential states what its issuer wrote, in the language it was issued in. Both kinds of
page use these tags so that the note reads the same everywhere:

- ``{{ text|with_lang }}`` wraps a text in ``<span lang="en">`` when it is not in the active
  language (a `LocalizedText` that fell back);
- ``{% fallback_note title summary %}`` renders a visible note ("Shown in English: not
  available in Deutsch.") when any of the given texts fell back; a plain language code stands
  for a text known to be in that language.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _active_language() -> str:
    return (translation.get_language() or "en").split("-")[0].lower()


def shown_language(text: Any) -> str | None:
    """The language a text is shown in when that is not the active language, else None."""
    if isinstance(text, str):
        code = text.split("-")[0].lower()
        return code if code and code != _active_language() else None
    if getattr(text, "fell_back", False) and getattr(text, "text", ""):
        code = str(getattr(text, "language", "") or "")
        return code if code and code != _active_language() else None
    return None


# Languages that write the names of languages in lower case within a sentence ("en inglés").
LOWER_CASE_LANGUAGE_NAMES = {"ca", "es", "fr", "it", "pt"}


def language_name(code: str) -> str:
    """The name of a language in the active language, as written within a sentence."""
    try:
        name = str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return code
    return name.lower() if _active_language() in LOWER_CASE_LANGUAGE_NAMES else name


def fallback_message(shown: str) -> str:
    return _("Shown in %(shown)s: not available in %(wanted)s.") % {
        "shown": language_name(shown),
        "wanted": language_name(_active_language()),
    }


@register.filter
def with_lang(text: Any, language: str = "") -> SafeString:
    """The text, inside ``<span lang="xx">`` when it is shown in another language: a
    `LocalizedText` that fell back, or a plain text known to be in `language`."""
    if isinstance(text, str):
        # A plain text says nothing about its language: without `language` it is left unmarked
        # (read as a code, "blended" would become lang="blended").
        code = shown_language(language) if language else None
    else:
        code = shown_language(text)
    if code is None or not str(text):
        return conditional_escape(text)
    return format_html('<span lang="{}">{}</span>', code, str(text))


@register.simple_tag
def fallback_note(*texts: Any, compact: bool = False) -> SafeString:
    """A visible note when any of the texts is shown in another language than the active one."""
    code = next((found for found in map(shown_language, texts) if found), None)
    if code is None:
        return SafeString("")
    if compact:
        return format_html('<p class="meta fallback-note">{}</p>', fallback_message(code))
    return format_html('<p class="notice fallback-note" role="note">{}</p>', fallback_message(code))
