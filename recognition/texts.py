"""Sentences stored in English with their parameters and translated when shown.

The automated checks run in a worker, once, and are read by officers and learners in their
own languages. So a check stores the English message (marked for translation with
`gettext_noop`, so it is in every catalogue) and its parameters, and every page or API
response translates it into the reader's language (`render`). Parameters may be stored
messages themselves.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext


def stored(template: str, **params: Any) -> dict[str, Any]:
    """A message to store: `template` must come wrapped in `gettext_noop`."""
    return {"template": template, "params": params}


def render(value: Any) -> str:
    """The reader's language for a stored message; plain text (older rows) as it is."""
    if isinstance(value, dict) and "template" in value:
        params = {key: render(param) for key, param in (value.get("params") or {}).items()}
        translated = gettext(value["template"])
        try:
            return translated % params if params else translated
        except (KeyError, ValueError, TypeError):
            # A catalogue entry that lost a placeholder must not break the case page.
            return value["template"] % params if params else value["template"]
    return "" if value is None else str(value)


def checks_in_english(report: dict[str, Any] | None) -> dict[str, Any]:
    """A stored pre-assessment report with its messages rendered in English (the API's
    language for machine clients; the codes and outcomes stay as they are)."""
    if not report:
        return {}
    with translation.override("en"):
        rendered = dict(report)
        rendered["checks"] = [
            {**check, "title": render(check.get("title")), "reason": render(check.get("reason"))}
            for check in report.get("checks", [])
        ]
        recommendation = dict(report.get("recommendation") or {})
        if recommendation:
            recommendation["reason"] = render(recommendation.get("reason"))
            rendered["recommendation"] = recommendation
        return rendered
