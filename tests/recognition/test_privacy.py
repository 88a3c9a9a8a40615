"""A learner's "My data" archive holds their recognition requests: the credentials and files
they submitted, the questions and answers, the decisions and the appeal; nobody else's."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse

from recognition import services
from tests.recognition.factories import RECEIVED, submit

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def appealed_case(bob, dana, institution_a, course_a):
    request = submit(
        dana,
        institution_a,
        course_a,
        attachments=[services.AttachmentInput("../syllabus.pdf", b"%PDF-1.7 syllabus")],
    )
    services.request_information(
        officer=bob, case=request, question="Which topics did the exam cover?", now=RECEIVED + DAY
    )
    services.answer_information(
        learner=dana, case=request, answer="Regression and clustering.", now=RECEIVED + 2 * DAY
    )
    services.decide_request(
        officer=bob,
        case=request,
        outcome="refused",
        differences=[services.DifferenceInput("level", "EQF 5 is below the course's level 6.")],
        now=RECEIVED + 3 * DAY,
    )
    services.lodge_appeal(
        learner=dana, case=request, grounds="The level matches.", now=RECEIVED + 4 * DAY
    )
    return request


def _archive(client_for_user) -> zipfile.ZipFile:
    response = client_for_user.post(reverse("my_data_export"))
    assert response.status_code == 200
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_archive_holds_the_request_messages_attachment_decision_and_appeal(
    as_user, dana, appealed_case
):
    archive = _archive(as_user(dana))
    requests = json.loads(archive.read("recognition/requests.json"))
    [request] = requests
    assert request["institution"] == "Universitat A"
    assert request["motivation"] == "I took this course last year."
    assert [m["body"] for m in request["messages"]] == [
        "Which topics did the exam cover?",
        "Regression and clustering.",
    ]
    assert [m["from"] for m in request["messages"]] == ["institution", "you"]
    assert request["decisions"][0]["outcome"] == "refused"
    assert request["decisions"][0]["substantial_differences"][0]["element"] == "level"
    assert request["appeal"]["grounds"] == "The level matches."
    [attachment] = request["attachments"]
    assert attachment["file_in_archive"] == (
        f"recognition/request-{appealed_case.pk}/attachments/1-syllabus.pdf"
    )
    assert archive.read(attachment["file_in_archive"]) == b"%PDF-1.7 syllabus"
    credential_file = request["submitted_credentials"][0]["file_in_archive"]
    assert json.loads(archive.read(credential_file))["proof"]
    # No officer's account appears in the learner's archive.
    assert "bob@" not in archive.read("recognition/requests.json").decode()


def test_another_learners_archive_has_none_of_it(as_user, eve, appealed_case):
    archive = _archive(as_user(eve))
    assert json.loads(archive.read("recognition/requests.json")) == []
    assert not [name for name in archive.namelist() if "attachments" in name]
