"""Gauss-Legendre window rules: exactness, the node-count rule, accuracy vs quad."""

import numpy as np
import pytest
from scipy.integrate import quad

from learner.kde import log_density
from learner.kernels import get_kernel
from learner.loss import kde_cross_entropy
from learner.quadrature import MAX_NODES, MIN_NODES, gauss_legendre, node_count, window_rule


def test_rule_is_cached_and_read_only():
    t, w = gauss_legendre(12)
    assert gauss_legendre(12)[0] is t
    with pytest.raises(ValueError):
        t[0] = 0.0


def test_n_point_rule_is_exact_for_degree_2n_minus_1():
    t, w = gauss_legendre(6)
    assert w @ t**11 == pytest.approx(0.0, abs=1e-15)
    assert w @ t**10 == pytest.approx(2 / 11, rel=1e-13)
    assert w @ t**12 != pytest.approx(2 / 13, rel=1e-6)


def test_node_count_rule():
    assert node_count(0.001, 0.1) == MIN_NODES
    assert node_count(0.1, 0.1) == 16  # ceil(10 * 1) + 6
    assert node_count(0.4, 0.1) == 46
    assert node_count(100.0, 0.1) == MAX_NODES
    counts = [node_count(r * 0.1, 0.1) for r in np.linspace(0.01, 20, 200)]
    assert counts == sorted(counts)


def test_window_rule_averages_and_splits_at_breakpoints():
    x, w = window_rule(-0.2, 0.4, 0.1, breakpoints=[-1.0, 0.0, 0.1, 0.4, 2.0])
    assert w.sum() == pytest.approx(1.0, rel=1e-14)
    assert np.all((x > -0.2) & (x < 0.4))
    # pieces [-0.2, 0], [0, 0.1], [0.1, 0.4] each get their own nodes
    assert np.sum((x > -0.2) & (x < 0.0)) == np.sum((x > 0.1) & (x < 0.4))
    # a piecewise-linear function with kinks at the breakpoints is integrated exactly
    f = np.abs(x) + 3 * np.abs(x - 0.1)
    exact = quad(lambda v: abs(v) + 3 * abs(v - 0.1), -0.2, 0.4, points=[0.0, 0.1])[0] / 0.6
    assert w @ f == pytest.approx(exact, rel=1e-13)


def reference_loss(points, logits, a, b, h, kernel):
    k = get_kernel(kernel)
    bp = np.sort(k.breakpoints(points, h))
    edges = np.concatenate(([a], bp[(bp > a) & (bp < b)], [b]))
    f = lambda x: float(log_density(x, points, logits, h, kernel))
    total = sum(quad(f, lo, hi, epsabs=1e-14, epsrel=1e-13, limit=200)[0] for lo, hi in zip(edges[:-1], edges[1:]))
    return -total / (b - a)


RATIOS = [0.05, 0.2, 0.5, 1.0, 2.0, 4.0, 8.0]


@pytest.mark.parametrize("kernel, n_points, spread", [("gaussian", 100, 2.0), ("laplace", 100, 2.0), ("laplace", 4, 3.0)])
def test_rule_gives_loss_to_1e10_over_ratios(kernel, n_points, spread):
    """Window width / h from 0.05 to 8, points dense enough that the window is not in a gap."""
    rng = np.random.default_rng(3)
    for ratio in RATIOS:
        for h in (0.05, 0.2):
            points = rng.uniform(-1, 1, n_points)
            logits = rng.normal(0.0, spread, n_points)
            centre = rng.uniform(-0.9, 0.9)
            a, b = centre - ratio * h / 2, centre + ratio * h / 2
            loss, _ = kde_cross_entropy(points, logits, a, b, h, kernel)
            ref = reference_loss(points, logits, a, b, h, kernel)
            assert abs(loss - ref) <= 1e-10 * max(1.0, abs(ref)), (ratio, h, loss, ref)


def test_rule_accuracy_for_compact_kernel_on_covered_windows():
    rng = np.random.default_rng(4)
    for ratio in (0.1, 0.5, 1.0, 3.0):
        points = rng.uniform(-1, 1, 100)
        logits = rng.normal(0.0, 1.0, 100)
        a = rng.uniform(-0.6, 0.0)
        b = a + ratio * 0.25
        loss, _ = kde_cross_entropy(points, logits, a, b, 0.25, "epanechnikov")
        ref = reference_loss(points, logits, a, b, 0.25, "epanechnikov")
        assert abs(loss - ref) <= 1e-10 * max(1.0, abs(ref)), (ratio, loss, ref)
