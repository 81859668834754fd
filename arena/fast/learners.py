"""The KDE learners of the compiled loop: each robot's gun learner and danger model, as learner/state.py arrays.

Every learner's state (the nine arrays of learner.state) is stacked into one array per field with a slot
per robot and role (slot(i, GUN), slot(i, DANGER)), padded to the largest capacity: the learner's
functions read only its first count points, so padding changes nothing. The loop calls the learner's own
compiled observe and aim, and danger.kde_mass compiled, so both paths run the same functions.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from learner.state import CFG_SIZE, META_SIZE, aim, observe

from ..strategies import danger
from ..strategies.kde import hit_point as _hit_point
from .borrowing import owning

GUN, DANGER = 0, 1
hit_point = njit(cache=True)(_hit_point)
kde_mass = owning(danger.kde_mass)


class Learners(NamedTuple):
    """learner.state's arrays, one row per slot (robot i's gun: 2 i, its danger model: 2 i + 1)."""
    cfg: np.ndarray
    points: np.ndarray
    features: np.ndarray
    params: np.ndarray
    moment1: np.ndarray
    moment2: np.ndarray
    steps: np.ndarray
    stamps: np.ndarray
    meta: np.ndarray


def stacked(learners: list) -> Learners:
    """The loop's copy of these KDELearners (None: an empty slot)."""
    states = [None if learner is None else learner.state for learner in learners]
    width = max([1] + [state[1].size for state in states if state is not None])  # capacity + 1
    params = max([1] + [state[3].size for state in states if state is not None])
    d = max([0] + [state[2].shape[1] for state in states if state is not None])
    k = len(states)
    out = Learners(np.zeros((k, CFG_SIZE)), np.zeros((k, width)), np.zeros((k, width, d)), np.zeros((k, params)),
                   np.zeros((k, params)), np.zeros((k, params)), np.zeros((k, params)), np.zeros((k, width), np.int64),
                   np.zeros((k, META_SIZE), np.int64))
    for slot, state in enumerate(states):
        if state is not None:
            for field, value in zip(out, state):
                field[(slot, *(slice(0, n) for n in value.shape))] = value
    return out


def copy_back(stack: Learners, slot: int, learner) -> None:
    """Leave the loop's learner state in the strategy's KDELearner (as the reference battle leaves it)."""
    for field, value in zip(stack, learner.state):
        value[...] = field[(slot, *(slice(0, n) for n in value.shape))]


@njit(cache=True, inline="always")
def state_of(s, k):
    """learner.state's nine arrays of slot k (views: take them once per call, not once per window)."""
    return s.cfg[k], s.points[k], s.features[k], s.params[k], s.moment1[k], s.moment2[k], s.steps[k], s.stamps[k], \
        s.meta[k]


@owning
def observe_windows(s, k, windows, n):
    """KDELearner.observe(a, b, hit_point(a, b)) for each of the n windows, in order."""
    state = state_of(s, k)
    no_features = s.features[k, 0]
    for j in range(n):
        a, b = windows[j, 0], windows[j, 1]
        observe(*state, a, b, hit_point(a, b), no_features)


@owning
def peak(s, k):
    """KDELearner.peak(-1, 1)."""
    return aim(*state_of(s, k), -1.0, 1.0)
