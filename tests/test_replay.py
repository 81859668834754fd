"""Replay files: deterministic bytes, exact playback of what is stored, clear errors, atomic saving."""
import dataclasses
import math
import os
import struct
import zlib

import numpy as np
import pytest

from arena import replay as replay_module
from arena.battle import Battle, BattleConfig, Side, run_battle
from arena.cli import main
from arena.render.frame import TARGET, BattleInfo, FrameBuilder
from arena.render.results import round_components
from arena.replay import HEADER, MAGIC, Recorder, ReplayError, decode, encode, load, replay_path


def config(gun="gf-bins", seed=3, rounds=2, **gun_params):
    return BattleConfig(shooter=Side(gun, "duck", gun_params=gun_params), target=Side("none", "random-orbit"),
                        rounds=rounds, seed=seed)


def record(cfg):
    """Run a battle; return the replay bytes, the frames the viewer would draw, and the raw robot states."""
    recorder, frames, states = Recorder(), [], []
    builder = None

    def on_tick(battle):
        nonlocal builder
        builder = builder or FrameBuilder(battle)
        frame = builder(battle)
        frames.append(frame)
        recorder.add(frame)
        states.append([(r.x, r.y, r.heading, r.gun_heading, r.energy, r.alive) for r in battle.state.robots])

    result = Battle(cfg).run(on_tick)
    return recorder.to_bytes(), frames, states, result


@pytest.fixture(scope="module")
def recorded():
    return record(config())


def stored(obj):
    """`obj` at the replay's precision: floats through float32 (battle info is stored exactly)."""
    if isinstance(obj, float):
        return float(np.float32(obj))
    if isinstance(obj, tuple):
        return tuple(stored(x) for x in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, BattleInfo):
        return type(obj)(**{f.name: stored(getattr(obj, f.name)) for f in dataclasses.fields(obj)})
    return obj


def test_same_seed_gives_byte_identical_files_and_another_seed_does_not(recorded):
    again, *_ = record(config())
    other, *_ = record(config(seed=4))
    assert recorded[0] == again
    assert recorded[0] != other
    assert recorded[0].startswith(MAGIC)


def test_loaded_replay_gives_exactly_the_recorded_robot_states(recorded):
    data, frames, states, _ = recorded
    replay = decode(data)
    assert len(replay) == len(states)
    for i, seen in enumerate(states):
        robots = replay.frame(i).robots
        for (x, y, heading, gun, energy, alive), r in zip(seen, robots):
            assert (r.x, r.y, r.heading, r.gun_heading, r.energy) == tuple(
                float(np.float32(v)) for v in (x, y, heading, gun, energy))
            assert r.alive == alive


def test_every_replayed_frame_equals_the_live_frame_at_stored_precision(recorded):
    data, frames, _, _ = recorded
    replay = decode(data)
    assert sum(len(f.waves) for f in frames) > 0 and sum(len(f.windows) for f in frames) > 0
    assert sum(len(f.bullets) for f in frames) > 0 and frames[-1].profile is not None
    for i, frame in enumerate(frames):
        assert replay.frame(i) == stored(frame), f"frame {i}"


def test_shot_counts_match_the_battle_result(recorded):
    _, frames, _, result = recorded
    s = result.summary()
    last = frames[-1]
    assert (last.shots, last.resolved, last.hits) == (result.total("shots")[0], s["resolved"], s["hits"])
    assert s["hits"] > 0


def test_virtual_waves_are_stored_faint_and_without_density():
    data, frames, _, _ = record(config(rounds=1, virtual=True))
    replay = decode(data)
    waves = [w for i in range(0, len(replay), 25) for w in replay.frame(i).waves]
    assert any(not w.real for w in waves) and any(w.real for w in waves)
    assert all((w.profile is None) == (not w.real) for w in waves)


def test_rounds_and_ticks_index_frames(recorded):
    replay = decode(recorded[0])
    assert replay.round_starts[0] == 0 and len(replay.round_starts) == 2
    i = replay.index(1, 5)
    assert (replay.frame(i).round, replay.frame(i).tick) == (1, 5)
    with pytest.raises(ReplayError, match="no tick 100000 in round 2"):
        replay.index(1, 100000)
    with pytest.raises(ReplayError, match="no round 3"):
        replay.index(2, 0)


def test_learning_rate_is_known_for_the_learned_gun_only():
    assert BattleInfo.from_battle(Battle(config("kde-learned", lr=0.07))).lr == 0.07
    assert BattleInfo.from_battle(Battle(config("kde"))).lr is None
    assert BattleInfo.from_battle(Battle(config("gf-bins"))).lr is None


def with_header(data: bytes, **changes) -> bytes:
    magic, version, length, crc = HEADER.unpack_from(data)
    fields = {"magic": magic, "version": version, "length": length, "crc": crc, **changes}
    return HEADER.pack(fields["magic"], fields["version"], fields["length"], fields["crc"]) + data[HEADER.size:]


def bad_files(data: bytes) -> dict[str, tuple[bytes, str]]:
    body = bytearray(data)
    body[len(body) // 2] ^= 0x40
    return {
        "empty": (b"", "truncated"),
        "magic only": (MAGIC[:5], "truncated"),
        "header cut": (data[:HEADER.size - 3], "truncated"),
        "half": (data[:len(data) // 2], "truncated"),
        "one byte short": (data[:-1], "truncated"),
        "bit flip": (bytes(body), "corrupt"),
        "trailing": (data + b"\0", "corrupt"),
        "png": (b"\x89PNG\r\n\x1a\n" + bytes(40), "not an arena replay"),
        "text": (b"hello, world", "not an arena replay"),
        "newer": (with_header(data, version=replay_module.FORMAT_VERSION + 1), "newer arena"),
        "version 0": (with_header(data, version=0), "corrupt"),
        "older": (with_header(data, version=replay_module.FORMAT_VERSION - 1), "older arena"),
    }


@pytest.mark.parametrize("kind", list(bad_files(b"x" * 64)))
def test_bad_files_give_one_clear_error(recorded, tmp_path, capsys, kind):
    content, words = bad_files(recorded[0])[kind]
    path = tmp_path / "bad.arena"
    path.write_bytes(content)
    with pytest.raises(ReplayError, match=words):
        load(path)
    assert main(["render", str(path), "--tick", "1", "--out", str(tmp_path / "x.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("arena: error: ") and words in err and err.count("\n") == 1
    assert not (tmp_path / "x.png").exists()


def test_valid_checksum_with_inconsistent_tables_is_corrupt(recorded):
    """A well-formed file whose tables point out of range fails at load, not during playback."""
    replay = decode(recorded[0])
    arrays = {name: table.copy() for name, table in replay.arrays.items()}
    assert decode(encode(replay.info, arrays)).frame(10) == replay.frame(10)
    arrays["wave_ints"][0, 2] = len(replay) + 5
    with pytest.raises(ReplayError, match="corrupt.*wave index out of range"):
        decode(encode(replay.info, arrays))
    data = encode(replay.info, arrays)
    body = b"not xz at all"
    with pytest.raises(ReplayError, match="corrupt"):
        decode(data[:8] + struct.pack("<HQI", replay_module.FORMAT_VERSION, len(body), zlib.crc32(body)) + body)


def test_missing_file_via_cli(tmp_path, capsys):
    assert main(["replay", str(tmp_path / "nope.arena")]) == 2
    err = capsys.readouterr().err
    assert err == f"arena: error: no such replay: {tmp_path / 'nope.arena'}\n"


def test_failed_save_leaves_the_existing_file_intact(recorded, tmp_path, monkeypatch):
    target = tmp_path / "keep.arena"
    target.write_bytes(b"the old replay")
    recorder = Recorder()
    Battle(config(rounds=1)).run(recorder)

    def broken_fsync(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ReplayError, match="cannot write replay .*No space left"):
        recorder.save(target)
    assert target.read_bytes() == b"the old replay"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.arena"]
    monkeypatch.undo()
    recorder.save(target)
    assert len(load(target)) > 1


def test_record_option_adds_the_suffix_and_creates_the_folder(tmp_path, capsys):
    assert replay_path("replays/kde").name == "kde.arena"
    assert replay_path("replays/kde.bin").name == "kde.bin"
    name = tmp_path / "new" / "folder" / "gf"
    assert main(["run", "--gun", "gf-bins", "--rounds", "1", "--seed", "2", "--record", str(name)]) == 0
    replay = load(tmp_path / "new" / "folder" / "gf.arena")
    assert replay.info.gun == "gf-bins" and replay.info.seed == 2
    assert "hit rate" in capsys.readouterr().out


SURF = BattleConfig(shooter=Side("kde-learned", "duck"), target=Side("head-on", "surfer"), rounds=2, seed=4)


@pytest.fixture(scope="module")
def surfing():
    """A battle where both sides fire and the target surfs: the live frames, the replay, the result."""
    recorder, frames, builder = Recorder(), [], None

    def on_tick(battle):
        nonlocal builder
        builder = builder or FrameBuilder(battle)
        frames.append(builder(battle))
        recorder(battle)

    result = Battle(SURF).run(on_tick)
    return frames, decode(recorder.to_bytes()), result


def test_both_sides_are_stored_and_replayed_at_stored_precision(surfing):
    frames, replay, _ = surfing
    assert any(f.enemy_waves for f in frames) and all(w.owner == TARGET for f in frames for w in f.enemy_waves)
    assert any(f.surf.path for f in frames) and any(f.surf.waves for f in frames)
    assert len({f.surf.danger.serial for f in frames}) > 1  # the surfer learned from hits
    assert {b.power for f in frames for b in f.bullets} == {SURF.power}
    assert any(0 < r.gun_heat < 3 for f in frames for r in f.robots)
    for i in range(0, len(frames), 7):
        assert replay.frame(i) == stored(frames[i]), f"frame {i}"


def test_predicted_path_starts_next_to_the_surfer_when_it_replans(surfing):
    frames, _, _ = surfing
    fresh = [f for prev, f in zip(frames, frames[1:]) if f.surf.path and f.surf.path != prev.surf.path]
    assert len(fresh) > 10
    for f in fresh:
        (x, y), r = f.surf.path[0], f.robots[TARGET]
        assert math.hypot(x - r.x, y - r.y) <= 8.0 + 1e-9  # one turn's move: at most 8 px


def test_replay_carries_each_rounds_score_components(surfing):
    _, replay, result = surfing
    expected = np.array([round_components(r) for r in result.rounds], dtype=np.float32)
    np.testing.assert_array_equal(replay.results_at(len(replay) - 1), expected)
    assert len(replay.results_at(0)) == 0


def test_drawing_frames_does_not_change_the_battle(surfing):
    _, _, watched = surfing
    assert watched.summary() == run_battle(SURF).summary()
