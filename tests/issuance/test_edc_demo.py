"""The demo data shows the complete Annex I export: every demo institution has its
identifiers and region, and the demo's issued micro-credentials export as sealed European
Digital Credentials that conform to the Commission's EDC shapes."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from alliances.models import Institution
from issuance import edc, seals
from issuance.models import Credential, CredentialKind
from tests.credential_format.elm_shacl import violations
from tests.issuance.factories import run_on_commit

pytestmark = pytest.mark.django_db


def test_demo_credentials_export_as_conformant_sealed_edcs():
    with run_on_commit():
        call_command("seed_demo", stdout=StringIO())
    assert not Institution.objects.filter(legal_identifier="").exists()
    assert not Institution.objects.filter(nuts_region="").exists()
    assert not Institution.objects.filter(pic="").exists()
    credentials = Credential.objects.filter(
        kind=CredentialKind.MICRO, state="issued", revoked_at=None, suspended_at=None
    ).select_related("issuer", "programme_version")
    joint = next(
        c
        for c in credentials
        if c.programme_version and len(c.programme_version.snapshot["awarding_bodies"]) > 1
    )
    sealed = edc.sealed_edc_document(joint)
    check = seals.check_seal(json.loads(json.dumps(sealed)))
    assert check.valid, check.message
    document = json.loads(sealed["payload"])
    assert violations(document) == []
    bodies = document["credentialSubject"]["hasClaim"][0]["awardedBy"]["awardingBody"]
    assert len(bodies) > 1
    assert all(body["location"].get("spatialCode") for body in bodies)
    assert document["issuer"]["eIDASIdentifier"]["notation"].startswith("NTR")
