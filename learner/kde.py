"""The weighted KDE p(x) = sum_j S_j K_h(x - x_j), S = softmax(z), in log space.

log p is a logsumexp over j of (log S_j + log K_h(x - x_j)), so a query far
from every point gives a large negative but finite log p (gaussian, laplace).

Compact kernels (epanechnikov, box) have p(x) = 0 where no point covers x.
There the density is floored: p~(x) = p(x) + eps with eps = COMPACT_FLOOR
(1e-12 per GF unit), a negligible constant background. This keeps the
cross-entropy finite (an uncovered fraction f of the window adds
-f log eps ~ 27.6 f to the loss) and gives that stretch zero gradient, since
no logit can change p there. Gaussian and laplace get no floor by default:
their log p is finite everywhere already.
"""

from __future__ import annotations

import numpy as np

from .kernels import Kernel, get_kernel
from .softmax import log_softmax, logsumexp, logsumexp_and_softmax
from .validation import check_bandwidth, check_points_logits

COMPACT_FLOOR = 1e-12
BLOCK_ELEMENTS = 1 << 20  # ~8 MB of float64 per (queries x points) temporary


def default_floor(kernel: Kernel) -> float:
    """The floor eps used when the caller does not choose one."""
    return COMPACT_FLOOR if kernel.compact else 0.0


def row_blocks(n_rows: int, n_cols: int):
    """Slices of at most BLOCK_ELEMENTS / n_cols query rows.

    Bounds the (queries x points) temporaries: a laplace or compact kernel cut
    at thousands of breakpoints, or a large query array, stays a few MB.
    """
    step = max(1, BLOCK_ELEMENTS // max(n_cols, 1))
    return (slice(start, start + step) for start in range(0, n_rows, step))


def _log_terms(xs, points, log_weights, bandwidth, kernel: Kernel) -> np.ndarray:
    """terms[q, j] = log S_j + log K(x_q - x_j)."""
    terms = kernel.logpdf(np.subtract.outer(xs, points), bandwidth)
    terms += log_weights
    return terms


def log_mixture(xs, points, log_weights, bandwidth, kernel: Kernel, floor: float) -> np.ndarray:
    """log p~ at 1-D xs without argument checks (for callers that already checked)."""
    log_p = np.empty(xs.shape)
    for rows in row_blocks(xs.size, points.size):
        log_p[rows] = logsumexp(_log_terms(xs[rows], points, log_weights, bandwidth, kernel), axis=1)
    return log_p if floor == 0.0 else np.logaddexp(log_p, np.log(floor))


def log_density_terms(xs, points, log_weights, bandwidth, kernel: Kernel, floor: float):
    """Forward pass of log p~ at xs, plus what the backward pass needs.

    Returns (log_p, resp, coverage):
      log_p[q]     = log(p(x_q) + floor)
      resp[q, j]   = S_j K(x_q - x_j) / p(x_q)   (softmax over j; 0 if p = 0)
      coverage[q]  = p(x_q) / (p(x_q) + floor)   (1 when floor = 0)
    """
    terms = _log_terms(xs, points, log_weights, bandwidth, kernel)
    log_p, resp = logsumexp_and_softmax(terms, axis=1)
    if floor == 0.0:
        return log_p, resp, np.ones_like(log_p)
    log_p_floored = np.logaddexp(log_p, np.log(floor))
    return log_p_floored, resp, np.exp(log_p - log_p_floored)


def log_density_backward(grad_log_p, weights, resp, coverage) -> np.ndarray:
    """dL/dz from dL/d(log p~[q]).

    d log p~(x_q) / dz_i = (S_i K_qi - S_i p_q) / p~_q = coverage_q (resp_qi - S_i).
    """
    g = grad_log_p * coverage
    return g @ resp - np.sum(g) * weights


def log_density(xs, points, logits, bandwidth, kernel="gaussian", floor=None) -> np.ndarray:
    """log p~(xs) for any array of query points xs (shape preserved)."""
    kern = get_kernel(kernel)
    x, z = check_points_logits(points, logits)
    h = check_bandwidth(bandwidth)
    xs = np.asarray(xs, dtype=float)
    eps = default_floor(kern) if floor is None else float(floor)
    return log_mixture(xs.ravel(), x, log_softmax(z), h, kern, eps).reshape(xs.shape)


def density(xs, points, logits, bandwidth, kernel="gaussian", floor=None) -> np.ndarray:
    """p~(xs) = exp(log p~(xs))."""
    return np.exp(log_density(xs, points, logits, bandwidth, kernel, floor))
