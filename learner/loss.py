"""Losses on the point logits z, each returning (loss, dL/dz) with analytic gradients.

kde_cross_entropy
    Cross-entropy between the uniform distribution on the hit window [a, b]
    and the KDE p: L = -(1/(b-a)) * integral_a^b log p(x) dx, so
    dL/dz_i = S_i - (1/(b-a)) * integral_a^b S_i K(x - x_i) / p(x) dx.
softmax_cross_entropy, hit_cross_entropy
    The degenerate hard-label case: ordinary softmax cross-entropy, where the
    "label" is the set of points that count as hit.
squared_error
    Squared error between the KDE's mass per bin and the window's mass per bin.
"""

from __future__ import annotations

import numpy as np

from .kde import default_floor, log_density_backward, log_density_terms, row_blocks
from .kernels import get_kernel
from .quadrature import window_rule
from .softmax import log_softmax, logsumexp, softmax, softmax_backward
from .validation import check_bandwidth, check_points_logits, check_window

HIT_FLOOR = 1e-12  # probability floor for hit_cross_entropy when nothing is hit
N_BINS = 47


def kde_cross_entropy(points, logits, a, b, bandwidth, kernel="gaussian", floor=None):
    """Window cross-entropy of the KDE and its gradient w.r.t. the logits.

    The window average is a Gauss-Legendre rule (see learner.quadrature) on
    [a, b] cut at the kernel's breakpoints. The nodes do not depend on the
    logits, so the gradient is the exact derivative of the computed loss.
    `floor` defaults to learner.kde.COMPACT_FLOOR for compact kernels and
    0 otherwise; with floor=0 a window stretch no point covers is a ValueError.
    """
    kern = get_kernel(kernel)
    x, z = check_points_logits(points, logits)
    a, b = check_window(a, b)
    h = check_bandwidth(bandwidth)
    eps = default_floor(kern) if floor is None else float(floor)
    if eps < 0:
        raise ValueError(f"floor must be >= 0, got {floor!r}")

    nodes, w = window_rule(a, b, h, kern.breakpoints(x, h))
    log_s = log_softmax(z)
    s = np.exp(log_s)
    loss, grad = 0.0, np.zeros_like(z)
    for rows in row_blocks(nodes.size, x.size):  # one block unless nodes * N is large
        log_p, resp, coverage = log_density_terms(nodes[rows], x, log_s, h, kern, eps)
        if not np.all(np.isfinite(log_p)):
            raise ValueError("no point's kernel covers part of the window; pass floor > 0")
        loss -= float(w[rows] @ log_p)
        grad += log_density_backward(-w[rows], s, resp, coverage)
    return loss, grad


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
    loss = float(logsumexp(z) - logsumexp(z[mask]))
    grad = softmax(z)
    grad[mask] -= softmax(z[mask])
    return loss, grad


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
    if floor < 0:
        raise ValueError(f"floor must be >= 0, got {floor!r}")
    hit = (x >= a - h) & (x <= b + h)
    log_s = log_softmax(z)
    s = np.exp(log_s)
    log_hit = logsumexp(log_s[hit]) if hit.any() else -np.inf
    log_hit_floored = np.logaddexp(log_hit, np.log(floor)) if floor > 0 else log_hit
    if not np.isfinite(log_hit_floored):
        raise ValueError("no point is within bandwidth of the window; pass floor > 0")
    # d(-log(S_hit + eps))/dz_i = (S_i S_hit - 1_hit S_i) / (S_hit + eps)
    share = np.exp(log_hit - log_hit_floored)  # S_hit / (S_hit + eps)
    grad = s * share - np.where(hit, np.exp(log_s - log_hit_floored), 0.0)
    return -float(log_hit_floored), grad


def bin_edges(n_bins: int = N_BINS) -> np.ndarray:
    """Equal-width GF bins covering [-1, 1]."""
    return np.linspace(-1.0, 1.0, n_bins + 1)


def window_bin_mass(a, b, edges) -> np.ndarray:
    """Mass of the uniform distribution on [a, b] falling in each bin."""
    overlap = np.clip(np.minimum(edges[1:], b) - np.maximum(edges[:-1], a), 0.0, None)
    return overlap / (b - a)


def squared_error(points, logits, a, b, bandwidth, kernel="gaussian", n_bins=N_BINS):
    """sum_k (m_k - t_k)^2 between KDE bin masses m and window bin masses t.

    m_k = sum_j S_j M_kj with M_kj the exact mass of kernel j in bin k (from the
    kernel CDF). Kernel mass outside [-1, 1] is simply not counted.
    """
    kern = get_kernel(kernel)
    x, z = check_points_logits(points, logits)
    a, b = check_window(a, b)
    h = check_bandwidth(bandwidth)
    edges = bin_edges(n_bins)
    cdf = kern.cdf(edges[:, None] - x[None, :], h)
    bin_mass = np.diff(cdf, axis=0)  # M, shape (n_bins, N)
    s = softmax(z)
    resid = bin_mass @ s - window_bin_mass(a, b, edges)
    # dL/dS = 2 M^T r, then back through the softmax
    return float(resid @ resid), softmax_backward(s, 2.0 * (resid @ bin_mass))
