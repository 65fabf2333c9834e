"""The convolutional code and the message format."""

from __future__ import annotations

import numpy as np
import pytest

from raikit.watermark import _ecc
from raikit.watermark._payload import MESSAGE_BITS, decode_message, encode_message, payload_field


def test_viterbi_corrects_errors() -> None:
    rng = np.random.default_rng(0)
    bits = rng.integers(0, 2, MESSAGE_BITS).astype(np.uint8)
    coded = _ecc.encode(bits)
    assert len(coded) == _ecc.coded_length(MESSAGE_BITS)
    soft = coded * 2.0 - 1.0
    flip = rng.choice(len(coded), 12, replace=False)
    soft[flip] *= -1
    assert np.array_equal(_ecc.decode(soft, MESSAGE_BITS), bits)


def test_tag_rejects_other_key_and_bit_flips() -> None:
    bits = encode_message(b"key-a", "m1")
    assert decode_message(b"key-a", bits).payload() == "m1"
    assert not decode_message(b"key-b", bits).valid
    flipped = bits.copy()
    flipped[3] ^= 1
    assert not decode_message(b"key-a", flipped).valid


@pytest.mark.parametrize("payload", ["", "1234567", 7, b"\x00\xff"])
def test_short_payloads_are_direct(payload) -> None:
    assert payload_field(payload)[0] <= 7


def test_long_payloads_are_hashed() -> None:
    assert payload_field("12345678")[0] == 0xFF
    assert payload_field("12345678") != payload_field("12345679")


def test_list_decoding_finds_messages_viterbi_misses() -> None:
    rng = np.random.default_rng(7)
    viterbi = listed = 0
    for _ in range(40):
        bits = rng.integers(0, 2, MESSAGE_BITS).astype(np.uint8)
        soft = (_ecc.encode(bits) * 2.0 - 1.0) + rng.normal(0, 1.0, _ecc.coded_length(MESSAGE_BITS))
        found = _ecc.decode_list(soft, MESSAGE_BITS, 16)
        assert np.array_equal(found[0], _ecc.decode(soft, MESSAGE_BITS))
        assert len({f.tobytes() for f in found}) == len(found) == 16
        viterbi += np.array_equal(found[0], bits)
        listed += any(np.array_equal(f, bits) for f in found)
    assert listed > viterbi + 3
