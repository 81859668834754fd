"""Logit models: the chain rule for LinearLogits and FreeLogits' bookkeeping."""

import numpy as np
import pytest

from learner.loss import hit_cross_entropy, kde_cross_entropy, squared_error
from learner.models import FreeLogits, LinearLogits

POINTS = np.array([-0.55, -0.12, 0.03, 0.2, 0.64])
FEATURES = np.array(
    [[1.0, 0.3, -0.2], [1.0, -0.7, 0.5], [1.0, 0.1, 0.9], [1.0, 1.2, -0.4], [1.0, -0.3, -1.1]]
)

LOSSES = {
    "ce-gaussian": lambda z: kde_cross_entropy(POINTS, z, -0.05, 0.12, 0.15, "gaussian"),
    "ce-laplace": lambda z: kde_cross_entropy(POINTS, z, -0.05, 0.12, 0.15, "laplace"),
    "ce-epanechnikov": lambda z: kde_cross_entropy(POINTS, z, -0.05, 0.12, 0.15, "epanechnikov"),
    "squared": lambda z: squared_error(POINTS, z, -0.05, 0.12, 0.15),
    "hard": lambda z: hit_cross_entropy(POINTS, z, -0.05, 0.12, 0.15),
}


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_linear_logits_weight_gradient_matches_finite_differences(loss):
    loss_fn = LOSSES[loss]
    model = LinearLogits(3, weights=[0.2, -0.8, 0.5])

    def loss_of_weights(w):
        return loss_fn(FEATURES @ w)[0]

    _, grad_z = loss_fn(model.logits(FEATURES))
    grad_w = model.backward(FEATURES, grad_z)
    w0 = model.params.copy()
    fd = np.zeros(3)
    for i in range(3):
        up, down = w0.copy(), w0.copy()
        up[i] += 1e-5
        down[i] -= 1e-5
        fd[i] = (loss_of_weights(up) - loss_of_weights(down)) / 2e-5
    assert np.max(np.abs(fd - grad_w)) / np.max(np.abs(grad_w)) < 1e-6


def test_linear_logits_generalise_to_new_points():
    model = LinearLogits(2, weights=[0.0, 1.5])
    new_features = np.array([[1.0, 2.0], [1.0, -1.0]])
    np.testing.assert_allclose(model.logits(new_features), [3.0, -1.5])


def test_linear_logits_validate_shapes():
    with pytest.raises(ValueError, match="n_features"):
        LinearLogits(0)
    with pytest.raises(ValueError, match="shape"):
        LinearLogits(2, weights=[1.0, 2.0, 3.0])


def test_free_logits_start_new_points_at_the_mean():
    model = FreeLogits()
    model.append(1)
    assert model.params.tolist() == [0.0]
    model.params[:] = [3.0]
    model.append(1)
    model.params[:] = [3.0, 1.0]
    model.append(2)
    np.testing.assert_allclose(model.params, [3.0, 1.0, 2.0, 2.0])
    model.keep(np.array([1, 3]))
    np.testing.assert_allclose(model.params, [1.0, 2.0])
    np.testing.assert_allclose(model.backward(None, np.array([0.1, -0.1])), [0.1, -0.1])
