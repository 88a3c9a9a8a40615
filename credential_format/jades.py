"""JAdES electronic seals over JSON: ETSI TS 119 182-1 baseline B-B, JWS JSON serialization.

The JWS is produced and checked by joserfc (RFC 7515 / RFC 7797); this module adds what JAdES
B-B asks on top of a plain JWS, as recorded in ``docs/decisions/jades-profile.md``:

- the payload travels unencoded (``b64: false``, RFC 7797) as the exact JSON text sealed;
- the protected header carries the claimed signing time ``sigT`` and the signing certificate
  by digest (``x5t#S256``) and in full with its chain (``x5c``); ``b64`` and ``sigT`` are
  critical, so a verifier that does not know them must refuse the seal;
- the certificate must be valid *at the signing time*: a seal is refused when made outside the
  certificate's validity, and checked against that moment when verified (not "now"), so a seal
  stays valid after its certificate expires; a claimed signing time in the future is refused.

Not covered (B-T and above): qualified time stamps (``adoTst``), revocation data and chain
building to an EU trusted list. Whether the certificate is *trusted* is the caller's decision
(``trusted_certificates``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
import json
from dataclasses import dataclass, field
from typing import Any, cast

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey
from joserfc.jws import GeneralJSONSerialization
from joserfc.registry import HeaderParameter

from credential_format.errors import SealError

SealKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
SIGNING_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
# A signing time this far ahead of the verifier's clock is refused (clocks drift a little).
CLOCK_SKEW = dt.timedelta(minutes=5)
_ALGORITHMS = ("ES256", "RS256")
_UNDERSTOOD_CRITICAL = frozenset({"b64", "sigT"})


def _signing_time(value: Any) -> None:
    """joserfc's header validator: raises unless ``value`` is a UTC time to the second."""
    if not isinstance(value, str):
        raise ValueError("sigT must be a string")
    dt.datetime.strptime(value, SIGNING_TIME_FORMAT)


# JAdES's ``sigT`` is a header this verifier understands, so it may be (and is) critical.
_REGISTRY = jws.JWSRegistry(
    header_registry={"sigT": HeaderParameter("JAdES claimed signing time", _signing_time)},
    algorithms=list(_ALGORITHMS),
    strict_check_header=False,
)
# The header carries the certificate chain (a qualified chain is several KB) and an EDC with
# its display images runs to hundreds of KB: joserfc's defaults are sized for tokens.
_REGISTRY.max_header_length = 64_000
_REGISTRY.max_payload_length = 4_000_000


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class SealCredentials:
    private_key: SealKey = field(repr=False)
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


def load_pkcs12(data: bytes, password: bytes | None = None) -> SealCredentials:
    """Load a seal key and certificate (plus any chain) from a PKCS#12 file."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(data, password)
    except ValueError as error:
        raise SealError(
            "The PKCS#12 file could not be opened (wrong password or damaged file)."
        ) from error
    if certificate is None or not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise SealError("The PKCS#12 file must hold an RSA or EC private key and its certificate.")
    return SealCredentials(private_key=key, certificate=certificate, chain=tuple(chain))


def export_pkcs12(credentials: SealCredentials, password: bytes, name: str = "seal") -> bytes:
    return pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"),
        credentials.private_key,
        credentials.certificate,
        list(credentials.chain) or None,
        serialization.BestAvailableEncryption(password),
    )


def _new_key(key_type: str) -> SealKey:
    if key_type == "EC":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type == "RSA":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise ValueError("key_type is 'EC' or 'RSA'.")


def _name(
    organisation: str, country_code: str, common_name: str, organisation_identifier: str | None
) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, country_code.upper()),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
    ]
    if organisation_identifier:
        # ETSI EN 319 412-1: the legal person's identifier, e.g. VATES-Q0818002H.
        attributes.append(
            x509.NameAttribute(NameOID.ORGANIZATION_IDENTIFIER, organisation_identifier)
        )
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _key_usage(*, seal: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=seal,
        content_commitment=seal,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not seal,
        crl_sign=not seal,
        encipher_only=False,
        decipher_only=False,
    )


def generate_certificate_authority(
    *, organisation: str, country_code: str, valid_days: int = 3650
) -> SealCredentials:
    """An institution's own certification authority, which issues its seal certificates (for
    demos and tests; a real seal certificate comes from a qualified trust service provider)."""
    key = _new_key("EC")
    name = _name(organisation, country_code, f"{organisation} seal CA", None)
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(seal=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SealCredentials(private_key=key, certificate=certificate)


def issue_seal_certificate(
    authority: SealCredentials,
    *,
    organisation: str,
    country_code: str,
    organisation_identifier: str | None = None,
    common_name: str | None = None,
    key_type: str = "EC",
    valid_days: int = 365,
    not_valid_before: dt.datetime | None = None,
) -> SealCredentials:
    """A seal certificate issued by ``authority``; the chain carries the authority's
    certificate so that a verifier sees who issued it."""
    key = _new_key(key_type)
    start = not_valid_before or dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(
            _name(
                organisation,
                country_code,
                common_name or organisation,
                organisation_identifier,
            )
        )
        .issuer_name(authority.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(seal=True), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.private_key.public_key()),
            critical=False,
        )
        .sign(authority.private_key, hashes.SHA256())
    )
    return SealCredentials(private_key=key, certificate=certificate, chain=(authority.certificate,))


def generate_self_signed_seal(
    *,
    organisation: str,
    country_code: str,
    common_name: str | None = None,
    key_type: str = "EC",
    valid_days: int = 365,
) -> SealCredentials:
    """A self-signed seal certificate (the simplest test seal; it proves nothing about who
    holds it)."""
    key = _new_key(key_type)
    name = _name(organisation, country_code, common_name or organisation, None)
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(seal=True), critical=True)
        .sign(key, hashes.SHA256())
    )
    return SealCredentials(private_key=key, certificate=certificate)


def organisation_identifier(certificate: x509.Certificate) -> str | None:
    """The legal person identifier in a seal certificate's subject (e.g. VATES-Q0818002H)."""
    values = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_IDENTIFIER)
    return str(values[0].value) if values else None


def _algorithm_for(key: SealKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise SealError("Only RSA and P-256 seal keys are supported.")


def _jwk(key: Any) -> ECKey | RSAKey:
    """The key as joserfc's JWK, through its public PEM import."""
    if isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    elif isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey):
        pem = key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    else:
        raise SealError("The seal certificate holds neither an RSA nor an EC key.")
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return RSAKey.import_key(pem)
    return ECKey.import_key(pem)


def payload_bytes(payload: dict[str, Any] | str | bytes) -> bytes:
    """The exact bytes that get sealed: given bytes/str as they are, a dict as compact JSON."""
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _thumbprint(certificate: x509.Certificate) -> str:
    return _b64url(hashlib.sha256(certificate.public_bytes(serialization.Encoding.DER)).digest())


def _valid_at(certificate: x509.Certificate, moment: dt.datetime) -> bool:
    return certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc


def seal_json(
    payload: dict[str, Any] | str | bytes,
    credentials: SealCredentials,
    *,
    signing_time: dt.datetime | None = None,
    kid: str | None = None,
    content_type: str = "json",
) -> dict[str, Any]:
    """Seal a JSON payload; returns the JWS JSON serialization ``{"payload", "signatures"}``."""
    body = payload_bytes(payload)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SealError("The payload must be UTF-8 text.") from error
    moment = (signing_time or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    if not _valid_at(credentials.certificate, moment):
        raise SealError("The seal certificate is not valid at the signing time.")
    thumbprint = _thumbprint(credentials.certificate)
    header = {
        "alg": _algorithm_for(credentials.private_key),
        "b64": False,
        "crit": ["b64", "sigT"],
        "cty": content_type,
        "kid": kid or thumbprint,
        "sigT": moment.strftime(SIGNING_TIME_FORMAT),
        "typ": "jose+json",
        "x5c": [
            base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")
            for cert in (credentials.certificate, *credentials.chain)
        ],
        "x5t#S256": thumbprint,
    }
    try:
        sealed = jws.serialize_json(
            [{"protected": header}],
            body,
            _jwk(credentials.private_key),
            registry=_REGISTRY,
        )
    except JoseError as error:
        raise SealError(f"The seal could not be made: {error}") from error
    return dict(sealed)


@dataclass(frozen=True)
class SealVerification:
    payload: bytes
    header: dict[str, Any]
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    signing_time: dt.datetime

    def payload_json(self) -> Any:
        return json.loads(self.payload)


def _only_signature(sealed: dict[str, Any]) -> dict[str, Any]:
    """The general serialization with exactly one signature (a flattened one is rewritten)."""
    if not isinstance(sealed, dict) or not isinstance(sealed.get("payload"), str):
        raise SealError("The sealed document has no payload.")
    signatures = sealed.get("signatures")
    if signatures is None and "protected" in sealed:
        entry = {key: sealed[key] for key in ("protected", "header", "signature") if key in sealed}
        return {"payload": sealed["payload"], "signatures": [entry]}
    if not isinstance(signatures, list) or len(signatures) != 1:
        raise SealError("Expected exactly one signature in the JWS JSON serialization.")
    if not isinstance(signatures[0], dict):
        raise SealError("The seal's signature entry is malformed.")
    return {"payload": sealed["payload"], "signatures": signatures}


def _protected_header(entry: dict[str, Any]) -> dict[str, Any]:
    try:
        header = json.loads(_b64url_decode(str(entry["protected"])))
    except (KeyError, ValueError) as error:
        raise SealError("The seal's protected header is malformed.") from error
    if not isinstance(header, dict):
        raise SealError("The protected header is not a JSON object.")
    return header


def _certificates(header: dict[str, Any]) -> list[x509.Certificate]:
    chain = header.get("x5c")
    if not isinstance(chain, list) or not chain:
        raise SealError("The seal carries no certificate (x5c).")
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(c, validate=True)) for c in chain]
    except (ValueError, TypeError) as error:
        raise SealError("The seal certificate cannot be read.") from error


def _check_chain(certificates: list[x509.Certificate]) -> None:
    """Each certificate in ``x5c`` is issued by the next one (RFC 7515 section 4.1.6)."""
    for issued, issuer in itertools.pairwise(certificates):
        try:
            issued.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature) as error:
            raise SealError("The certificate chain in the seal (x5c) is broken.") from error


def verify_seal(
    sealed: dict[str, Any],
    *,
    trusted_certificates: list[x509.Certificate] | None = None,
    now: dt.datetime | None = None,
) -> SealVerification:
    """Verify a JAdES B-B seal (JWS JSON serialization, unencoded payload).

    The signature is checked by joserfc with the key of the certificate the header names; the
    certificate must be valid at the claimed signing time, which may not lie in the future.
    """
    general = _only_signature(sealed)
    header = _protected_header(general["signatures"][0])
    critical = header.get("crit")
    if header.get("b64") is not False or not isinstance(critical, list) or "b64" not in critical:
        raise SealError("Only unencoded-payload seals (b64: false, marked critical) are accepted.")
    unknown = sorted(set(map(str, critical)) - _UNDERSTOOD_CRITICAL)
    if unknown:
        raise SealError(
            f"The seal uses critical header parameters this verifier does not know: {unknown}."
        )
    if "sigT" not in header or "sigT" not in critical:
        raise SealError("The seal has no critical signing time (sigT); it is not a JAdES seal.")
    certificates = _certificates(header)
    certificate = certificates[0]
    if header.get("x5t#S256") not in (None, _thumbprint(certificate)):
        raise SealError("The certificate thumbprint (x5t#S256) does not match the certificate.")
    _check_chain(certificates)
    try:
        jws.deserialize_json(
            cast(GeneralJSONSerialization, general),
            _jwk(certificate.public_key()),
            registry=_REGISTRY,
        )
    except JoseError as error:
        raise SealError(
            "The seal does not match the payload: the document was changed, or the seal uses "
            f"something this verifier does not accept ({error.error})."
        ) from error
    moment = dt.datetime.strptime(header["sigT"], SIGNING_TIME_FORMAT).replace(tzinfo=dt.UTC)
    if moment > (now or dt.datetime.now(dt.UTC)) + CLOCK_SKEW:
        raise SealError("The seal claims a signing time in the future.")
    if not _valid_at(certificate, moment):
        raise SealError("The seal certificate was not valid at the signing time.")
    if trusted_certificates is not None:
        trusted = {cert.fingerprint(hashes.SHA256()) for cert in trusted_certificates}
        if not any(cert.fingerprint(hashes.SHA256()) in trusted for cert in certificates):
            raise SealError("The seal certificate is not one of the trusted seal certificates.")
    return SealVerification(
        payload=general["payload"].encode("utf-8"),
        header=header,
        certificate=certificate,
        chain=tuple(certificates[1:]),
        signing_time=moment,
    )
