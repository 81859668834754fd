"""Learned-metric logits: hand-worked forward values, finite-difference gradients, k-nearest selection."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learner.loss import kde_cross_entropy
from learner.metric import (MetricKDE, inverse_softplus, metric_logits, nearest, sigmoid, softplus,
                            squared_distances)


def test_softplus_and_its_inverse_and_derivative():
    assert softplus(0.0) == pytest.approx(math.log(2.0))
    assert softplus(800.0) == 800.0 and softplus(-800.0) == pytest.approx(0.0, abs=1e-300)
    for w in (1e-3, 0.5, 4.0, 300.0):
        assert softplus(inverse_softplus(w)) == pytest.approx(w, rel=1e-12)
    for t in (-30.0, -1.0, 0.0, 2.0, 30.0):
        fd = (softplus(t + 1e-6) - softplus(t - 1e-6)) / 2e-6
        assert sigmoid(t) == pytest.approx(fd, rel=1e-7, abs=1e-14)


def test_metric_logits_by_hand():
    # w = (1, 2); query (0, 0); point 0 at (1, 1): z = -(1 * 1 + 2 * 1) = -3; point 1 at (0, 2): -(0 + 2 * 4) = -8
    feats = np.array([[1.0, 1.0], [0.0, 2.0]])
    dist = np.empty((2, 2))
    squared_distances(np.zeros(2), feats, 2, dist)
    assert dist.tolist() == [[1.0, 1.0], [0.0, 4.0]]
    theta = np.array([inverse_softplus(1.0), inverse_softplus(2.0)])
    out = np.empty(2)
    metric_logits(dist, 2, theta, np.array([0.0, 0.5]), out)
    assert out == pytest.approx([-3.0, -7.5])


def test_nearest_picks_the_largest_logits_in_index_order():
    out = np.empty(5, np.int64)
    z = np.array([0.5, 3.0, 1.0, 3.0, -2.0])
    assert out[: nearest(z, 5, 2, out)].tolist() == [1, 3]
    assert out[: nearest(z, 5, 3, out)].tolist() == [1, 2, 3]
    assert out[: nearest(z, 5, 0, out)].tolist() == [0, 1, 2, 3, 4]  # k <= 0: all
    assert out[: nearest(z, 4, 9, out)].tolist() == [0, 1, 2, 3]  # only the first n count
    assert out[: nearest(np.ones(4), 4, 2, out)].tolist() == [0, 1]  # ties: lower indices first


@settings(max_examples=200, derandomize=True, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=1, max_size=30), st.integers(-1, 35))
def test_nearest_matches_a_stable_sort(values, k):
    z = np.array(values, dtype=float)
    out = np.empty(z.size, np.int64)
    m = nearest(z, z.size, k, out)
    expected = np.arange(z.size) if k <= 0 else np.sort(np.argsort(-z, kind="stable")[:k])
    assert out[:m].tolist() == expected.tolist()


def random_model(seed: int):
    rng = np.random.default_rng(seed)
    n, d = int(rng.integers(5, 80)), int(rng.integers(1, 8))
    k = int(rng.choice([0, 3, 10, 1000]))
    kernel = str(rng.choice(["gaussian", "laplace"]))
    model = MetricKDE(d, k=k, weights=rng.uniform(0.2, 5.0, d), bias=True, capacity=200, kernel=kernel)
    for _ in range(n):
        model._store(rng.uniform(-1, 1), rng.uniform(-1, 1, d))
    model.bias[: model.count] = rng.normal(0.0, 0.5, model.count)
    a = rng.uniform(-0.9, 0.5)
    return model, rng.uniform(-1, 1, d), a, a + rng.uniform(0.02, 0.4)


def central_difference(f, x: np.ndarray, eps: float) -> np.ndarray:
    grad = np.zeros(x.size)
    for i in range(x.size):
        keep = x[i]
        x[i] = keep + eps
        up = f()
        x[i] = keep - eps
        down = f()
        x[i] = keep
        grad[i] = (up - down) / (2 * eps)
    return grad


@pytest.mark.parametrize("seed", range(12))
def test_theta_and_bias_gradients_match_finite_differences(seed):
    model, query, a, b = random_model(seed)
    index = model.select(query)[0]
    loss, grad_theta, grad_bias = model.loss_and_grad(query, a, b)

    def loss_now():
        assert np.array_equal(model.select(query)[0], index)  # the nearest set did not move under the probe
        return model.loss_and_grad(query, a, b)[0]

    fd_theta = central_difference(loss_now, model.theta, 1e-6)
    fd_bias = central_difference(loss_now, model.bias[: model.count], 1e-6)
    assert np.abs(fd_theta - grad_theta).max() < 1e-6 * np.abs(grad_theta).max()
    assert np.abs(fd_bias - grad_bias).max() < 1e-6 * np.abs(grad_bias).max()
    # points outside the nearest set get no gradient; inside it, dL/db is the learner's own dL/dz
    outside = np.setdiff1d(np.arange(model.count), index)
    assert np.all(grad_bias[outside] == 0.0)
    z = model.select(query)[1]
    assert grad_bias[index] == pytest.approx(kde_cross_entropy(model.points[index], z, a, b, 0.1, model.kernel)[1])


def test_the_metric_learns_which_feature_tells_the_situations_apart():
    # feature 0 says where the target goes (0 -> GF +0.5, 1 -> GF -0.5); feature 1 is noise
    rng = np.random.default_rng(0)
    model = MetricKDE(2, k=30, weights=1.0, lr=0.05)
    for _ in range(400):
        side = int(rng.integers(2))
        centre = 0.5 if side == 0 else -0.5
        model.observe(centre - 0.05, centre + 0.05, [float(side), rng.uniform()])
    w = model.weights()
    assert w[0] > 3.0 * w[1]
    assert model.peak([0.0, 0.5]) == pytest.approx(0.5, abs=0.03)
    assert model.peak([1.0, 0.5]) == pytest.approx(-0.5, abs=0.03)


def test_equal_mode_is_a_k_nearest_kde():
    model = MetricKDE(1, k=2, weights=1.0, learn=False, equal=True)
    for x, f in ((0.5, 0.0), (-0.5, 0.1), (0.0, 5.0)):
        model.observe(x - 0.01, x + 0.01, [f])
    index, logits = model.select([0.0])
    assert index.tolist() == [0, 1] and logits.tolist() == [0.0, 0.0]
    xs = np.array([0.5, -0.5, 0.0])
    expected = 0.5 * (np.exp(-0.5 * ((xs - 0.5) / 0.1) ** 2) + np.exp(-0.5 * ((xs + 0.5) / 0.1) ** 2)) / (
        0.1 * math.sqrt(2 * math.pi))
    assert model.density([0.0], xs) == pytest.approx(expected, rel=1e-9)
    before = model.theta.copy()
    model.observe(0.1, 0.2, [0.0])
    assert np.array_equal(model.theta, before)  # a fixed metric never moves


@pytest.mark.parametrize("seed", range(6))
def test_window_mass_is_the_mean_density_over_the_window_times_its_width(seed):
    """Against numpy's linspace, the wrapper's density (np.exp, pairwise mean) and, for the mean of many
    points, the exact window probability of the selected mixture (the CDF difference of each kernel)."""
    from scipy.stats import norm

    model, query, a, b = random_model(seed)
    want = np.mean(model.density(query, np.linspace(a, b, 9))) * (b - a)
    assert model.mass(query, a, b, 9) == pytest.approx(want, rel=1e-13)
    index, logits = model.select(query)
    weights = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    if model.kernel == "gaussian":
        centres = model.points[index]
        exact = weights @ (norm.cdf((b - centres) / 0.1) - norm.cdf((a - centres) / 0.1))
        assert model.mass(query, a, b, 4001) == pytest.approx(exact, rel=1e-3)


def test_window_mass_needs_points_and_two_of_them():
    model = MetricKDE(1)
    with pytest.raises(ValueError, match="no stored points"):
        model.mass([0.0], -0.1, 0.1, 9)
    model.observe(-0.1, 0.1, [0.0])
    with pytest.raises(ValueError, match="points must be >= 2"):
        model.mass([0.0], -0.1, 0.1, 1)


def test_capacity_evicts_the_oldest_and_bad_input_is_refused():
    model = MetricKDE(1, capacity=2)
    for x in (0.1, 0.2, 0.3):
        model.observe(x - 0.01, x + 0.01, [x])
    assert len(model) == 2 and model.points[:2] == pytest.approx([0.2, 0.3])
    assert model.features[:2, 0] == pytest.approx([0.2, 0.3])
    with pytest.raises(ValueError, match="length 1"):
        model.observe(0.0, 0.1, [0.0, 1.0])
    with pytest.raises(ValueError, match="a < b"):
        model.observe(0.2, 0.1, [0.0])
    with pytest.raises(ValueError, match="> 0"):
        MetricKDE(2, weights=[1.0, 0.0])


def test_the_hot_parts_compose_inside_compiled_code():
    from numba import njit

    from learner.metric import metric_backward

    @njit
    def step(query, features, n, k, theta, bias, grad_z_of, dist, logits, index, out):
        squared_distances(query, features, n, dist)
        metric_logits(dist, n, theta, bias, logits)
        m = nearest(logits, n, k, index)
        metric_backward(dist, index, m, grad_z_of[index[:m]], theta, out)
        return m

    model, query, a, b = random_model(3)
    n, d = model.count, model.d
    grad_z = np.linspace(-1.0, 1.0, n)  # any dL/dz: the chain rule is linear in it
    out, index = np.empty(d), np.empty(n, np.int64)
    m = step(query, model.features, n, model.k, model.theta, model.bias, grad_z, np.empty((n, d)), np.empty(n),
             index, out)
    selected = model.select(query)[0]
    assert index[:m].tolist() == selected.tolist()
    dist = (query[None, :] - model.features[:n]) ** 2
    expected = -np.array([sigmoid(t) for t in model.theta]) * (grad_z[selected] @ dist[selected])
    assert out == pytest.approx(expected, rel=1e-12)
