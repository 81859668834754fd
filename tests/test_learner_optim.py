"""Optimisers: SGD descends, Adam's first step by hand, state alignment."""

import numpy as np
import pytest

from learner.loss import kde_cross_entropy
from learner.optim import SGD, Adam


def test_sgd_reduces_kde_cross_entropy():
    points = np.array([-0.6, -0.2, 0.1, 0.5])
    logits = np.zeros(4)
    losses = []
    opt = SGD(lr=0.5)
    for _ in range(30):
        loss, grad = kde_cross_entropy(points, logits, 0.05, 0.15, 0.1)
        losses.append(loss)
        opt.step(logits, grad)
    assert losses[-1] < losses[0] - 0.5
    assert all(later <= earlier + 1e-12 for earlier, later in zip(losses, losses[1:]))
    assert np.argmax(logits) == 2  # the point nearest the window gained weight


def test_sgd_momentum_accumulates_velocity():
    params = np.array([1.0, -2.0])
    opt = SGD(lr=0.1, momentum=0.5)
    opt.step(params, np.array([1.0, 2.0]))
    np.testing.assert_allclose(params, [0.9, -2.2])
    opt.step(params, np.array([1.0, 2.0]))  # velocity = 0.5 * g + g = 1.5 g
    np.testing.assert_allclose(params, [0.75, -2.5])


def test_adam_first_step_by_hand():
    params = np.array([1.0, -1.0, 0.5])
    grad = np.array([0.5, -2.0, 0.0])
    Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8).step(params, grad)
    # m = 0.1 g, v = 0.001 g^2; bias corrected m_hat = g, v_hat = g^2
    expected = np.array([1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -1.0 + 0.1 * 2.0 / (2.0 + 1e-8), 0.5])
    np.testing.assert_allclose(params, expected, rtol=1e-14)


def test_adam_second_step_by_hand():
    params = np.array([0.0])
    opt = Adam(lr=0.1, beta1=0.9, beta2=0.999, eps=1e-8)
    opt.step(params, np.array([1.0]))
    opt.step(params, np.array([3.0]))
    m = 0.9 * 0.1 * 1.0 + 0.1 * 3.0
    v = 0.999 * 0.001 * 1.0 + 0.001 * 9.0
    step2 = 0.1 * (m / (1 - 0.9**2)) / (np.sqrt(v / (1 - 0.999**2)) + 1e-8)
    assert params[0] == pytest.approx(-0.1 / (1 + 1e-8) - step2, rel=1e-12)


def test_grown_elements_start_fresh_and_keep_reindexes_state():
    params = np.array([0.0, 0.0])
    opt = Adam(lr=0.1)
    for _ in range(3):
        opt.step(params, np.array([1.0, -1.0]))
    params = np.append(params, 0.0)
    opt.grow(1)
    before = params.copy()
    opt.step(params, np.array([1.0, -1.0, 1.0]))
    # the new element takes a full first Adam step (bias correction of its own)
    assert before[2] - params[2] == pytest.approx(0.1, rel=1e-6)
    np.testing.assert_array_equal(opt.state["steps"], [4.0, 4.0, 1.0])
    opt.keep(np.array([2, 0]))
    np.testing.assert_array_equal(opt.state["steps"], [1.0, 4.0])


def test_step_on_misaligned_params_raises():
    opt = SGD(lr=0.1, momentum=0.9)
    opt.step(np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="grow"):
        opt.step(np.zeros(3), np.ones(3))


@pytest.mark.parametrize(
    "make",
    [lambda: SGD(lr=0.0), lambda: SGD(lr=0.1, momentum=1.0), lambda: Adam(lr=0.1, beta1=1.0), lambda: Adam(lr=0.1, eps=0.0)],
)
def test_invalid_hyperparameters_raise(make):
    with pytest.raises(ValueError):
        make()
