import base64
import gzip

import pytest

from credential_format.errors import StatusListError
from credential_format.status_list import (
    MINIMUM_ENTRIES,
    StatusBitstring,
    build_status_list_credential,
    check_status_entry,
    status_entry,
)

LIST_URL = "https://portal.example.eu/status/revocation/1"


def _list_credential(bitstring: StatusBitstring, purpose: str = "revocation") -> dict:
    return build_status_list_credential(
        list_credential_url=LIST_URL,
        issuer="did:web:portal.example.eu",
        purpose=purpose,
        bitstring=bitstring,
        valid_from="2025-01-01T00:00:00Z",
    )


def test_spec_example_list_decodes_to_131072_zero_bits(read_vector):
    example = read_vector("bitstring-status-list/statusListCredential.example.json")
    decoded = read_vector("bitstring-status-list/encodedList.decoded.json")
    bitstring = StatusBitstring.decode(example["credentialSubject"]["encodedList"])
    assert bitstring.length == decoded["decompressedBits"] == MINIMUM_ENTRIES
    assert bitstring.to_bytes() == bytes(decoded["decompressedBytes"])


def test_spec_example_entries_are_read(read_vector):
    credential = read_vector("bitstring-status-list/credentialWithStatus.example.json")
    status_list = read_vector("bitstring-status-list/statusListCredential.example.json")
    entry = credential["credentialStatus"][0]
    result = check_status_entry(entry, status_list)
    assert (result.index, result.status, result.is_set) == (94567, 0, False)
    suspension_entry = {
        **credential["credentialStatus"][1],
        "statusListCredential": status_list["id"],
    }
    suspension_entry["id"] = status_list["id"] + "#23452"
    with pytest.raises(StatusListError, match="purpose"):
        check_status_entry(suspension_entry, status_list)
    with pytest.raises(StatusListError, match="not the URL"):
        check_status_entry(credential["credentialStatus"][1], status_list)


def test_index_zero_is_the_most_significant_bit_of_byte_zero():
    bitstring = StatusBitstring()
    bitstring.set(0)
    bitstring.set(9)
    assert bitstring.to_bytes()[:2] == bytes([0b1000_0000, 0b0100_0000])


def test_encoding_is_gzip_base64url_without_padding_with_u_prefix():
    bitstring = StatusBitstring()
    bitstring.set(12345)
    encoded = bitstring.encode()
    assert encoded.startswith("u")
    assert "=" not in encoded
    raw = gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "=" * (-len(encoded[1:]) % 4)))
    assert StatusBitstring.from_bytes(raw).get(12345) == 1
    assert StatusBitstring.decode(encoded).get(12345) == 1
    assert StatusBitstring.decode(encoded).get(12346) == 0


def test_revoked_and_suspended_entries_are_reported():
    bitstring = StatusBitstring()
    bitstring.set(7)
    revocations = _list_credential(bitstring)
    assert check_status_entry(
        status_entry(list_credential_url=LIST_URL, index=7), revocations
    ).is_set
    assert not check_status_entry(
        status_entry(list_credential_url=LIST_URL, index=8), revocations
    ).is_set
    suspensions = _list_credential(bitstring, "suspension")
    entry = status_entry(list_credential_url=LIST_URL, index=7, purpose="suspension")
    assert check_status_entry(entry, suspensions).is_set


def test_short_lists_raise_status_list_length_error():
    short = StatusBitstring(MINIMUM_ENTRIES // 2)
    credential = _list_credential(StatusBitstring())
    credential["credentialSubject"]["encodedList"] = short.encode()
    with pytest.raises(StatusListError) as raised:
        check_status_entry(status_entry(list_credential_url=LIST_URL, index=1), credential)
    assert raised.value.code == "STATUS_LIST_LENGTH_ERROR"


def test_out_of_range_index_raises_range_error():
    credential = _list_credential(StatusBitstring())
    entry = status_entry(list_credential_url=LIST_URL, index=MINIMUM_ENTRIES)
    with pytest.raises(StatusListError) as raised:
        check_status_entry(entry, credential)
    assert raised.value.code == "RANGE_ERROR"


def test_gzip_bombs_are_refused():
    bomb = gzip.compress(bytes(64 * 1024 * 1024))
    encoded = "u" + base64.urlsafe_b64encode(bomb).rstrip(b"=").decode()
    assert len(encoded) < 200_000
    with pytest.raises(StatusListError, match="compression bomb"):
        StatusBitstring.decode(encoded)


def test_entry_id_must_differ_from_the_list_url():
    entry = status_entry(list_credential_url=LIST_URL, index=1)
    entry["id"] = LIST_URL
    with pytest.raises(StatusListError, match="must not be"):
        check_status_entry(entry, _list_credential(StatusBitstring()))


@pytest.mark.parametrize("index", ["-1", "1.5", "abc", "١٢"])
def test_malformed_indexes_are_refused(index):
    entry = status_entry(list_credential_url=LIST_URL, index=1)
    entry["statusListIndex"] = index
    with pytest.raises(StatusListError):
        check_status_entry(entry, _list_credential(StatusBitstring()))


def test_multi_bit_statuses():
    bitstring = StatusBitstring(MINIMUM_ENTRIES, status_size=2)
    bitstring.set(3, 2)
    assert bitstring.get(3) == 2
    assert StatusBitstring.decode(bitstring.encode(), status_size=2).get(3) == 2


def test_status_list_credential_is_a_valid_vc_shape():
    credential = _list_credential(StatusBitstring())
    assert credential["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert credential["credentialSubject"]["id"] != LIST_URL
    with pytest.raises(ValueError, match="at least"):
        _list_credential(StatusBitstring(1000))
