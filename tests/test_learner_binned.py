"""Binned fast path agrees with the exact density within its stated tolerance."""

import numpy as np
import pytest

from learner.binned import BINNED_RTOL, GRID_SIZE, binned_density, grid
from learner.kde import density
from learner.softmax import softmax


@pytest.mark.parametrize("kernel", ["gaussian", "laplace", "epanechnikov"])
@pytest.mark.parametrize("h", [0.02, 0.05, 0.1, 0.3])
def test_binned_density_within_stated_tolerance(kernel, h):
    rng = np.random.default_rng(11)
    points = np.clip(rng.normal(0.2, 0.4, 300), -1, 1)
    logits = rng.normal(0.0, 2.0, 300)
    xs, binned = binned_density(points, softmax(logits), h, kernel)
    exact = density(xs, points, logits, h, kernel, floor=0.0)
    spacing = 2.0 / (GRID_SIZE - 1)
    assert np.max(np.abs(binned - exact)) <= BINNED_RTOL * (spacing / h) ** 2 * exact.max()


def test_grid_nodes_and_exact_on_grid_points():
    # a point sitting on a node is binned without splitting: exact at every node
    xs = grid(201)
    points = xs[[20, 100, 170]]
    w = np.array([0.2, 0.5, 0.3])
    _, binned = binned_density(points, w, 0.1, "laplace", grid_size=201)
    exact = density(xs, points, np.log(w), 0.1, "laplace")
    np.testing.assert_allclose(binned, exact, rtol=1e-9, atol=1e-12)


def test_points_at_the_ends_are_kept():
    _, binned = binned_density(np.array([-1.0, 1.0]), np.array([0.5, 0.5]), 0.05, "gaussian")
    assert binned[0] == pytest.approx(binned[-1])
    assert binned[0] == pytest.approx(0.5 / (0.05 * np.sqrt(2 * np.pi)), rel=1e-6)


def test_rejects_points_outside_gf_range():
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        binned_density(np.array([1.5]), np.array([1.0]), 0.1)
