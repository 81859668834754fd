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
from ..prediction import predict_path, robot_from_view, ticks_to_pass
from ..state import BulletStatus
from ..strategies.surfer import Surfer

SHOOTER = 0  # the robot whose gun, waves and hit rate a frame shows
TARGET = 1  # the robot whose movement (and surfing, when it surfs) a frame shows
GF_GRID = np.linspace(-1.0, 1.0, 101)  # where aiming densities are sampled
RECENT_WINDOWS = 8  # hit windows a frame keeps; older ones would clutter the strip
RECENT_TICKS = 120  # ... and none older than this
PATH_STEP = 3  # a surfer's predicted path is kept every this many ticks (and its end): enough to draw


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
    shooter_movement: str = "duck"
    target_gun: str = "none"

    @classmethod
    def from_battle(cls, battle) -> BattleInfo:
        c = battle.config
        return cls(c.shooter.gun, c.target.movement, c.seed, c.rounds, c.width, c.height, c.power,
                   learning_rate(battle.pilots[SHOOTER].gun), c.shooter.movement, c.target.gun)

    @property
    def names(self) -> tuple[str, str]:
        """What the field and the results table call the two robots: their gun and movement."""
        return (robot_name(self.gun, self.shooter_movement), robot_name(self.target_gun, self.movement))


def robot_name(gun: str, movement: str) -> str:
    """'circular' for a gun that sits still, 'surfer' for a mover without a gun, else 'gun + movement'."""
    if gun == "none":
        return movement
    return gun if movement == "duck" else f"{gun} + {movement}"


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
    gun_heat: float = 0.0  # the gun fires only at 0


@dataclass(frozen=True, slots=True)
class BulletFrame:
    x: float
    y: float
    owner: int
    hit: bool  # it struck something this tick (drawn as a burst, gone next tick)
    power: float = 3.0  # drawn larger for more power, as Robocode draws it


@dataclass(frozen=True, slots=True)
class Profile:
    """The shooter's aiming density on GF_GRID, snapshotted when it fired; serial counts snapshots."""
    serial: int
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class WaveFrame:
    """A wave; `profile` is the density the shooter fired it with (None for virtual and enemy waves)."""
    x: float
    y: float
    fire_time: int
    speed: float
    direct_angle: float
    direction: int
    mea: float
    real: bool
    profile: Profile | None
    owner: int = SHOOTER  # whose bullet it is

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
class SurfFrame:
    """A surfing target's view: the shooter's waves it is surfing (as it detected them), its danger
    density over GF (snapshotted when it learns), and the path it predicts for the option it chose."""
    waves: tuple[WaveFrame, ...]
    danger: Profile
    path: tuple[tuple[float, float], ...]


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
    enemy_waves: tuple[WaveFrame, ...] = ()  # the target's real shots at the shooter, in flight
    surf: SurfFrame | None = None  # None unless the target surfs

    @property
    def hit_rate(self) -> float | None:
        return self.hits / self.resolved if self.resolved else None


def recent_windows(windows: Sequence[WindowFrame], tick: int) -> tuple[WindowFrame, ...]:
    """The windows worth drawing at `tick` out of a round's windows so far (sorted by tick)."""
    return tuple(w for w in windows[-RECENT_WINDOWS:] if tick - w.tick < RECENT_TICKS)


class FrameBuilder:
    """Turns a running Battle into Frames (call it after each start_round and tick, e.g. as on_tick).

    It keeps what a single tick does not show: the shot counts, the round's hit windows, the wave
    frames in flight, the density snapshot taken whenever the shooter fires and, for a surfing target,
    its danger snapshot (taken when it is hit) and its predicted path (re-predicted when it re-plans).
    It only reads the battle: strategies are asked for densities and paths, never changed.
    """

    def __init__(self, battle):
        self.info = BattleInfo.from_battle(battle)
        self.gun = battle.pilots[SHOOTER].gun
        movement = battle.pilots[TARGET].movement
        self.surfer: Surfer | None = movement if isinstance(movement, Surfer) else None
        self.shots = self.resolved = self.hits = 0
        self.profile: Profile | None = None
        self.snapshots = 0
        self.danger: Profile | None = None
        self.dangers = 0
        self.round = None
        self.plan = None
        self.path: tuple[tuple[float, float], ...] = ()
        self.waves: dict[tuple, WaveFrame] = {}
        self.windows: list[WindowFrame] = []

    def __call__(self, battle) -> Frame:
        state, obs = battle.state, battle.observations[SHOOTER]
        if battle.round_index != self.round:
            self.round, self.waves, self.windows, self.plan = battle.round_index, {}, [], None
        fired, target_hit = self._count(battle.events)
        if fired or self.snapshots == 0:
            self._snapshot()
        waves = {(SHOOTER, w.fire_time, w.real): self._wave(w, SHOOTER) for w in obs.my_waves}
        for brk in obs.my_breaks:
            self.windows.append(WindowFrame(self._wave(brk.wave, SHOOTER), brk.a, brk.b, brk.tick))
        enemy_obs = battle.observations[TARGET]
        enemy = {(TARGET, w.fire_time, True): self._wave(w, TARGET) for w in enemy_obs.my_waves if w.real}
        surf = self._surf(enemy_obs, target_hit) if self.surfer is not None else None
        self.waves = {**waves, **enemy, **({("surf", w.fire_time, True): w for w in surf.waves} if surf else {})}
        robots = tuple(RobotFrame(r.x, r.y, r.heading, r.gun_heading, r.energy, r.alive, r.gun_heat)
                       for r in state.robots)
        bullets = tuple(BulletFrame(b.x, b.y, b.owner, b.status is not BulletStatus.MOVING, b.power)
                        for b in state.bullets)
        return Frame(self.info, battle.round_index, state.time, robots, bullets, tuple(waves.values()),
                     recent_windows(self.windows, state.time), self.profile, self.shots, self.resolved, self.hits,
                     tuple(enemy.values()), surf)

    def _count(self, events) -> tuple[bool, bool]:
        """Update the shooter's shot counts as Robocode's scorer does; (fired this tick, hit the target)."""
        fired = hit = False
        for ev in events:
            if isinstance(ev, BulletFired) and ev.owner == SHOOTER:
                self.shots += 1
                fired = True
            elif isinstance(ev, BulletHitRobot) and ev.owner == SHOOTER:
                self.resolved += 1
                self.hits += 1
                hit = True
            elif isinstance(ev, BulletHitWall) and ev.owner == SHOOTER:
                self.resolved += 1
            elif isinstance(ev, BulletHitBullet):
                self.resolved += (ev.owner == SHOOTER) + (ev.other_owner == SHOOTER)
        return fired, hit

    def _snapshot(self) -> None:
        values = self.gun.profile(GF_GRID)
        if values is not None:
            self.profile = Profile(self.snapshots, tuple(float(v) for v in values))
            self.snapshots += 1

    def _surf(self, obs, hit: bool) -> SurfFrame:
        """The surfer's side: the waves of its current plan, its danger and its predicted path."""
        if hit or self.danger is None:
            self.danger = Profile(self.dangers, danger_profile(self.surfer.danger))
            self.dangers += 1
        planned = set(self.surfer.plan[0])
        surfed = [w for w in obs.enemy_waves if w.fire_time in planned]
        waves = tuple(self._wave(w, SHOOTER, "surf") for w in surfed)
        if self.surfer.plan != self.plan:
            self.plan = self.surfer.plan
            self.path = predicted_path(self.surfer, obs, surfed) if surfed and obs.enemy is not None else ()
        return SurfFrame(waves, self.danger, self.path if surfed else ())

    def _wave(self, w, owner: int, kind: str | int | None = None) -> WaveFrame:
        key = (owner if kind is None else kind, w.fire_time, w.real)
        if key not in self.waves:
            profile = self.profile if w.real and owner == SHOOTER and kind is None else None
            self.waves[key] = WaveFrame(w.source_x, w.source_y, w.fire_time, w.speed, w.direct_angle, w.direction,
                                        w.mea, w.real, profile, owner)
        return self.waves[key]


def danger_profile(danger) -> tuple[float, ...]:
    """A surfer's danger density on GF_GRID: its mass over each grid cell over the cell's width."""
    half = (GF_GRID[1] - GF_GRID[0]) / 2
    return tuple(danger.mass(g - half, g + half) / (2 * half) for g in GF_GRID.tolist())


def predicted_path(surfer: Surfer, obs, waves) -> tuple[tuple[float, float], ...]:
    """Where the surfer's chosen option takes it until its surfed waves have passed, by its own prediction."""
    horizon = max(ticks_to_pass(w, obs.time, obs.me.x, obs.me.y) for w in waves)
    path = predict_path(robot_from_view(obs.me), lambda r: surfer.command(obs, surfer.direction, r), horizon,
                        obs.width, obs.height)
    kept = path[::PATH_STEP] + ([path[-1]] if (len(path) - 1) % PATH_STEP else [])
    return tuple((float(x), float(y)) for x, y in kept)
