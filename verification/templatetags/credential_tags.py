"""Filters that show a credential's coded values and dates in the reader's words
(verification.element_values)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from portal.templatetags.language_tags import with_lang
from verification.element_values import element_label, localized_date

register = template.Library()


@register.simple_tag
def element_text(value: Any, element: str, language: str = "") -> SafeString:
    """`{% element_text summary.integration "integration" summary.text_language %}`: a known
    code in the reader's words; any other text as the credential states it, marked with the
    credential's language."""
    text = "" if value is None else str(value)
    label = element_label(text, element)
    if label is not None:
        return with_lang(label)
    return with_lang(text, language)


@register.filter
def credential_date(value: Any) -> str:
    """An ISO date or date-time of a credential in the reader's date format."""
    return localized_date("" if value is None else str(value))
