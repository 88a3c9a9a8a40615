"""Hostile CSV uploads (results and recognition targets, pages and API): formula cells, other
encodings, 100 000 rows, another institution's offerings, bodies too large to read. Each gets a
clear error and nothing is stored in part; an oversized body is refused from its declared
length, before it is read."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from catalogue.models import AssessmentResult, ResultUpload
from recognition.models import RecognitionTarget, TargetUpload

pytestmark = pytest.mark.django_db

RESULTS_HEADER = "offering,learner_email,outcome,grade,assessed_on,identity_verified\n"
TARGETS_HEADER = "code,title,ects,eqf_level\n"
FORMULAS = ['=HYPERLINK("https://evil.example")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1"]


def stored():
    return (
        ResultUpload.objects.count(),
        AssessmentResult.objects.count(),
        TargetUpload.objects.count(),
        RecognitionTarget.objects.count(),
    )


def results_row(world, *, grade="8", email=None) -> str:
    return (
        f"{world.offering.code},{email or world.users['learner'].email},passed,{grade},"
        "2026-01-10,yes\n"
    )


def upload_results(client, data: bytes, *, api: bool):
    if api:
        return client.post(
            "/api/v1/manage/result-uploads/", {"file": SimpleUploadedFile("r.csv", data)}
        )
    return client.post("/manage/results/upload/", {"file": SimpleUploadedFile("r.csv", data)})


def upload_targets(client, world, data: bytes, *, api: bool):
    if api:
        return client.post(
            "/api/v1/recognition/target-uploads/",
            {"institution": world.institution.slug, "file": SimpleUploadedFile("t.csv", data)},
        )
    return client.post(
        f"/recognition/manage/{world.institution.slug}/targets/upload/",
        {"file": SimpleUploadedFile("t.csv", data)},
    )


@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_cells_are_refused_row_by_row(formula, world, api_as):
    alice, bob = world.users["owner_staff"], world.users["owner_officer"]
    preview = upload_results(
        api_as(alice), (RESULTS_HEADER + results_row(world, grade=formula)).encode(), api=True
    )
    assert preview.status_code == 201, preview.content
    rows = preview.json()["rows"]
    assert [row["valid"] for row in rows] == [False]
    assert "formula" in " ".join(rows[0]["errors"])
    confirmed = api_as(alice).post(f"/api/v1/manage/result-uploads/{preview.json()['id']}/confirm/")
    assert confirmed.status_code == 200
    assert AssessmentResult.objects.filter(grade__startswith=formula[:1]).count() == 0

    targets = upload_targets(
        api_as(bob), world, f"{TARGETS_HEADER}{formula},Algebra,3,6\n".encode(), api=True
    )
    assert targets.status_code == 201
    assert [row["valid"] for row in targets.json()["rows"]] == [False]


@pytest.mark.parametrize("api", [True, False], ids=["api", "page"])
# Windows-1252 (and so Latin-1 text) is read: it is what Excel's plain "CSV" writes in the
# interface languages' locales (tests/catalogue/test_results_csv_locales.py).
@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"], ids=["UTF-16", "UTF-32"])
def test_other_encodings_are_refused_with_advice(encoding, api, world, api_as, as_user):
    alice, bob = world.users["owner_staff"], world.users["owner_officer"]
    before = stored()
    text = RESULTS_HEADER + results_row(world, email="dänä@learner.example")
    client = api_as(alice) if api else as_user(alice)
    response = upload_results(client, text.encode(encoding), api=api)
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    client = api_as(bob) if api else as_user(bob)
    response = upload_targets(
        client, world, f"{TARGETS_HEADER}X1,Ålgebra,3,6\n".encode(encoding), api=api
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert stored() == before


def test_a_hundred_thousand_rows_are_refused_whole(world, api_as, settings):
    alice = world.users["owner_staff"]
    before = stored()
    rows = "".join(f"cohort-{n},l{n}@x.example,passed,8,2026-01-10,yes\n" for n in range(100_000))
    data = (RESULTS_HEADER + rows).encode()
    too_large = upload_results(api_as(alice), data, api=True)
    assert too_large.status_code == 413
    assert too_large.json()["code"] == "too_large"
    # Even where the size limit would let it through, the row limit refuses the whole file.
    settings.RESULTS_UPLOAD_MAX_BYTES = len(data) + 1
    too_many = upload_results(api_as(alice), data, api=True)
    assert too_many.status_code == 400
    assert too_many.json()["code"] == "too_many_rows"
    assert stored() == before


def test_another_institutions_offering_reads_as_unknown_and_nothing_is_saved(world, api_as):
    charlie = world.users["other_staff"]
    before = AssessmentResult.objects.count()
    preview = upload_results(
        api_as(charlie), (RESULTS_HEADER + results_row(world)).encode(), api=True
    )
    assert preview.status_code == 201
    (row,) = preview.json()["rows"]
    assert not row["valid"]
    assert "Unknown offering" in " ".join(row["errors"])
    confirmed = api_as(charlie).post(
        f"/api/v1/manage/result-uploads/{preview.json()['id']}/confirm/"
    )
    assert confirmed.json()["saved_rows"] == 0
    assert AssessmentResult.objects.count() == before
    # targets are uploaded for one's own institution only
    carol = world.users["other_officer"]
    response = upload_targets(api_as(carol), world, f"{TARGETS_HEADER}X,Y,3,6\n".encode(), api=True)
    assert response.status_code == 404
    assert not TargetUpload.objects.filter(uploaded_by=carol).exists()


@pytest.mark.parametrize("data", [b"code,title\x00,ects\n", b'"unterminated,quote\n\x00'])
def test_binary_or_broken_files_are_refused(data, world, api_as):
    bob = world.users["owner_officer"]
    before = stored()
    response = upload_targets(api_as(bob), world, data, api=True)
    assert response.status_code == 400
    assert stored() == before


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the oversized body was read")

    readline = read


@pytest.mark.parametrize(
    ("path", "actor"),
    [
        ("/manage/results/upload/", "owner_staff"),
        ("/api/v1/manage/result-uploads/", "owner_staff"),
        ("/recognition/manage/uni-a/targets/upload/", "owner_officer"),
        ("/api/v1/recognition/target-uploads/", "owner_officer"),
        ("/verify/", "anonymous"),
        ("/api/v1/credentials/verify", "anonymous"),
        ("/wallet/import/", "learner"),
        ("/recognition/institutions/uni-a/request/", "learner"),
    ],
)
def test_an_oversized_upload_is_refused_before_its_body_is_read(path, actor, world):
    client = Client()
    if world.users[actor] is not None:
        client.force_login(world.users[actor])
    response = client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(40 * 1024 * 1024),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert "limit" in response.content.decode()
