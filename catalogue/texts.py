"""Language maps: the multilingual text fields of programmes (`{"en": ..., "es": ...}`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class LocalizedText:
    """A text chosen for a viewer. `fell_back` is true when the viewer's language was
    missing and another language (English first) is shown instead, so pages can say so."""

    text: str
    language: str
    fell_back: bool

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def pick_language(language_map: Any, language: str | None) -> LocalizedText:
    """The text in the viewer's language, else English, else any language there is."""
    if not isinstance(language_map, dict) or not language_map:
        return LocalizedText("", language or FALLBACK_LANGUAGE, False)
    wanted = (language or FALLBACK_LANGUAGE).split("-")[0].lower()
    value = language_map.get(wanted)
    if value:
        return LocalizedText(str(value), wanted, False)
    for code in (FALLBACK_LANGUAGE, *sorted(language_map)):
        value = language_map.get(code)
        if value:
            return LocalizedText(str(value), code, True)
    return LocalizedText("", wanted, False)


def clean_language_map(language_map: dict[str, Any]) -> dict[str, str]:
    """Drop empty translations and surrounding whitespace."""
    return {
        str(code).lower(): str(text).strip()
        for code, text in language_map.items()
        if text is not None and str(text).strip()
    }


def all_texts(language_map: Any) -> str:
    if not isinstance(language_map, dict):
        return ""
    return " ".join(str(text) for text in language_map.values() if text)
