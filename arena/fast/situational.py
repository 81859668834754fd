"""The situation-aware strategies in the compiled loop: kde-knn, kde-metric, gf-segmented, adaptive-orbit and
distance-stop-go.

Every rule is the reference's own function: the situation tracker's step and the feature vector
(arena.features, marked @jit), the segmented gun's segment, rolling average and aim, the movers'
reversal and stop rules (marked @jit in their modules), and the learned-metric model
(learner.metric's compiled observe_window and peak_of over the gun's own MetricState arrays).
What is here is only the order in which Gun.act and Movement.act call them, over arrays: each gun's
situation history is a ring of HISTORY_TICKS rows (the tracker's dict by tick), and the movers read
their uniforms from the pre-drawn buffer in the order the reference draws them.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from learner.metric import MetricKDE, MetricState, observe_window, peak_grid, peak_of

from .. import rules
from ..features import HISTORY_TICKS, N_FEATURES, feature_values, next_situation, orbit_room
from ..geometry import normal_relative_angle
from ..rules import bullet_speed
from ..strategies.gf_segmented import (FLIGHT, FLIGHT_EDGES, LATERAL, LATERAL_EDGES, WALL_AHEAD, WALL_EDGES,
                                       fullest_centre, roll_in, segment_of_values)
from ..strategies.situational import AIM_HEAT
from ..strategies.situational_movers import RESUME_MIN_SPEED, flip_rate, stop_ticks, wall_turn_due
from .borrowing import owning
from .layout import (C_AHEAD, C_FIRE, C_TURN, C_TURN_GUN, DEAD, ENERGY, GUN_HEADING, GUN_HEAT, GUN_TURN, HEADING,
                     HEIGHT, STATUS, TIME, VELOCITY, WIDTH, X, Y)
from .pilots import (ADAPTIVE_ORBIT, DISTANCE_STOP_GO, GF_SEGMENTED, ORBIT_STEP, P_DEPTH, P_FAR, P_FLIP, P_GUN,
                     P_MIN_SPEED, P_MOVE, P_MOVE_DIRECTION, P_NEAR, P_PEAK, P_POWER, P_PREFERRED, P_REDRAW,
                     P_ROUND_DRAW, P_SEGMENT, P_SINCE_WALL_TURN, P_SPEED, P_SPEED_CHANGE, P_STOP, P_TRACK_SPEED,
                     P_UNTIL, P_VIRTUAL, P_WALL_ANGLE, SITUATIONAL, _frame_angle, orbit)
from .pymath import hypot
from .waves import W_FIRE_TIME, W_SPEED

SITUATION_FIELDS = 10  # arena.features.Situation's fields, in order; then the tick the row is for
R_TIME = SITUATION_FIELDS
NSEGMENTS = (len(FLIGHT_EDGES) + 1) * (len(LATERAL_EDGES) + 1) * (len(WALL_EDGES) + 1)
WINDOW_FIELDS = 4  # the loop's hit windows: a, b, and the fire time and speed of the wave they came from


class Situ(NamedTuple):
    """Per robot (first axis 2): situation history, the metric model, the segmented gun's bins, scratch."""
    ring: np.ndarray  # (2, HISTORY_TICKS, SITUATION_FIELDS + 1): the situation at tick t in row t % HISTORY_TICKS
    metric: MetricState  # each field with a leading robot axis (an unused robot: a one-point model)
    stats: np.ndarray  # gf-segmented: (2, NSEGMENTS, bins) segments in C order of (flight, lateral, wall)
    pooled: np.ndarray  # (2, bins)
    seen: np.ndarray  # (2, NSEGMENTS) windows each segment took
    edges: np.ndarray  # (2, bins + 1)
    grid: np.ndarray  # the peak grid (learner.metric's) and its scratch
    grid_out: np.ndarray
    query: np.ndarray  # scratch: one feature vector


def aims_by_situation(p) -> bool:
    return p[P_GUN] == SITUATIONAL or p[P_GUN] == GF_SEGMENTED


def moves_by_situation(p) -> bool:
    return p[P_MOVE] == ADAPTIVE_ORBIT or p[P_MOVE] == DISTANCE_STOP_GO


aims_by_situation, moves_by_situation = njit(cache=True)(aims_by_situation), njit(cache=True)(moves_by_situation)


# -- the Python side: arrays from the strategy objects, and back -----------------------------------------
def _stacked(states: list) -> MetricState:
    """The states with a leading robot axis, each field padded to the largest."""
    fields = []
    for values in zip(*states):
        shape = np.max([v.shape for v in values], axis=0)
        out = np.zeros((len(values), *shape), values[0].dtype)
        for i, v in enumerate(values):
            out[(i, *(slice(0, n) for n in v.shape))] = v
        fields.append(out)
    return MetricState(*fields)


def build(guns: list) -> Situ:
    """The loop's arrays for these guns (the reference strategy objects, before the battle)."""
    unused = MetricKDE(N_FEATURES, capacity=1).state
    metric = _stacked([g.model.state if hasattr(g, "model") else unused for g in guns])
    nbins = max([1] + [g.stats.shape[-1] for g in guns if hasattr(g, "stats")])
    stats, pooled = np.zeros((2, NSEGMENTS, nbins)), np.zeros((2, nbins))
    seen, edges = np.zeros((2, NSEGMENTS)), np.zeros((2, nbins + 1))
    for i, gun in enumerate(guns):
        if hasattr(gun, "stats"):
            n = gun.stats.shape[-1]
            stats[i, :, :n] = gun.stats.reshape(NSEGMENTS, n)
            pooled[i, :n], seen[i], edges[i, :n + 1] = gun.pooled, gun.seen.ravel(), gun.edges
    ring = np.zeros((2, HISTORY_TICKS, SITUATION_FIELDS + 1))
    ring[:, :, R_TIME] = -1.0
    grid = peak_grid()
    return Situ(ring, metric, stats, pooled, seen, edges, grid, np.empty(grid.size), np.empty(N_FEATURES))


def leave_state(situ: Situ, pilots: np.ndarray, guns: list) -> None:
    """Leave what the guns learned in the strategy objects, as the reference battle leaves it."""
    for i, gun in enumerate(guns):
        if pilots[i, P_GUN] == SITUATIONAL:
            for field, value in zip(situ.metric, gun.model.state):
                value[...] = field[(i, *(slice(0, n) for n in value.shape))]
            gun.peak = float(pilots[i, P_PEAK])
        elif pilots[i, P_GUN] == GF_SEGMENTED:
            n = gun.stats.shape[-1]
            gun.stats[...] = situ.stats[i, :, :n].reshape(gun.stats.shape)
            gun.pooled[:] = situ.pooled[i, :n]
            gun.seen[...] = situ.seen[i].reshape(gun.seen.shape)
            if pilots[i, P_SEGMENT] >= 0:
                gun.segment = tuple(int(k) for k in np.unravel_index(int(pilots[i, P_SEGMENT]), gun.seen.shape))


# -- the compiled side ---------------------------------------------------------------------------------
@owning
def start_round(p, situ, i):
    """The strategies' start_round: the tracker forgets; a distance-drawing mover draws a new distance (on
    its first tick, the next thing its Generator gives) and distance-stop-go stops waiting."""
    start_tracker(p, P_TRACK_SPEED, situ.ring[i])
    if moves_by_situation(p):
        p[P_ROUND_DRAW] = 1.0
        p[P_UNTIL] = -1.0


# A tracker's state is four pilot columns from `column` on (last speed, ticks since the speed changed, since
# the direction reversed, direction), in SituationTracker's order; its history is a ring (one robot's rows).
TRACK_SPEED, TRACK_SINCE_SPEED, TRACK_SINCE_REVERSE, TRACK_DIRECTION = range(4)


@owning
def start_tracker(p, column, ring):
    """SituationTracker.start_round: no history, no last speed, counters 0, direction +1."""
    p[column + TRACK_SPEED] = np.nan
    p[column + TRACK_SINCE_SPEED] = p[column + TRACK_SINCE_REVERSE] = 0.0
    p[column + TRACK_DIRECTION] = 1.0
    ring[:, R_TIME] = -1.0


@owning
def situation_row(ring, tick):
    """The row of the situation recorded at `tick`, or -1 if none is kept (SituationTracker.history.get)."""
    row = int(tick) % HISTORY_TICKS
    return row if ring[row, R_TIME] == tick else -1


@owning
def row_features(r, speed, world, out):
    """arena.features.features of a ring row `r` for bullets of `speed`, into `out`."""
    feature_values(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], speed, world[WIDTH], world[HEIGHT],
                   out)


@owning
def track(p, column, ring, now, sx, sy, target):
    """SituationTracker.update: record the target's situation at `now` as seen from (sx, sy)."""
    values = next_situation(p[column + TRACK_SPEED], p[column + TRACK_SINCE_SPEED],
                            p[column + TRACK_SINCE_REVERSE], p[column + TRACK_DIRECTION], sx, sy, target[X],
                            target[Y], target[HEADING], target[VELOCITY])
    r = ring[int(now) % HISTORY_TICKS]
    for k in range(SITUATION_FIELDS):
        r[k] = values[k]
    r[R_TIME] = now
    p[column + TRACK_SINCE_SPEED], p[column + TRACK_SINCE_REVERSE] = values[7], values[8]
    p[column + TRACK_DIRECTION] = values[9]
    p[column + TRACK_SPEED] = abs(target[VELOCITY])


@owning
def _situation(situ, i, tick):
    return situation_row(situ.ring[i], tick)


@owning
def _features(situ, i, row, speed, world):
    """The gun's feature vector of its ring row, into situ.query."""
    row_features(situ.ring[i, row], speed, world, situ.query)


@owning
def _segment(query):
    f, lat, wall = segment_of_values(query[FLIGHT], query[LATERAL], query[WALL_AHEAD])
    return (f * (len(LATERAL_EDGES) + 1) + lat) * (len(WALL_EDGES) + 1) + wall


@owning
def _learn(p, situ, i, a, b):
    """The gun's model takes window [a, b] of a wave fired in the situation in situ.query."""
    if p[P_GUN] == SITUATIONAL:
        m = situ.metric
        observe_window(m.cfg[i], m.theta[i], m.opt[i], m.points[i], m.features[i], m.bias[i], m.count[i], m.dist[i],
                       m.index[i], m.work[i], situ.query, a, b)
    else:
        seg = _segment(situ.query)
        roll_in(situ.stats[i, seg], situ.pooled[i], situ.edges[i], a, b, p[P_DEPTH])
        situ.seen[i, seg] += 1.0


@owning
def _gf(p, me, situ, i, row, world):
    """The GF the gun aims at now (SituationalGun.aim's peak; SegmentedGFGun's fullest bin)."""
    if p[P_GUN] == SITUATIONAL:
        if me[GUN_HEAT] <= AIM_HEAT + 1e-9 or not math.isnan(p[P_VIRTUAL]):
            _features(situ, i, row, bullet_speed(p[P_POWER]), world)
            m = situ.metric
            p[P_PEAK] = peak_of(m.cfg[i], m.theta[i], m.points[i], m.features[i], m.bias[i], m.count[i], m.dist[i],
                                m.index[i], m.work[i], situ.query, situ.grid, situ.grid_out)
        return p[P_PEAK]
    _features(situ, i, row, bullet_speed(p[P_POWER]), world)
    seg = _segment(situ.query)
    p[P_SEGMENT] = seg
    bins = situ.stats[i, seg] if situ.seen[i, seg] != 0.0 else situ.pooled[i]
    return fullest_centre(bins, situ.edges[i])


@owning
def gun_act(p, cmd, me, enemy, world, situ, i, windows, nwin):
    """Gun.act of a situation-aware gun: track the enemy, learn from this tick's windows, fire, aim."""
    now = world[TIME]
    sx = me[X] + me[VELOCITY] * math.sin(me[HEADING])  # base.next_position
    sy = me[Y] + me[VELOCITY] * math.cos(me[HEADING])
    if enemy[STATUS] != DEAD:
        track(p, P_TRACK_SPEED, situ.ring[i], now, sx, sy, enemy)
    for k in range(nwin):
        row = _situation(situ, i, windows[k, 2])
        if row >= 0:
            _features(situ, i, row, windows[k, 3], world)
            _learn(p, situ, i, windows[k, 0], windows[k, 1])
    if enemy[STATUS] == DEAD:
        return
    ready = me[GUN_HEAT] == 0 and abs(me[GUN_TURN]) < 1e-9 and me[ENERGY] > 0
    angle = _frame_angle(p, sx, sy, enemy, _gf(p, me, situ, i, _situation(situ, i, now), world))
    cmd[C_TURN_GUN] = normal_relative_angle(angle - me[GUN_HEADING])
    if ready:
        cmd[C_FIRE] = p[P_POWER]


@owning
def _draw(draws, side):
    u = draws[side.move_cursor]
    side.move_cursor += 1
    return u


@owning
def _uniform(lo, hi, draws, side):
    """Generator.uniform(lo, hi) from the next pre-drawn uniform."""
    return lo + (hi - lo) * _draw(draws, side)


@owning
def move_act(p, cmd, me, enemy, world, draws, side, enemy_waves, nenemy):
    """Movement.act of adaptive-orbit and distance-stop-go (nothing for other movements)."""
    if not moves_by_situation(p):
        return
    if p[P_ROUND_DRAW] != 0.0:  # DistanceDrawing.start_round
        p[P_PREFERRED] = _uniform(p[P_NEAR], p[P_FAR], draws, side)
        p[P_ROUND_DRAW] = 0.0
    if _draw(draws, side) < p[P_REDRAW]:  # DistanceDrawing.tick
        p[P_PREFERRED] = _uniform(p[P_NEAR], p[P_FAR], draws, side)
    if enemy[STATUS] == DEAD:
        cmd[C_AHEAD] = 0.0
        return
    distance = hypot(enemy[X] - me[X], enemy[Y] - me[Y])  # the scan's
    if p[P_MOVE] == ADAPTIVE_ORBIT:
        p[P_SINCE_WALL_TURN] += 1.0
        room = orbit_room(enemy[X], enemy[Y], math.atan2(me[X] - enemy[X], me[Y] - enemy[Y]), max(distance, 1e-9),
                          p[P_MOVE_DIRECTION], world[WIDTH], world[HEIGHT])
        if wall_turn_due(room, p[P_WALL_ANGLE], distance, p[P_SINCE_WALL_TURN]):
            p[P_MOVE_DIRECTION], p[P_SINCE_WALL_TURN] = -p[P_MOVE_DIRECTION], 0.0
        elif _draw(draws, side) < flip_rate(p[P_FLIP], distance):
            p[P_MOVE_DIRECTION] = -p[P_MOVE_DIRECTION]
        if _draw(draws, side) < p[P_SPEED_CHANGE]:
            p[P_SPEED] = _uniform(p[P_MIN_SPEED], rules.MAX_VELOCITY, draws, side)
    else:
        now = world[TIME]
        for k in range(nenemy):  # a wave not seen before is one detected this tick (fired last tick)
            if enemy_waves[k, W_FIRE_TIME] == now - 1.0:
                p[P_UNTIL] = now + stop_ticks(p[P_STOP], distance, enemy_waves[k, W_SPEED])
                if _draw(draws, side) < p[P_FLIP]:
                    p[P_MOVE_DIRECTION] = -p[P_MOVE_DIRECTION]
                p[P_SPEED] = _uniform(RESUME_MIN_SPEED, rules.MAX_VELOCITY, draws, side)
        if now < p[P_UNTIL]:
            cmd[C_AHEAD] = 0.0
            cmd[C_TURN] = 0.0
            return
    orbit(cmd, me, enemy, p[P_MOVE_DIRECTION], world[WIDTH], world[HEIGHT], p[P_PREFERRED], p[P_SPEED], ORBIT_STEP)


@owning
def act(i, p, side, cmd, robots, world, draws, windows, enemy_waves, situ):
    """Movement.act and Gun.act where they are situation-aware (arena/fast/pilots.py's act leaves these
    kinds alone; the two write different commands and read different state, so their order is free)."""
    me, enemy = robots[i], robots[1 - i]
    move_act(p, cmd, me, enemy, world, draws, side, enemy_waves, side.nenemy_waves)
    if aims_by_situation(p):
        gun_act(p, cmd, me, enemy, world, situ, i, windows, side.nwindows)
        side.nwindows = 0
