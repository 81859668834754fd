"""The nopython API: a learner's state as arrays, driven from other compiled code."""

import numpy as np
import pytest
from numba import njit

from learner import KDELearner
from learner.state import (CFG_CAPACITY, META_COUNT, aim, log_density, log_weights, observe)


@njit
def drive(cfg, points, features, params, moment1, moment2, steps, stamps, meta, centres, half, out_peaks):
    """What a compiled battle loop does per hit window: learn, store, re-aim."""
    row = np.zeros(0)
    total = 0.0
    for i in range(centres.size):
        c = centres[i]
        loss = observe(cfg, points, features, params, moment1, moment2, steps, stamps, meta, c - half, c + half,
                       min(max(c, -1.0), 1.0), row)
        if not np.isnan(loss):
            total += loss
        out_peaks[i] = aim(cfg, points, features, params, moment1, moment2, steps, stamps, meta, -1.0, 1.0)
    return total


@pytest.mark.slow
@pytest.mark.parametrize("kwargs", [{}, {"kernel": "laplace", "optimizer": "adam", "lr": 0.1},
                                    {"loss": "hard", "eviction": "lowest", "capacity": 7},
                                    {"kernel": "epanechnikov", "loss": "squared", "capacity": 9}])
def test_compiled_loop_matches_the_python_wrapper(kwargs):
    centres = np.sin(np.arange(30) * 1.7) * 0.6
    wrapped = KDELearner(lr=1.0, **kwargs) if "lr" not in kwargs else KDELearner(**kwargs)
    losses, peaks = 0.0, []
    for c in centres:
        loss = wrapped.observe(c - 0.05, c + 0.05)
        losses += loss or 0.0
        peaks.append(wrapped.peak())
    raw = KDELearner(lr=1.0, **kwargs) if "lr" not in kwargs else KDELearner(**kwargs)
    out = np.empty(centres.size)
    total = drive(*raw.state, centres, 0.05, out)
    assert total == losses
    np.testing.assert_array_equal(out, peaks)
    np.testing.assert_array_equal(raw.weights(), wrapped.weights())
    assert raw.state[-1][META_COUNT] == min(30, raw.state[0][CFG_CAPACITY])


def test_density_and_weights_through_the_arrays():
    learner = KDELearner(lr=1.0)
    for c in (-0.3, 0.1, 0.2):
        learner.observe(c - 0.05, c + 0.05)
    log_s = np.empty(3)
    log_weights(*learner.state, log_s)
    np.testing.assert_allclose(np.exp(log_s), learner.weights(), rtol=1e-15)
    xs = np.array([-0.3, 0.0, 0.15])
    out = np.empty(3)
    log_density(*learner.state, xs, out)
    s = np.exp(log_s)
    naive = np.exp(-0.5 * ((xs[:, None] - learner.points[None, :]) / 0.1) ** 2) @ s / (0.1 * np.sqrt(2 * np.pi))
    np.testing.assert_allclose(np.exp(out), naive, rtol=1e-13)


def test_eviction_keeps_order_and_optimiser_state_aligned():
    learner = KDELearner(capacity=3, optimizer="adam", lr=0.1)
    for c in (-0.6, -0.2, 0.2, 0.6):
        learner.observe(c - 0.05, c + 0.05)
    np.testing.assert_allclose(learner.points, [-0.2, 0.2, 0.6])  # the oldest went
    steps = learner.state[6][:3]
    # -0.2 was stepped by the windows at 0.2 and 0.6, 0.2 by the one at 0.6, 0.6 never
    np.testing.assert_array_equal(steps, [2.0, 1.0, 0.0])
