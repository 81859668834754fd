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

import math

import numpy as np
from numba import njit

from .cross_entropy import floored, mixture_log_density
from .kernels import Kernel, get_kernel
from .softmax import log_softmax_into
from .validation import check_bandwidth, check_points_logits

COMPACT_FLOOR = 1e-12


def default_floor(kernel: Kernel) -> float:
    """The floor eps used when the caller does not choose one."""
    return COMPACT_FLOOR if kernel.compact else 0.0


@njit(cache=True)
def log_density_into(xs, points, logits, n, h, code, log_scale, floor, out):
    """out[q] = log p~(xs[q]) for the mixture over points[:n], logits[:n]."""
    log_s = np.empty(n)
    log_softmax_into(logits, n, log_s)
    row = np.empty(n)
    log_floor = math.log(floor) if floor > 0.0 else -np.inf
    log_p = np.nan
    for q in range(xs.size):  # each query's log p is the next one's guess (queries are often a grid)
        log_p = mixture_log_density(xs[q], code, h, points, log_s, 0, n, row, log_p)[0]
        out[q] = floored(log_p + log_scale, log_floor)[0]


def log_density(xs, points, logits, bandwidth, kernel="gaussian", floor=None) -> np.ndarray:
    """log p~(xs) for any array of query points xs (shape preserved)."""
    kern = get_kernel(kernel)
    x, z = check_points_logits(points, logits)
    h = check_bandwidth(bandwidth)
    xs = np.asarray(xs, dtype=float)
    eps = default_floor(kern) if floor is None else float(floor)
    out = np.empty(xs.size)
    log_density_into(xs.ravel(), x, z, x.size, h, kern.code, kern.log_scale, eps, out)
    return out.reshape(xs.shape)


def density(xs, points, logits, bandwidth, kernel="gaussian", floor=None) -> np.ndarray:
    """p~(xs) = exp(log p~(xs))."""
    return np.exp(log_density(xs, points, logits, bandwidth, kernel, floor))
