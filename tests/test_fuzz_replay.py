"""Replays damaged with a VALID checksum (issue 16.2): the CRC is recomputed after each mutation, so what
is tested is the loader's check of what the bytes mean. A replay is either refused with one ReplayError
line or every frame of it is something a battle could have drawn."""
import json
import lzma
import math
import struct
import zlib

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from arena import replay as replay_module
from arena.battle import Battle, BattleConfig, Side
from arena.cli import main
from arena.replay import HEADER, MAGIC, SCHEMA, Recorder, ReplayError, decode, encode

FAST = settings(derandomize=True, max_examples=80, deadline=None)
WIDTH, HEIGHT = 800.0, 600.0


@pytest.fixture(scope="module")
def recorded():
    """A short recorded battle: its info and tables (to mutate and re-encode) and its bytes."""
    config = BattleConfig(shooter=Side("gf-bins", "duck"), target=Side("circular", "random-orbit"), rounds=1,
                          seed=5, width=WIDTH, height=HEIGHT)
    recorder = Recorder()
    Battle(config).run(recorder)
    arrays = {name: np.asarray(recorder.rows[name], dtype=dtype).reshape((-1, *tail))
              for name, (dtype, tail) in SCHEMA.items()}
    assert len(arrays["bullet_xy"]) and len(arrays["wave_floats"]) and len(arrays["profile_values"])
    return recorder.info, arrays, recorder.to_bytes()


def with_table_value(recorded, table: str, index: tuple, value: float) -> bytes:
    info, arrays, _ = recorded
    changed = {k: v.copy() for k, v in arrays.items()}
    changed[table][index] = value
    return encode(info, changed)  # encode computes a valid CRC


def with_meta(data: bytes, edit) -> bytes:
    """The replay with its JSON header text replaced by edit(text) and a recomputed, valid CRC."""
    raw = lzma.decompress(data[HEADER.size:], format=lzma.FORMAT_XZ)
    (n,) = struct.unpack_from("<I", raw)
    meta = edit(raw[4:4 + n])
    body = lzma.compress(struct.pack("<I", len(meta)) + meta + raw[4 + n:], format=lzma.FORMAT_XZ)
    return HEADER.pack(MAGIC, replay_module.FORMAT_VERSION, len(body), zlib.crc32(body)) + body


def with_info(data: bytes, key: str, value) -> bytes:
    def edit(text):
        meta = json.loads(text)
        meta["info"][key] = value
        return json.dumps(meta).encode()
    return with_meta(data, edit)


def refused(data: bytes, every_frame: bool = False) -> bool:
    try:
        replay = decode(data, "r.arena")
    except ReplayError:
        return True
    for i in range(len(replay)) if every_frame else ():
        replay.frame(i)  # every frame rebuilds
    return False


F32 = st.floats(width=32, allow_nan=True, allow_infinity=True)


@FAST
@given(frame=st.integers(0, 50), robot=st.integers(0, 1), axis=st.integers(0, 1), value=F32)
def test_a_robot_position_is_accepted_exactly_when_finite_and_on_the_field(recorded, frame, robot, axis, value):
    side = (WIDTH, HEIGHT)[axis]
    assert refused(with_table_value(recorded, "robots", (frame, robot, axis), value)) == \
        (not (math.isfinite(value) and 0.0 <= value <= side))


@FAST
@given(data=st.data(), value=F32)
def test_a_bullet_or_wave_source_off_the_field_or_not_finite_is_refused(recorded, data, value):
    table = data.draw(st.sampled_from(["bullet_xy", "wave_floats"]))
    row = data.draw(st.integers(0, len(recorded[1][table]) - 1))
    axis = data.draw(st.integers(0, 1))
    side = (WIDTH, HEIGHT)[axis]
    margin = 50.0 if table == "bullet_xy" else 0.0  # a bullet is drawn up to one tick's flight past the wall
    assert refused(with_table_value(recorded, table, (row, axis), value)) == \
        (not (math.isfinite(value) and -margin <= value <= side + margin))


@pytest.mark.parametrize("table, column", [("robots", 2), ("robots", 3), ("robots", 4), ("wave_floats", 2),
                                           ("wave_floats", 3), ("wave_floats", 4), ("window_ab", 0),
                                           ("window_ab", 1), ("profile_values", 7)])
@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 3e38])
def test_nonfinite_or_absurd_angles_energies_speeds_windows_densities_are_refused(recorded, table, column, value):
    index = (0, 0, column) if table == "robots" else (0, column)
    assert refused(with_table_value(recorded, table, index, value))


@pytest.mark.parametrize("key, value", [
    ("width", 1e308), ("width", "abc"), ("width", 0), ("width", True), ("height", []), ("height", 399.0),
    ("seed", {"a": 1}), ("seed", -1), ("seed", 1.5), ("rounds", 0), ("power", 9), ("lr", "fast"), ("lr", -1.0),
    ("gun", 5), ("gun", ""), ("gun", "x" * 1000), ("movement", None)])
def test_wrong_typed_or_out_of_range_battle_info_is_refused(recorded, key, value):
    assert refused(with_info(recorded[2], key, value))


@pytest.mark.parametrize("edit, words", [
    (lambda t: t.replace(b'"width":800.0', b'"width":NaN'), "NaN"),
    (lambda t: t.replace(b'"width":800.0', b'"width":Infinity'), "Infinity"),
    (lambda t: t[:-1] + b',"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    (lambda t: t[:-1] + b',"x":1}', "unexpected battle info"),
    (lambda t: b"[]", "unexpected battle info"),
    (lambda t: t.replace(b'"grid":101', b'"grid":true'), "unexpected table layout"),
    (lambda t: t.replace(b'"<i4",[', b'"<i4",[1000000000000000000000', 1), "cut short"),
    (lambda t: t.replace(b'"<i4",[', b'"<i4",[-', 1), "shape"),
])
def test_damaged_header_json_is_refused_with_a_reason(recorded, edit, words):
    with pytest.raises(ReplayError, match=words):
        decode(with_meta(recorded[2], edit), "r.arena")


def test_a_body_that_unpacks_past_the_limit_is_refused(recorded, monkeypatch):
    monkeypatch.setattr(replay_module, "MAX_BODY", 1000)
    with pytest.raises(ReplayError, match="unpacks to more than 1000 bytes"):
        decode(recorded[2], "r.arena")


def test_info_survives_the_round_trip_with_its_canonical_types(recorded):
    info = decode(recorded[2]).info
    assert info == recorded[0] and isinstance(info.width, float) and isinstance(info.seed, int)


@settings(derandomize=True, max_examples=60, deadline=None)
@given(flips=st.lists(st.tuples(st.integers(0, 10**9), st.integers(1, 255)), min_size=1, max_size=4))
def test_random_byte_damage_behind_a_valid_checksum_is_refused_or_harmless(recorded, flips):
    data = recorded[2]
    raw = bytearray(lzma.decompress(data[HEADER.size:], format=lzma.FORMAT_XZ))
    for where, xor in flips:
        raw[where % len(raw)] ^= xor
    body = lzma.compress(bytes(raw), format=lzma.FORMAT_XZ)
    refused(HEADER.pack(MAGIC, 1, len(body), zlib.crc32(body)) + body, every_frame=True)  # or another exception


def test_render_of_a_nan_replay_is_one_line_and_writes_no_image(recorded, tmp_path, capsys):
    path = tmp_path / "nan.arena"
    path.write_bytes(with_table_value(recorded, "robots", (5, 0, 0), math.nan))
    assert main(["render", str(path), "--tick", "5", "--out", str(tmp_path / "f.png")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("arena: error: ") and "robot x not finite" in err
    assert not (tmp_path / "f.png").exists()


@pytest.mark.parametrize("x", [0.0, WIDTH])
def test_positions_on_the_field_edge_render(recorded, tmp_path, x):
    path = tmp_path / "edge.arena"
    path.write_bytes(with_table_value(recorded, "robots", (5, 0, 0), x))
    assert main(["render", str(path), "--tick", "5", "--out", str(tmp_path / "f.png")]) == 0
    assert (tmp_path / "f.png").read_bytes()[:4] == b"\x89PNG"



@pytest.fixture(scope="module")
def recorded_surfer():
    """A recorded battle against a surfer that fires back: every format-2 table has rows."""
    config = BattleConfig(shooter=Side("gf-bins", "duck"), target=Side("head-on", "surfer-bins"), rounds=1, seed=5)
    recorder = Recorder()
    Battle(config).run(recorder)
    arrays = {name: np.asarray(recorder.rows[name], dtype=dtype).reshape((-1, *tail))
              for name, (dtype, tail) in SCHEMA.items()}
    assert all(len(arrays[k]) for k in ("bullet_power", "danger_values", "path_xy", "round_scores"))
    return recorder.info, arrays, recorder.to_bytes()


@pytest.mark.parametrize("table, index, value", [
    ("robots", (3, 0, 5), -1.0), ("robots", (3, 1, 5), 3.5), ("bullet_power", (0,), 3.5),
    ("bullet_power", (0,), 0.0), ("danger_values", (0, 3), math.nan), ("danger_values", (0, 3), -1.0),
    ("path_xy", (0, 0), 801.0), ("path_xy", (0, 1), math.inf), ("round_scores", (0, 1, 0), -1.0),
    ("round_scores", (0, 0, 2), math.nan), ("wave_flags", (0,), 16)])
def test_the_viewer_tables_are_validated_after_the_checksum(recorded_surfer, table, index, value):
    """Format 2's own tables (gun heat, bullet power, the surfer's danger and path, round scores, wave kinds)
    are checked after the CRC like the positions are; the unmutated file loads."""
    assert not refused(recorded_surfer[2], every_frame=True)
    assert refused(with_table_value(recorded_surfer, table, index, value))
