import datetime as dt
import json

import pytest

from credential_format.elm import build_elm_credential
from credential_format.errors import SealError
from credential_format.jades import (
    export_pkcs12,
    generate_self_signed_seal,
    load_pkcs12,
    seal_json,
    verify_seal,
)

from .sample_claims import micro_credential_claims


@pytest.fixture(scope="module")
def ec_seal():
    return generate_self_signed_seal(organisation="Université de Leuven", country_code="BE")


@pytest.fixture(scope="module")
def rsa_seal():
    return generate_self_signed_seal(organisation="Uni B", country_code="DE", key_type="RSA")


def _header(sealed):
    import base64

    protected = sealed["signatures"][0]["protected"]
    return json.loads(base64.urlsafe_b64decode(protected + "=" * (-len(protected) % 4)))


def test_seal_an_elm_credential_and_verify_it(ec_seal):
    credential = build_elm_credential(micro_credential_claims())
    sealed = seal_json(credential, ec_seal)
    header = _header(sealed)
    assert header["alg"] == "ES256"
    assert header["b64"] is False
    assert header["crit"] == ["b64", "sigT"]
    for name in ("sigT", "x5c", "x5t#S256", "kid", "typ", "cty"):
        assert name in header
    verification = verify_seal(sealed, trusted_certificates=[ec_seal.certificate])
    assert verification.payload_json() == credential


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


def test_expired_certificate_is_refused(ec_seal):
    sealed = seal_json({"a": 1}, ec_seal)
    with pytest.raises(SealError, match="not valid at the time"):
        verify_seal(sealed, at=dt.datetime(2090, 1, 1, tzinfo=dt.UTC))


def test_pkcs12_round_trip(rsa_seal):
    data = export_pkcs12(rsa_seal, b"demo-password")
    loaded = load_pkcs12(data, b"demo-password")
    assert loaded.certificate == rsa_seal.certificate
    with pytest.raises(SealError, match="wrong password"):
        load_pkcs12(data, b"wrong")


def test_unknown_critical_headers_are_refused(ec_seal):
    import base64

    sealed = seal_json({"a": 1}, ec_seal)
    header = _header(sealed)
    header["crit"] = ["b64", "sigT", "exotic"]
    sealed["signatures"][0]["protected"] = (
        base64.urlsafe_b64encode(json.dumps(header).encode()).rstrip(b"=").decode()
    )
    with pytest.raises(SealError, match="critical"):
        verify_seal(sealed)
