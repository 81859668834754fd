"""Weighted KDE in log space: agreement with the naive sum, far points, the floor."""

import numpy as np
import pytest

from learner.kde import COMPACT_FLOOR, density, log_density
from learner.kernels import get_kernel

POINTS = np.array([-0.5, -0.1, 0.05, 0.6])
LOGITS = np.array([0.2, 1.0, -0.7, 0.4])


@pytest.mark.parametrize("kernel", ["gaussian", "laplace", "epanechnikov", "box"])
def test_density_matches_naive_weighted_sum(kernel):
    xs = np.linspace(-1, 1, 57)
    h = 0.3
    k = get_kernel(kernel)
    s = np.exp(LOGITS) / np.exp(LOGITS).sum()
    naive = (s[None, :] * k.pdf(xs[:, None] - POINTS[None, :], h)).sum(axis=1)
    np.testing.assert_allclose(density(xs, POINTS, LOGITS, h, kernel, floor=0.0), naive, rtol=1e-12, atol=1e-300)


def test_query_shape_is_preserved():
    xs = np.zeros((3, 4))
    assert log_density(xs, POINTS, LOGITS, 0.1).shape == (3, 4)
    assert np.ndim(log_density(0.2, POINTS, LOGITS, 0.1)) == 0


@pytest.mark.parametrize("kernel", ["gaussian", "laplace"])
def test_far_query_gives_finite_log_density(kernel):
    log_p = log_density(np.array([0.0, 900.0]), np.array([-400.0, 500.0]), np.array([1e3, -1e3]), 0.01, kernel)
    assert np.all(np.isfinite(log_p))
    assert np.all(log_p < -1e3)


def test_compact_kernel_is_floored_where_uncovered():
    xs = np.array([0.0, 0.95])
    log_p = log_density(xs, np.array([0.0]), np.array([0.0]), 0.2, "epanechnikov")
    assert log_p[1] == pytest.approx(np.log(COMPACT_FLOOR))
    assert log_p[0] == pytest.approx(np.log(0.75 / 0.2 + COMPACT_FLOOR), rel=1e-14)
    # without the floor the "no support" answer is explicit
    assert log_density(0.95, np.array([0.0]), np.array([0.0]), 0.2, "box", floor=0.0) == -np.inf
