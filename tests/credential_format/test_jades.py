"""JAdES B-B seals: made and checked with joserfc, the certificate judged at the signing time."""

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from credential_format.elm import build_elm_credential
from credential_format.errors import SealError
from credential_format.jades import (
    export_pkcs12,
    generate_certificate_authority,
    generate_self_signed_seal,
    issue_seal_certificate,
    load_pkcs12,
    organisation_identifier,
    seal_json,
    verify_seal,
)

from .sample_claims import ELM_DETAILS, micro_credential_claims

FIXTURES = Path(__file__).parent / "seal_fixtures"


@pytest.fixture(scope="module")
def authority():
    return generate_certificate_authority(organisation="Université de Leuven", country_code="BE")


@pytest.fixture(scope="module")
def ec_seal(authority):
    return issue_seal_certificate(
        authority,
        organisation="Université de Leuven",
        country_code="BE",
        organisation_identifier="VATBE-0419052173",
    )


@pytest.fixture(scope="module")
def rsa_seal():
    return generate_self_signed_seal(organisation="Uni B", country_code="DE", key_type="RSA")


def _header(sealed):
    protected = sealed["signatures"][0]["protected"]
    return json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))


def _with_header(sealed, header):
    sealed = json.loads(json.dumps(sealed))
    sealed["signatures"][0]["protected"] = (
        base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    )
    return sealed


def test_seal_an_elm_credential_and_verify_it(ec_seal, authority):
    credential = build_elm_credential(micro_credential_claims(), ELM_DETAILS)
    sealed = seal_json(credential, ec_seal)
    header = _header(sealed)
    assert header["alg"] == "ES256"
    assert header["b64"] is False
    assert header["crit"] == ["b64", "sigT"]
    assert header["typ"] == "jose+json"
    for name in ("sigT", "x5c", "x5t#S256", "kid", "cty"):
        assert name in header
    assert len(header["x5c"]) == 2  # the seal certificate, then the institution's CA
    assert json.loads(sealed["payload"]) == credential  # unencoded payload (RFC 7797)
    verification = verify_seal(sealed, trusted_certificates=[authority.certificate])
    assert verification.payload_json() == credential
    assert organisation_identifier(verification.certificate) == "VATBE-0419052173"


def test_rsa_keys_seal_with_rs256(rsa_seal):
    sealed = seal_json({"a": 1}, rsa_seal)
    assert _header(sealed)["alg"] == "RS256"
    assert verify_seal(sealed).payload_json() == {"a": 1}


def test_a_changed_payload_fails(ec_seal):
    sealed = seal_json({"title": "Data Literacy"}, ec_seal)
    sealed["payload"] = sealed["payload"].replace("Data", "Deep")
    with pytest.raises(SealError, match="changed"):
        verify_seal(sealed)


def test_an_untrusted_certificate_is_reported(ec_seal, rsa_seal):
    sealed = seal_json({"a": 1}, ec_seal)
    with pytest.raises(SealError, match="not one of the trusted"):
        verify_seal(sealed, trusted_certificates=[rsa_seal.certificate])


def test_a_swapped_certificate_fails(ec_seal):
    other = generate_self_signed_seal(organisation="Impostor", country_code="FR")
    sealed = seal_json({"a": 1}, ec_seal)
    forged = seal_json({"a": 1}, other)
    forged["signatures"][0]["signature"] = sealed["signatures"][0]["signature"]
    with pytest.raises(SealError):
        verify_seal(forged)


def test_a_chain_that_does_not_issue_the_certificate_is_refused(ec_seal):
    stranger = generate_certificate_authority(organisation="Other CA", country_code="FR")
    header = _header(seal_json({"a": 1}, ec_seal))
    header["x5c"][1] = base64.b64encode(
        stranger.certificate.public_bytes(serialization.Encoding.DER)
    ).decode()
    with pytest.raises(SealError, match="chain"):
        verify_seal(_with_header(seal_json({"a": 1}, ec_seal), header))


def test_the_certificate_is_judged_at_the_signing_time_not_now(ec_seal):
    """A seal made while the certificate was valid stays valid after it expires."""
    sealed = seal_json({"a": 1}, ec_seal)
    far_future = dt.datetime(2090, 1, 1, tzinfo=dt.UTC)
    assert verify_seal(sealed, now=far_future).payload_json() == {"a": 1}


def test_sealing_outside_the_certificates_validity_is_refused(ec_seal):
    after_expiry = ec_seal.certificate.not_valid_after_utc + dt.timedelta(days=1)
    with pytest.raises(SealError, match="not valid at the signing time"):
        seal_json({"a": 1}, ec_seal, signing_time=after_expiry)


def test_a_seal_claiming_a_future_signing_time_is_refused(ec_seal):
    tomorrow = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    sealed = seal_json({"a": 1}, ec_seal, signing_time=tomorrow)
    with pytest.raises(SealError, match="future"):
        verify_seal(sealed)


def test_a_seal_without_signing_time_is_not_jades(ec_seal):
    header = _header(seal_json({"a": 1}, ec_seal))
    del header["sigT"]
    header["crit"] = ["b64"]
    with pytest.raises(SealError, match="sigT"):
        verify_seal(_with_header(seal_json({"a": 1}, ec_seal), header))


def test_pkcs12_round_trip(rsa_seal):
    data = export_pkcs12(rsa_seal, b"demo-password")
    loaded = load_pkcs12(data, b"demo-password")
    assert loaded.certificate == rsa_seal.certificate
    with pytest.raises(SealError, match="wrong password"):
        load_pkcs12(data, b"wrong")


def test_unknown_critical_headers_are_refused(ec_seal):
    header = _header(seal_json({"a": 1}, ec_seal))
    header["crit"] = ["b64", "sigT", "exotic"]
    with pytest.raises(SealError, match="critical"):
        verify_seal(_with_header(seal_json({"a": 1}, ec_seal), header))


def test_seals_made_before_the_move_to_joserfc_still_verify():
    """A seal written by the earlier hand-made JWS code (kept as a fixture) verifies."""
    sealed = json.loads((FIXTURES / "hand-written-seal-2026.json").read_text())
    certificate = x509.load_pem_x509_certificate(
        (FIXTURES / "hand-written-seal-2026.pem").read_bytes()
    )
    verified = verify_seal(sealed, trusted_certificates=[certificate])
    assert verified.payload_json()["title"] == "Data literacy"


@pytest.mark.parametrize("signing_time", ["2026-12-04", 1764806400, "2026-12-04T17:00:00+01:00"])
def test_a_malformed_signing_time_is_refused(ec_seal, signing_time):
    header = _header(seal_json({"a": 1}, ec_seal))
    header["sigT"] = signing_time
    with pytest.raises(SealError):
        verify_seal(_with_header(seal_json({"a": 1}, ec_seal), header))
