"""Max-subtracted softmax, log-softmax and logsumexp, each with its backward.

Logits may be as large as +-1e17 and log-kernels as small as -1e10, so every
exponential is taken after subtracting the row maximum, and log-softmax is
(a - max) - log(sum): never a - logsumexp(a), which rounds log 2 away next to
1e17. A row that is all -inf (a compact kernel with no support) gives
logsumexp = -inf and softmax = 0 rather than NaN. `log_softmax_into` is the
compiled 1-D form the learner's compiled code uses.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .fastexp import exp_sum_inplace


@njit(cache=True)
def log_softmax_into(z, n, out):
    """out[:n] = log softmax(z[:n]) for finite z; out must not be z (it holds the exponentials first)."""
    m = -np.inf
    for j in range(n):
        m = max(m, z[j])
    out[:n] = z[:n]
    log_total = math.log(exp_sum_inplace(out, n, m))
    for j in range(n):
        out[j] = (z[j] - m) - log_total


def _shift(a: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(max, exp(a - max), sum of those), with all -inf rows shifted by 0."""
    m = np.max(a, axis=axis, keepdims=True)
    m[~np.isfinite(m)] = 0.0
    e = np.subtract(a, m)
    np.exp(e, out=e)  # in place: a is often a large (nodes x points) array
    return m, e, np.sum(e, axis=axis, keepdims=True)


def logsumexp(a, axis: int = -1) -> np.ndarray:
    """log(sum(exp(a))) along axis. Its gradient w.r.t. a is softmax(a)."""
    a = np.asarray(a, dtype=float)
    m, _, s = _shift(a, axis)
    with np.errstate(divide="ignore"):
        return np.squeeze(m + np.log(s), axis=axis)


def logsumexp_and_softmax(a, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """logsumexp(a) together with its gradient softmax(a), sharing one exp pass."""
    a = np.asarray(a, dtype=float)
    m, e, s = _shift(a, axis)
    with np.errstate(divide="ignore"):
        lse = np.squeeze(m + np.log(s), axis=axis)
    np.divide(e, s, out=e, where=s > 0)  # rows with s = 0 are already all 0
    return lse, e


def softmax(a, axis: int = -1) -> np.ndarray:
    """S = exp(a) / sum(exp(a)) along axis."""
    return logsumexp_and_softmax(a, axis)[1]


def softmax_backward(s: np.ndarray, grad_s: np.ndarray) -> np.ndarray:
    """dL/da from dL/dS for S = softmax(a) (1-D): S * (g - S.g)."""
    return s * (grad_s - np.dot(s, grad_s))


def log_softmax(a, axis: int = -1) -> np.ndarray:
    """log S = a - logsumexp(a); finite for any finite a."""
    a = np.asarray(a, dtype=float)
    m, _, s = _shift(a, axis)
    return (a - m) - np.log(s)


def log_softmax_backward(s: np.ndarray, grad_log_s: np.ndarray) -> np.ndarray:
    """dL/da from dL/d(log S) for log S = log_softmax(a) (1-D): g - S * sum(g)."""
    return grad_log_s - s * np.sum(grad_log_s)
