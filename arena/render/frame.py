"""Frames: everything one picture of a battle shows, as plain immutable data.

A live battle (FrameBuilder) and a loaded replay (arena.replay.Replay) both produce Frames, so one
drawing function serves the viewer, the replay player and the PNG renderer. Angles follow the arena
convention (0 = north/+y, clockwise); positions are field coordinates with y growing up.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..events import BulletFired, BulletHitBullet, BulletHitRobot, BulletHitWall
from ..state import BulletStatus

SHOOTER = 0  # the robot whose gun, waves and hit rate a frame shows
GF_GRID = np.linspace(-1.0, 1.0, 101)  # where aiming densities are sampled
RECENT_WINDOWS = 8  # hit windows a frame keeps; older ones would clutter the strip
RECENT_TICKS = 120  # ... and none older than this


@dataclass(frozen=True, slots=True)
class BattleInfo:
    """What stays the same for a whole battle: names and numbers the HUD shows."""
    gun: str
    movement: str
    seed: int
    rounds: int
    width: float
    height: float
    power: float
    lr: float | None  # the gun's learning rate, None for a gun that does not learn

    @classmethod
    def from_battle(cls, battle) -> BattleInfo:
        c = battle.config
        return cls(c.shooter.gun, c.target.movement, c.seed, c.rounds, c.width, c.height, c.power,
                   learning_rate(battle.pilots[SHOOTER].gun))


def learning_rate(gun) -> float | None:
    """The step size of a learning gun's optimiser (KDE guns with learn on); None otherwise."""
    learner = getattr(gun, "learner", None)
    if learner is None or not getattr(learner, "learn", False):
        return None
    lr = getattr(learner, "lr", None)
    return None if lr is None else float(lr)


@dataclass(frozen=True, slots=True)
class RobotFrame:
    x: float
    y: float
    heading: float
    gun_heading: float
    energy: float
    alive: bool


@dataclass(frozen=True, slots=True)
class BulletFrame:
    x: float
    y: float
    owner: int
    hit: bool  # it struck something this tick (drawn as a burst, gone next tick)


@dataclass(frozen=True, slots=True)
class Profile:
    """The shooter's aiming density on GF_GRID, snapshotted when it fired; serial counts snapshots."""
    serial: int
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class WaveFrame:
    """One of the shooter's waves; `profile` is the density it was fired with (None for virtual waves)."""
    x: float
    y: float
    fire_time: int
    speed: float
    direct_angle: float
    direction: int
    mea: float
    real: bool
    profile: Profile | None

    def radius(self, tick: int) -> float:
        return (tick - self.fire_time) * self.speed

    def angle(self, gf: float) -> float:
        return self.direct_angle + gf * self.direction * self.mea


@dataclass(frozen=True, slots=True)
class WindowFrame:
    """A hit window [a, b] (GF, unclipped) of `wave`, completed at `tick`."""
    wave: WaveFrame
    a: float
    b: float
    tick: int


@dataclass(frozen=True, slots=True)
class Frame:
    info: BattleInfo
    round: int  # 0-based
    tick: int
    robots: tuple[RobotFrame, ...]
    bullets: tuple[BulletFrame, ...]
    waves: tuple[WaveFrame, ...]  # the shooter's waves in flight
    windows: tuple[WindowFrame, ...]  # recent hit windows of this round, oldest first
    profile: Profile | None  # the shooter's density at its latest shot
    shots: int  # the shooter's bullets so far in the battle
    resolved: int  # ... of which hit or missed
    hits: int

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.resolved if self.resolved else None


def recent_windows(windows: Sequence[WindowFrame], tick: int) -> tuple[WindowFrame, ...]:
    """The windows worth drawing at `tick` out of a round's windows so far (sorted by tick)."""
    return tuple(w for w in windows[-RECENT_WINDOWS:] if tick - w.tick < RECENT_TICKS)


class FrameBuilder:
    """Turns a running Battle into Frames (call it after each start_round and tick, e.g. as on_tick).

    It keeps what a single tick does not show: the shot counts, the round's hit windows, the wave
    frames in flight and the density snapshot taken whenever the shooter fires.
    """

    def __init__(self, battle):
        self.info = BattleInfo.from_battle(battle)
        self.gun = battle.pilots[SHOOTER].gun
        self.shots = self.resolved = self.hits = 0
        self.profile: Profile | None = None
        self.snapshots = 0
        self.round = None
        self.waves: dict[tuple[int, bool], WaveFrame] = {}
        self.windows: list[WindowFrame] = []

    def __call__(self, battle) -> Frame:
        state, obs = battle.state, battle.observations[SHOOTER]
        if battle.round_index != self.round:
            self.round, self.waves, self.windows = battle.round_index, {}, []
        fired = self._count(battle.events)
        if fired or self.snapshots == 0:
            self._snapshot()
        waves = {(w.fire_time, w.real): self._wave(w) for w in obs.my_waves}
        for brk in obs.my_breaks:
            self.windows.append(WindowFrame(self._wave(brk.wave), brk.a, brk.b, brk.tick))
        self.waves = waves
        robots = tuple(RobotFrame(r.x, r.y, r.heading, r.gun_heading, r.energy, r.alive) for r in state.robots)
        bullets = tuple(BulletFrame(b.x, b.y, b.owner, b.status is not BulletStatus.MOVING) for b in state.bullets)
        return Frame(self.info, battle.round_index, state.time, robots, bullets, tuple(waves.values()),
                     recent_windows(self.windows, state.time), self.profile, self.shots, self.resolved, self.hits)

    def _count(self, events) -> bool:
        """Update the shooter's shot counts as Robocode's scorer does; True if it fired this tick."""
        fired = False
        for ev in events:
            if isinstance(ev, BulletFired) and ev.owner == SHOOTER:
                self.shots += 1
                fired = True
            elif isinstance(ev, BulletHitRobot) and ev.owner == SHOOTER:
                self.resolved += 1
                self.hits += 1
            elif isinstance(ev, BulletHitWall) and ev.owner == SHOOTER:
                self.resolved += 1
            elif isinstance(ev, BulletHitBullet):
                self.resolved += (ev.owner == SHOOTER) + (ev.other_owner == SHOOTER)
        return fired

    def _snapshot(self) -> None:
        values = self.gun.profile(GF_GRID)
        if values is not None:
            self.profile = Profile(self.snapshots, tuple(float(v) for v in values))
            self.snapshots += 1

    def _wave(self, w) -> WaveFrame:
        key = (w.fire_time, w.real)
        if key not in self.waves:
            self.waves[key] = WaveFrame(w.source_x, w.source_y, w.fire_time, w.speed, w.direct_angle, w.direction,
                                        w.mea, w.real, self.profile if w.real else None)
        return self.waves[key]
