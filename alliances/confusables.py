"""Look-alike names: "University of Twente" with a Cyrillic "o" reads the same to a person.

`skeleton(name)` maps a name to a form in which visually confusable names are equal, after the
idea of Unicode TS #39 (confusable detection): compatibility decomposition, case folding,
accents dropped, and the characters most often used to imitate Latin letters (Cyrillic,
Greek, Armenian, Cherokee look-alikes, digits and a few symbols) mapped to the letter they
imitate; spacing and punctuation do not count. It is deliberately stricter than the full
confusables table for the characters listed and covers the scripts that matter for
institution names in the European Higher Education Area.
"""

from __future__ import annotations

import unicodedata

# Characters that look like a Latin letter (or digit), by their Unicode names (so this file
# itself holds no look-alike), and the letter they imitate.
_LOOKALIKE_NAMES = {
    "3": [
        "CYRILLIC SMALL LETTER ZE",
    ],
    "a": [
        "CYRILLIC SMALL LETTER A",
        "GREEK SMALL LETTER ALPHA",
        "LATIN SMALL LETTER ALPHA",
        "CHEROKEE LETTER GO",
    ],
    "ae": [
        "LATIN SMALL LETTER AE",
    ],
    "b": [
        "CYRILLIC SMALL LETTER VE",
        "CYRILLIC SMALL LETTER SOFT SIGN",
        "GREEK SMALL LETTER BETA",
        "CHEROKEE LETTER YV",
    ],
    "c": [
        "CYRILLIC SMALL LETTER ES",
        "GREEK LUNATE SIGMA SYMBOL",
        "CHEROKEE LETTER TLI",
    ],
    "d": [
        "CYRILLIC SMALL LETTER DE",
        "CYRILLIC SMALL LETTER KOMI DE",
        "LATIN SMALL LETTER D WITH STROKE",
    ],
    "e": [
        "CYRILLIC SMALL LETTER IE",
        "CYRILLIC SMALL LETTER IO",
        "GREEK SMALL LETTER EPSILON",
        "CHEROKEE LETTER GV",
    ],
    "g": [
        "LATIN SMALL LETTER SCRIPT G",
        "ARMENIAN SMALL LETTER CO",
    ],
    "h": [
        "CYRILLIC SMALL LETTER EN",
        "CYRILLIC SMALL LETTER SHHA",
        "ARMENIAN SMALL LETTER HO",
        "CHEROKEE LETTER MI",
    ],
    "i": [
        "CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I",
        "CYRILLIC SMALL LETTER YI",
        "GREEK SMALL LETTER IOTA",
        "LATIN SMALL LETTER DOTLESS I",
    ],
    "j": [
        "CYRILLIC SMALL LETTER JE",
        "GREEK LETTER YOT",
        "CHEROKEE LETTER GU",
        "LATIN SMALL LETTER DOTLESS J",
    ],
    "k": [
        "CYRILLIC SMALL LETTER KA",
        "GREEK SMALL LETTER KAPPA",
        "CHEROKEE LETTER TSO",
    ],
    "l": [
        "CYRILLIC SMALL LETTER PALOCHKA",
        "CHEROKEE LETTER TLE",
        "LATIN SMALL LETTER L WITH STROKE",
    ],
    "m": [
        "CYRILLIC SMALL LETTER EM",
        "CHEROKEE LETTER LU",
    ],
    "n": [
        "CYRILLIC SMALL LETTER EL",
        "CYRILLIC SMALL LETTER PE",
        "GREEK SMALL LETTER ETA",
        "ARMENIAN SMALL LETTER VO",
    ],
    "o": [
        "CYRILLIC SMALL LETTER O",
        "GREEK SMALL LETTER OMICRON",
        "GREEK SMALL LETTER SIGMA",
        "ARMENIAN SMALL LETTER OH",
        "LATIN SMALL LETTER O WITH STROKE",
    ],
    "oe": [
        "LATIN SMALL LIGATURE OE",
    ],
    "p": [
        "CYRILLIC SMALL LETTER ER",
        "GREEK SMALL LETTER RHO",
        "CHEROKEE LETTER TLV",
    ],
    "q": [
        "CYRILLIC SMALL LETTER QA",
    ],
    "r": [
        "CYRILLIC SMALL LETTER GHE",
    ],
    "s": [
        "CYRILLIC SMALL LETTER DZE",
        "CHEROKEE LETTER DU",
    ],
    "ss": [
        "LATIN SMALL LETTER SHARP S",
    ],
    "t": [
        "CYRILLIC SMALL LETTER TE",
        "GREEK SMALL LETTER TAU",
        "CHEROKEE LETTER I",
    ],
    "u": [
        "CYRILLIC SMALL LETTER I",
        "GREEK SMALL LETTER UPSILON",
        "ARMENIAN SMALL LETTER SEH",
    ],
    "v": [
        "GREEK SMALL LETTER NU",
    ],
    "w": [
        "CYRILLIC SMALL LETTER WE",
        "GREEK SMALL LETTER OMEGA",
        "CHEROKEE LETTER LA",
    ],
    "x": [
        "CYRILLIC SMALL LETTER HA",
        "GREEK SMALL LETTER CHI",
    ],
    "y": [
        "CYRILLIC SMALL LETTER U",
        "CYRILLIC SMALL LETTER STRAIGHT U",
        "GREEK SMALL LETTER GAMMA",
    ],
    "z": [
        "GREEK SMALL LETTER ZETA",
    ],
}
_ASCII_LOOKALIKES = {
    "0": "o",
    "1": "l",
    "5": "s",
    "|": "l",
    "!": "l",
    "$": "s",
    "@": "a",
}
_LOOKALIKES = {
    unicodedata.lookup(name): letter for letter, names in _LOOKALIKE_NAMES.items() for name in names
} | _ASCII_LOOKALIKES
# After mapping, letters that are themselves easily confused are treated as one.
_SAME_SHAPE = {"i": "l", "rn": "m", "vv": "w", "3": "e"}


def skeleton(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).casefold()
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = "".join(_LOOKALIKES.get(char, char) for char in text)
    text = "".join(char for char in text if char.isalnum())
    for shape, same in _SAME_SHAPE.items():
        text = text.replace(shape, same)
    return text


def confusable(first: str, second: str) -> bool:
    """Whether two names differ but look the same."""
    return first.strip() != second.strip() and skeleton(first) == skeleton(second) != ""
