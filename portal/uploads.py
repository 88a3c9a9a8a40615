"""Spreadsheet files going in and out: the one place that decides how an uploaded CSV is sized,
decoded and split into rows, and how exported cells are kept from running as formulas.

Results (catalogue) and recognition targets (recognition) both read staff CSV files through
one pipeline: a :class:`CsvUpload` describes the file (columns, limits); its ``read`` sizes and
decodes the upload, its ``rows`` split stored text into :class:`CsvRow` objects (a row whose
cell looks like a formula already carries its error), and a :class:`CsvPreview` of the stored
upload lists the valid and invalid rows. A hostile file meets the same rules wherever it is
uploaded; each app only checks the values of its own rows."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.utils.translation import gettext as _

from portal.errors import DomainError

# A cell starting with one of these is run as a formula by spreadsheet programs (CSV
# injection); tab and carriage return hide such a prefix from a quick look.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Room for the multipart boundary and headers around a file of the allowed size.
MULTIPART_OVERHEAD_BYTES = 16_384


def check_upload_size(size: int, *, limit: int) -> None:
    if size > limit:
        raise DomainError(
            _("The file is %(size)s KB; the limit is %(limit)s KB. Split it into smaller files.")
            % {"size": (size + 1023) // 1024, "limit": limit // 1024},
            code="too_large",
            field="file",
        )


def check_declared_upload_size(meta: Mapping[str, Any], *, limit: int) -> None:
    """Refuse a request whose declared body cannot hold a file within the limit, before the
    body is read (Django would otherwise spool all of it to disk first)."""
    declared = str(meta.get("CONTENT_LENGTH") or "0")
    size = int(declared) if declared.isdigit() else 0
    check_upload_size(max(size - MULTIPART_OVERHEAD_BYTES, 0), limit=limit)


def decode_csv(data: bytes) -> str:
    """UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), else Windows-1252 (what
    Excel's plain "CSV" writes in Western European locales); anything else is refused with
    advice."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Null bytes mean UTF-16 ("Unicode text"), which Windows-1252 would misread.
        if b"\x00" in data:
            raise UnicodeDecodeError("cp1252", data, 0, 1, "null byte")
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise DomainError(
            _(
                "The file is not UTF-8 text. In your spreadsheet, save it as "
                '"CSV UTF-8 (comma delimited)" and upload it again.'
            ),
            code="bad_encoding",
            field="file",
        ) from error


# Excel writes a semicolon where the decimal separator is a comma (es, ca, de, fr...).
DELIMITERS = (",", ";", "\t")


def detect_delimiter(first_line: str, columns: Iterable[str]) -> str:
    """The delimiter under which the header names the most known columns (a comma on ties)."""
    known = set(columns)

    def named(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(1 for cell in cells if cell.strip().lower() in known)

    return max(DELIMITERS, key=lambda delimiter: (named(delimiter), delimiter == ","))


def parse_csv_rows(
    content: str, *, columns: list[str], required: Iterable[str], max_rows: int
) -> list[tuple[int, dict[str, str]]]:
    """(line number, values by lower-case column) of each non-empty row. The delimiter (comma,
    semicolon or tab) is read from the header, which must name the required columns; more
    than `max_rows` rows are refused as a whole."""
    if "\x00" in content:
        raise DomainError(_("The file is not a CSV text file."), code="not_csv", field="file")
    first_line = content.split("\n", 1)[0].rstrip("\r")
    delimiter = detect_delimiter(first_line, columns)
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        raise DomainError(
            _("The file is not a CSV text file."), code="not_csv", field="file"
        ) from error
    missing = set(required) - set(header)
    if missing:
        raise DomainError(
            _(
                "Line 1 must name the columns; missing: %(missing)s. Found on line 1: "
                "%(found)s. Expected: %(columns)s (separated by commas or semicolons)."
            )
            % {
                "missing": ", ".join(sorted(missing)),
                "found": ", ".join(f"“{name}”" for name in header if name) or "—",
                "columns": ", ".join(columns),
            },
            code="bad_header",
            field="file",
        )
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for number, row in enumerate(reader, start=2):
            if len(rows) >= max_rows:
                raise DomainError(
                    _("The file has more than %(limit)s rows. Split it into smaller files.")
                    % {"limit": max_rows},
                    code="too_many_rows",
                    field="file",
                )
            # Extra cells beyond the header land under the key None: they are ignored.
            values = {key: (value or "").strip() for key, value in row.items() if key}
            if any(values.values()):
                rows.append((number, values))
    except csv.Error as error:
        raise DomainError(
            _("The file is not a CSV text file."), code="not_csv", field="file"
        ) from error
    return rows


# Dates as spreadsheets write them: 2026-03-31, or day and month in either order with /, . or -.
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LOCAL_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
DAY_FIRST, MONTH_FIRST = "day-first", "month-first"


def spreadsheet_date_order(values: Iterable[str]) -> str:
    """Whether a file's dates put the day or the month first: month first only when some date
    can only be read that way (its second number is above 12) and none is day-first only;
    day first otherwise (Excel in es, ca, de, fr and en-GB)."""
    day_only = month_only = False
    for value in values:
        match = _LOCAL_DATE.match(value.strip())
        if match:
            first, second = int(match.group(1)), int(match.group(2))
            day_only = day_only or first > 12
            month_only = month_only or second > 12
    return MONTH_FIRST if month_only and not day_only else DAY_FIRST


def parse_spreadsheet_date(value: str, order: str = DAY_FIRST) -> date | None:
    """An ISO date, or a day-first/month-first one in the file's order; None if not a date."""
    value = value.strip()
    match = _ISO_DATE.match(value)
    if match:
        year, month, day = (int(part) for part in match.groups())
    else:
        match = _LOCAL_DATE.match(value)
        if not match:
            return None
        first, second, year = (int(part) for part in match.groups())
        day, month = (first, second) if order == DAY_FIRST else (second, first)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def cell_error(column: str, value: str, problem: str) -> str:
    """A row error that names the column and quotes the value found there."""
    return _("Column %(column)s, value “%(value)s”: %(problem)s") % {
        "column": column,
        "value": value,
        "problem": problem,
    }


def starts_like_formula(values: Iterable[str]) -> bool:
    return any(value.startswith(FORMULA_PREFIXES) for value in values)


def escape_spreadsheet_cell(value: Any) -> str:
    """Neutralise text a spreadsheet would run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


@dataclass
class CsvRow:
    """One non-empty line of an uploaded CSV, with what is wrong with it."""

    line: int
    values: dict[str, str]
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


RowT = TypeVar("RowT", bound=CsvRow)
UploadT = TypeVar("UploadT")


@dataclass
class CsvPreview(Generic[UploadT, RowT]):
    """A stored upload and its rows, checked but not saved."""

    upload: UploadT
    rows: list[RowT]

    @property
    def valid_rows(self) -> list[RowT]:
        return [row for row in self.rows if row.valid]

    @property
    def invalid_rows(self) -> list[RowT]:
        return [row for row in self.rows if not row.valid]

    def summary(self) -> dict[str, int]:
        """What the audit log keeps of a preview."""
        return {"rows": len(self.rows), "invalid": len(self.invalid_rows)}


@dataclass(frozen=True)
class CsvUpload:
    """A kind of staff CSV upload: its columns and the settings that bound its size."""

    columns: list[str]
    required: frozenset[str]
    max_bytes_setting: str
    max_rows_setting: str

    def check_size(self, size: int) -> None:
        check_upload_size(size, limit=int(getattr(settings, self.max_bytes_setting)))

    def read(self, *, size: int, data: bytes) -> str:
        """The text of an uploaded file within the size limit, or a DomainError."""
        self.check_size(size)
        return decode_csv(data)

    def rows(self, content: str, make_row: Callable[[int, dict[str, str]], RowT]) -> list[RowT]:
        """The rows of stored CSV text; a row with a formula-like cell is refused at once."""
        parsed = parse_csv_rows(
            content,
            columns=self.columns,
            required=self.required,
            max_rows=int(getattr(settings, self.max_rows_setting)),
        )
        rows = []
        for line, values in parsed:
            row = make_row(line, values)
            if starts_like_formula(values.values()):
                row.errors.append(_("A cell starts like a spreadsheet formula (=, +, -, @)."))
            rows.append(row)
        return rows
