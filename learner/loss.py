"""Losses on the point logits z, each returning (loss, dL/dz) with analytic gradients.

kde_cross_entropy
    Cross-entropy between the uniform distribution on the hit window [a, b]
    and the KDE p: L = -(1/(b-a)) * integral_a^b log p(x) dx, so
    dL/dz_i = S_i - (1/(b-a)) * integral_a^b S_i K(x - x_i) / p(x) dx
    (compiled in learner.cross_entropy).
softmax_cross_entropy, hit_cross_entropy
    The degenerate hard-label case: ordinary softmax cross-entropy, where the
    "label" is the set of points that count as hit.
squared_error
    Squared error between the KDE's mass per bin and the window's mass per bin.

The compiled cores (`hit_loss`, `squared_loss`, `window_cross_entropy`) take
points[:n], logits[:n] and write the gradient into a caller's array, so
compiled callers (learner.state) use them without Python in between; the
functions without a leading underscore here check arguments first.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .cross_entropy import NO_COVER, floored, window_cross_entropy
from .kde import default_floor
from .kernels import get_kernel, kernel_cdf
from .softmax import log_softmax_into, logsumexp, softmax
from .validation import check_bandwidth, check_points_logits, check_window

HIT_FLOOR = 1e-12  # probability floor for hit_cross_entropy when nothing is hit
N_BINS = 47


def kde_cross_entropy(points, logits, a, b, bandwidth, kernel="gaussian", floor=None):
    """Window cross-entropy of the KDE and its gradient w.r.t. the logits.

    The window average is adaptive Gauss-Kronrod on pieces where the integrand
    is analytic (learner.cross_entropy), accurate to about 1e-12 of
    max(1, |loss|). `floor` defaults to learner.kde.COMPACT_FLOOR for compact
    kernels and 0 otherwise; with floor=0 a window stretch no point covers is
    a ValueError.
    """
    kern = get_kernel(kernel)
    x, z = check_points_logits(points, logits)
    a, b = check_window(a, b)
    h = check_bandwidth(bandwidth)
    eps = default_floor(kern) if floor is None else float(floor)
    if not eps >= 0:
        raise ValueError(f"floor must be >= 0, got {floor!r}")
    grad = np.empty(x.size)
    loss, status = window_cross_entropy(x, z, x.size, a, b, h, kern.code, kern.log_scale, eps, grad,
                                        np.zeros(1, np.int64))
    if status & NO_COVER:
        raise ValueError("no point's kernel covers part of the window; pass floor > 0")
    return float(loss), grad


def softmax_cross_entropy(logits, target):
    """-log sum_{i in target} softmax(z)_i and its gradient S - 1_target * softmax(z_target).

    `target` is an index (ordinary hard-label CE: gradient S - onehot) or a
    boolean mask of several correct classes (each path into the target counts).
    """
    z = np.asarray(logits, dtype=float)
    mask = np.zeros(z.shape, dtype=bool)
    mask[target] = True
    if not mask.any():
        raise ValueError("target selects no class")
    shift = z - np.max(z)  # so that equal huge logits do not round log 2 away
    loss = float(logsumexp(shift) - logsumexp(shift[mask]))
    grad = softmax(z)
    grad[mask] -= softmax(z[mask])
    return loss, grad


@njit(cache=True)
def hit_loss(points, logits, n, a, b, h, floor, grad):
    """Compiled hit_cross_entropy; returns NaN when nothing is hit and floor = 0."""
    log_s = np.empty(n)
    log_softmax_into(logits, n, log_s)
    top = -np.inf
    for j in range(n):
        if a - h <= points[j] <= b + h:
            top = max(top, log_s[j])
    log_hit = -np.inf
    if top > -np.inf:
        total = 0.0
        for j in range(n):
            if a - h <= points[j] <= b + h:
                total += math.exp(log_s[j] - top)
        log_hit = top + math.log(total)
    log_hf, share = floored(log_hit, math.log(floor) if floor > 0.0 else -np.inf)
    if log_hf == -np.inf:
        return np.nan
    # d(-log(S_hit + eps))/dz_i = (S_i S_hit - 1_hit S_i) / (S_hit + eps)
    for j in range(n):
        grad[j] = math.exp(log_s[j]) * share
        if a - h <= points[j] <= b + h:
            grad[j] -= math.exp(log_s[j] - log_hf)
    return -log_hf


def hit_cross_entropy(points, logits, a, b, bandwidth, floor=HIT_FLOOR):
    """Hard-label baseline: the points within `bandwidth` of [a, b] are the label.

    Point j is hit iff a box of half-width h around x_j touches the window,
    i.e. a - h <= x_j <= b + h. L = -log(S_hit + floor), S_hit = sum of hit S_j.
    With floor=0 this is exactly softmax_cross_entropy(z, hit), so with one hit
    point i the gradient is S_i - 1 there and S_j elsewhere. The floor makes a
    window with no hit point a finite loss with zero gradient (nothing to learn).
    """
    x, z = check_points_logits(points, logits)
    a, b = check_window(a, b)
    h = check_bandwidth(bandwidth)
    if not floor >= 0:
        raise ValueError(f"floor must be >= 0, got {floor!r}")
    grad = np.empty(x.size)
    loss = hit_loss(x, z, x.size, a, b, h, float(floor), grad)
    if math.isnan(loss):
        raise ValueError("no point is within bandwidth of the window; pass floor > 0")
    return float(loss), grad


@njit(cache=True)
def squared_loss(points, logits, n, a, b, h, code, log_scale, n_bins, grad):
    """Compiled squared_error: sum_k (m_k - t_k)^2 over n_bins equal bins of [-1, 1]."""
    log_s = np.empty(n)
    log_softmax_into(logits, n, log_s)
    s = np.exp(log_s)
    edges = np.linspace(-1.0, 1.0, n_bins + 1)
    mass = np.empty((n_bins, n))  # M_kj: mass of kernel j in bin k, from the kernel CDF
    scale = math.exp(log_scale)
    for j in range(n):
        below = kernel_cdf(code, edges[0] - points[j], h)
        for k in range(n_bins):
            above = kernel_cdf(code, edges[k + 1] - points[j], h)
            mass[k, j] = scale * (above - below)
            below = above
    resid = mass @ s
    loss = 0.0
    for k in range(n_bins):
        resid[k] -= max(min(edges[k + 1], b) - max(edges[k], a), 0.0) / (b - a)
        loss += resid[k] * resid[k]
    grad_s = 2.0 * (resid @ mass)  # dL/dS, then back through the softmax
    dot = np.sum(s * grad_s)
    for j in range(n):
        grad[j] = s[j] * (grad_s[j] - dot)
    return loss


def squared_error(points, logits, a, b, bandwidth, kernel="gaussian", n_bins=N_BINS):
    """sum_k (m_k - t_k)^2 between KDE bin masses m and window bin masses t.

    m_k = sum_j S_j M_kj with M_kj the exact mass of kernel j in bin k (from the
    kernel CDF). Kernel mass outside [-1, 1] is simply not counted.
    """
    kern = get_kernel(kernel)
    x, z = check_points_logits(points, logits)
    a, b = check_window(a, b)
    h = check_bandwidth(bandwidth)
    grad = np.empty(x.size)
    loss = squared_loss(x, z, x.size, a, b, h, kern.code, kern.log_scale, int(n_bins), grad)
    return float(loss), grad
