"""Results CSVs as Excel saves them in Spanish, Catalan, German and French locales
(semicolons, day-first dates, a byte-order mark or Windows-1252), and errors that say which row,
column and value are wrong."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalogue import services
from catalogue.models import AssessmentResult
from portal.errors import DomainError
from portal.uploads import DAY_FIRST, MONTH_FIRST, parse_spreadsheet_date, spreadsheet_date_order
from tests.catalogue.factories import open_offering, past, published_programme

pytestmark = pytest.mark.django_db

HEADER = "offering;learner_email;outcome;grade;assessed_on;identity_verified"


@pytest.fixture
def enrolled(alice, institution_a, dana):
    offering = open_offering(alice, published_programme(alice, institution_a))
    return services.enrol(learner=dana, offering=offering)


def _preview(actor, data: bytes):
    return services.preview_results_upload(
        actor=actor, filename="results.csv", size=len(data), data=data
    )


@pytest.mark.parametrize(
    ("locale", "date_format", "encoding", "yes"),
    [
        ("es", "%d/%m/%Y", "utf-8-sig", "VERDADERO"),
        ("ca", "%d/%m/%Y", "cp1252", "sí"),
        ("de", "%d.%m.%Y", "utf-8-sig", "WAHR"),
        ("fr", "%d/%m/%Y", "cp1252", "VRAI"),
    ],
)
def test_an_excel_file_of_each_locale_is_read(
    alice, enrolled, dana, locale, date_format, encoding, yes
):
    day = past(2)
    text = f"{HEADER}\r\ncohort-1;{dana.email};passed;8,5;{day.strftime(date_format)};{yes}\r\n"
    preview = _preview(alice, text.encode(encoding))
    assert [row.errors for row in preview.rows] == [[]], locale
    entry = preview.rows[0].entry
    assert entry.assessed_on == day
    assert entry.identity_verified is True
    services.confirm_results_upload(actor=alice, upload=preview.upload)
    assert AssessmentResult.objects.get().grade == "8.5"


def test_the_date_order_is_read_from_the_whole_file():
    assert spreadsheet_date_order(["03/04/2026", "13/04/2026"]) == DAY_FIRST
    assert spreadsheet_date_order(["03/04/2026", "04/13/2026"]) == MONTH_FIRST
    assert spreadsheet_date_order(["03/04/2026"]) == DAY_FIRST
    assert parse_spreadsheet_date("03/04/2026", DAY_FIRST).isoformat() == "2026-04-03"
    assert parse_spreadsheet_date("03/04/2026", MONTH_FIRST).isoformat() == "2026-03-04"
    assert parse_spreadsheet_date("2026-04-03").isoformat() == "2026-04-03"
    assert parse_spreadsheet_date("31/02/2026") is None
    assert parse_spreadsheet_date("next week") is None


def test_each_error_names_the_row_column_and_value(alice, enrolled, dana):
    text = (
        f"{HEADER}\n"
        f"cohort-1;{dana.email};passed;8;31/02/2026;yes\n"
        f"cohort-1;{dana.email};passed;8;{past().isoformat()};maybe\n"
        f"nowhere;ghost@example.org;passed;8;{past().isoformat()};yes\n"
    )
    errors = {row.line: row.errors for row in _preview(alice, text.encode()).rows}
    assert "Column assessed_on, value “31/02/2026”: not a date" in errors[2][0]
    assert errors[3][-1] == (
        "Column identity_verified, value “maybe”: identity_verified must be yes or no."
    )
    assert any(e.startswith("Column offering, value “nowhere”") for e in errors[4])
    assert any(e.startswith("Column learner_email, value “ghost@example.org”") for e in errors[4])


def test_a_wrong_header_says_what_was_found_not_just_missing_columns(alice, enrolled):
    with pytest.raises(DomainError) as caught:
        _preview(alice, b"offering;email;result\ncohort-1;x@example.org;passed\n")
    message = caught.value.message
    assert "missing: assessed_on, learner_email, outcome." in message
    assert "Found on line 1: “offering”, “email”, “result”." in message


def test_the_upload_page_previews_a_semicolon_file(as_user, alice, enrolled, dana):
    day = past(2).strftime("%d/%m/%Y")
    text = f"\ufeff{HEADER}\r\ncohort-1;{dana.email};passed;7;{day};sí\r\n"
    client = as_user(alice)
    response = client.post(
        reverse("catalogue:results_upload"),
        {"file": SimpleUploadedFile("r.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "missing" not in preview.lower()
    assert "row-error" not in preview
    client.post(response["Location"])
    assert AssessmentResult.objects.count() == 1
