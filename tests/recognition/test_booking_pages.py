"""The pages for grades, bookings and transcripts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliances.models import InstitutionRole
from recognition import checks, services
from recognition.models import DecisionBooking
from tests.catalogue.factories import published_programme
from tests.factories import UserFactory, grant
from tests.recognition.elmo_schema import ELMO
from tests.recognition.factories import PortalFetcher, issued_to, submit


@pytest.fixture
def rita(institution_b):
    return grant(UserFactory(email="rita@b.example"), institution_b, InstitutionRole.REGISTRAR)


@pytest.fixture
def recognised(alice, carol, dana, institution_a, institution_b, course_b, monkeypatch):
    monkeypatch.setattr(checks, "verification_fetcher", lambda: PortalFetcher(institution_a))
    programme = published_programme(alice, institution_a)
    document = issued_to(dana, programme.published_version, institution_a, grade="8")
    request = submit(dana, institution_b, course_b, documents=[document])
    return services.decide_request(officer=carol, case=request, outcome="full")


def test_officer_converts_prepares_and_the_registrar_books_on_the_pages(
    as_user, carol, rita, dana, recognised
):
    officer = as_user(carol)
    case_url = reverse("recognition:case_detail", kwargs={"pk": recognised.request_id})
    page = officer.get(case_url).content.decode()
    assert "Convert the grade" in page
    officer.post(
        reverse("recognition:decision_grade", kwargs={"pk": recognised.pk}),
        {"target_scheme": "de", "converted_grade": "1.7"},
    )
    officer.post(
        reverse("recognition:decision_booking", kwargs={"pk": recognised.pk}),
        {"term": "2026/27 autumn", "credit_type": "course", "course_code": "B-DS"},
    )
    page = officer.get(case_url).content.decode()
    assert "1.7" in page
    assert "2026/27 autumn" in page
    # The learner sees the converted grade and the booking, without the forms.
    learner_page = as_user(dana).get(
        reverse("recognition:request_detail", kwargs={"pk": recognised.request_id})
    )
    assert "1.7" in learner_page.content.decode()
    assert "Send to the registrar" not in learner_page.content.decode()
    registrar = as_user(rita)
    booking = DecisionBooking.objects.get()
    queue = registrar.get(reverse("recognition:bookings")).content.decode()
    assert "B-DS" in queue
    assert "Confirm the booking" in queue
    elmo = registrar.get(
        reverse("recognition:booking_export", kwargs={"pk": booking.pk, "kind": "elmo"})
    )
    assert elmo.status_code == 200
    assert b"<resultLabel>1.7</resultLabel>" in elmo.content
    registrar.post(
        reverse("recognition:booking_confirm", kwargs={"pk": booking.pk}),
        {"sis_reference": "SIS-7"},
    )
    booking.refresh_from_db()
    assert (booking.status, booking.sis_reference) == ("booked", "SIS-7")


def test_the_booking_queue_is_for_registrars_only(as_user, carol, dana, recognised):
    for outsider in (dana, carol):
        assert as_user(outsider).get(reverse("recognition:bookings")).status_code == 404


def test_the_learner_adds_a_transcript_on_the_request_page(as_user, dana, institution_b, course_b):
    request = submit(dana, institution_b, course_b)
    client = as_user(dana)
    client.post(
        reverse("recognition:request_transcript", kwargs={"pk": request.pk}),
        {"transcript": SimpleUploadedFile("t.xml", (ELMO / "example.xml").read_bytes())},
    )
    page = client.get(reverse("recognition:request_detail", kwargs={"pk": request.pk}))
    assert "Compiler construction" in page.content.decode()
