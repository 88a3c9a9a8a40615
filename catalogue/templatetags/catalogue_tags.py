from __future__ import annotations

from typing import Any

from django import template
from django.utils import translation

from catalogue.texts import LocalizedText, pick_language

register = template.Library()


@register.filter
def localized(language_map: Any) -> LocalizedText:
    """`{{ programme.title|localized }}`: the text in the active language (or English);
    `{% with text=x|localized %}{{ text.fell_back }}` tells whether it fell back."""
    return pick_language(language_map, translation.get_language())


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None
