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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
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
    """UTF-8 with or without a byte-order mark; anything else is refused with advice."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DomainError(
            _(
                "The file is not UTF-8 text. In your spreadsheet, save it as "
                '"CSV UTF-8 (comma delimited)" and upload it again.'
            ),
            code="bad_encoding",
            field="file",
        ) from error


def parse_csv_rows(
    content: str, *, columns: list[str], required: Iterable[str], max_rows: int
) -> list[tuple[int, dict[str, str]]]:
    """(line number, values by lower-case column) of each non-empty row. The header must name
    the required columns; more than `max_rows` rows are refused as a whole."""
    if "\x00" in content:
        raise DomainError(_("The file is not a CSV text file."), code="not_csv", field="file")
    reader = csv.DictReader(io.StringIO(content, newline=""))
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        raise DomainError(
            _("The file is not a CSV text file."), code="not_csv", field="file"
        ) from error
    missing = set(required) - set(header)
    if missing:
        raise DomainError(
            _("The first line must name the columns; missing: %(missing)s. Expected: %(columns)s.")
            % {"missing": ", ".join(sorted(missing)), "columns": ", ".join(columns)},
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
