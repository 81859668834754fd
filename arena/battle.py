"""Rounds and battles: strategies, observers and the engine put together, with Robocode's scoring.

One battle seed feeds a SeedSequence that is split into independent streams (engine order, start
positions, and each strategy), so the same seed always gives the same battle, and changing one robot's
gun does not change the other robot's random choices.
"""
from __future__ import annotations

import math
import time as _time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from . import rules
from .engine import step
from .errors import ArenaError
from .events import Event
from .geometry import boxes_overlap
from .observer import Observer
from .state import BattleState, Commands, Robot
from .intervals import wilson
from .scoring import COMPONENTS, Scorer
from .strategies import make_gun, make_movement
from .strategies.base import Gun, Movement, merge

class ConfigError(ArenaError, ValueError):
    """A battle setting out of range; the message says which and why."""


@dataclass(frozen=True)
class Side:
    """One robot: a gun and a movement, each with parameters."""
    gun: str = "none"
    movement: str = "duck"
    gun_params: dict = field(default_factory=dict)
    movement_params: dict = field(default_factory=dict)


@dataclass(frozen=True)
class BattleConfig:
    shooter: Side = Side(gun="head-on", movement="duck")
    target: Side = Side(gun="none", movement="random-orbit")
    rounds: int = 35
    seed: int = 1
    width: float = 800.0
    height: float = 600.0
    power: float = 2.0

    def validate(self) -> "BattleConfig":
        if not isinstance(self.rounds, int) or self.rounds < 1:
            raise ConfigError(f"rounds must be a positive whole number, got {self.rounds!r}")
        if not (rules.MIN_POWER <= self.power <= rules.MAX_POWER):
            raise ConfigError(f"power must be within {rules.MIN_POWER}..{rules.MAX_POWER}, got {self.power!r}")
        if self.width < 400 or self.height < 400:
            raise ConfigError(f"the field must be at least 400x400, got {self.width:g}x{self.height:g}")
        if self.width > 5000 or self.height > 5000:
            raise ConfigError(f"the field must be at most 5000x5000, got {self.width:g}x{self.height:g}")
        if not (float(self.width).is_integer() and float(self.height).is_integer()):  # Robocode's are ints
            raise ConfigError(f"the field size must be whole pixels, got {self.width!r}x{self.height!r}")
        for side in (self.shooter, self.target):
            power = side.gun_params.get("power", self.power)
            if not isinstance(power, (int, float)) or not rules.MIN_POWER <= power <= rules.MAX_POWER:
                raise ConfigError(f"power must be within {rules.MIN_POWER}..{rules.MAX_POWER}, got {power!r}")
        if self.seed < 0:
            raise ConfigError(f"seed must be >= 0, got {self.seed}")
        return self


class Pilot:
    """A robot's two strategies merged into one set of commands per tick."""

    def __init__(self, gun: Gun, movement: Movement):
        self.gun = gun
        self.movement = movement

    def start_round(self) -> None:
        self.gun.start_round()
        self.movement.start_round()

    def act(self, obs) -> Commands:
        return merge(self.movement.act(obs), self.gun.act(obs))


@dataclass
class RoundResult:
    round: int
    ticks: int
    winner: int | None  # None for a draw
    shots: list[int]  # bullets fired
    resolved: list[int]  # bullets that hit or missed before the round ended (the hit-rate denominator)
    hits: list[int]
    bullet_damage: list[float]
    score: list[float]  # Robocode's total score
    components: list[dict[str, float]]  # each robot's score components and total (scoring.COMPONENTS)


@dataclass
class BattleResult:
    config: BattleConfig
    rounds: list[RoundResult] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, name: str) -> list:
        return [sum(getattr(r, name)[i] for r in self.rounds) for i in range(2)]

    def score_components(self) -> list[dict[str, float]]:
        """Each robot's score components (and total) summed over the rounds."""
        keys = COMPONENTS + ("total",)
        return [{k: sum(r.components[i][k] for r in self.rounds) for k in keys} for i in range(2)]

    @property
    def ticks(self) -> int:
        return sum(r.ticks for r in self.rounds)

    def summary(self) -> dict:
        """The shooter's (robot 0's) numbers; deterministic for a given config (no timings)."""
        shots, resolved, hits = self.total("shots"), self.total("resolved"), self.total("hits")
        lo, hi = wilson(hits[0], resolved[0])
        c = self.config
        return {
            "gun": c.shooter.gun, "movement": c.target.movement, "seed": c.seed, "rounds": len(self.rounds),
            "shots": shots[0], "resolved": resolved[0], "hits": hits[0],
            "hit_rate": hits[0] / resolved[0] if resolved[0] else 0.0, "hit_rate_ci95": [lo, hi],
            "bullet_damage_per_round": self.total("bullet_damage")[0] / max(1, len(self.rounds)),
            "score": [round(s, 6) for s in self.total("score")],
            "wins": [sum(r.winner == i for r in self.rounds) for i in range(2)],
            "ticks": self.ticks,
        }


def start_positions(rng: np.random.Generator, width: float, height: float) -> list[Robot]:
    """Random non-overlapping starts with random headings, gun along the body (as Robocode does)."""
    robots: list[Robot] = []
    while len(robots) < 2:
        x = rng.uniform(rules.HALF_SIZE, width - rules.HALF_SIZE)
        y = rng.uniform(rules.HALF_SIZE, height - rules.HALF_SIZE)
        heading = rng.uniform(0.0, 2 * math.pi)
        robot = Robot(x=x, y=y, heading=heading, gun_heading=heading)
        if all(not boxes_overlap(robot.box_x, robot.box_y, r.box_x, r.box_y, rules.ROBOT_SIZE) for r in robots):
            robots.append(robot)
    return robots


class Battle:
    """A battle that can be stepped tick by tick (viewer) or run to the end (headless)."""

    def __init__(self, config: BattleConfig):
        self.config = config.validate()
        streams = [np.random.default_rng(s) for s in np.random.SeedSequence(config.seed).spawn(6)]
        self.engine_rng, self.placement_rng = streams[0], streams[1]
        self.pilots = []
        for side, gun_rng, move_rng in ((config.shooter, streams[2], streams[3]),
                                        (config.target, streams[4], streams[5])):
            params = side.gun_params if side.gun == "none" else {"power": config.power, **side.gun_params}
            gun = make_gun(side.gun, gun_rng, **params)
            self.pilots.append(Pilot(gun, make_movement(side.movement, move_rng, **side.movement_params)))
        self.observers = [Observer(i, p.gun.power if p.gun.virtual_waves else None)
                          for i, p in enumerate(self.pilots)]
        self.result = BattleResult(config)
        self.round_index = -1
        self.state: BattleState | None = None
        self.observations = []
        self.events: list[Event] = []
        self._scorer: Scorer | None = None

    @property
    def finished(self) -> bool:
        return self.round_index >= self.config.rounds - 1 and (self.state is None or self.state.round_over)

    def start_round(self) -> BattleState:
        self.round_index += 1
        robots = start_positions(self.placement_rng, self.config.width, self.config.height)
        self.state = BattleState(width=self.config.width, height=self.config.height, robots=robots)
        for pilot in self.pilots:
            pilot.start_round()
        self.observations = [o.start_round(self.state, self.round_index) for o in self.observers]
        self.events = []
        self._scorer = Scorer(len(robots))
        return self.state

    def tick(self) -> tuple[BattleState, list[Event]]:
        """One turn of the current round; closes the round's result when it ends."""
        commands = [p.act(o) if self.state.robots[i].alive else None
                    for i, (p, o) in enumerate(zip(self.pilots, self.observations))]
        self.state, self.events = step(self.state, commands, self.engine_rng)
        alive = [r.alive for r in self.state.robots]
        self._scorer.record(self.events, alive)
        self.observations = [o.observe(self.state, self.events) for o in self.observers]
        if self.state.round_over:
            winner = self._scorer.finish(alive)
            self.result.rounds.append(RoundResult(self.round_index, self.state.time, winner,
                                                  **self._scorer.numbers()))
        return self.state, self.events

    def run(self, on_tick: Callable[["Battle"], None] | None = None) -> BattleResult:
        started = _time.perf_counter()
        while not self.finished:
            self.start_round()
            if on_tick:
                on_tick(self)
            while not self.state.round_over:
                self.tick()
                if on_tick:
                    on_tick(self)
        self.result.seconds = _time.perf_counter() - started
        return self.result


def run_battle(config: BattleConfig, on_tick: Callable[[Battle], None] | None = None) -> BattleResult:
    return Battle(config).run(on_tick)
