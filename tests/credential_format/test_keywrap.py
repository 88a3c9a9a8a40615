import os

import pytest

from credential_format.errors import KeyUnwrapError
from credential_format.keys import generate_private_key, public_key_multibase
from credential_format.keywrap import (
    kek_fingerprint,
    rewrap_private_key,
    unwrap_private_key,
    wrap_private_key,
    wrapped_key_info,
)

KEK = os.urandom(32)


def test_wrap_then_unwrap_returns_the_same_key():
    key = generate_private_key()
    wrapped = wrap_private_key(key, kek=KEK, owner="institution:7", key_id="key-2025")
    assert wrapped.startswith("akw1.")
    unwrapped = unwrap_private_key(wrapped, kek=KEK, owner="institution:7", key_id="key-2025")
    assert public_key_multibase(unwrapped) == public_key_multibase(key)


def test_a_wrapped_key_cannot_move_to_another_institution_or_key_id():
    wrapped = wrap_private_key(generate_private_key(), kek=KEK, owner="institution:7", key_id="k1")
    with pytest.raises(KeyUnwrapError, match="does not belong"):
        unwrap_private_key(wrapped, kek=KEK, owner="institution:8", key_id="k1")
    with pytest.raises(KeyUnwrapError, match="does not belong"):
        unwrap_private_key(wrapped, kek=KEK, owner="institution:7", key_id="k2")


def test_the_blob_names_its_kek_and_a_wrong_kek_is_reported_as_such():
    wrapped = wrap_private_key(generate_private_key(), kek=KEK, owner="o", key_id="k")
    assert wrapped_key_info(wrapped).kek_fingerprint == kek_fingerprint(KEK)
    with pytest.raises(KeyUnwrapError, match="wrapped under KEK"):
        unwrap_private_key(wrapped, kek=os.urandom(32), owner="o", key_id="k")


def test_tampering_is_detected():
    wrapped = wrap_private_key(generate_private_key(), kek=KEK, owner="o", key_id="k")
    tampered = wrapped[:-2] + ("A" if wrapped[-2] != "A" else "B") + wrapped[-1]
    with pytest.raises(KeyUnwrapError):
        unwrap_private_key(tampered, kek=KEK, owner="o", key_id="k")


def test_rewrap_moves_the_key_to_a_new_kek():
    key = generate_private_key()
    new_kek = os.urandom(32)
    wrapped = wrap_private_key(key, kek=KEK, owner="o", key_id="k")
    rewrapped = rewrap_private_key(wrapped, old_kek=KEK, new_kek=new_kek, owner="o", key_id="k")
    assert wrapped_key_info(rewrapped).kek_fingerprint == kek_fingerprint(new_kek)
    unwrapped = unwrap_private_key(rewrapped, kek=new_kek, owner="o", key_id="k")
    assert public_key_multibase(unwrapped) == public_key_multibase(key)


def test_kek_must_be_256_bits():
    with pytest.raises(ValueError, match="32 random bytes"):
        kek_fingerprint(b"short")


def test_owner_and_key_id_boundaries_are_unambiguous():
    wrapped = wrap_private_key(generate_private_key(), kek=KEK, owner="a:b", key_id="c")
    with pytest.raises(KeyUnwrapError):
        unwrap_private_key(wrapped, kek=KEK, owner="a", key_id="b:c")


def test_a_seal_key_wraps_as_pkcs8_with_the_same_owner_binding():
    from cryptography.hazmat.primitives.asymmetric import ec

    from credential_format.keywrap import unwrap_pkcs8_private_key, wrap_pkcs8_private_key

    key = ec.generate_private_key(ec.SECP256R1())
    wrapped = wrap_pkcs8_private_key(key, kek=KEK, owner="institution:7", key_id="seal-1")
    assert wrapped.startswith("akp1.")
    assert wrapped_key_info(wrapped).kek_fingerprint == kek_fingerprint(KEK)
    unwrapped = unwrap_pkcs8_private_key(wrapped, kek=KEK, owner="institution:7", key_id="seal-1")
    assert unwrapped.public_key().public_numbers() == key.public_key().public_numbers()
    with pytest.raises(KeyUnwrapError, match="does not belong"):
        unwrap_pkcs8_private_key(wrapped, kek=KEK, owner="institution:8", key_id="seal-1")
    with pytest.raises(KeyUnwrapError, match="wrapped under KEK"):
        unwrap_pkcs8_private_key(
            wrapped, kek=os.urandom(32), owner="institution:7", key_id="seal-1"
        )


def test_a_seal_blob_never_unwraps_as_a_signing_key_and_back():
    from cryptography.hazmat.primitives.asymmetric import ec

    from credential_format.keywrap import unwrap_pkcs8_private_key, wrap_pkcs8_private_key

    seal_blob = wrap_pkcs8_private_key(
        ec.generate_private_key(ec.SECP256R1()), kek=KEK, owner="o", key_id="k"
    )
    signing_blob = wrap_private_key(generate_private_key(), kek=KEK, owner="o", key_id="k")
    with pytest.raises(KeyUnwrapError, match="supported version"):
        unwrap_private_key(seal_blob, kek=KEK, owner="o", key_id="k")
    with pytest.raises(KeyUnwrapError, match="supported version"):
        unwrap_pkcs8_private_key(signing_blob, kek=KEK, owner="o", key_id="k")
    with pytest.raises(KeyUnwrapError, match="supported version"):
        wrapped_key_info("xyz1." + seal_blob.partition(".")[2])
