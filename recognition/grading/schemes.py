"""The grading schemes of the alliance's countries, as data with their sources.

A scheme reads a grade as written (``"7,5"``, ``"30L"``, ``"H2.1"``, ``"VG"``) into its grade
*class*: the step of the scale an ECTS grading table counts (ECTS Users' Guide 2015, section
4.2.1: the table gives the percentage of passing grades awarded in each grade of the national
scale). Only passing grades have a class; a failing or unreadable grade has none.
Classes are listed from the lowest pass to the best.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Scheme:
    code: str
    name: StrOrPromise
    country: str  # ISO 3166-1 alpha-2, empty for schemes used everywhere
    classes: tuple[str, ...]  # passing grade classes, lowest first
    classify: Callable[[str], str | None]
    source: str

    @property
    def pass_fail_only(self) -> bool:
        return len(self.classes) == 1


def _number(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


def _integer_bands(low: int, high: int, maximum: int) -> Callable[[str], str | None]:
    """Grades from ``low`` to ``maximum``: the class is the integer part (the maximum joins the
    class below it when ``high`` < ``maximum``)."""

    def classify(raw: str) -> str | None:
        value = _number(raw)
        if value is None or value < low or value > maximum:
            return None
        return str(min(int(value), high))

    return classify


def _listed(mapping: dict[str, str]) -> Callable[[str], str | None]:
    def classify(raw: str) -> str | None:
        return mapping.get(raw.strip().upper().replace(" ", ""))

    return classify


def _german(raw: str) -> str | None:
    value = _number(raw)
    steps = ("4.0", "3.7", "3.3", "3.0", "2.7", "2.3", "2.0", "1.7", "1.3", "1.0")
    if value is None:
        return None
    text = f"{value:.1f}"
    return text if text in steps else None


def _italian(raw: str) -> str | None:
    text = raw.strip().upper().replace(" ", "")
    if text in {"30L", "30ELODE", "30LODE", "30CUMLAUDE"}:
        return "30L"
    value = _number(text)
    if value is None or value != value.to_integral() or not 18 <= value <= 30:
        return None
    return str(int(value))


def _dutch(raw: str) -> str | None:
    """Whole and half marks; 5.5 rounds up to the lowest pass, 6."""
    value = _number(raw)
    if value is None or value < Decimal("5.5") or value > 10 or value * 2 != int(value * 2):
        return None
    return str(min(max(int(value), 6), 9))


def _percent_bands(raw: str) -> str | None:
    value = _number(raw)
    if value is None or value < 50 or value > 100:
        return None
    return "90-100" if value >= 90 else f"{int(value) // 10 * 10}-{int(value) // 10 * 10 + 9}"


def _irish(raw: str) -> str | None:
    text = raw.strip().upper().replace(" ", "")
    named = {"H1": "H1", "1.1": "H1", "H2.1": "H2.1", "2.1": "H2.1", "H2.2": "H2.2", "2.2": "H2.2"}
    named |= {"H3": "H3", "3": "H3", "PASS": "H3"}
    if text in named:
        return named[text]
    value = _number(text.rstrip("%"))
    if value is None or value < 40 or value > 100:
        return None
    if value >= 70:
        return "H1"
    if value >= 60:
        return "H2.1"
    return "H2.2" if value >= 50 else "H3"


def _pass_fail(raw: str) -> str | None:
    return "pass" if raw.strip().lower() in {"pass", "passed", "apto", "g", "bestanden"} else None


SPANISH_SOURCE = (
    "Real Decreto 1125/2003, art. 5 (BOE-A-2003-17643): 0 to 10 with one decimal, "
    "pass from 5 (aprobado 5-6.9, notable 7-8.9, sobresaliente 9-10, matrícula de honor)."
)

SCHEMES: dict[str, Scheme] = {
    scheme.code: scheme
    for scheme in (
        Scheme(
            "es",
            _("Spain: 0 to 10"),
            "ES",
            ("5", "6", "7", "8", "9"),
            _integer_bands(5, 9, 10),
            SPANISH_SOURCE,
        ),
        Scheme(
            "ca",
            _("Catalonia: 0 to 10"),
            "ES",
            ("5", "6", "7", "8", "9"),
            _integer_bands(5, 9, 10),
            "Catalan universities apply the Spanish scale: " + SPANISH_SOURCE,
        ),
        Scheme(
            "de",
            _("Germany: 1.0 to 5.0 (1.0 best)"),
            "DE",
            ("4.0", "3.7", "3.3", "3.0", "2.7", "2.3", "2.0", "1.7", "1.3", "1.0"),
            _german,
            "KMK, Ländergemeinsame Strukturvorgaben für die Akkreditierung von Bachelor- und "
            "Masterstudiengängen (2010) and the HRK model examination regulations: grades "
            "1.0 to 4.0 in steps of 0.3/0.4 pass, 5.0 fails; lower is better.",
        ),
        Scheme(
            "fr",
            _("France: 0 to 20"),
            "FR",
            tuple(str(grade) for grade in range(10, 20)),
            _integer_bands(10, 19, 20),
            "Arrêté du 30 juillet 2018 relatif au diplôme national de licence, art. 16: marks "
            "out of 20, a unit is passed from 10.",
        ),
        Scheme(
            "it",
            _("Italy: 18 to 30 cum laude"),
            "IT",
            (*(str(grade) for grade in range(18, 31)), "30L"),
            _italian,
            "Regio Decreto 4 giugno 1938, n. 1269, art. 42: examinations are marked out of "
            "thirty, 18 is the lowest pass, 30 may be awarded cum laude (30 e lode).",
        ),
        Scheme(
            "nl",
            _("Netherlands: 1 to 10"),
            "NL",
            ("6", "7", "8", "9"),
            _dutch,
            "Nuffic, Grading systems in the Netherlands: 1 to 10, 5.5 or 6 is the lowest "
            "pass; 9 and 10 are rarely given (both counted in class 9).",
        ),
        Scheme(
            "fi",
            _("Finland: 0 to 5"),
            "FI",
            ("1", "2", "3", "4", "5"),
            _listed({str(g): str(g) for g in range(1, 6)}),
            "Government Decree on University Degrees 794/2004, section 24: studies are graded "
            "0 (fail) and 1 to 5 (5 excellent), or pass/fail.",
        ),
        Scheme(
            "se_af",
            _("Sweden: A to F"),
            "SE",
            ("E", "D", "C", "B", "A"),
            _listed({letter: letter for letter in "ABCDE"}),
            "Higher Education Ordinance (SFS 1993:100), ch. 6 s. 18: each institution sets its "
            "scale; most use the seven-step A-F scale (F and Fx fail).",
        ),
        Scheme(
            "se_ugvg",
            _("Sweden: U, G, VG"),
            "SE",
            ("G", "VG"),
            _listed({"G": "G", "VG": "VG"}),
            "Higher Education Ordinance (SFS 1993:100), ch. 6 s. 18: the traditional scale "
            "U (fail), G (pass), VG (pass with distinction).",
        ),
        Scheme(
            "lt",
            _("Lithuania: 1 to 10"),
            "LT",
            ("5", "6", "7", "8", "9", "10"),
            _integer_bands(5, 10, 10),
            "Order of the Minister of Education and Science on the ten-point assessment "
            "scale in higher education: 1 to 10, 5 is the lowest pass, 10 excellent.",
        ),
        Scheme(
            "pt",
            _("Portugal: 0 to 20"),
            "PT",
            tuple(str(grade) for grade in range(10, 21)),
            _integer_bands(10, 20, 20),
            "Decreto-Lei n.º 42/2005, art. 15-16: integer grades 0 to 20, pass from 10, "
            "with the ECTS grading table beside it.",
        ),
        Scheme(
            "ie",
            _("Ireland: honours classes (H1 to H3, per cent bands)"),
            "IE",
            ("H3", "H2.2", "H2.1", "H1"),
            _irish,
            "QQI and the Irish universities' marks and standards: first class honours (H1) "
            "70-100 %, second class upper (H2.1) 60-69 %, lower (H2.2) 50-59 %, third class "
            "or pass (H3) 40-49 %, fail below 40 %.",
        ),
        Scheme(
            "percentage",
            _("Percentage (pass from 50)"),
            "",
            ("50-59", "60-69", "70-79", "80-89", "90-100"),
            _percent_bands,
            "Marks out of 100, pass from 50, counted in bands of ten.",
        ),
        Scheme(
            "numeric_10",
            _("0 to 10 (pass from 5)"),
            "",
            ("5", "6", "7", "8", "9"),
            _integer_bands(5, 9, 10),
            "A scale of 0 to 10 with a pass from 5 (as in Spain).",
        ),
        Scheme(
            "ects",
            _("ECTS grades A to F"),
            "",
            ("E", "D", "C", "B", "A"),
            _listed({letter: letter for letter in "ABCDE"}),
            "ECTS Users' Guide 2009 (the A-E scale, replaced by grading tables in the 2015 "
            "guide but still in use).",
        ),
        Scheme(
            "pass_fail",
            _("Pass or fail"),
            "",
            ("pass",),
            _pass_fail,
            "Pass or fail: there is nothing to place in a distribution; a pass converts to a "
            "pass (ECTS Users' Guide 2015, 4.2.1).",
        ),
    )
}

# A receiving institution's usual scale when it names none.
COUNTRY_DEFAULT = {"ES": "es", "DE": "de", "FR": "fr", "IT": "it", "NL": "nl", "FI": "fi"}
COUNTRY_DEFAULT |= {"SE": "se_af", "LT": "lt", "PT": "pt", "IE": "ie"}


def scheme(code: str) -> Scheme | None:
    return SCHEMES.get(code)


def default_scheme_for(country: str) -> str:
    return COUNTRY_DEFAULT.get(country.upper(), "numeric_10")
