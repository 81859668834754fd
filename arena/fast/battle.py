"""Whole battles with the tick loop compiled: the same BattleResult as arena.battle.run_battle, faster.

The compiled loop (`_advance`) runs rounds and ticks: strategies (arena/fast/pilots.py, surfing.py), their
KDE learners (arena/fast/learners.py: the learner's own compiled state functions), the engine step
(arena/fast/engine.py), scoring and the observers' waves. Its arrays travel together, by name, as a `Loop`.
It returns to Python only when a buffer of pre-drawn uniforms runs low (refilled from the same Generator,
so every stream is consumed exactly as the reference consumes it) or an array needs to grow. Strategies
it cannot replicate are refused with a clear error.
"""
from __future__ import annotations

import math
import time
from typing import NamedTuple

import numpy as np
from numba import njit

from .. import rules
from ..battle import Battle, BattleConfig, BattleResult, RoundResult, start_positions
from ..errors import ArenaError
from ..strategies import parameters
from .borrowing import borrowing
from .engine import step_arrays, update_box
from .learners import DANGER as DANGER_ROLE
from .learners import GUN as GUN_ROLE
from .learners import Learners, copy_back, observe_windows, peak, stacked
from .layout import (ACTIVE, BULLET_FIELDS, COMMAND_FIELDS, COOLING_RATE, DEAD, ENERGY, EVENT_FIELDS,
                     EVENTS_PER_TURN, GUN_HEADING, GUN_HEAT, HEADING, HEIGHT, INACTIVITY_COUNTER, INACTIVITY_ENERGY,
                     INACTIVITY_TIME, MAX_VELOCITY, NBULLETS, ROBOT_FIELDS, STATUS, TIME, VELOCITY, WIDTH,
                     WORLD_FIELDS, X, Y)
from . import metric_surfing, situational
from .pilots import (ADAPTIVE_ORBIT, CIRCULAR, DISTANCE_STOP_GO, DRAWING_MOVEMENTS, DRAWS_PER_TICK, DUCK, GF_BINS,
                     GF_SEGMENTED, GUN_NONE, HEAD_ON, KDE, LINEAR, OSCILLATOR, P_AIM_DIRECTION, P_DANGER,
                     P_DANGER_GRID, P_DEPTH, P_FAR, P_FLIP, P_GUN, P_HAS_LAST_HEADING, P_MIN_SPEED, P_MOVE,
                     P_MOVE_DIRECTION, P_NBINS, P_NEAR, P_PEAK, P_PERIOD, P_PLAN_COUNT, P_PLAN_TIME, P_POWER,
                     P_PREFERRED, P_REDRAW, P_REPLAN, P_SAW_FIRE, P_SEGMENT, P_SINCE_WALL_TURN, P_SPEED,
                     P_SPEED_CHANGE, P_STEP, P_STOP, P_TRACK_SPEED, P_VIRTUAL, P_WALL_ANGLE, PILOT_FIELDS,
                     P_SELF_TRACK, RANDOM_ORBIT, SITUATIONAL, STOP_AND_GO, SURFER, draws_randoms, gun_act,
                     learns_from_windows, move_act, track_waves)
from ..scoring import round_numbers
from .scoring import SCORE_FIELDS, finish, record
from .surfing import (ADD_FIELDS, DANGER_BINS, DANGER_KDE, DANGER_METRIC, NOPTIONS, bins_masses, choose_option,
                      detect_enemy_fire, feed_bins, feed_kde, kde_masses, learn_hits, plan_windows, track_enemy_waves)
from .waves import WAVE_FIELDS, add_wave

GUN_KINDS = {"none": GUN_NONE, "head-on": HEAD_ON, "linear": LINEAR, "circular": CIRCULAR, "gf-bins": GF_BINS,
             "kde": KDE, "kde-learned": KDE, "kde-knn": SITUATIONAL, "kde-metric": SITUATIONAL,
             "gf-segmented": GF_SEGMENTED}
MOVEMENT_KINDS = {"duck": DUCK, "oscillator": OSCILLATOR, "random-orbit": RANDOM_ORBIT, "stop-and-go": STOP_AND_GO,
                  "surfer": SURFER, "surfer-kde": SURFER, "surfer-bins": SURFER, "adaptive-orbit": ADAPTIVE_ORBIT,
                  "distance-stop-go": DISTANCE_STOP_GO, "surfer-metric": SURFER}
KNN_PARAMETERS = {"power", "bandwidth", "kernel", "k", "capacity", "virtual"}
KDE_PARAMETERS = {"power", "bandwidth", "kernel", "lr", "loss", "optimizer", "momentum", "capacity", "virtual"}
SURFER_PARAMETERS = {"lr", "bandwidth", "distance", "replan"}  # lr, bandwidth: the danger model's learner
REPLICATED_PARAMETERS = {  # the parameters whose effect the compiled strategies reproduce (KDE ones: its learner)
    ("gun", "none"): {"power"}, ("gun", "head-on"): {"power"}, ("gun", "linear"): {"power"},
    ("gun", "circular"): {"power"}, ("gun", "gf-bins"): {"power", "bins", "virtual"},
    ("gun", "kde"): KDE_PARAMETERS, ("gun", "kde-learned"): KDE_PARAMETERS,
    ("movement", "duck"): set(), ("movement", "oscillator"): {"period", "distance"},
    ("movement", "random-orbit"): {"flip", "distance", "min_speed"}, ("movement", "stop-and-go"): {"step", "distance"},
    ("movement", "surfer"): SURFER_PARAMETERS, ("movement", "surfer-kde"): SURFER_PARAMETERS,
    ("movement", "surfer-bins"): SURFER_PARAMETERS,
    ("movement", "surfer-metric"): {"lr", "bandwidth", "distance", "k", "weight"},  # (the prior: bandwidth only)
    ("gun", "kde-knn"): KNN_PARAMETERS, ("gun", "kde-metric"): KNN_PARAMETERS | {"weight", "lr", "optimizer", "bias"},
    ("gun", "gf-segmented"): {"power", "bins", "depth", "virtual"},
    ("movement", "adaptive-orbit"): {"flip", "near", "far", "redraw", "wall_angle", "min_speed", "speed_change"},
    ("movement", "distance-stop-go"): {"stop", "near", "far", "redraw", "flip"},
}

# what _advance returns
DONE, NEED_DRAWS, NEED_ROOM, BROKEN = range(4)
# the loop's counters: the battle's, and each robot's (read and written by name, as numba records)
COUNTERS = np.dtype([("round", np.int64), ("in_round", np.int64), ("nev", np.int64)])
SIDE_COUNTERS = np.dtype([("move_cursor", np.int64), ("nwaves", np.int64), ("nwindows", np.int64),
                          ("nenemy_waves", np.int64), ("npassed", np.int64), ("nadds", np.int64)])
R_TICKS, R_WINNER, R_SCORES = 0, 1, 2  # result row: ticks, winner (-1: draw), then each robot's score row
ENGINE_DRAWS, MOVE_DRAWS = 4096, 1024


class Surfing(NamedTuple):
    """The surfers' arrays (per robot: first axis of size 2): the enemy's detected waves, those that passed
    this tick and advance's scratch; hit windows queued for the danger model; the bins danger's counts and
    edges with scratch for bin fractions; the KDE danger's density at the grid nodes read since the last hit
    (danger.kde_mass); the plan (surfed wave rows, their times to impact, each option's windows and masses);
    scratch for the predicted robot (and its row before the last predicted turn) and its commands."""
    enemy_waves: np.ndarray
    passed: np.ndarray
    wave_scratch: np.ndarray
    adds: np.ndarray
    danger_counts: np.ndarray
    danger_edges: np.ndarray
    fractions: np.ndarray
    danger_grid: np.ndarray
    surfed: np.ndarray
    ttis: np.ndarray
    plan_windows: np.ndarray
    masses: np.ndarray
    sim: np.ndarray
    sim_command: np.ndarray


class Loop(NamedTuple):
    """Every array the compiled loop reads and writes, by name (per robot: first axis of size 2)."""
    robots: np.ndarray  # engine state (arena/fast/layout.py), and the robots before this tick's step
    prev: np.ndarray
    bullets: np.ndarray
    world: np.ndarray
    commands: np.ndarray
    events: np.ndarray  # the last step's events (counters.nev of them)
    engine_draws: np.ndarray  # uniforms for the engine's random order, read at engine_cursor[0]
    engine_cursor: np.ndarray
    no_order: np.ndarray  # step_arrays' optional orders, empty: the engine draws them
    no_keys: np.ndarray
    move_draws: np.ndarray  # per robot: uniforms for its movement, read at its move_cursor
    placements: np.ndarray  # (round, robot, x/y/heading)
    pilots: np.ndarray  # per robot: strategy parameters and state (arena/fast/pilots.py)
    bins: np.ndarray  # gf-bins gun: counts, edges, centres
    edges: np.ndarray
    centres: np.ndarray
    waves: np.ndarray  # own waves (gf-bins, KDE guns) and the hit windows they gave
    windows: np.ndarray
    surf: Surfing
    learners: Learners  # the KDE guns' and KDE danger models' learners (arena/fast/learners.py)
    situ: situational.Situ  # the situation-aware guns' histories and models (arena/fast/situational.py)
    msurf: metric_surfing.MetricSurfing  # surfer-metric's history and model (arena/fast/metric_surfing.py)
    scores: np.ndarray
    results: np.ndarray
    counters: np.ndarray
    sides: np.ndarray


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
# numba counts a reference for every array member of a tuple each time the tuple is handed to a function
# (inlined or not), so the Loop is taken apart once per _advance call and each per-tick function below is
# handed the arrays it uses: handing the whole Loop to the five per-tick helpers cost a third of a tick.
@borrowing
def _start_round(s):
    c = s.counters[0]
    c.round += 1
    c.in_round = 1
    c.nev = 0
    robots, world = s.robots, s.world
    for i in range(2):
        robot = robots[i]
        robot[:] = 0.0
        robot[X], robot[Y], robot[HEADING] = s.placements[c.round, i, 0], s.placements[c.round, i, 1], \
            s.placements[c.round, i, 2]
        robot[GUN_HEADING] = robot[HEADING]
        robot[ENERGY] = rules.START_ENERGY
        robot[GUN_HEAT] = rules.START_GUN_HEAT
        robot[STATUS] = ACTIVE
        robot[MAX_VELOCITY] = rules.MAX_VELOCITY
        update_box(robot)
    world[TIME] = world[INACTIVITY_COUNTER] = world[INACTIVITY_ENERGY] = world[NBULLETS] = 0.0
    world[COOLING_RATE] = rules.GUN_COOLING_RATE
    world[INACTIVITY_TIME] = rules.INACTIVITY_TIME
    s.scores[:, :] = 0.0
    for i in range(2):
        p, side = s.pilots[i], s.sides[i]
        p[P_HAS_LAST_HEADING] = 0.0  # the circular gun forgets the enemy's last heading
        p[P_SAW_FIRE] = 0.0
        p[P_PLAN_COUNT] = 0.0  # the surfer forgets its plan (not its direction)
        p[P_PLAN_TIME] = -p[P_REPLAN]
        situational.start_round(p, s.situ, i)
        situational.start_tracker(p, P_SELF_TRACK, s.msurf.ring[i])
        side.nwaves = side.nwindows = side.nenemy_waves = side.npassed = 0
        if learns_from_windows(p) and not math.isnan(p[P_VIRTUAL]):  # the first observation's virtual wave
            me, enemy = robots[i], robots[1 - i]
            side.nwaves = add_wave(s.waves[i], side.nwaves, me[X], me[Y], enemy[X], enemy[Y], enemy[HEADING],
                                   enemy[VELOCITY], 0.0, p[P_VIRTUAL])


@borrowing
def _surf_plan(i, p, side, robots, world, events, nev, learners, surf):
    """Surfer.act up to its command: learn from last tick's hits, re-plan if due."""
    side.nadds = learn_hits(i, world, events, nev, surf.enemy_waves[i], side.nenemy_waves, surf.passed[i],
                            side.npassed, surf.adds[i], side.nadds)
    k, grid = 2 * i + DANGER_ROLE, surf.danger_grid[i, :int(p[P_DANGER_GRID])]
    bins = p[P_DANGER] == DANGER_BINS
    if side.nadds > 0:
        if bins:
            feed_bins(surf.danger_counts[i], surf.danger_edges[i], surf.adds[i], side.nadds, surf.fractions)
        else:
            feed_kde(learners, k, grid, surf.adds[i], side.nadds)
        side.nadds = 0
    if not plan_windows(p, robots, i, world, surf.enemy_waves[i], side.nenemy_waves, surf.surfed[i], surf.ttis[i],
                        surf.plan_windows[i], surf.sim, surf.sim_command):
        return
    count = int(p[P_PLAN_COUNT])
    if bins:
        bins_masses(surf.danger_counts[i], surf.danger_edges[i], surf.plan_windows[i], count, surf.fractions,
                    surf.masses[i])
    else:
        kde_masses(learners, k, grid, surf.plan_windows[i], count, surf.masses[i])
    choose_option(p, surf.plan_windows[i], surf.masses[i], surf.ttis[i], count)


@borrowing
def _learn(i, p, side, windows, learners):
    """KDEGun.learn: the gun's learner observes this tick's hit windows and finds its new peak."""
    observe_windows(learners, 2 * i + GUN_ROLE, windows, side.nwindows)
    p[P_PEAK] = peak(learners, 2 * i + GUN_ROLE)
    side.nwindows = 0


@njit(cache=True, inline="always")
def _act(i, p, side, cmd, robots, world, move_draws, bins, edges, centres, windows):
    """Robot i's Movement.act and Gun.act (after the surfer's plan and the KDE gun's learning): its commands."""
    me, enemy = robots[i], robots[1 - i]
    move_act(p, cmd, me, enemy, world, move_draws, side)
    nbins = int(p[P_NBINS])
    gun_act(p, cmd, me, enemy, world, bins[:nbins], edges[:nbins + 1], centres[:nbins], windows, side.nwindows)
    if p[P_GUN] == GF_BINS:
        side.nwindows = 0


@njit(cache=True, inline="always")
def _observe(i, p, side, robots, prev, world, events, nev, waves, windows, enemy_waves, passed, wave_scratch):
    """Observer.observe for what robot i's strategies use: its own waves, enemy fire, the enemy's waves."""
    if learns_from_windows(p):
        side.nwaves, side.nwindows = track_waves(i, p, robots, prev, world, events, nev, waves, side.nwaves,
                                                 windows, side.nwindows)
    if p[P_MOVE] == STOP_AND_GO:
        p[P_SAW_FIRE] = 0.0 if math.isnan(detect_enemy_fire(prev[1 - i], robots[1 - i], events, nev,
                                                             float(i))) else 1.0
    elif p[P_MOVE] == SURFER or p[P_MOVE] == DISTANCE_STOP_GO:
        side.nenemy_waves, side.npassed = track_enemy_waves(i, robots, prev, world, events, nev, enemy_waves,
                                                            side.nenemy_waves, passed, wave_scratch)


@njit(cache=True, inline="always")
def _needs_room(bullets, events, waves, world, sides):
    nb = int(world[NBULLETS])
    most = 0
    for i in range(2):
        side = sides[i]
        most = max(most, side.nwaves, side.nenemy_waves, side.nadds + nb)
    return nb + 2 > bullets.shape[0] or nb + 2 + EVENTS_PER_TURN > events.shape[0] or most + 2 > waves.shape[1]


@njit(cache=True, inline="always")
def _needs_draws(engine_draws, engine_cursor, world, pilots, move_draws, sides):
    if engine_draws.size - engine_cursor[0] < int(world[NBULLETS]) + 2:
        return True
    for i in range(2):
        if draws_randoms(pilots[i]) and move_draws.shape[1] - sides[i].move_cursor < DRAWS_PER_TICK:
            return True
    return False


@borrowing
def _advance(s):
    """Run ticks and rounds until the battle is over or Python must step in; returns what happened.
    A tick is Battle.tick: both pilots act, the engine steps, the scorer and the observers take the events."""
    c = s.counters[0]
    robots, prev, bullets, world, commands, events = s.robots, s.prev, s.bullets, s.world, s.commands, s.events
    engine_draws, engine_cursor, move_draws = s.engine_draws, s.engine_cursor, s.move_draws
    pilots, sides, scores, results = s.pilots, s.sides, s.scores, s.results
    bins, edges, centres, waves, windows = s.bins, s.edges, s.centres, s.waves, s.windows
    learners, surf, situ, msurf = s.learners, s.surf, s.situ, s.msurf
    enemy_waves, passed, wave_scratch = surf.enemy_waves, surf.passed, surf.wave_scratch
    while True:
        if c.in_round == 0:
            if c.round + 1 >= s.placements.shape[0]:
                return DONE
            _start_round(s)
        if _needs_room(bullets, events, waves, world, sides):
            return NEED_ROOM
        if _needs_draws(engine_draws, engine_cursor, world, pilots, move_draws, sides):
            return NEED_DRAWS
        for i in range(2):
            p, side, cmd = pilots[i], sides[i], commands[i]
            cmd[:] = np.nan
            if robots[i, STATUS] == DEAD:
                continue
            if p[P_MOVE] == SURFER:
                if p[P_DANGER] == DANGER_METRIC:
                    metric_surfing.surf_plan(i, p, side, robots, world, events, c.nev, learners, surf, msurf)
                else:
                    _surf_plan(i, p, side, robots, world, events, c.nev, learners, surf)
            if p[P_GUN] == KDE and side.nwindows > 0:
                _learn(i, p, side, windows[i], learners)
            _act(i, p, side, cmd, robots, world, move_draws[i], bins[i], edges[i], centres[i], windows[i])
            if situational.aims_by_situation(p) or situational.moves_by_situation(p):
                situational.act(i, p, side, cmd, robots, world, move_draws[i], windows[i], enemy_waves[i], situ)
        for i in range(2):  # (element by element: array-to-array assignment compiles shape checks)
            for k in range(ROBOT_FIELDS):
                prev[i, k] = robots[i, k]
        nev = step_arrays(robots, bullets, world, commands, engine_draws, engine_cursor, s.no_order, s.no_keys,
                          events)
        if nev < 0:
            return BROKEN
        c.nev = nev
        record(scores, events, nev, robots)
        for i in range(2):
            _observe(i, pilots[i], sides[i], robots, prev, world, events, nev, waves[i], windows[i], enemy_waves[i],
                     passed[i], wave_scratch)
        if robots[0, STATUS] == DEAD or robots[1, STATUS] == DEAD:
            r = c.round
            results[r, R_WINNER] = finish(scores, robots)
            results[r, R_TICKS] = world[TIME]
            for i in range(2):
                for k in range(SCORE_FIELDS):
                    results[r, R_SCORES + i * SCORE_FIELDS + k] = scores[i, k]
            c.in_round = 0


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
    row[P_REPLAN] = getattr(movement, "replan", 1)
    row[P_DEPTH] = getattr(gun, "depth", 0.0)
    row[P_SEGMENT] = -1.0
    row[P_TRACK_SPEED] = math.nan
    for column, name in ((P_NEAR, "near"), (P_FAR, "far"), (P_REDRAW, "redraw"), (P_WALL_ANGLE, "wall_angle"),
                         (P_SPEED_CHANGE, "speed_change"), (P_STOP, "stop"), (P_SINCE_WALL_TURN, "since_wall_turn")):
        row[column] = getattr(movement, name, 0.0)
    return row


def _top_up(buffer: np.ndarray, read: int, rng: np.random.Generator) -> None:
    """Keep the unread draws (from `read` on), top the buffer up with the Generator's next ones."""
    rest = buffer.size - read
    buffer[:rest] = buffer[read:].copy()
    buffer[rest:] = rng.random(buffer.size - rest)


def _grown(array: np.ndarray, axis: int) -> np.ndarray:
    shape = list(array.shape)
    old = shape[axis]
    shape[axis] = 2 * old
    out = np.zeros(shape, array.dtype)
    out[(slice(None),) * axis + (slice(0, old),)] = array
    return out


GROWN_WITH_BULLETS = ("bullets", "events")  # grown on axis 0 when bullets need room; the rest on their wave axis
GROWN_WITH_WAVES = {"waves": 1, "windows": 1}
SURF_GROWN_WITH_WAVES = {"enemy_waves": 1, "passed": 1, "wave_scratch": 0, "adds": 1}


class FastBattle:
    """One battle: the arrays of the compiled loop, and the Python work it hands back."""

    def __init__(self, config: BattleConfig):
        self.battle = Battle(config)  # validates and builds strategies and seeded streams exactly as run_battle does
        check_supported(config)
        self.config = config
        self.guns = [p.gun for p in self.battle.pilots]
        self.movements = [p.movement for p in self.battle.pilots]
        pilots = np.array([_pilot_row(p.gun, p.movement, config.power) for p in self.battle.pilots])
        nbins = max(1, *(len(getattr(g, "bins", ())) for g in self.guns))
        bins, edges, centres = np.zeros((2, nbins)), np.zeros((2, nbins + 1)), np.zeros((2, nbins))
        for i, gun in enumerate(self.guns):
            if pilots[i, P_GUN] == GF_BINS:
                n = len(gun.bins)
                bins[i, :n] = gun.bins
                edges[i, :n + 1] = gun.edges
                centres[i, :n] = (gun.edges[:-1] + gun.edges[1:]) / 2
        world = np.zeros(WORLD_FIELDS)
        world[WIDTH], world[HEIGHT] = config.width, config.height
        metrics = [metric_surfing.metric_danger(m) for m in self.movements]
        dangers = [getattr(m, "danger", None) if metric is None else metric.prior  # (a metric danger's prior: KDE)
                   for m, metric in zip(self.movements, metrics)]
        nbins = max(1, *(len(getattr(d, "counts", ())) for d in dangers))
        danger_counts, danger_edges = np.zeros((2, nbins)), np.zeros((2, nbins + 1))
        grids = [getattr(d, "grid", np.zeros(0)) for d in dangers]
        danger_grid = np.zeros((2, max(1, *(g.size for g in grids))))
        for i, d in enumerate(dangers):
            if hasattr(d, "counts"):
                pilots[i, P_DANGER] = DANGER_BINS
                danger_counts[i], danger_edges[i] = d.counts, d.edges
            else:
                pilots[i, P_DANGER] = DANGER_KDE
                pilots[i, P_DANGER_GRID] = grids[i].size
                danger_grid[i, :grids[i].size] = grids[i]
                if metrics[i] is not None:
                    pilots[i, P_DANGER] = DANGER_METRIC
        learners = stacked([getattr(owner, "learner", None) for i in range(2)
                            for owner in (self.guns[i], dangers[i])])  # slot 2 i + GUN_ROLE / DANGER_ROLE
        counters = np.zeros(1, COUNTERS)
        counters["round"] = -1
        sides = np.zeros(2, SIDE_COUNTERS)
        sides["move_cursor"] = MOVE_DRAWS  # empty: the first refill reads from the Generators
        waves = 64
        self.loop = Loop(
            robots=np.zeros((2, ROBOT_FIELDS)), prev=np.zeros((2, ROBOT_FIELDS)), bullets=np.zeros((16, BULLET_FIELDS)),
            world=world, commands=np.zeros((2, COMMAND_FIELDS)), events=np.zeros((16 + EVENTS_PER_TURN, EVENT_FIELDS)),
            engine_draws=np.zeros(ENGINE_DRAWS), engine_cursor=np.full(1, ENGINE_DRAWS, np.int64),
            no_order=np.zeros(0, np.int64), no_keys=np.zeros(0),
            move_draws=np.zeros((2, MOVE_DRAWS)), placements=np.zeros((config.rounds, 2, 3)), pilots=pilots,
            bins=bins, edges=edges, centres=centres,
            waves=np.zeros((2, waves, WAVE_FIELDS)), windows=np.zeros((2, waves, situational.WINDOW_FIELDS)),
            surf=Surfing(enemy_waves=np.zeros((2, waves, WAVE_FIELDS)), passed=np.zeros((2, waves, WAVE_FIELDS)),
                         wave_scratch=np.zeros((waves, 2)), adds=np.zeros((2, waves, ADD_FIELDS)),
                         danger_counts=danger_counts, danger_edges=danger_edges,
                         fractions=np.zeros(danger_counts.shape[1]), danger_grid=danger_grid,
                         surfed=np.zeros((2, 2), np.int64), ttis=np.zeros((2, 2)),
                         plan_windows=np.zeros((2, NOPTIONS, 2, 2)), masses=np.zeros((2, NOPTIONS, 2)),
                         sim=np.zeros((2, ROBOT_FIELDS)), sim_command=np.zeros(COMMAND_FIELDS)),
            learners=learners, situ=situational.build(self.guns), msurf=metric_surfing.build(self.movements),
            scores=np.zeros((2, SCORE_FIELDS)), results=np.zeros((config.rounds, R_SCORES + 2 * SCORE_FIELDS)),
            counters=counters, sides=sides)

    def run(self) -> BattleResult:
        """Play the battle (once: the Generators move on)."""
        if self.loop.counters["round"][0] != -1:
            raise RuntimeError("a FastBattle plays its battle once; make a new one to play again")
        started = time.perf_counter()
        c = self.config
        s = self.loop
        for r in range(c.rounds):  # the placement stream is read by nothing else: draw every round's starts now
            s.placements[r] = [(b.x, b.y, b.heading) for b in start_positions(self.battle.placement_rng,
                                                                              c.width, c.height)]
        while True:
            status = _advance(s)
            if status == DONE:
                break
            if status == NEED_DRAWS:
                self._refill()
            elif status == NEED_ROOM:
                self._grow()
                s = self.loop
            else:
                raise RuntimeError(f"fast battle loop stopped with status {status}")
        self._leave_state()
        return BattleResult(c, [self._round(r) for r in range(c.rounds)], time.perf_counter() - started)

    def _refill(self) -> None:
        s = self.loop
        if s.engine_draws.size - s.engine_cursor[0] < s.bullets.shape[0] + 2:
            _top_up(s.engine_draws, int(s.engine_cursor[0]), self.battle.engine_rng)
            s.engine_cursor[0] = 0
        for i in range(2):
            if s.pilots[i, P_MOVE] in DRAWING_MOVEMENTS and \
                    s.move_draws.shape[1] - s.sides["move_cursor"][i] < DRAWS_PER_TICK:
                _top_up(s.move_draws[i], int(s.sides["move_cursor"][i]), self.movements[i].rng)
                s.sides["move_cursor"][i] = 0

    def _grow(self) -> None:
        s = self.loop
        grown = {name: _grown(getattr(s, name), 0) for name in GROWN_WITH_BULLETS}
        grown.update({name: _grown(getattr(s, name), axis) for name, axis in GROWN_WITH_WAVES.items()})
        grown["surf"] = s.surf._replace(**{name: _grown(getattr(s.surf, name), axis)
                                           for name, axis in SURF_GROWN_WITH_WAVES.items()})
        self.loop = s._replace(**grown)

    def _leave_state(self) -> None:
        """Leave what the strategies learned in the strategy objects, as the reference battle leaves it."""
        s = self.loop
        situational.leave_state(s.situ, s.pilots, self.guns)
        metric_surfing.leave_state(s.msurf, self.movements)
        for i, (gun, movement) in enumerate(zip(self.guns, self.movements)):
            if s.pilots[i, P_GUN] == KDE:
                copy_back(s.learners, 2 * i + GUN_ROLE, gun.learner)
                gun.peak = float(s.pilots[i, P_PEAK])
            if s.pilots[i, P_MOVE] == SURFER:
                danger = movement.danger if s.pilots[i, P_DANGER] != DANGER_METRIC else movement.danger.prior
                if s.pilots[i, P_DANGER] == DANGER_BINS:
                    danger.counts[:] = s.surf.danger_counts[i]
                else:
                    copy_back(s.learners, 2 * i + DANGER_ROLE, danger.learner)
                    danger.grid[:] = s.surf.danger_grid[i, :danger.grid.size]

    def _round(self, r: int) -> RoundResult:
        row = self.loop.results[r]
        winner = int(row[R_WINNER])
        return RoundResult(r, int(row[R_TICKS]), None if winner < 0 else winner,
                           **round_numbers(row[R_SCORES:].reshape(2, SCORE_FIELDS)))


def run_fast_battle(config: BattleConfig) -> BattleResult:
    """run_battle(config) through the compiled loop: the same result; UnsupportedConfig if it cannot be."""
    return FastBattle(config).run()
