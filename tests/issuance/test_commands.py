from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.issuance.factories import issue_credential


def test_export_writes_each_issued_credential_exactly_as_signed(
    alice, institution_a, dana, tmp_path
):
    credential = issue_credential(alice, institution_a, dana)
    out = StringIO()
    call_command("export_credentials", "--out", str(tmp_path / "export"), stdout=out)
    files = list((tmp_path / "export").glob("*.json"))
    assert [path.name for path in files] == [f"{credential.uuid}.json"]
    assert files[0].read_text() == credential.document_json
    assert json.loads(files[0].read_text())["id"] == credential.credential_id


def test_export_of_one_offering(alice, institution_a, dana, tmp_path):
    credential = issue_credential(alice, institution_a, dana)
    call_command(
        "export_credentials",
        "--out",
        str(tmp_path),
        "--offering",
        credential.result.offering.code,
        stdout=StringIO(),
    )
    assert len(list(tmp_path.glob("*.json"))) == 1
    with pytest.raises(CommandError, match="No offering"):
        call_command(
            "export_credentials", "--out", str(tmp_path), "--offering", "nope", stdout=StringIO()
        )


def test_rotate_unknown_institution_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No institution"):
        call_command("rotate_signing_key", "nope", stdout=StringIO())
