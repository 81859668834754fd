"""Losses: analytic gradients vs finite differences, the stated claims, finiteness."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learner.kernels import GAUSSIAN, get_kernel
from learner.loss import (
    hit_cross_entropy,
    kde_cross_entropy,
    softmax_cross_entropy,
    squared_error,
)

SMOOTH_KERNELS = ["gaussian", "laplace", "epanechnikov"]
ALL_KERNELS = SMOOTH_KERNELS + ["box"]


def central_difference(f, z, step=1e-5):
    grad = np.zeros_like(z)
    for i in range(z.size):
        up, down = z.copy(), z.copy()
        up[i] += step
        down[i] -= step
        grad[i] = (f(up) - f(down)) / (2 * step)
    return grad


def assert_grad_matches_fd(loss_and_grad, z, rtol=1e-6):
    _, grad = loss_and_grad(z)
    fd = central_difference(lambda zz: loss_and_grad(zz)[0], z)
    err = np.max(np.abs(fd - grad)) / np.max(np.abs(grad))
    assert err < rtol, (err, grad, fd)


@pytest.fixture
def problem():
    rng = np.random.default_rng(7)
    points = np.array([-0.62, -0.3, -0.04, 0.02, 0.11, 0.19, 0.47, 0.9])
    logits = rng.normal(0.0, 1.0, points.size)
    return points, logits


# --- gradients vs central finite differences ---------------------------------


@pytest.mark.parametrize("kernel", ALL_KERNELS)
@pytest.mark.parametrize("window", [(0.0, 0.1), (-0.35, 0.3), (0.5, 0.75)])
def test_kde_cross_entropy_gradient_matches_finite_differences(problem, kernel, window):
    # (0.5, 0.75) with h = 0.15 is only partly covered by compact kernels,
    # which exercises the floored part of the loss too.
    points, logits = problem
    a, b = window
    assert_grad_matches_fd(lambda z: kde_cross_entropy(points, z, a, b, 0.15, kernel), logits)


@pytest.mark.parametrize("kernel", SMOOTH_KERNELS)
def test_squared_error_gradient_matches_finite_differences(problem, kernel):
    points, logits = problem
    assert_grad_matches_fd(lambda z: squared_error(points, z, -0.1, 0.08, 0.12, kernel), logits)


@pytest.mark.parametrize("window", [(0.0, 0.1), (-0.3, 0.2), (0.55, 0.7)])
def test_hit_cross_entropy_gradient_matches_finite_differences(problem, window):
    points, logits = problem
    a, b = window
    assert_grad_matches_fd(lambda z: hit_cross_entropy(points, z, a, b, 0.1), logits)


def test_softmax_cross_entropy_gradient_matches_finite_differences():
    z = np.array([0.3, -1.2, 2.0, 0.0, 0.7])
    assert_grad_matches_fd(lambda zz: softmax_cross_entropy(zz, 2), z)
    assert_grad_matches_fd(lambda zz: softmax_cross_entropy(zz, np.array([1, 0, 1, 0, 1], bool)), z)


# --- claim (a): a 0/1 kernel covering the window is softmax cross-entropy ------


def reference_softmax_ce(logits, hit):
    """Independent pure-Python CE: -log(sum_hit e^z / sum e^z) and its gradient."""
    exps = [math.exp(v) for v in logits]
    total = sum(exps)
    hit_total = sum(e for e, h in zip(exps, hit) if h)
    loss = -math.log(hit_total / total)
    grad = [e / total - (e / hit_total if h else 0.0) for e, h in zip(exps, hit)]
    return loss, np.array(grad)


def test_box_kernel_single_covering_point_gives_s_minus_one():
    # window [0, 0.1], h = 0.2: the point at 0.05 covers the whole window,
    # the others' supports do not reach it.
    points = np.array([0.05, 0.5, -0.6, 0.9])
    logits = np.array([0.4, -0.3, 1.1, 0.2])
    _, grad = kde_cross_entropy(points, logits, 0.0, 0.1, 0.2, "box")
    s = np.exp(logits) / np.exp(logits).sum()
    expected = s.copy()
    expected[0] -= 1.0
    np.testing.assert_allclose(grad, expected, rtol=1e-9, atol=1e-12)


def test_box_kernel_several_covering_points_match_independent_softmax_ce():
    points = np.array([0.05, 0.12, -0.02, 0.6, -0.7, 0.95])
    hit = [True, True, True, False, False, False]
    logits = np.array([0.4, -0.3, 1.1, 0.2, -2.0, 0.8])
    h = 0.25
    loss, grad = kde_cross_entropy(points, logits, 0.0, 0.1, h, "box")
    ref_loss, ref_grad = reference_softmax_ce(logits, hit)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-12)
    # the box density is S_hit / (2h) on the window, so the losses differ by log(2h)
    assert loss == pytest.approx(ref_loss + math.log(2 * h), rel=1e-9)
    # and the library's own hard-label CE agrees with the independent one
    ce_loss, ce_grad = softmax_cross_entropy(logits, np.array(hit))
    assert ce_loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(ce_grad, ref_grad, rtol=1e-12, atol=1e-15)


def test_softmax_cross_entropy_with_index_target_is_s_minus_onehot():
    z = np.array([0.3, -1.2, 2.0, 0.0])
    loss, grad = softmax_cross_entropy(z, 1)
    ref_loss, ref_grad = reference_softmax_ce(z, [False, True, False, False])
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-12)


def test_hit_cross_entropy_single_hit_is_s_minus_one():
    points = np.array([-0.8, 0.07, 0.5])
    logits = np.array([0.2, -0.5, 1.0])
    _, grad = hit_cross_entropy(points, logits, 0.0, 0.1, 0.05)
    s = np.exp(logits) / np.exp(logits).sum()
    np.testing.assert_allclose(grad, s - np.array([0.0, 1.0, 0.0]), rtol=1e-9, atol=1e-12)


def test_hit_cross_entropy_counts_points_within_one_bandwidth():
    # hit iff a - h <= x <= b + h; here [0.2 - 0.1, 0.3 + 0.1] = [0.1, 0.4]
    points = np.array([0.09, 0.11, 0.25, 0.39, 0.41])
    logits = np.array([0.5, -0.2, 0.3, 0.0, 1.0])
    loss, grad = hit_cross_entropy(points, logits, 0.2, 0.3, 0.1)
    hit = [False, True, True, True, False]
    ref_loss, ref_grad = reference_softmax_ce(logits, hit)
    assert loss == pytest.approx(ref_loss, rel=1e-9)
    np.testing.assert_allclose(grad, ref_grad, rtol=1e-9, atol=1e-12)


def test_hit_cross_entropy_without_hits_is_finite_and_flat():
    loss, grad = hit_cross_entropy(np.array([-0.9, 0.9]), np.array([0.3, -0.1]), 0.0, 0.1, 0.05)
    assert np.isfinite(loss) and loss > 20
    np.testing.assert_allclose(grad, 0.0, atol=1e-10)


# --- claim (b): scaling the kernel leaves the gradient unchanged ---------------


def scaled(kernel, factor):
    return get_kernel(kernel).scaled(factor)


@pytest.mark.parametrize("kernel", SMOOTH_KERNELS)
def test_scaling_the_kernel_leaves_gradient_unchanged(problem, kernel):
    points, logits = problem
    factor = 37.0
    loss, grad = kde_cross_entropy(points, logits, -0.2, 0.15, 0.2, kernel, floor=0.0)
    loss_s, grad_s = kde_cross_entropy(points, logits, -0.2, 0.15, 0.2, scaled(kernel, factor), floor=0.0)
    np.testing.assert_allclose(grad_s, grad, rtol=1e-10, atol=1e-14)
    assert loss_s == pytest.approx(loss - math.log(factor), rel=1e-12)


# --- claim (c): laplace, all points on one side: shifting them is invisible ----


def test_laplace_shift_of_points_on_one_side_leaves_gradient_unchanged():
    a, b, h = 0.3, 0.45, 0.1
    points = np.array([-0.7, -0.2, 0.05, 0.22])  # all left of a
    logits = np.array([0.9, -0.4, 0.3, -1.0])
    _, grad = kde_cross_entropy(points, logits, a, b, h, "laplace")
    for shift in (0.03, 0.07):  # largest point stays < a
        _, grad_shifted = kde_cross_entropy(points + shift, logits, a, b, h, "laplace")
        np.testing.assert_allclose(grad_shifted, grad, rtol=1e-10, atol=1e-13)
    # closed form: the responsibility of point i is the same at every x in the window
    s = np.exp(logits) / np.exp(logits).sum()
    resp = s * np.exp(points / h) / np.sum(s * np.exp(points / h))
    np.testing.assert_allclose(grad, s - resp, rtol=1e-10, atol=1e-13)


def test_gaussian_shift_does_change_gradient():
    # the laplace invariance is special: the same shift moves a gaussian gradient
    a, b, h = 0.3, 0.45, 0.1
    points = np.array([-0.7, -0.2, 0.05, 0.22])
    logits = np.array([0.9, -0.4, 0.3, -1.0])
    _, grad = kde_cross_entropy(points, logits, a, b, h, "gaussian")
    _, grad_shifted = kde_cross_entropy(points + 0.05, logits, a, b, h, "gaussian")
    assert np.max(np.abs(grad_shifted - grad)) > 1e-3


# --- claim (d), retracted: a sum of per-point losses is NOT the same ----------


def per_point_sum_loss(points, logits, a, b, h):
    """sum_i -(1/(b-a)) * integral_a^b log(S_i K(x - x_i)) dx, by scipy quad.

    The natural "decomposition" reading of the loss: each point scored on
    its own. It is a different function of z from the KDE cross-entropy.
    """
    from scipy.integrate import quad

    log_s = logits - np.log(np.sum(np.exp(logits)))
    total = 0.0
    for xi, ls in zip(points, log_s):
        integral, _ = quad(lambda x: ls + float(GAUSSIAN.logpdf(np.array(x - xi), h)), a, b)
        total -= integral / (b - a)
    return total


def test_sum_of_per_point_losses_gives_a_different_gradient():
    points = np.array([-0.5, 0.0, 0.5])
    logits = np.zeros(3)
    a, b, h = -0.05, 0.05, 0.1
    _, grad = kde_cross_entropy(points, logits, a, b, h, "gaussian")
    sep_grad = central_difference(lambda z: per_point_sum_loss(points, z, a, b, h), logits)
    # per-point sum: d/dz_i = N S_i - 1 = 0 at equal logits, whatever the window
    np.testing.assert_allclose(sep_grad, 0.0, atol=1e-6)
    # the KDE cross-entropy pulls weight onto the point inside the window
    assert grad[1] < -0.5
    assert grad[0] > 0.2 and grad[2] > 0.2


# --- finiteness under extreme logits and far points ---------------------------


@settings(max_examples=60, deadline=None)
@given(
    kernel=st.sampled_from(ALL_KERNELS),
    data=st.lists(
        st.tuples(st.floats(-1e3, 1e3), st.floats(-1e3, 1e3)), min_size=1, max_size=8
    ),
    a=st.floats(-1e3, 1e3),
    width=st.floats(1e-3, 10.0),
    bandwidth=st.sampled_from([0.01, 0.1]),
)
def test_loss_and_gradient_stay_finite(kernel, data, a, width, bandwidth):
    points = np.array([p for p, _ in data])
    logits = np.array([z for _, z in data])
    loss, grad = kde_cross_entropy(points, logits, a, a + width, bandwidth, kernel)
    assert np.isfinite(loss)
    assert np.all(np.isfinite(grad))
    assert abs(grad.sum()) < 1e-6  # softmax gradients sum to zero
    hit_loss, hit_grad = hit_cross_entropy(points, logits, a, a + width, bandwidth)
    assert np.isfinite(hit_loss) and np.all(np.isfinite(hit_grad))


@settings(max_examples=30, deadline=None)
@given(
    kernel=st.sampled_from(SMOOTH_KERNELS),
    logits=st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=6),
    shift=st.floats(-50, 50),
)
def test_losses_depend_only_on_logit_differences(kernel, logits, shift):
    z = np.array(logits)
    points = np.linspace(-0.8, 0.8, z.size)
    loss, grad = kde_cross_entropy(points, z, -0.1, 0.1, 0.2, kernel)
    loss2, grad2 = kde_cross_entropy(points, z + shift, -0.1, 0.1, 0.2, kernel)
    assert loss2 == pytest.approx(loss, rel=1e-9, abs=1e-9)
    np.testing.assert_allclose(grad2, grad, atol=1e-9)
    sq, _ = squared_error(points, z, -0.1, 0.1, 0.2, kernel)
    assert np.isfinite(sq)


def test_loss_near_a_tight_window_approaches_minus_log_density():
    # sanity check on the value (not just the gradient): a tiny window averages log p at one x
    points, logits, h = np.array([-0.1, 0.2]), np.array([0.0, 1.0]), 0.1
    loss, _ = kde_cross_entropy(points, logits, 0.1 - 1e-7, 0.1 + 1e-7, h)
    s = np.exp(logits) / np.exp(logits).sum()
    p = np.sum(s * np.exp(-0.5 * ((0.1 - points) / h) ** 2) / (h * math.sqrt(2 * math.pi)))
    assert loss == pytest.approx(-math.log(p), rel=1e-9)


# --- input validation ---------------------------------------------------------


@pytest.mark.parametrize(
    "args, match",
    [
        (([0.0], [0.0], 0.2, 0.1, 0.1), "a < b"),
        (([0.0], [0.0], 0.1, 0.1, 0.1), "a < b"),
        (([0.0], [0.0], 0.0, 0.1, 0.0), "bandwidth"),
        (([0.0], [0.0], 0.0, 0.1, -1.0), "bandwidth"),
        (([0.0, 0.1], [0.0], 0.0, 0.1, 0.1), "differ in length"),
        (([], [], 0.0, 0.1, 0.1), "N >= 1"),
        (([0.0], [np.nan], 0.0, 0.1, 0.1), "finite"),
    ],
)
@pytest.mark.parametrize("loss_fn", [kde_cross_entropy, squared_error, hit_cross_entropy])
def test_invalid_inputs_raise(loss_fn, args, match):
    with pytest.raises(ValueError, match=match):
        loss_fn(*args)


def test_unknown_kernel_lists_valid_names():
    with pytest.raises(ValueError, match="box, epanechnikov, gaussian, laplace"):
        kde_cross_entropy([0.0], [0.0], 0.0, 0.1, 0.1, kernel="triangle")


def test_uncovered_window_without_floor_raises():
    with pytest.raises(ValueError, match="floor"):
        kde_cross_entropy([0.9], [0.0], 0.0, 0.1, 0.1, kernel="epanechnikov", floor=0.0)
