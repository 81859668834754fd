"""`surfer-metric` (arena/strategies/metric_surfer.py) in the compiled loop.

It is a surfer (arena/fast/surfing.py: the same waves, hit windows, plan and choice) whose danger model is
MetricDanger: it tracks itself as the enemy sees it (the situation tracker's step, arena.features, into a
ring of HISTORY_TICKS rows like the situational guns'), feeds each hit window with the situation its wave
was fired in to the learned-metric model (learner.metric's compiled observe_window over the model's
MetricState arrays), and weighs a planned window by learner.metric.window_mass for the wave's situation.
A wave with no situation kept, or an empty model, falls back to the head-on prior: a KDEDanger, whose
learner sits in the danger slot of arena/fast/learners.py as any KDE surfer's does.
"""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from learner.metric import MetricKDE, MetricState, observe_window, window_mass

from ..features import HISTORY_TICKS, N_FEATURES
from ..strategies.metric_surfer import MASS_POINTS, MetricDanger
from .borrowing import owning
from .layout import DEAD, STATUS, TIME, X, Y
from .learners import DANGER as DANGER_ROLE
from .learners import kde_mass, state_of
from .pilots import P_DANGER_GRID, P_PLAN_COUNT, P_SELF_TRACK
from .situational import R_TIME, SITUATION_FIELDS, _stacked, row_features, situation_row, track
from .surfing import (ADD_FIRE_TIME, ADD_SPEED, NOPTIONS, choose_option, feed_kde, learn_hits, plan_windows)
from .waves import W_FIRE_TIME, W_SPEED


class MetricSurfing(NamedTuple):
    """Per robot (first axis 2): the tracker's ring and the metric model (an unused robot: a one-point
    model); scratch for a feature vector and window_mass's points and densities."""
    ring: np.ndarray  # (2, HISTORY_TICKS, SITUATION_FIELDS + 1), as arena/fast/situational.py's
    metric: MetricState
    query: np.ndarray
    xs: np.ndarray
    out: np.ndarray


def metric_danger(movement) -> MetricDanger | None:
    danger = getattr(movement, "danger", None)
    return danger if isinstance(danger, MetricDanger) else None


def build(movements: list) -> MetricSurfing:
    """The loop's arrays for these movements (the reference strategy objects, before the battle)."""
    unused = MetricKDE(N_FEATURES, capacity=1).state
    dangers = [metric_danger(m) for m in movements]
    metric = _stacked([unused if d is None else d.model.state for d in dangers])
    ring = np.zeros((2, HISTORY_TICKS, SITUATION_FIELDS + 1))
    ring[:, :, R_TIME] = -1.0
    return MetricSurfing(ring, metric, np.empty(N_FEATURES), np.empty(MASS_POINTS), np.empty(MASS_POINTS))


def leave_state(ms: MetricSurfing, movements: list) -> None:
    """Leave what the metric model learned in the movement's MetricDanger, as the reference battle leaves it
    (its head-on prior is a KDE danger's learner, copied back with the others)."""
    for i, movement in enumerate(movements):
        danger = metric_danger(movement)
        if danger is not None:
            for field, value in zip(ms.metric, danger.model.state):
                value[...] = field[(i, *(slice(0, n) for n in value.shape))]


@owning
def _feed(ring, m, i, query, learners, k, grid, adds, nadds, world):
    """MetricDanger.add for each queued hit window, in order: the metric model takes it with the situation
    its wave was fired in, the head-on prior (learner slot k, node cache `grid`) if none is kept."""
    for j in range(nadds):
        row = situation_row(ring, adds[j, ADD_FIRE_TIME])
        if row < 0:
            feed_kde(learners, k, grid, adds[j:j + 1], 1)
        else:
            row_features(ring[row], adds[j, ADD_SPEED], world, query)
            observe_window(m.cfg[i], m.theta[i], m.opt[i], m.points[i], m.features[i], m.bias[i], m.count[i],
                           m.dist[i], m.index[i], m.work[i], query, adds[j, 0], adds[j, 1])


@owning
def _masses(ring, m, i, query, xs, out, learners, k, grid, waves, surfed, windows, count, masses, world):
    """MetricDanger.mass of each option's window on each surfed wave: by the metric model for the wave's
    situation, by the head-on prior without one or before the model has a point."""
    prior = state_of(learners, k)
    for j in range(count):
        w = waves[surfed[j]]
        row = situation_row(ring, w[W_FIRE_TIME])
        by_metric = row >= 0 and m.count[i][0] > 0
        if by_metric:
            row_features(ring[row], w[W_SPEED], world, query)
        for o in range(NOPTIONS):
            a, b = windows[o, j, 0], windows[o, j, 1]
            if math.isnan(a):
                continue
            if by_metric:
                masses[o, j] = window_mass(m.cfg[i], m.theta[i], m.points[i], m.features[i], m.bias[i], m.count[i],
                                           m.dist[i], m.index[i], m.work[i], query, a, b, xs, out)
            else:
                masses[o, j] = kde_mass(*prior, grid, a, b)


@owning
def surf_plan(i, p, side, robots, world, events, nev, learners, surf, ms):
    """MetricSurfer.act up to its command: track ourselves as the enemy sees us, learn from last tick's hits,
    re-plan if due (arena/fast/battle.py's _surf_plan with the metric danger)."""
    me, enemy = robots[i], robots[1 - i]
    if enemy[STATUS] != DEAD:
        track(p, P_SELF_TRACK, ms.ring[i], world[TIME], enemy[X], enemy[Y], me)
    side.nadds = learn_hits(i, world, events, nev, surf.enemy_waves[i], side.nenemy_waves, surf.passed[i],
                            side.npassed, surf.adds[i], side.nadds)
    k, grid = 2 * i + DANGER_ROLE, surf.danger_grid[i, :int(p[P_DANGER_GRID])]
    if side.nadds > 0:
        _feed(ms.ring[i], ms.metric, i, ms.query, learners, k, grid, surf.adds[i], side.nadds, world)
        side.nadds = 0
    if plan_windows(p, robots, i, world, surf.enemy_waves[i], side.nenemy_waves, surf.surfed[i], surf.ttis[i],
                    surf.plan_windows[i], surf.sim, surf.sim_command):
        count = int(p[P_PLAN_COUNT])
        _masses(ms.ring[i], ms.metric, i, ms.query, ms.xs, ms.out, learners, k, grid, surf.enemy_waves[i],
                surf.surfed[i], surf.plan_windows[i], count, surf.masses[i], world)
        choose_option(p, surf.plan_windows[i], surf.masses[i], surf.ttis[i], count)
