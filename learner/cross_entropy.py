"""Compiled window cross-entropy of the KDE and its exact logit gradient.

    L = -(1/(b-a)) integral_a^b log p~(x) dx,   p~ = p + floor,  p(x) = sum_j S_j K_h(x - x_j)
    dL/dz_i = S_i C - A_i,   C = (1/(b-a)) integral cov,   A_i = (1/(b-a)) integral cov resp_i

with resp_i = S_i K_i / p and cov = p / p~ (1 without a floor). The integrals
are adaptive Gauss-Kronrod (learner.quadrature) on pieces where the integrand
is analytic, so both are controlled to about PANEL_RTOL of max(1, |log p|)
per unit of window. Every term is taken in log space, so points hundreds of
bandwidths away and huge logits stay finite.

Cost per kernel, for N points and a window of Q quadrature nodes:
  gaussian      direct sums: O(N Q), Q does not grow with N;
  laplace       O(N log N + Q): on a piece between neighbouring points
                p(x) = (L_k e^{-(x-x_k)/h} + R_{k+1} e^{-(x_{k+1}-x)/h}) / 2h,
                with L, R running sums over the sorted points; the gradient
                flows back through the same recurrences;
  box           O(N log N), exact: p is constant between the breakpoints
                x_j +- h, so each piece's integral is closed-form;
  epanechnikov  direct sums over the points whose support covers each piece:
                O(Q * covering points).
`work` counts kernel-term evaluations (N Q gaussian; per node and group for
the others), the tests' machine-independent cost measure.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .fastexp import exp_into
from .kernels import BOX_CODE, GAUSSIAN_CODE, LAPLACE_CODE, LOG_SQRT_2PI, log_kernel
from .quadrature import MAX_DEPTH, PANEL_ATOL, PANEL_RTOL, ROUNDOFF, RULE_N, RULE_T, RULE_WG, RULE_WK, kronrod_error, panel_nodes
from .softmax import log_softmax_into

NO_COVER = 1  # status bit: floor = 0 and no kernel covers part of the window
CANCEL_GUARD = 1e-8  # a prefix-sum difference this small relative to its terms is summed directly


@njit(cache=True)
def logaddexp(a, b):
    if a == -np.inf:
        return b
    if b == -np.inf:
        return a
    return max(a, b) + math.log1p(math.exp(-abs(a - b)))


@njit(cache=True)
def safe_log(x):
    return math.log(x) if x > 0.0 else -np.inf


@njit(cache=True)
def floored(log_p, log_floor):
    """(log p~, cov = p / p~) for log p~ = log(p + floor); log_floor = -inf means no floor."""
    if log_floor == -np.inf:
        return log_p, 1.0
    log_pf = logaddexp(log_p, log_floor)
    return log_pf, (math.exp(log_p - log_pf) if log_p > -np.inf else 0.0)


@njit(cache=True)
def mixture_log_density(x, code, h, xs, log_s, lo, hi, row):
    """log p(x) (no scale) over points lo..hi-1; row[:hi-lo] = their responsibilities."""
    m = hi - lo
    top = -np.inf
    if code == GAUSSIAN_CODE:
        inv_h = 1.0 / h
        for j in range(m):
            u = (x - xs[lo + j]) * inv_h
            row[j] = log_s[lo + j] - 0.5 * u * u
            top = max(top, row[j])
        base = -math.log(h) - LOG_SQRT_2PI
    else:
        for j in range(m):
            row[j] = log_s[lo + j] + log_kernel(code, x - xs[lo + j], h)
            top = max(top, row[j])
        base = 0.0
    if top == -np.inf:
        row[:m] = 0.0
        return -np.inf
    for j in range(m):
        row[j] -= top
    exp_into(row, row, m)
    total = 0.0
    for j in range(m):
        total += row[j]
    inv = 1.0 / total
    for j in range(m):
        row[j] *= inv
    return top + math.log(total) + base


@njit(cache=True)
def _fill_panel(nodes, code, h, xs, log_s, lo, hi, lap, log_scale, log_floor, terms, f, cov):
    """Integrand values at the panel's nodes: f = -log p~, cov, terms[q, :groups] = cov * responsibilities.

    Laplace has two groups (the points left and right of the piece, see the
    module doc; lap = (log L_k, x_k, log R_{k+1}, x_{k+1})); the others one
    group per point lo..hi-1. Returns (groups, status).
    """
    status = 0
    groups = 2 if code == LAPLACE_CODE else hi - lo
    for q in range(RULE_N):
        x = nodes[q]
        row = terms[q]
        if code == LAPLACE_CODE:
            left = lap[0] - (x - lap[1]) / h
            right = lap[2] - (lap[3] - x) / h
            lse = logaddexp(left, right)
            row[0] = math.exp(left - lse)
            row[1] = math.exp(right - lse)
            log_p = lse - math.log(2.0 * h)
        else:
            log_p = mixture_log_density(x, code, h, xs, log_s, lo, hi, row)
        if log_p == -np.inf and log_floor == -np.inf:
            status |= NO_COVER
        log_pf, c = floored(log_p + log_scale, log_floor)
        f[q] = -log_pf
        cov[q] = c
        if c != 1.0:
            for j in range(groups):
                row[j] *= c
    return groups, status


@njit(cache=True)
def integrate_piece(left, right, inv_width, code, h, xs, log_s, lo, hi, lap, log_scale, log_floor, acc, offset,
                    work):
    """Adaptive Kronrod integration of one analytic piece; adds each group's integral to acc[offset + g].

    Returns (loss part, coverage part, status); work[0] counts kernel terms.
    """
    nodes = np.empty(RULE_N)
    f = np.empty(RULE_N)
    cov = np.empty(RULE_N)
    n_groups = 2 if code == LAPLACE_CODE else hi - lo
    terms = np.empty((RULE_N, max(n_groups, 1)))
    gauss = np.empty(max(n_groups, 1))
    kron = np.empty(max(n_groups, 1))
    stack_l = np.empty(MAX_DEPTH + 2)
    stack_r = np.empty(MAX_DEPTH + 2)
    stack_d = np.empty(MAX_DEPTH + 2, np.int64)
    stack_l[0], stack_r[0], stack_d[0] = left, right, 0
    top = 1
    loss = cover = 0.0
    status = 0
    while top > 0:
        top -= 1
        lft, rgt, depth = stack_l[top], stack_r[top], stack_d[top]
        panel_nodes(lft, rgt, RULE_T, nodes)
        groups, st = _fill_panel(nodes, code, h, xs, log_s, lo, hi, lap, log_scale, log_floor, terms, f, cov)
        status |= st
        work[0] += RULE_N * groups
        half = 0.5 * (rgt - lft) * inv_width
        frac = 2.0 * half
        lk = lg = ck = cg = absk = 0.0
        kron[:groups] = 0.0
        gauss[:groups] = 0.0
        for q in range(RULE_N):
            wk, wg = RULE_WK[q] * half, RULE_WG[q] * half
            lk += wk * f[q]
            lg += wg * f[q]
            absk += wk * abs(f[q])
            ck += wk * cov[q]
            cg += wg * cov[q]
            row = terms[q]
            for j in range(groups):
                kron[j] += wk * row[j]
                gauss[j] += wg * row[j]
        scale = max(frac, abs(lk))
        ok = kronrod_error(lk - lg, scale) <= max(PANEL_RTOL * scale, ROUNDOFF * absk, PANEL_ATOL)
        tol = max(max(PANEL_RTOL, ROUNDOFF) * frac, PANEL_ATOL)
        ok = ok and kronrod_error(ck - cg, frac) <= tol
        j = 0
        while ok and j < groups:
            ok = kronrod_error(kron[j] - gauss[j], frac) <= tol
            j += 1
        mid = 0.5 * (lft + rgt)
        if ok or depth >= MAX_DEPTH or not lft < mid < rgt:
            loss += lk
            cover += ck
            for j in range(groups):
                acc[offset + j] += kron[j]
        else:
            stack_l[top], stack_r[top], stack_d[top] = mid, rgt, depth + 1
            stack_l[top + 1], stack_r[top + 1], stack_d[top + 1] = lft, mid, depth + 1
            top += 2
    return loss, cover, status


@njit(cache=True)
def laplace_sums(xs, ls, n, h):
    """log L_k = log sum_{j<=k} S_j e^{-(x_k-x_j)/h} and log R_k = log sum_{j>=k} S_j e^{-(x_j-x_k)/h}."""
    log_l = np.empty(n)
    log_r = np.empty(n)
    log_l[0] = ls[0]
    for k in range(1, n):
        log_l[k] = logaddexp(log_l[k - 1] - (xs[k] - xs[k - 1]) / h, ls[k])
    log_r[n - 1] = ls[n - 1]
    for k in range(n - 2, -1, -1):
        log_r[k] = logaddexp(log_r[k + 1] - (xs[k + 1] - xs[k]) / h, ls[k])
    return log_l, log_r


@njit(cache=True)
def _laplace(xs, ls, n, a, b, h, log_scale, log_floor, inv_width, acc, work):
    """Laplace pieces between sorted points; acc[i] = A_i. Returns (loss, C, status)."""
    log_l, log_r = laplace_sums(xs, ls, n, h)
    group = np.zeros(2 * (n + 1))  # piece k in -1..n-1 (between x_k and x_{k+1}): slots 2(k+1), 2(k+1)+1
    lap = np.empty(4)
    loss = cover = 0.0
    status = 0
    k = np.searchsorted(xs[:n], a, side="right") - 1
    while k < n:
        lft = a if k < 0 else max(a, xs[k])
        rgt = b if k + 1 >= n else min(b, xs[k + 1])
        if lft >= b:
            break
        if rgt > lft:
            lap[0] = log_l[k] if k >= 0 else -np.inf
            lap[1] = xs[k] if k >= 0 else 0.0
            lap[2] = log_r[k + 1] if k + 1 < n else -np.inf
            lap[3] = xs[k + 1] if k + 1 < n else 0.0
            part, cov, st = integrate_piece(lft, rgt, inv_width, LAPLACE_CODE, h, xs, ls, 0, 0, lap, log_scale,
                                            log_floor, group, 2 * (k + 1), work)
            loss += part
            cover += cov
            status |= st
        k += 1
    # A_i = S_i [sum_{k>=i} F_L,k e^{-(x_k-x_i)/h} / L_k + sum_{m<=i} F_R,m-1 e^{-(x_i-x_m)/h} / R_m]
    log_q = -np.inf
    for i in range(n - 1, -1, -1):
        if i < n - 1:
            log_q -= (xs[i + 1] - xs[i]) / h
        log_q = logaddexp(log_q, safe_log(group[2 * (i + 1)]) - log_l[i])
        acc[i] = math.exp(ls[i] + log_q) if log_q > -np.inf else 0.0
    log_pp = -np.inf
    for i in range(n):
        if i > 0:
            log_pp -= (xs[i] - xs[i - 1]) / h
        log_pp = logaddexp(log_pp, safe_log(group[2 * i + 1]) - log_r[i])
        if log_pp > -np.inf:
            acc[i] += math.exp(ls[i] + log_pp)
    return loss, cover, status


@njit(cache=True)
def compact_edges(xs, n, a, b, h):
    """Sorted distinct piece edges: a, b and every x_j +- h strictly inside (a, b)."""
    cand = np.empty(2 * n + 2)
    m = 0
    cand[m] = a
    m += 1
    cand[m] = b
    m += 1
    for j in range(n):
        for e in (xs[j] - h, xs[j] + h):
            if a < e < b:
                cand[m] = e
                m += 1
    return np.unique(cand[:m])


@njit(cache=True)
def range_sum(prefix, values, lo, hi):
    """sum(values[lo:hi]) from prefix sums, summed directly where the difference would cancel."""
    total = prefix[hi] - prefix[lo]
    if total < CANCEL_GUARD * prefix[hi]:
        total = 0.0
        for j in range(lo, hi):
            total += values[j]
    return total


@njit(cache=True)
def _box(xs, s, n, a, b, h, log_scale, log_floor, inv_width, acc, work):
    """Box kernel, exact: p is constant on each piece. acc[i] = A_i. Returns (loss, C, status)."""
    edges = compact_edges(xs, n, a, b, h)
    pieces = edges.size - 1
    prefix = np.zeros(n + 1)
    for j in range(n):
        prefix[j + 1] = prefix[j] + s[j]
    weight = np.zeros(pieces)  # (width / (b - a)) cov / sum of covering S
    loss = cover = 0.0
    status = 0
    for k in range(pieces):
        mid = 0.5 * (edges[k] + edges[k + 1])
        lo = np.searchsorted(xs[:n], mid - h, side="left")
        hi = np.searchsorted(xs[:n], mid + h, side="right")
        total = range_sum(prefix, s, lo, hi)
        work[0] += hi - lo
        log_p = safe_log(total) - math.log(2.0 * h)
        if log_p == -np.inf and log_floor == -np.inf:
            status |= NO_COVER
        log_pf, cov = floored(log_p + log_scale, log_floor)
        frac = (edges[k + 1] - edges[k]) * inv_width
        loss -= frac * log_pf
        cover += frac * cov
        weight[k] = frac * cov / total if total > 0.0 else 0.0
    wprefix = np.zeros(pieces + 1)
    for k in range(pieces):
        wprefix[k + 1] = wprefix[k] + weight[k]
    for i in range(n):
        first = np.searchsorted(edges, xs[i] - h, side="left")
        last = np.searchsorted(edges, xs[i] + h, side="right") - 1
        acc[i] = s[i] * range_sum(wprefix, weight, first, last) if last > first else 0.0
    return loss, cover, status


@njit(cache=True)
def _epanechnikov(xs, ls, n, a, b, h, code, log_scale, log_floor, inv_width, acc, work):
    """Compact kernels by direct sums over each piece's covering points. Returns (loss, C, status)."""
    edges = compact_edges(xs, n, a, b, h)
    lap = np.zeros(4)
    loss = cover = 0.0
    status = 0
    for k in range(edges.size - 1):
        mid = 0.5 * (edges[k] + edges[k + 1])
        lo = np.searchsorted(xs[:n], mid - h, side="right")
        hi = np.searchsorted(xs[:n], mid + h, side="left")
        part, cov, st = integrate_piece(edges[k], edges[k + 1], inv_width, code, h, xs, ls, lo, hi, lap, log_scale,
                                        log_floor, acc, lo, work)
        loss += part
        cover += cov
        status |= st
    return loss, cover, status


@njit(cache=True)
def window_cross_entropy(points, logits, n, a, b, h, code, log_scale, floor, grad, work):
    """L over points[:n], logits[:n] and window [a, b]; grad[:n] = dL/dz. Returns (L, status).

    floor = 0 means none. work[0] is incremented by the kernel terms evaluated.
    """
    log_s = np.empty(n)
    log_softmax_into(logits, n, log_s)
    log_floor = math.log(floor) if floor > 0.0 else -np.inf
    inv_width = 1.0 / (b - a)
    acc = np.zeros(n)
    if code == GAUSSIAN_CODE:
        loss, cover, status = integrate_piece(a, b, inv_width, code, h, points, log_s, 0, n, np.zeros(4), log_scale,
                                              log_floor, acc, 0, work)
        for j in range(n):
            grad[j] = math.exp(log_s[j]) * cover - acc[j]
        return loss, status
    order = np.argsort(points[:n], kind="mergesort")
    xs = points[:n][order]
    ls = log_s[order]
    sorted_acc = np.zeros(n)
    if code == LAPLACE_CODE:
        loss, cover, status = _laplace(xs, ls, n, a, b, h, log_scale, log_floor, inv_width, sorted_acc, work)
    elif code == BOX_CODE:
        s = np.exp(ls)
        loss, cover, status = _box(xs, s, n, a, b, h, log_scale, log_floor, inv_width, sorted_acc, work)
    else:
        loss, cover, status = _epanechnikov(xs, ls, n, a, b, h, code, log_scale, log_floor, inv_width, sorted_acc,
                                            work)
    for i in range(n):
        j = order[i]
        grad[j] = math.exp(ls[i]) * cover - sorted_acc[i]
    return loss, status
