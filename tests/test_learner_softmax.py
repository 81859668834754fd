"""Softmax helpers: stability at extreme inputs and their backward passes."""

import numpy as np
import pytest

from learner.softmax import (
    log_softmax,
    log_softmax_backward,
    logsumexp,
    logsumexp_and_softmax,
    softmax,
    softmax_backward,
)


def test_matches_naive_formulas_on_moderate_inputs():
    a = np.array([0.3, -1.0, 2.5, 0.0])
    naive = np.exp(a) / np.exp(a).sum()
    np.testing.assert_allclose(softmax(a), naive, rtol=1e-14)
    np.testing.assert_allclose(log_softmax(a), np.log(naive), rtol=1e-14)
    assert logsumexp(a) == pytest.approx(np.log(np.exp(a).sum()), rel=1e-14)


def test_extreme_logits_stay_finite():
    a = np.array([1e3, -1e3, 999.0, 0.0])
    s = softmax(a)
    assert np.all(np.isfinite(s)) and s.sum() == pytest.approx(1.0)
    assert s[0] == pytest.approx(1 / (1 + np.exp(-1.0)))
    assert np.all(np.isfinite(log_softmax(a)))
    assert logsumexp(a) == pytest.approx(1e3 + np.log1p(np.exp(-1.0)))


def test_all_minus_inf_row_gives_minus_inf_and_zero_softmax():
    a = np.array([[-np.inf, -np.inf], [0.0, -np.inf]])
    lse, s = logsumexp_and_softmax(a, axis=1)
    assert lse[0] == -np.inf and lse[1] == 0.0
    np.testing.assert_array_equal(s, [[0.0, 0.0], [1.0, 0.0]])


def test_rows_along_axis():
    a = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    np.testing.assert_allclose(softmax(a, axis=1).sum(axis=1), 1.0)
    np.testing.assert_allclose(logsumexp(a, axis=0), np.log(np.exp(a).sum(axis=0)))


def _fd(f, a, step=1e-6):
    out = np.zeros_like(a)
    for i in range(a.size):
        up, down = a.copy(), a.copy()
        up[i] += step
        down[i] -= step
        out[i] = (f(up) - f(down)) / (2 * step)
    return out


def test_backward_passes_match_finite_differences():
    a = np.array([0.3, -1.0, 2.5, 0.0])
    g = np.array([0.7, -0.2, 0.1, 1.5])  # an arbitrary upstream gradient
    np.testing.assert_allclose(softmax_backward(softmax(a), g), _fd(lambda x: softmax(x) @ g, a), atol=1e-9)
    np.testing.assert_allclose(
        log_softmax_backward(softmax(a), g), _fd(lambda x: log_softmax(x) @ g, a), atol=1e-9
    )
    np.testing.assert_allclose(logsumexp_and_softmax(a)[1], _fd(logsumexp, a), atol=1e-9)
