"""The one pipeline both staff CSV uploads (results, recognition targets) go through."""

from __future__ import annotations

import pytest

from catalogue.services.results_upload import RESULTS_UPLOAD
from portal.errors import DomainError
from portal.uploads import CsvPreview, CsvRow, CsvUpload
from recognition.services.targets import TARGETS_UPLOAD

KIND = CsvUpload(
    columns=["code", "title"],
    required=frozenset({"code"}),
    max_bytes_setting="RESULTS_UPLOAD_MAX_BYTES",
    max_rows_setting="RESULTS_UPLOAD_MAX_ROWS",
)


def test_a_formula_like_row_is_refused_before_its_values_are_checked():
    rows = KIND.rows("code,title\nA1,Fine\n=HYPERLINK(1),x\n\n", CsvRow)
    assert [(row.line, row.valid) for row in rows] == [(2, True), (3, False)]
    assert "formula" in rows[1].errors[0]
    assert CsvPreview(upload=None, rows=rows).summary() == {"rows": 2, "invalid": 1}


def test_the_limits_are_read_from_settings_when_the_file_arrives(settings):
    settings.RESULTS_UPLOAD_MAX_BYTES = 10
    with pytest.raises(DomainError) as caught:
        KIND.read(size=11, data=b"code\n" + b"x" * 6)
    assert caught.value.code == "too_large"
    settings.RESULTS_UPLOAD_MAX_ROWS = 1
    with pytest.raises(DomainError) as caught:
        KIND.rows("code\na\nb\n", CsvRow)
    assert caught.value.code == "too_many_rows"


@pytest.mark.parametrize("kind", [RESULTS_UPLOAD, TARGETS_UPLOAD])
def test_both_uploads_refuse_text_in_an_unknown_encoding(kind):
    for data in ("café".encode("utf-16"), b"caf\x81\x8d"):
        with pytest.raises(DomainError) as caught:
            kind.read(size=len(data), data=data)
        assert caught.value.code == "bad_encoding"


@pytest.mark.parametrize("kind", [RESULTS_UPLOAD, TARGETS_UPLOAD])
def test_both_uploads_read_what_excel_writes_in_western_european_locales(kind):
    """Excel's plain "CSV" is Windows-1252; its "CSV UTF-8" starts with a byte-order mark."""
    assert kind.read(size=5, data="Lleó €".encode("cp1252")) == "Lleó €"
    assert kind.read(size=8, data="\ufeffLleó".encode()) == "Lleó"
