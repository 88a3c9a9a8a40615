"""Grade conversion by percentile position (ECTS Users' Guide 2015, 4.2.1 and Annex;
EGRACONS).

An ECTS grading table lists, for a reference group (an institution and a field of education),
how many passing grades were awarded in each grade class. A learner's grade occupies a band of
that distribution: from the percentage of passes below it to that plus the percentage of its
own class. The converted grade is the class of the receiving institution's table whose band
holds the middle of the learner's band.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from recognition.grading.schemes import Scheme

HUNDRED = Decimal(100)
ONE_DECIMAL = Decimal("0.1")


def percentages(classes: tuple[str, ...], counts: dict[str, int]) -> list[tuple[str, Decimal]]:
    """Each class with its percentage of the passes, lowest class first."""
    total = sum(max(int(counts.get(label, 0)), 0) for label in classes)
    if total == 0:
        return [(label, Decimal(0)) for label in classes]
    return [(label, HUNDRED * int(counts.get(label, 0)) / total) for label in classes]


def band(
    classes: tuple[str, ...], counts: dict[str, int], grade_class: str
) -> tuple[Decimal, Decimal]:
    """The share of passes below ``grade_class`` and up to and including it, in per cent."""
    lower = Decimal(0)
    for label, share in percentages(classes, counts):
        if label == grade_class:
            return lower, lower + share
        lower += share
    raise ValueError(grade_class)


def _rounded(value: Decimal) -> str:
    return str(value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Conversion:
    converted_grade: str
    source_band: tuple[str, str]
    position: str
    target_band: tuple[str, str]

    def explanation(self) -> dict[str, object]:
        return {
            "source_band": list(self.source_band),
            "position": self.position,
            "target_band": list(self.target_band),
        }


def convert(
    *,
    source: Scheme,
    source_counts: dict[str, int],
    grade_class: str,
    target: Scheme,
    target_counts: dict[str, int],
) -> Conversion:
    """Place ``grade_class`` in the source distribution and read the class at the same
    position of the target distribution."""
    lower, upper = band(source.classes, source_counts, grade_class)
    position = (lower + upper) / 2
    target_lower = Decimal(0)
    chosen, chosen_band = "", (Decimal(0), Decimal(0))
    for label, share in percentages(target.classes, target_counts):
        if share:
            # The top class also takes a position of exactly 100 %.
            chosen, chosen_band = label, (target_lower, target_lower + share)
            if position < target_lower + share:
                break
        target_lower += share
    return Conversion(
        converted_grade=chosen,
        source_band=(_rounded(lower), _rounded(upper)),
        position=_rounded(position),
        target_band=(_rounded(chosen_band[0]), _rounded(chosen_band[1])),
    )
