"""Spreadsheet files going in and out: the one place that decides how an uploaded CSV is sized,
decoded and split into rows, and how exported cells are kept from running as formulas.

Results (catalogue) and recognition targets (recognition) both read staff CSV files through
these functions, so a hostile file meets the same rules wherever it is uploaded."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

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
