"""The window loss's quadrature at window widths that are not whole multiples of the bandwidth, against an
independent oracle: the KDE written out here from its definition and integrated by scipy's adaptive quad.

This checks the documented contract of learner.quadrature (the loss to 1e-10 of max(1, |loss|) for
width/h from 0.05 to 8, gaussian kernels over points that are not sparse around the window, laplace
kernels anywhere), not its node-count formula, so it holds for any rule that keeps the contract.
"""
import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import logsumexp

from learner.loss import kde_cross_entropy

# width / h just off the integers (where a ceil and a floor part ways) and in between
RATIOS = [0.13, 0.37, 0.74, 0.999, 1.001, 1.5, 2.5, 3.3, 4.999, 6.7, 7.9]


def log_kernel(kernel, u, h):
    if kernel == "gaussian":  # N(0, h^2)
        return -0.5 * (u / h) ** 2 - math.log(h * math.sqrt(2 * math.pi))
    return -np.abs(u) / h - math.log(2 * h)  # laplace: exp(-|u|/h) / 2h


def oracle_loss(points, logits, a, b, h, kernel):
    """-(1/(b-a)) * integral_a^b log p(x) dx, p(x) = sum_j softmax(z)_j K_h(x - x_j); laplace pieces
    split at the points inside the window, where p has a kink."""
    log_s = logits - logsumexp(logits)

    def log_p(x):
        return logsumexp(log_s + log_kernel(kernel, x - points, h))

    cuts = sorted(x for x in points if a < x < b) if kernel == "laplace" else []
    edges = [a, *cuts, b]
    total = sum(quad(log_p, lo, hi, epsabs=1e-14, epsrel=1e-13, limit=200)[0] for lo, hi in zip(edges, edges[1:]))
    return -total / (b - a)


def random_case(seed, n_points, spread, width):
    """Points dense in [-1, 1] (so no window sits in a gap), random logits, a window of `width` inside."""
    rng = np.random.default_rng(seed)
    points, logits = rng.uniform(-1, 1, n_points), rng.normal(0.0, spread, n_points)
    a = rng.uniform(-0.9, 0.9) - width / 2
    return points, logits, a, a + width


@pytest.mark.parametrize("ratio", RATIOS)
@pytest.mark.parametrize("kernel, n_points, spread", [("gaussian", 100, 2.0), ("laplace", 100, 2.0),
                                                      ("laplace", 4, 3.0)])
def test_window_loss_matches_the_oracle_at_non_integer_width_to_bandwidth_ratios(kernel, n_points, spread, ratio):
    for seed, h in enumerate((0.05, 0.13)):
        points, logits, a, b = random_case([seed, n_points, RATIOS.index(ratio)], n_points, spread, ratio * h)
        want = oracle_loss(points, logits, a, b, h, kernel)
        got = kde_cross_entropy(points, logits, a, b, h, kernel)[0]
        assert abs(got - want) <= 1e-10 * max(1.0, abs(want)), (h, got, want)


def test_oracle_on_a_window_with_a_closed_form():
    # one gaussian point at 0: log p(x) = -x^2 / 2h^2 - log(h sqrt(2 pi)), so over [a, b] the mean of
    # log p is -(a^2 + ab + b^2) / 6h^2 - log(h sqrt(2 pi)); the loss is minus that
    a, b, h = -0.031, 0.047, 0.02  # width / h = 3.9
    want = (a * a + a * b + b * b) / (6 * h * h) + math.log(h * math.sqrt(2 * math.pi))
    assert oracle_loss(np.array([0.0]), np.array([0.0]), a, b, h, "gaussian") == pytest.approx(want, rel=1e-13)
    loss, _ = kde_cross_entropy([0.0], [0.0], a, b, h, "gaussian")
    assert loss == pytest.approx(want, rel=1e-12)
