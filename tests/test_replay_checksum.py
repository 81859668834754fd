"""The replay header's checksum, against an independent CRC-32 and the layout written out by hand:
8 bytes magic, u16 version, u64 body length, u32 CRC-32 of the body, all little-endian (22 bytes),
then the body. A checksum that fails says so in its own words; one that holds lets decoding go on."""
import struct

import pytest

from arena.battle import Battle, BattleConfig, Side
from arena.replay import FORMAT_VERSION, Recorder, ReplayError, decode

CHECK_INPUT, CHECK_VALUE = b"123456789", 0xCBF43926  # CRC-32 (ISO-HDLC, as in zip/PNG): its catalogued check


def crc32_bitwise(data: bytes) -> int:
    """CRC-32 written from its definition: reflected polynomial 0xEDB88320, init and final xor 0xFFFFFFFF."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0xEDB88320 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def header(body: bytes, crc: int, version: int = FORMAT_VERSION) -> bytes:
    return b"ARENARPL" + version.to_bytes(2, "little") + len(body).to_bytes(8, "little") + crc.to_bytes(4, "little")


def test_the_oracle_gives_the_catalogued_check_value():
    assert crc32_bitwise(CHECK_INPUT) == CHECK_VALUE


def test_a_wrong_checksum_is_reported_as_a_checksum_mismatch():
    with pytest.raises(ReplayError, match=r"bad\.arena is corrupt \(checksum mismatch\)"):
        decode(header(CHECK_INPUT, CHECK_VALUE ^ 1) + CHECK_INPUT, "bad.arena")


def test_a_right_checksum_passes_on_to_decoding_the_body():
    # "123456789" is not an xz stream: with the right CRC the loader gets past the checksum and fails
    # on the body instead, with a message that is not the checksum's
    with pytest.raises(ReplayError, match="corrupt") as info:
        decode(header(CHECK_INPUT, CHECK_VALUE) + CHECK_INPUT, "bad.arena")
    assert "checksum" not in str(info.value)


def test_a_saved_replay_carries_the_crc_32_of_its_body_at_bytes_18_to_22():
    recorder = Recorder()
    Battle(BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", "duck"), rounds=1, seed=1)).run(recorder)
    data = recorder.to_bytes()
    assert data[:8] == b"ARENARPL" and struct.unpack_from("<H", data, 8) == (FORMAT_VERSION,)
    (length,) = struct.unpack_from("<Q", data, 10)
    (crc,) = struct.unpack_from("<I", data, 18)
    assert length == len(data) - 22 and crc == crc32_bitwise(data[22:])
    flipped = bytearray(data)
    flipped[-1] ^= 0x01  # one bit of the body: same length, different CRC
    with pytest.raises(ReplayError, match="checksum mismatch"):
        decode(bytes(flipped))
