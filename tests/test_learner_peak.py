"""Peak search: the exact mixture's global maximum on [lo, hi], against a brute-force grid oracle."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq

from learner.peak import binned_gaussian, peak_of_mixture
from learner.kernels import KERNELS


def pdf(name, u, h):
    t = np.abs(u) / h
    if name == "gaussian":
        return np.exp(-0.5 * t * t) / (h * math.sqrt(2 * math.pi))
    if name == "laplace":
        return np.exp(-t) / (2 * h)
    if name == "epanechnikov":
        return np.where(t < 1, 0.75 / h * (1 - t * t), 0.0)
    return np.where(t <= 1, 0.5 / h, 0.0)


def dpdf(name, u, h):  # d/du K_h(u); at kinks any one-sided value will do for a bracket search
    if name == "gaussian":
        return -u / (h * h) * pdf(name, u, h)
    if name == "laplace":
        return -np.sign(u) / h * pdf(name, u, h)
    if name == "epanechnikov":
        return np.where(np.abs(u) < h, -1.5 * u / h**3, 0.0)
    return np.zeros_like(u)


def density(name, xs, points, s, h):
    return pdf(name, np.subtract.outer(np.atleast_1d(xs), points), h) @ s


def slope(name, x, points, s, h):
    return float(dpdf(name, x - points, h) @ s)


def oracle(name, points, s, h, lo, hi):
    """Best refined local maximum of the density on a grid of spacing <= h / 40."""
    xs = np.linspace(lo, hi, max(2001, int(40 * (hi - lo) / h) + 1))
    p = density(name, xs, points, s, h)
    padded = np.concatenate(([-1.0], p, [-1.0]))
    local = np.flatnonzero((p >= padded[:-2]) & (p >= padded[2:]) & (p >= p.max() * (1 - 1e-3)))
    best_x, best_p = None, -1.0
    for i in local:
        left, right = xs[max(i - 1, 0)], xs[min(i + 1, xs.size - 1)]
        x = xs[i]
        if name != "box" and slope(name, left, points, s, h) > 0 > slope(name, right, points, s, h):
            x = brentq(lambda v: slope(name, v, points, s, h), left, right, xtol=1e-15, rtol=1e-15)
        px = density(name, x, points, s, h)[0]
        if px > best_p:
            best_x, best_p = x, px
    return best_x, best_p


def check_peak(name, points, logits, h, lo, hi):
    log_s = logits - np.logaddexp.reduce(logits)
    got = peak_of_mixture(points, log_s, points.size, h, KERNELS[name].code, lo, hi)
    assert lo <= got <= hi
    s = np.exp(log_s)
    ref_x, ref_p = oracle(name, points, s, h, lo, hi)
    p_got = density(name, got, points, s, h)[0]
    assert p_got >= ref_p * (1 - 1e-12), (got, ref_x, p_got, ref_p)  # never below the brute-force best
    if name != "box" and 0 < ref_p and p_got <= ref_p * (1 + 1e-12):  # no tie between modes: the same point
        assert abs(got - ref_x) <= 1e-9, (got, ref_x)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.sampled_from(sorted(KERNELS)),
    points=st.lists(st.floats(-1.0, 1.0), min_size=1, max_size=30),
    seed=st.integers(0, 2**16),
    h=st.sampled_from([0.01, 0.03, 0.1, 0.3]),
    ends=st.tuples(st.floats(-1.0, 1.0), st.floats(-1.0, 1.0)),
)
def test_peak_is_the_global_maximum(name, points, seed, h, ends):
    points = np.array(points)
    logits = np.random.default_rng(seed).normal(0.0, 1.0, points.size)
    lo, hi = sorted(ends)
    check_peak(name, points, logits, h, lo, hi)


@pytest.mark.parametrize("name", sorted(KERNELS))
def test_peak_on_learner_like_data(name):
    rng = np.random.default_rng(11)
    points = np.clip(np.concatenate((rng.normal(-0.4, 0.1, 120), rng.normal(0.3, 0.15, 80))), -1, 1)
    logits = rng.normal(0.0, 0.7, points.size)
    for lo, hi in ((-1.0, 1.0), (-0.1, 0.1), (0.5, 1.0)):
        check_peak(name, points, logits, 0.1, lo, hi)


def test_two_nearly_equal_modes_pick_the_higher():
    # binned values cannot tell these apart (1e-6 relative); the exact polish must
    points = np.array([-0.5, 0.5])
    logits = np.array([0.0, 2e-6])
    check_peak("gaussian", points, logits, 0.1, -1.0, 1.0)
    assert peak_of_mixture(points, logits - np.logaddexp.reduce(logits), 2, 0.1, 0, -1.0, 1.0) > 0


def test_empty_and_degenerate_ranges():
    assert peak_of_mixture(np.zeros(0), np.zeros(0), 0, 0.1, 0, 0.2, 0.6) == 0.2
    assert peak_of_mixture(np.array([0.5]), np.zeros(1), 1, 0.1, 0, 0.3, 0.3) == 0.3
    for name in sorted(KERNELS):  # a range far narrower than the grid, and points far beyond the kernel's reach
        check_peak(name, np.array([0.0]), np.zeros(1), 0.01, 0.0, 2e-14)
        check_peak(name, np.array([0.75]), np.zeros(1), 0.01, 0.0, 0.5)
        check_peak(name, np.array([-0.9, 0.95]), np.array([0.0, 3.0]), 0.01, -0.2, 0.3)
        check_peak(name, np.array([0.0]), np.zeros(1), 0.01, 3e-294, 1.0)  # the piece's vertex rounds below lo


@pytest.mark.parametrize("h", [0.02, 0.1, 0.4])
def test_binned_density_error_is_within_the_candidate_slack(h):
    """0.4 (spacing / h)^2 of the peak: the bound the candidate slack (5%) is built on."""
    rng = np.random.default_rng(3)
    points = rng.uniform(-1, 1, 300)
    s = rng.dirichlet(np.ones(300))
    size = int(math.ceil(2 * 6 / h)) + 1
    spacing = 2.0 / (size - 1)
    binned = binned_gaussian(points, s, 300, h, -1.0, spacing, size)
    exact = density("gaussian", np.linspace(-1, 1, size), points, s, h)
    assert np.max(np.abs(binned - exact)) <= 0.4 * (spacing / h) ** 2 * exact.max()
