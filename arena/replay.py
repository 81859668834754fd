"""Replay files: a recorded battle's frames, compact and versioned, for `arena replay` and `arena render`.

Layout (integers little-endian):

    8 bytes  magic b"ARENARPL"
    u16      format version (FORMAT_VERSION; newer files are refused, not guessed at)
    u64      length of the compressed body
    u32      CRC-32 of the compressed body (tells truncation and corruption apart from a bad format)
    body     xz stream of: u32 n, n bytes of JSON (battle info, GF grid size, array directory),
             then each array's raw bytes in directory order.

The arrays are the frame tables below (F frames, B bullet sightings, W waves, K hit windows,
S density snapshots; format 2 adds gun heat, bullet power, the target's waves and, for a surfing target,
its surfed waves, D danger snapshots and P predicted paths, plus R rounds of score components). Positions, angles, energies, speeds, windows and densities are float32; counts,
ticks and indices are int32. A wave is stored once with the frames it is in flight for, a density once
per shot, so a frame is rebuilt by slicing. Floats are split into byte planes before compression
(sign/exponent bytes compress far better together). Saving the same battle twice gives the same bytes:
no timestamps, fixed array order, sorted JSON keys. Loading gives back exactly the stored values.
"""
from __future__ import annotations

import json
import lzma
import os
import struct
import zlib
from dataclasses import asdict
from pathlib import Path

import numpy as np

from .errors import ArenaError
from .files import write_bytes
from .render.frame import (GF_GRID, RECENT_WINDOWS, SHOOTER, TARGET, BattleInfo, BulletFrame, Frame, FrameBuilder,
                           Profile, RobotFrame, SurfFrame, WaveFrame, WindowFrame, recent_windows)
from .render.results import COMPONENTS, ROBOTS, round_components

MAGIC = b"ARENARPL"
FORMAT_VERSION = 2  # 2: gun heat, bullet power, the target's side, score components
HEADER = struct.Struct("<8sHQI")
SUFFIX = ".arena"
ROBOT_FIELDS = 6  # x, y, heading, gun_heading, energy, gun_heat
WAVE_FLOATS = 5  # x, y, speed, direct_angle, mea
WAVE_INTS = 4  # fire_time, first frame in flight, frame after the last, snapshot index (-1: none)
WAVE_DIRECTION, WAVE_REAL, WAVE_TARGETS, WAVE_SURFED = 1, 2, 4, 8  # wave_flags bits (TARGETS: the target's shot)

# name -> (dtype, shape after the first axis); the directory in a file must match this exactly.
SCHEMA = {
    "frame_round": ("<i4", ()), "frame_tick": ("<i4", ()), "counts": ("<i4", (3,)),
    "robots": ("<f4", (2, ROBOT_FIELDS)), "alive": ("|u1", (2,)),
    "bullet_count": ("<i4", ()), "bullet_xy": ("<f4", (2,)), "bullet_flags": ("|u1", ()),
    "wave_floats": ("<f4", (WAVE_FLOATS,)), "wave_ints": ("<i4", (WAVE_INTS,)), "wave_flags": ("|u1", ()),
    "window_ab": ("<f4", (2,)), "window_ints": ("<i4", (2,)),
    "profile_frame": ("<i4", ()), "profile_values": ("<f4", (len(GF_GRID),)),
    "bullet_power": ("<f4", ()), "danger_frame": ("<i4", ()), "danger_values": ("<f4", (len(GF_GRID),)),
    "path_frame": ("<i4", ()), "path_count": ("<i4", ()), "path_xy": ("<f4", (2,)),
    "round_scores": ("<f4", (ROBOTS, len(COMPONENTS))),
}


class ReplayError(ArenaError):
    """A replay that cannot be read: missing, truncated, corrupt, not a replay, or from a newer arena."""


def replay_path(name: str | os.PathLike) -> Path:
    """The file a --record NAME writes: NAME, with SUFFIX added when it has none."""
    path = Path(name)
    return path if path.suffix else path.with_name(path.name + SUFFIX)


class Recorder:
    """Collects a battle's frames; pass it as Battle.run's on_tick, then `save`."""

    def __init__(self):
        self.builder: FrameBuilder | None = None
        self.info: BattleInfo | None = None
        self.rows: dict[str, list] = {name: [] for name in SCHEMA}
        self.wave_index: dict[tuple, int] = {}
        self.path: tuple = ()

    def __call__(self, battle) -> None:
        if self.builder is None:
            self.builder = FrameBuilder(battle)
        self.add(self.builder(battle))
        for result in battle.result.rounds[len(self.rows["round_scores"]):]:
            self.rows["round_scores"].append(round_components(result))

    def add(self, frame: Frame) -> None:
        rows, f = self.rows, len(self.rows["frame_tick"])
        self.info = frame.info
        rows["frame_round"].append(frame.round)
        rows["frame_tick"].append(frame.tick)
        rows["counts"].append((frame.shots, frame.resolved, frame.hits))
        rows["robots"].append([(r.x, r.y, r.heading, r.gun_heading, r.energy, r.gun_heat) for r in frame.robots])
        rows["alive"].append([r.alive for r in frame.robots])
        rows["bullet_count"].append(len(frame.bullets))
        for b in frame.bullets:
            rows["bullet_xy"].append((b.x, b.y))
            rows["bullet_flags"].append(b.owner | b.hit << 1)
            rows["bullet_power"].append(b.power)
        if frame.profile is not None and frame.profile.serial == len(rows["profile_frame"]):
            rows["profile_frame"].append(f)
            rows["profile_values"].append(frame.profile.values)
        surf = frame.surf
        for wave, surfed in [(w, False) for w in frame.waves + frame.enemy_waves] + \
                            [(w, True) for w in (surf.waves if surf else ())]:
            rows["wave_ints"][self._wave(frame.round, wave, f, surfed)][2] = f + 1
        for w in frame.windows:
            if w.tick == frame.tick:
                rows["window_ab"].append((w.a, w.b))
                rows["window_ints"].append((f, self._wave(frame.round, w.wave, f)))
        if surf is not None:
            if surf.danger.serial == len(rows["danger_frame"]):
                rows["danger_frame"].append(f)
                rows["danger_values"].append(surf.danger.values)
            if surf.path != self.path:
                self.path = surf.path
                rows["path_frame"].append(f)
                rows["path_count"].append(len(surf.path))
                rows["path_xy"].extend(surf.path)

    def _wave(self, round_index: int, wave: WaveFrame, f: int, surfed: bool = False) -> int:
        key = (round_index, wave.owner, surfed, wave.fire_time, wave.real)
        if key not in self.wave_index:
            self.wave_index[key] = len(self.rows["wave_ints"])
            self.rows["wave_floats"].append((wave.x, wave.y, wave.speed, wave.direct_angle, wave.mea))
            snapshot = -1 if wave.profile is None else wave.profile.serial
            self.rows["wave_ints"].append([wave.fire_time, f, f + 1, snapshot])
            self.rows["wave_flags"].append((wave.direction > 0) * WAVE_DIRECTION | wave.real * WAVE_REAL
                                           | (wave.owner == TARGET) * WAVE_TARGETS | surfed * WAVE_SURFED)
        return self.wave_index[key]

    def to_bytes(self) -> bytes:
        if self.info is None:
            raise ValueError("nothing recorded")
        arrays = {name: np.asarray(self.rows[name], dtype=dtype).reshape((-1, *tail))
                  for name, (dtype, tail) in SCHEMA.items()}
        return encode(self.info, arrays)

    def save(self, path: str | os.PathLike) -> Path:
        """Write the replay atomically (creating the folder); returns the path written."""
        path = Path(path)
        data = self.to_bytes()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(path, data)
        except OSError as exc:
            raise ReplayError(f"cannot write replay {path}: {exc.strerror or exc}") from None
        return path


def _planes(raw: bytes, itemsize: int) -> bytes:
    """Byte k of every item together, for each k: similar bytes sit next to each other."""
    return np.frombuffer(raw, np.uint8).reshape(-1, itemsize).T.tobytes() if itemsize > 1 else raw


def _unplanes(raw: bytes, itemsize: int) -> bytes:
    return np.frombuffer(raw, np.uint8).reshape(itemsize, -1).T.tobytes() if itemsize > 1 else raw


def encode(info: BattleInfo, arrays: dict[str, np.ndarray]) -> bytes:
    directory = [[name, SCHEMA[name][0], list(arrays[name].shape)] for name in SCHEMA]
    meta = json.dumps({"info": asdict(info), "grid": len(GF_GRID), "arrays": directory},
                      sort_keys=True, separators=(",", ":")).encode()
    parts = [struct.pack("<I", len(meta)), meta]
    parts += [_planes(arrays[name].tobytes(), arrays[name].itemsize) for name in SCHEMA]
    body = lzma.compress(b"".join(parts), format=lzma.FORMAT_XZ, preset=6)
    return HEADER.pack(MAGIC, FORMAT_VERSION, len(body), zlib.crc32(body)) + body


def load(path: str | os.PathLike) -> Replay:
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ReplayError(f"no such replay: {path}") from None
    except OSError as exc:
        raise ReplayError(f"cannot read replay {path}: {exc.strerror or exc}") from None
    return decode(data, str(path))


def decode(data: bytes, name: str = "replay") -> Replay:
    if data[:len(MAGIC)] != MAGIC[:len(data)]:
        raise ReplayError(f"{name} is not an arena replay (unknown file header)")
    if len(data) < HEADER.size:
        raise ReplayError(f"{name} is truncated ({len(data)} bytes, shorter than the replay header)")
    _, version, length, crc = HEADER.unpack_from(data)
    if version > FORMAT_VERSION:
        raise ReplayError(f"{name} was written by a newer arena (replay format {version}; "
                          f"this arena reads up to {FORMAT_VERSION})")
    if version < 1:
        raise ReplayError(f"{name} is corrupt (replay format {version} does not exist)")
    if version < FORMAT_VERSION:
        raise ReplayError(f"{name} is replay format {version}, from an older arena; this arena reads format "
                          f"{FORMAT_VERSION} (record it again with `arena run --record`)")
    body = data[HEADER.size:]
    if len(body) < length:
        raise ReplayError(f"{name} is truncated ({len(body)} of {length} data bytes)")
    if len(body) > length or zlib.crc32(body) != crc:
        raise ReplayError(f"{name} is corrupt (checksum mismatch)")
    try:
        info, arrays = _parse(lzma.decompress(body, format=lzma.FORMAT_XZ))
        return Replay(info, arrays)
    except (lzma.LZMAError, ValueError, KeyError, TypeError, IndexError) as exc:
        raise ReplayError(f"{name} is corrupt ({exc})") from None


def _parse(raw: bytes) -> tuple[BattleInfo, dict[str, np.ndarray]]:
    (n,) = struct.unpack_from("<I", raw)
    meta = json.loads(raw[4:4 + n])
    if meta["grid"] != len(GF_GRID) or [d[:2] for d in meta["arrays"]] != [[k, v[0]] for k, v in SCHEMA.items()]:
        raise ValueError("unexpected table layout")
    arrays, offset = {}, 4 + n
    for name, dtype, shape in meta["arrays"]:
        dtype, shape = np.dtype(dtype), tuple(int(s) for s in shape)
        if shape[1:] != SCHEMA[name][1] or shape[0] < 0:
            raise ValueError(f"table {name} has shape {shape}")
        size = int(np.prod(shape)) * dtype.itemsize
        if offset + size > len(raw):
            raise ValueError(f"table {name} is cut short")
        arrays[name] = np.frombuffer(_unplanes(raw[offset:offset + size], dtype.itemsize), dtype).reshape(shape)
        offset += size
    if offset != len(raw):
        raise ValueError("trailing data after the tables")
    return BattleInfo(**meta["info"]), arrays


def _require(ok: bool, what: str) -> None:
    if not ok:
        raise ValueError(what)


class Replay:
    """A loaded replay: `frame(i)` rebuilds frame i of `len(replay)` from the stored tables."""

    def __init__(self, info: BattleInfo, arrays: dict[str, np.ndarray]):
        self.info = info
        self.arrays = a = arrays  # the tables as stored (read-only numpy views)
        self.rounds, self.ticks, self.counts = a["frame_round"], a["frame_tick"], a["counts"]
        self.robots, self.alive = a["robots"], a["alive"]
        self.bullet_xy, self.bullet_flags = a["bullet_xy"], a["bullet_flags"]
        self.bullet_start = np.concatenate(([0], np.cumsum(a["bullet_count"], dtype=np.int64)))
        self.wave_floats, self.wave_ints, self.wave_flags = a["wave_floats"], a["wave_ints"], a["wave_flags"]
        self.window_ab, self.window_ints = a["window_ab"], a["window_ints"]
        self.profile_frame, self.profile_values = a["profile_frame"], a["profile_values"]
        self.bullet_power = a["bullet_power"]
        self.danger_frame, self.danger_values = a["danger_frame"], a["danger_values"]
        self.path_frame, self.path_xy = a["path_frame"], a["path_xy"]
        self.path_start = np.concatenate(([0], np.cumsum(a["path_count"], dtype=np.int64)))
        self.round_scores = a["round_scores"]
        self._check(a)
        self.round_starts = np.flatnonzero(np.diff(self.rounds, prepend=-1)).tolist()
        died = self.alive[:-1] & ~self.alive[1:] & (self.rounds[:-1] == self.rounds[1:])[:, None]
        self.deaths = [(int(f) + 1, int(robot)) for f, robot in zip(*np.nonzero(died))]  # (frame, robot)
        self.surfs = len(self.danger_frame) > 0
        self._waves: dict[int, WaveFrame] = {}
        self._profiles: dict[int, Profile] = {}

    def _check(self, a: dict[str, np.ndarray]) -> None:
        """Every count and index in range, so a damaged file fails here and not half-way through playback."""
        n = len(self.ticks)
        _require(n > 0, "no frames")
        _require(all(len(a[k]) == n for k in ("frame_round", "counts", "robots", "alive", "bullet_count")),
                 "frame tables differ in length")
        _require(np.all(np.diff(self.rounds) >= 0) and self.rounds[0] == 0, "rounds out of order")
        _require(bool(np.all(a["bullet_count"] >= 0))
                 and self.bullet_start[-1] == len(self.bullet_xy) == len(self.bullet_flags), "bullet counts do not add up")
        w, s = len(self.wave_ints), len(self.profile_frame)
        _require(len(self.wave_floats) == len(self.wave_flags) == w, "wave tables differ in length")
        first, end, snap = self.wave_ints[:, 1], self.wave_ints[:, 2], self.wave_ints[:, 3]
        _require(bool(np.all((0 <= first) & (first < end) & (end <= n) & (-1 <= snap) & (snap < s))),
                 "wave index out of range")
        _require(len(self.window_ab) == len(self.window_ints), "window tables differ in length")
        frames, waves = self.window_ints[:, 0], self.window_ints[:, 1]
        _require(bool(np.all((0 <= frames) & (frames < n) & (0 <= waves) & (waves < w)))
                 and bool(np.all(np.diff(frames) >= 0)), "window index out of range")
        _require(len(self.bullet_power) == len(self.bullet_xy), "bullet tables differ in length")
        for frames, values, what in ((self.profile_frame, self.profile_values, "density snapshot"),
                                     (self.danger_frame, self.danger_values, "danger snapshot"),
                                     (self.path_frame, self.path_start[1:], "predicted path")):
            _require(len(values) == len(frames) and bool(np.all((0 <= frames) & (frames < n)))
                     and bool(np.all(np.diff(frames) > 0)), f"{what} index out of range")
        _require(bool(np.all(a["path_count"] >= 0)) and self.path_start[-1] == len(self.path_xy),
                 "path counts do not add up")
        _require(len(self.round_scores) <= int(self.rounds[-1]) + 1, "more score rows than rounds")

    def __len__(self) -> int:
        return len(self.ticks)

    def index(self, round_index: int, tick: int) -> int:
        """Frame number of `tick` in round `round_index` (0-based); ReplayError if there is none."""
        if not 0 <= round_index < len(self.round_starts):
            raise ReplayError(f"no round {round_index + 1}: the replay has rounds 1..{len(self.round_starts)}")
        start = self.round_starts[round_index]
        end = self.round_starts[round_index + 1] if round_index + 1 < len(self.round_starts) else len(self)
        first, last = int(self.ticks[start]), int(self.ticks[end - 1])
        if not first <= tick <= last:
            raise ReplayError(f"no tick {tick} in round {round_index + 1}: its ticks are {first}..{last}")
        return start + tick - first

    def frame(self, i: int) -> Frame:
        round_index, tick = int(self.rounds[i]), int(self.ticks[i])
        robots = tuple(RobotFrame(*values[:5], bool(alive), values[5])
                       for values, alive in zip(self.robots[i].tolist(), self.alive[i]))
        lo, hi = self.bullet_start[i], self.bullet_start[i + 1]
        bullets = tuple(BulletFrame(x, y, flags & 1, bool(flags & 2), power)
                        for (x, y), flags, power in zip(self.bullet_xy[lo:hi].tolist(),
                                                        self.bullet_flags[lo:hi].tolist(),
                                                        self.bullet_power[lo:hi].tolist()))
        in_flight = np.flatnonzero((self.wave_ints[:, 1] <= i) & (i < self.wave_ints[:, 2]))
        kinds = self.wave_flags[in_flight] & (WAVE_TARGETS | WAVE_SURFED)
        waves, enemy, surfed = ([self._wave(int(k)) for k in in_flight[kinds == kind]]
                                for kind in (0, WAVE_TARGETS, WAVE_SURFED))
        s = int(np.searchsorted(self.profile_frame, i, side="right")) - 1
        shots, resolved, hits = self.counts[i].tolist()
        return Frame(self.info, round_index, tick, robots, bullets, tuple(waves), self._windows(i, tick),
                     self._profile(s), shots, resolved, hits, tuple(enemy), self._surf(i, tuple(surfed)))

    def _surf(self, i: int, waves: tuple[WaveFrame, ...]) -> SurfFrame | None:
        if not self.surfs:
            return None
        d = int(np.searchsorted(self.danger_frame, i, side="right")) - 1
        danger = Profile(d, tuple(self.danger_values[d].tolist()))
        p = int(np.searchsorted(self.path_frame, i, side="right")) - 1
        path = () if p < 0 or not waves else tuple(map(tuple, self.path_xy[self.path_start[p]:self.path_start[p + 1]]
                                                        .tolist()))
        return SurfFrame(waves, danger, path)

    def results_at(self, i: int) -> np.ndarray:
        """Score components of the rounds finished by frame i: (rounds, robots, components)."""
        done = int(self.rounds[i]) + (i == len(self) - 1 or self.rounds[min(i + 1, len(self) - 1)] != self.rounds[i])
        return self.round_scores[:done].astype(float)

    def _windows(self, i: int, tick: int) -> tuple[WindowFrame, ...]:
        frames = self.window_ints[:, 0]
        round_start = self.round_starts[int(self.rounds[i])]
        lo = int(np.searchsorted(frames, round_start, side="left"))
        hi = int(np.searchsorted(frames, i, side="right"))
        ks = range(max(lo, hi - RECENT_WINDOWS), hi)
        return recent_windows([WindowFrame(self._wave(int(self.window_ints[k, 1])), *self.window_ab[k].tolist(),
                                           int(self.ticks[frames[k]])) for k in ks], tick)

    def _wave(self, k: int) -> WaveFrame:
        if k not in self._waves:
            x, y, speed, direct, mea = self.wave_floats[k].tolist()
            fire_time, _, _, snap = self.wave_ints[k].tolist()
            flags = int(self.wave_flags[k])
            self._waves[k] = WaveFrame(x, y, fire_time, speed, direct, 1 if flags & WAVE_DIRECTION else -1, mea,
                                       bool(flags & WAVE_REAL), self._profile(snap),
                                       TARGET if flags & WAVE_TARGETS else SHOOTER)
        return self._waves[k]

    def _profile(self, s: int) -> Profile | None:
        if s < 0:
            return None
        if s not in self._profiles:
            self._profiles[s] = Profile(s, tuple(self.profile_values[s].tolist()))
        return self._profiles[s]
