"""A JAdES-style electronic seal over JSON (ETSI TS 119 182-1 baseline B, JWS JSON serialization).

EDC credentials are sealed rather than Data Integrity-signed: the JSON payload is signed as an
unencoded JWS payload (RFC 7797, ``b64: false``), with the signing time (``sigT``) and the seal
certificate (``x5c``, ``x5t#S256``) in the protected header. RS256 is used for RSA keys and ES256
for P-256 keys.

Not covered here: qualified timestamps (``adoTst``), revocation data and chain building to an EU
trusted list. :func:`verify_seal` checks the signature, the header and that the certificate in
the header is the one that signed; whether that certificate is *trusted* is the caller's decision
(pass ``trusted_certificates``).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from credential_format.errors import SealError

SealKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
_UNDERSTOOD_CRITICAL = frozenset({"b64", "sigT"})


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


def generate_self_signed_seal(
    *,
    organisation: str,
    country_code: str,
    common_name: str | None = None,
    key_type: str = "EC",
    valid_days: int = 365,
) -> SealCredentials:
    """A self-signed seal certificate for demos and tests; real seals come from a QTSP."""
    key: SealKey
    if key_type == "EC":
        key = ec.generate_private_key(ec.SECP256R1())
    elif key_type == "RSA":
        key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    else:
        raise ValueError("key_type is 'EC' or 'RSA'.")
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, country_code.upper()),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name or organisation),
        ]
    )
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
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return SealCredentials(private_key=key, certificate=certificate)


def _algorithm_for(key: SealKey) -> str:
    if isinstance(key, rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key.curve, ec.SECP256R1):
        return "ES256"
    raise SealError("Only RSA and P-256 seal keys are supported.")


def _sign(key: SealKey, data: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def _verify(certificate: x509.Certificate, algorithm: str, signature: bytes, data: bytes) -> None:
    public_key = certificate.public_key()
    try:
        if algorithm == "RS256" and isinstance(public_key, rsa.RSAPublicKey):
            public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif algorithm == "ES256" and isinstance(public_key, ec.EllipticCurvePublicKey):
            if len(signature) != 64:
                raise SealError("An ES256 signature is 64 bytes.")
            der = encode_dss_signature(
                int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
            )
            public_key.verify(der, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise SealError(f"The algorithm {algorithm} does not match the certificate's key.")
    except InvalidSignature:
        raise SealError("The seal does not match the payload: the document was changed.") from None


def payload_bytes(payload: dict[str, Any] | str | bytes) -> bytes:
    """The exact bytes that get sealed: given bytes/str as they are, a dict as compact JSON."""
    if isinstance(payload, bytes):
        return payload
    if isinstance(payload, str):
        return payload.encode("utf-8")
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def seal_json(
    payload: dict[str, Any] | str | bytes,
    credentials: SealCredentials,
    *,
    signing_time: dt.datetime | None = None,
    kid: str | None = None,
    content_type: str = "json",
) -> dict[str, Any]:
    """Seal a JSON payload; returns the JWS JSON serialization ``{"payload", "signatures"}``.

    The payload travels unencoded (``b64: false``) as the exact JSON text that was signed.
    """
    body = payload_bytes(payload)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SealError("The payload must be UTF-8 text.") from error
    leaf_der = credentials.certificate.public_bytes(serialization.Encoding.DER)
    thumbprint = _b64url(hashlib.sha256(leaf_der).digest())
    moment = (signing_time or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    header = {
        "alg": _algorithm_for(credentials.private_key),
        "b64": False,
        "crit": ["b64", "sigT"],
        "cty": content_type,
        "kid": kid or thumbprint,
        "sigT": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "typ": "jose+json",
        "x5c": [
            base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode("ascii")
            for cert in (credentials.certificate, *credentials.chain)
        ],
        "x5t#S256": thumbprint,
    }
    protected = _b64url(json.dumps(header, separators=(",", ":")).encode("utf-8"))
    signature = _sign(credentials.private_key, protected.encode("ascii") + b"." + body)
    return {
        "payload": text,
        "signatures": [{"protected": protected, "signature": _b64url(signature)}],
    }


@dataclass(frozen=True)
class SealVerification:
    payload: bytes
    header: dict[str, Any]
    certificate: x509.Certificate

    def payload_json(self) -> Any:
        return json.loads(self.payload)


def verify_seal(
    sealed: dict[str, Any],
    *,
    trusted_certificates: list[x509.Certificate] | None = None,
    at: dt.datetime | None = None,
) -> SealVerification:
    """Verify a seal made by :func:`seal_json` (or any JAdES B-B JWS JSON with ``b64: false``)."""
    signatures = sealed.get("signatures")
    if isinstance(signatures, list) and len(signatures) == 1:
        entry = signatures[0]
    elif "protected" in sealed:
        entry = sealed
    else:
        raise SealError("Expected exactly one signature in the JWS JSON serialization.")
    payload = sealed.get("payload")
    if not isinstance(payload, str) or not isinstance(entry, dict):
        raise SealError("The sealed document has no payload.")
    try:
        protected = str(entry["protected"])
        header = json.loads(_b64url_decode(protected))
        signature = _b64url_decode(str(entry["signature"]))
    except (KeyError, ValueError) as error:
        raise SealError("The seal's protected header or signature is malformed.") from error
    if not isinstance(header, dict):
        raise SealError("The protected header is not a JSON object.")
    critical = header.get("crit", [])
    if not isinstance(critical, list) or not set(critical) <= _UNDERSTOOD_CRITICAL:
        raise SealError(
            f"The seal uses critical header parameters this verifier does not know: {critical}."
        )
    if header.get("b64") is not False or "b64" not in critical:
        raise SealError("Only unencoded-payload seals (b64: false, marked critical) are accepted.")
    chain = header.get("x5c")
    if not isinstance(chain, list) or not chain:
        raise SealError("The seal carries no certificate (x5c).")
    try:
        leaf_der = base64.b64decode(chain[0], validate=True)
        certificate = x509.load_der_x509_certificate(leaf_der)
    except ValueError as error:
        raise SealError("The seal certificate cannot be read.") from error
    if header.get("x5t#S256") not in (None, _b64url(hashlib.sha256(leaf_der).digest())):
        raise SealError("The certificate thumbprint (x5t#S256) does not match the certificate.")
    body = payload.encode("utf-8")
    _verify(certificate, str(header.get("alg")), signature, protected.encode("ascii") + b"." + body)
    moment = at or dt.datetime.now(dt.UTC)
    if not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc:
        raise SealError("The seal certificate is not valid at the time of checking.")
    if trusted_certificates is not None:
        trusted = {cert.fingerprint(hashes.SHA256()) for cert in trusted_certificates}
        if certificate.fingerprint(hashes.SHA256()) not in trusted:
            raise SealError("The seal certificate is not one of the trusted seal certificates.")
    return SealVerification(payload=body, header=header, certificate=certificate)
