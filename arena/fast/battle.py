"""Whole battles with the tick loop compiled: the same BattleResult as arena.battle.run_battle, faster.

The compiled loop (`_advance`) runs rounds and ticks: strategies (arena/fast/pilots.py), the engine step
(arena/fast/engine.py), scoring and the observers' waves. It returns to Python only when it must:
a buffer of pre-drawn uniforms runs low (refilled from the same Generator, so every stream is consumed
exactly as the reference consumes it), an array needs to grow, or a KDE gun has new hit windows (its
learner, Python and numpy, takes them and its new peak goes back into the loop: the reference gun does
the same at the start of its next act). Strategies it cannot replicate are refused with a clear error.
"""
from __future__ import annotations

import math
import time
from types import SimpleNamespace

import numpy as np
from numba import njit

from .. import rules
from ..battle import Battle, BattleConfig, BattleResult, RoundResult, start_positions
from ..errors import ArenaError
from ..strategies import parameters
from .engine import step_arrays, update_box
from .layout import (ACTIVE, BULLET_FIELDS, COMMAND_FIELDS, COOLING_RATE, DEAD, ENERGY, EVENT_FIELDS,
                     EVENTS_PER_TURN, GUN_HEADING, GUN_HEAT, HEADING, HEIGHT, INACTIVITY_COUNTER, INACTIVITY_ENERGY,
                     INACTIVITY_TIME, MAX_VELOCITY, NBULLETS, ROBOT_FIELDS, STATUS, TIME, VELOCITY, WIDTH,
                     WORLD_FIELDS, X, Y)
from .pilots import (CIRCULAR, DRAWS_PER_TICK, DUCK, GF_BINS, GUN_NONE, HEAD_ON, KDE, LINEAR, OSCILLATOR,
                     P_AIM_DIRECTION, P_FLIP, P_GUN, P_HAS_LAST_HEADING, P_MIN_SPEED, P_MOVE, P_MOVE_DIRECTION, P_NBINS,
                     P_PEAK, P_PERIOD, P_POWER, P_PREFERRED, P_SAW_FIRE, P_SPEED, P_STEP, P_VIRTUAL, PILOT_FIELDS,
                     RANDOM_ORBIT, STOP_AND_GO, gun_act, learns_from_windows, move_act, saw_enemy_fire, track_waves)
from ..scoring import round_numbers
from .scoring import SCORE_FIELDS, finish, record
from .waves import WAVE_FIELDS, add_wave

GUN_KINDS = {"none": GUN_NONE, "head-on": HEAD_ON, "linear": LINEAR, "circular": CIRCULAR, "gf-bins": GF_BINS,
             "kde": KDE, "kde-learned": KDE}
MOVEMENT_KINDS = {"duck": DUCK, "oscillator": OSCILLATOR, "random-orbit": RANDOM_ORBIT, "stop-and-go": STOP_AND_GO}
KDE_PARAMETERS = {"power", "bandwidth", "kernel", "lr", "loss", "optimizer", "momentum", "capacity", "virtual"}
REPLICATED_PARAMETERS = {  # the parameters whose effect the compiled strategies reproduce (KDE ones: its learner)
    ("gun", "none"): {"power"}, ("gun", "head-on"): {"power"}, ("gun", "linear"): {"power"},
    ("gun", "circular"): {"power"}, ("gun", "gf-bins"): {"power", "bins", "virtual"},
    ("gun", "kde"): KDE_PARAMETERS, ("gun", "kde-learned"): KDE_PARAMETERS,
    ("movement", "duck"): set(), ("movement", "oscillator"): {"period", "distance"},
    ("movement", "random-orbit"): {"flip", "distance", "min_speed"}, ("movement", "stop-and-go"): {"step", "distance"},
}
DRAWING_MOVEMENTS = (RANDOM_ORBIT, STOP_AND_GO)

# what _advance returns
DONE, NEED_DRAWS, NEED_ROOM, NEED_LEARN, BROKEN = range(5)
# the loop's integer registers
I_ROUND, I_IN_ROUND, I_CURSOR_ENGINE, I_CURSOR_MOVE, I_NWAVES, I_NWINDOWS = 0, 1, 2, 3, 5, 7  # the last three per robot
INT_FIELDS = 9
R_TICKS, R_WINNER, R_SCORES = 0, 1, 2  # result row: ticks, winner (-1: draw), then each robot's score row
ENGINE_DRAWS, MOVE_DRAWS = 4096, 1024


class UnsupportedConfig(ArenaError, ValueError):
    """A battle the fast path cannot reproduce exactly; the message says which strategy and what it can run."""


def check_supported(config: BattleConfig) -> None:
    """Refuse strategies the compiled loop does not replicate, and strategies that have grown parameters
    it does not know of (their reference code has changed: running them could silently differ)."""
    for role, side in (("shooter", config.shooter), ("target", config.target)):
        if side.gun not in GUN_KINDS:
            raise UnsupportedConfig(f"the fast path cannot run the {role}'s gun {side.gun!r} "
                                    f"(it runs guns {', '.join(GUN_KINDS)})")
        if side.movement not in MOVEMENT_KINDS:
            raise UnsupportedConfig(f"the fast path cannot run the {role}'s movement {side.movement!r} "
                                    f"(it runs movements {', '.join(MOVEMENT_KINDS)})")
        for kind, name in (("gun", side.gun), ("movement", side.movement)):
            unknown = sorted(set(parameters(kind, name)) - REPLICATED_PARAMETERS[kind, name])
            if unknown:
                raise UnsupportedConfig(f"the fast path does not replicate the {role}'s {kind} {name!r} "
                                        f"parameters {', '.join(unknown)}")


# -- the compiled loop ------------------------------------------------------------------------------------
@njit(cache=True)
def _start_round(robots, world, pilots, waves, ints, placements, scores):
    ints[I_ROUND] += 1
    r = ints[I_ROUND]
    for i in range(2):
        robot = robots[i]
        robot[:] = 0.0
        robot[X], robot[Y], robot[HEADING] = placements[r, i, 0], placements[r, i, 1], placements[r, i, 2]
        robot[GUN_HEADING] = robot[HEADING]
        robot[ENERGY] = rules.START_ENERGY
        robot[GUN_HEAT] = rules.START_GUN_HEAT
        robot[STATUS] = ACTIVE
        robot[MAX_VELOCITY] = rules.MAX_VELOCITY
        update_box(robot)
    world[TIME] = world[INACTIVITY_COUNTER] = world[INACTIVITY_ENERGY] = world[NBULLETS] = 0.0
    world[COOLING_RATE] = rules.GUN_COOLING_RATE
    world[INACTIVITY_TIME] = rules.INACTIVITY_TIME
    scores[:, :] = 0.0
    for i in range(2):
        p = pilots[i]
        p[P_HAS_LAST_HEADING] = 0.0  # the circular gun forgets the enemy's last heading
        p[P_SAW_FIRE] = 0.0
        ints[I_NWAVES + i] = 0
        ints[I_NWINDOWS + i] = 0
        if learns_from_windows(p) and not math.isnan(p[P_VIRTUAL]):  # the first observation's virtual wave
            me, enemy = robots[i], robots[1 - i]
            ints[I_NWAVES + i] = add_wave(waves[i], ints[I_NWAVES + i], me[X], me[Y], enemy[X], enemy[Y],
                                          enemy[HEADING], enemy[VELOCITY], 0.0, p[P_VIRTUAL])
    ints[I_IN_ROUND] = 1


@njit(cache=True)
def _tick(robots, prev, bullets, world, pilots, bins, edges, centres, waves, windows, engine_draws, move_draws,
          ints, scores, events, commands):
    """Battle.tick: both pilots act, the engine steps, the scorer and the observers take the events."""
    for i in range(2):
        cmd = commands[i]
        cmd[:] = np.nan
        if robots[i, STATUS] == DEAD:
            continue
        p = pilots[i]
        me, enemy = robots[i], robots[1 - i]
        move_act(p, cmd, me, enemy, world, move_draws[i], ints[I_CURSOR_MOVE + i:I_CURSOR_MOVE + i + 1])
        nbins = int(p[P_NBINS])
        gun_act(p, cmd, me, enemy, world, bins[i, :nbins], edges[i, :nbins + 1], centres[i, :nbins], windows[i],
                ints[I_NWINDOWS + i])
        if p[P_GUN] == GF_BINS:
            ints[I_NWINDOWS + i] = 0
    for i in range(2):  # (element by element: array-to-array assignment compiles shape checks)
        for k in range(ROBOT_FIELDS):
            prev[i, k] = robots[i, k]
    nev = step_arrays(robots, bullets, world, commands, engine_draws, ints[I_CURSOR_ENGINE:I_CURSOR_ENGINE + 1],
                      np.zeros(0, np.int64), np.zeros(0), events)
    if nev < 0:
        return False
    record(scores, events, nev, robots)
    for i in range(2):
        p = pilots[i]
        if learns_from_windows(p):
            ints[I_NWAVES + i], ints[I_NWINDOWS + i] = track_waves(i, p, robots, prev, world, events, nev, waves[i],
                                                                   ints[I_NWAVES + i], windows[i], ints[I_NWINDOWS + i])
        if p[P_MOVE] == STOP_AND_GO:
            p[P_SAW_FIRE] = 1.0 if saw_enemy_fire(prev[1 - i], robots[1 - i], events, nev, float(i)) else 0.0
    return True


@njit(cache=True)
def _advance(robots, prev, bullets, world, pilots, bins, edges, centres, waves, windows, engine_draws, move_draws,
             ints, placements, scores, results, events, commands):
    """Run ticks and rounds until the battle is over or Python must step in; returns what happened."""
    while True:
        if ints[I_IN_ROUND] == 0:
            if ints[I_ROUND] + 1 >= placements.shape[0]:
                return DONE
            _start_round(robots, world, pilots, waves, ints, placements, scores)
        nb = int(world[NBULLETS])
        if (nb + 2 > bullets.shape[0] or nb + 2 + EVENTS_PER_TURN > events.shape[0]
                or max(ints[I_NWAVES], ints[I_NWAVES + 1]) + 2 > waves.shape[1]):
            return NEED_ROOM
        if engine_draws.size - ints[I_CURSOR_ENGINE] < nb + 2:
            return NEED_DRAWS
        for i in range(2):
            if (pilots[i, P_MOVE] == RANDOM_ORBIT or pilots[i, P_MOVE] == STOP_AND_GO) and \
                    move_draws.shape[1] - ints[I_CURSOR_MOVE + i] < DRAWS_PER_TICK:
                return NEED_DRAWS
        if not _tick(robots, prev, bullets, world, pilots, bins, edges, centres, waves, windows, engine_draws,
                     move_draws, ints, scores, events, commands):
            return BROKEN
        if robots[0, STATUS] == DEAD or robots[1, STATUS] == DEAD:
            r = ints[I_ROUND]
            results[r, R_WINNER] = finish(scores, robots)
            results[r, R_TICKS] = world[TIME]
            for i in range(2):
                for k in range(SCORE_FIELDS):
                    results[r, R_SCORES + i * SCORE_FIELDS + k] = scores[i, k]
            ints[I_IN_ROUND] = 0
            continue
        for i in range(2):
            if pilots[i, P_GUN] == KDE and ints[I_NWINDOWS + i] > 0:
                return NEED_LEARN


# -- the Python side ----------------------------------------------------------------------------------------
def _pilot_row(gun, movement, virtual_power: float) -> np.ndarray:
    """A pilots row from the reference strategy objects: their (validated) parameters and starting state."""
    row = np.zeros(PILOT_FIELDS)
    row[P_GUN] = GUN_KINDS[gun.name]
    row[P_POWER] = getattr(gun, "power", 0.0)
    row[P_VIRTUAL] = virtual_power if gun.virtual_waves else math.nan
    row[P_NBINS] = len(getattr(gun, "bins", ()))
    row[P_AIM_DIRECTION] = getattr(gun, "direction", 1)
    row[P_PEAK] = getattr(gun, "peak", 0.0)
    row[P_MOVE] = MOVEMENT_KINDS[movement.name]
    row[P_PERIOD] = getattr(movement, "period", 1)
    row[P_PREFERRED] = getattr(movement, "preferred", 0.0)
    row[P_FLIP] = getattr(movement, "flip", 0.0)
    row[P_MIN_SPEED] = getattr(movement, "min_speed", 0.0)
    row[P_STEP] = getattr(movement, "step", 0.0)
    row[P_MOVE_DIRECTION] = getattr(movement, "direction", 1)
    row[P_SPEED] = getattr(movement, "speed", 0.0)
    return row


def _top_up(buffer: np.ndarray, ints: np.ndarray, cursor: int, rng: np.random.Generator) -> None:
    """Keep the unread draws, top the buffer up with the Generator's next ones."""
    rest = buffer.size - ints[cursor]
    buffer[:rest] = buffer[ints[cursor]:].copy()
    buffer[rest:] = rng.random(buffer.size - rest)
    ints[cursor] = 0


def _grown(array: np.ndarray, axis: int) -> np.ndarray:
    shape = list(array.shape)
    old = shape[axis]
    shape[axis] = 2 * old
    out = np.zeros(shape)
    out[(slice(None),) * axis + (slice(0, old),)] = array
    return out


class FastBattle:
    """One battle: the arrays of the compiled loop, and the Python work it hands back."""

    def __init__(self, config: BattleConfig):
        self.battle = Battle(config)  # validates and builds strategies and seeded streams exactly as run_battle does
        check_supported(config)
        self.config = config
        self.guns = [p.gun for p in self.battle.pilots]
        self.move_rngs = [p.movement.rng for p in self.battle.pilots]
        self.pilots = np.array([_pilot_row(p.gun, p.movement, config.power) for p in self.battle.pilots])
        nbins = max(1, *(len(getattr(g, "bins", ())) for g in self.guns))
        self.bins, self.edges, self.centres = np.zeros((2, nbins)), np.zeros((2, nbins + 1)), np.zeros((2, nbins))
        for i, gun in enumerate(self.guns):
            if self.pilots[i, P_GUN] == GF_BINS:
                n = len(gun.bins)
                self.bins[i, :n] = gun.bins
                self.edges[i, :n + 1] = gun.edges
                self.centres[i, :n] = (gun.edges[:-1] + gun.edges[1:]) / 2
        self.robots, self.prev = np.zeros((2, ROBOT_FIELDS)), np.zeros((2, ROBOT_FIELDS))
        self.world = np.zeros(WORLD_FIELDS)
        self.world[WIDTH], self.world[HEIGHT] = config.width, config.height
        self.bullets = np.zeros((16, BULLET_FIELDS))
        self.events = np.zeros((16 + EVENTS_PER_TURN, EVENT_FIELDS))
        self.waves, self.windows = np.zeros((2, 64, WAVE_FIELDS)), np.zeros((2, 64, 2))
        self.commands = np.zeros((2, COMMAND_FIELDS))
        self.ints = np.zeros(INT_FIELDS, np.int64)
        self.ints[I_ROUND] = -1
        self.engine_draws = np.zeros(ENGINE_DRAWS)
        self.move_draws = np.zeros((2, MOVE_DRAWS))
        self.ints[I_CURSOR_ENGINE] = ENGINE_DRAWS  # empty: the first refill reads from the Generators
        self.ints[I_CURSOR_MOVE:I_CURSOR_MOVE + 2] = MOVE_DRAWS
        self.scores = np.zeros((2, SCORE_FIELDS))
        self.results = np.zeros((config.rounds, R_SCORES + 2 * SCORE_FIELDS))
        self.placements = np.zeros((config.rounds, 2, 3))

    def run(self) -> BattleResult:
        """Play the battle (once: the Generators move on)."""
        if self.ints[I_ROUND] != -1:
            raise RuntimeError("a FastBattle plays its battle once; make a new one to play again")
        started = time.perf_counter()
        c = self.config
        for r in range(c.rounds):  # the placement stream is read by nothing else: draw every round's starts now
            self.placements[r] = [(b.x, b.y, b.heading) for b in start_positions(self.battle.placement_rng,
                                                                                  c.width, c.height)]
        while True:
            status = _advance(self.robots, self.prev, self.bullets, self.world, self.pilots, self.bins, self.edges,
                              self.centres, self.waves, self.windows, self.engine_draws, self.move_draws, self.ints,
                              self.placements, self.scores, self.results, self.events, self.commands)
            if status == DONE:
                break
            if status == NEED_DRAWS:
                self._refill()
            elif status == NEED_ROOM:
                self.bullets, self.events = _grown(self.bullets, 0), _grown(self.events, 0)
                self.waves, self.windows = _grown(self.waves, 1), _grown(self.windows, 1)
            elif status == NEED_LEARN:
                self._learn()
            else:
                raise RuntimeError(f"fast battle loop stopped with status {status}")
        return BattleResult(c, [self._round(r) for r in range(c.rounds)], time.perf_counter() - started)

    def _refill(self) -> None:
        if self.engine_draws.size - self.ints[I_CURSOR_ENGINE] < self.bullets.shape[0] + 2:
            _top_up(self.engine_draws, self.ints, I_CURSOR_ENGINE, self.battle.engine_rng)
        for i in range(2):
            if self.pilots[i, P_MOVE] in DRAWING_MOVEMENTS and \
                    self.move_draws.shape[1] - self.ints[I_CURSOR_MOVE + i] < DRAWS_PER_TICK:
                _top_up(self.move_draws[i], self.ints, I_CURSOR_MOVE + i, self.move_rngs[i])

    def _learn(self) -> None:
        """What KDEGun.learn does with an observation's hit windows, on the windows the loop collected."""
        for i, gun in enumerate(self.guns):
            n = int(self.ints[I_NWINDOWS + i])
            if self.pilots[i, P_GUN] == KDE and n:
                breaks = [SimpleNamespace(a=a, b=b) for a, b in self.windows[i, :n].tolist()]
                gun.learn(SimpleNamespace(my_breaks=breaks))
                self.pilots[i, P_PEAK] = gun.peak
                self.ints[I_NWINDOWS + i] = 0

    def _round(self, r: int) -> RoundResult:
        row = self.results[r]
        winner = int(row[R_WINNER])
        return RoundResult(r, int(row[R_TICKS]), None if winner < 0 else winner,
                           **round_numbers(row[R_SCORES:].reshape(2, SCORE_FIELDS)))


def run_fast_battle(config: BattleConfig) -> BattleResult:
    """run_battle(config) through the compiled loop: the same result; UnsupportedConfig if it cannot be."""
    return FastBattle(config).run()
