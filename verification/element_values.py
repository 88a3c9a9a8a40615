"""The coded values a micro-credential states (the EU elements' vocabularies, as
`credential_format.builders` writes them), in words the reader understands.

A credential of another provider may state anything: a value this module does not know is
shown as the credential states it, never hidden. Dates are ISO 8601 in the document and are
shown in the reader's format.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ELEMENT_VALUES: dict[str, dict[str, Promise]] = {
    "participation": {
        "online": _("Online"),
        "onsite": _("On-site"),
        "blended": _("Blended"),
    },
    "supervision": {
        "unsupervised-no-identity-verification": _("Unsupervised, no identity verification"),
        "supervised-no-identity-verification": _("Supervised, no identity verification"),
        "supervised-with-identity-verification": _(
            "Supervised online or on-site, with identity verification"
        ),
    },
    "integration": {
        "stand-alone": _("Stand-alone micro-credential"),
        "stackable": _("Stackable towards a larger credential"),
        "integrated": _("Integrated into a larger credential"),
    },
    "qf-ehea": {
        "short": _("Short cycle"),
        "first": _("First cycle (bachelor)"),
        "second": _("Second cycle (master)"),
        "third": _("Third cycle (doctorate)"),
    },
}


def element_label(value: str, element: str) -> str | None:
    """The reader's words for a coded value of an element, or None when the value is not one
    of the element's codes (free text, or another provider's vocabulary)."""
    label = ELEMENT_VALUES.get(element, {}).get(value.strip().lower())
    return None if label is None else str(label)


def parse_iso_date(value: str) -> date | None:
    """The calendar date of an ISO 8601 date or date-time, or None."""
    text = value.strip()
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def localized_date(value: str) -> str:
    """An ISO date as the reader writes dates ("4 December 2026", "4 de diciembre de 2026");
    text that is not a date is returned as it is."""
    parsed = parse_iso_date(value)
    return value if parsed is None else formats.date_format(parsed, "DATE_FORMAT")
