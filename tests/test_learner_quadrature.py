"""The Gauss-Kronrod rule: its constants, its error estimate, and adaptive refinement where it must."""

import math

import numpy as np
import pytest

from learner.cross_entropy import window_cross_entropy
from learner.quadrature import RULE_T, RULE_WG, RULE_WK, SMALL_T, SMALL_WG, SMALL_WK, kronrod_error


def assert_exact_to(t, wk, wg, kronrod_degree, gauss_degree):
    """Both rules integrate x^k over [-1, 1] exactly up to their degrees."""
    for degree in range(kronrod_degree + 1):
        exact = 0.0 if degree % 2 else 2.0 / (degree + 1)
        assert wk @ t**degree == pytest.approx(exact, abs=2e-15), degree
        if degree <= gauss_degree:
            assert wg @ t**degree == pytest.approx(exact, abs=2e-15), degree


def test_kronrod_rule_is_exact_to_degree_31_and_gauss_to_19():
    assert_exact_to(RULE_T, RULE_WK, RULE_WG, 31, 19)
    assert abs(RULE_WK @ RULE_T**32 - 2 / 33) > 1e-12  # and no more: the table is the 21-point one
    assert abs(RULE_WG @ RULE_T**20 - 2 / 21) > 1e-8
    assert np.all(np.diff(RULE_T) > 0) and np.count_nonzero(RULE_WG) == 10


def test_small_pair_is_kronrod_15_around_gauss_7():
    assert_exact_to(SMALL_T, SMALL_WK, SMALL_WG, 23, 13)
    assert abs(SMALL_WK @ SMALL_T**24 - 2 / 25) > 1e-12
    assert abs(SMALL_WG @ SMALL_T**14 - 2 / 15) > 1e-8
    nodes, weights = np.polynomial.legendre.leggauss(7)  # an independent Gauss table
    np.testing.assert_allclose(SMALL_T[SMALL_WG > 0], nodes, atol=1e-15)
    np.testing.assert_allclose(SMALL_WG[SMALL_WG > 0], weights, atol=1e-15)


def test_error_estimate_follows_quadpack():
    assert kronrod_error(0.0, 1.0) == 0.0
    assert kronrod_error(-1e-6, 1.0) == pytest.approx((200 * 1e-6) ** 1.5)
    assert kronrod_error(1.0, 1.0) == 1.0  # capped at the scale


def _work(points, a, b, h, code):
    work = np.zeros(1, np.int64)
    grad = np.empty(len(points))
    points = np.asarray(points, dtype=float)
    window_cross_entropy(points, np.zeros(points.size), points.size, a, b, h, code, 0.0, 0.0, grad, work)
    return work[0] // points.size  # quadrature nodes (gaussian: one term per point per node)


def test_smooth_window_takes_one_panel_and_a_gap_switch_is_refined():
    # a window one bandwidth wide next to its point: one 15-node panel suffices
    assert _work([0.0, 0.05], -0.05, 0.05, 0.1, 0) == 15
    # three bandwidths wide: beyond the small pair's reach, one 21-node panel
    assert _work([0.0, 0.05], -0.15, 0.15, 0.1, 0) == 21
    # the small pair's estimate fails on a sharp switch: the same panel gets 21 nodes, then halves
    assert _work([-0.3, 0.3], -0.005, 0.005, 0.01, 0) >= 15 + 21
    # a window over the switch between two points 60 bandwidths apart: log p bends over h / 60
    assert _work([-0.3, 0.3], -0.05, 0.05, 0.01, 0) > 5 * 21


def test_loss_is_exact_for_a_quadratic_log_density():
    # one gaussian point: log p is a quadratic in x, so the window average has a closed form
    h, a, b, x0 = 0.01, 0.3, 2.3, -0.7  # 200 bandwidths wide, 100 to 300 bandwidths away
    grad = np.empty(1)
    loss, _ = window_cross_entropy(np.array([x0]), np.zeros(1), 1, a, b, h, 0, 0.0, 0.0, grad, np.zeros(1, np.int64))
    mean_sq = ((b - x0) ** 3 - (a - x0) ** 3) / (3 * (b - a))
    assert loss == pytest.approx(mean_sq / (2 * h * h) + math.log(h) + 0.5 * math.log(2 * math.pi), rel=1e-14)
