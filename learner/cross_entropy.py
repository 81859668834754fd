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
  epanechnikov  O(N log N + Q): pieces between the breakpoints x_j +- h;
                up to DIRECT_LIMIT covering points summed directly, more
                in closed form (p is a quadratic there, from prefix sums).
`work` counts kernel-term evaluations (N Q gaussian; per node and group for
the others), the tests' machine-independent cost measure.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .fastexp import exp_fast, exp_inplace, exp_sum_inplace, vector_sum
from .kernels import BOX_CODE, GAUSSIAN_CODE, LAPLACE_CODE, LOG_SQRT_2PI, log_kernel
from .quadrature import (GROUP_RTOL, MAX_DEPTH, PANEL_ATOL, PANEL_RTOL, ROUNDOFF, RULE_N, RULE_T, RULE_WG, RULE_WK,
                         SMALL_N, SMALL_RULE_REACH, SMALL_T, SMALL_WG, SMALL_WK, group_accepted, kronrod_error)
from .softmax import log_softmax_into

SHIFT_SLACK = 600.0  # see usable_sum
SUM_LOW, SUM_HIGH = math.exp(-SHIFT_SLACK), math.exp(SHIFT_SLACK)
NO_COVER = 1  # status bit: floor = 0 and no kernel covers part of the window
QUADRATIC_PIECE = -1  # pseudo kernel code: an epanechnikov piece summed in closed form
LINEAR_PIECE = -2  # pseudo kernel code: an epanechnikov piece summed point by point from linear weights
DIRECT_LIMIT = 48  # covering points up to which an epanechnikov piece is summed point by point
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


@njit(cache=True, fastmath={"nnan", "ninf", "nsz"})
def gaussian_terms(x, xs, log_s, lo, m, inv_h, row):
    """row[j] = log S_j - u_j^2 / 2 (all finite, so the max may be vectorised); returns their max."""
    top = -1e308
    for j in range(m):
        u = (x - xs[lo + j]) * inv_h
        row[j] = log_s[lo + j] - 0.5 * u * u
        top = max(top, row[j])
    return top


@njit(cache=True)
def gaussian_row(x, xs, log_s, lo, m, inv_h, shift, row):
    """row[j] = exp(log S_j - u_j^2 / 2 - shift), u_j = (x - x_{lo+j}) / h; returns their sum."""
    for j in range(m):
        u = (x - xs[lo + j]) * inv_h
        row[j] = exp_fast(log_s[lo + j] - 0.5 * u * u - shift)
    return vector_sum(row, m)


@njit(cache=True)
def usable_sum(total):
    """A sum of shifted exponentials that needs no redo with the exact maximum as the shift.

    Each term is exact to 1 ulp for exponents in [-700, 700]; a sum within
    e^+-SHIFT_SLACK means the largest term is within e^+-(SHIFT_SLACK + log m) of 1,
    so no term overflowed and the clamped ones (<= e^-700 each) are below
    e^-(700 - SHIFT_SLACK - log m) of the sum: nothing a double can see.
    """
    return SUM_LOW < total < SUM_HIGH


@njit(cache=True)
def mixture_log_density(x, code, h, xs, log_s, lo, hi, row, guess):
    """(log p(x) without scale, 1 / sum): row[:hi-lo] = responsibilities times that sum.

    Callers scale the row by the returned 1 / sum themselves (one pass fewer).
    guess: an estimate of log p(x) (e.g. at a nearby x) or NaN; the gaussian
    shifts its exponents by it, which saves the pass for their maximum unless
    the estimate is off by more than SHIFT_SLACK.
    """
    m = hi - lo
    if m == 0:
        return -np.inf, 0.0
    if code == GAUSSIAN_CODE:
        base = -math.log(h) - LOG_SQRT_2PI
        shift = guess - base
        total = gaussian_row(x, xs, log_s, lo, m, 1.0 / h, shift, row) if shift == shift else 0.0
        if not usable_sum(total):
            shift = gaussian_terms(x, xs, log_s, lo, m, 1.0 / h, row)
            total = gaussian_row(x, xs, log_s, lo, m, 1.0 / h, shift, row)
        return shift + math.log(total) + base, 1.0 / total
    top = -np.inf
    for j in range(m):
        row[j] = log_s[lo + j] + log_kernel(code, x - xs[lo + j], h)
        top = max(top, row[j])
    if top == -np.inf:
        row[:m] = 0.0
        return -np.inf, 0.0
    total = exp_sum_inplace(row, m, top)
    return top + math.log(total), 1.0 / total


@njit(cache=True)
def epanechnikov_row(x, xs, weights, lo, m, h, row):
    """row[j] = weights[lo+j] (h - |u|)(h + |u|), u = x - x_{lo+j} (no log or exp: vectorised); returns the sum."""
    for j in range(m):
        d = abs(x - xs[lo + j])
        row[j] = weights[lo + j] * max((h - d) * (h + d), 0.0)
    return vector_sum(row, m)


@njit(cache=True)
def n_groups(code, lo, hi):
    if code == LAPLACE_CODE:
        return 2
    return 3 if code == QUADRATIC_PIECE else hi - lo


@njit(cache=True)
def new_scratch(size):
    """Work arrays for integrate_piece (size: the most groups a piece has), allocated once per loss."""
    m = max(size, 3)
    return (np.empty(m), np.empty(m), np.empty(m), np.empty(MAX_DEPTH + 2), np.empty(MAX_DEPTH + 2),
            np.empty(MAX_DEPTH + 2, np.int64))


@njit(cache=True)
def _panel(lft, rgt, rule_t, rule_wk, rule_wg, half, code, h, xs, log_s, lo, hi, lap, log_scale, log_floor, row,
           kron, gauss):
    """One Kronrod panel: kron/gauss[:groups] = both rules' integrals of cov * resp per group.

    Laplace has two groups (the points left and right of the piece, see the
    module doc; lap = (log L_k, x_k, log R_{k+1}, x_{k+1})); QUADRATIC_PIECE
    three (the moments of 1/p~ about the piece's middle); the others one
    group per point lo..hi-1. half = (rgt - lft) / 2 / (b - a). Returns
    (groups, status, loss by Kronrod, by Gauss, Kronrod of |loss|, coverage by Kronrod, by Gauss).
    """
    status = 0
    groups = n_groups(code, lo, hi)
    kron[:groups] = 0.0
    gauss[:groups] = 0.0
    centre, radius = 0.5 * (lft + rgt), 0.5 * (rgt - lft)
    lk = lg = ck = cg = absk = 0.0
    log_p = np.nan  # the previous node's, the next one's guess
    for q in range(rule_t.size):
        x = centre + radius * rule_t[q]
        if code == QUADRATIC_PIECE:  # epanechnikov in closed form, lap = (A0, A1, A2, mid)
            t = x - lap[3]
            log_p = safe_log(lap[0] * h * h - (lap[2] - 2.0 * t * lap[1] + t * t * lap[0])) + math.log(0.75 / h**3)
            log_pf, c = floored(log_p + log_scale, log_floor)
            row[0] = math.exp(math.log(0.75 / h**3) + log_scale - log_pf)  # K_i / p~ = row0 (h^2 - (x - x_i)^2)
            row[1] = row[0] * t
            row[2] = row[1] * t
            scale = 1.0
        else:
            if code == LAPLACE_CODE:
                left = lap[0] - (x - lap[1]) / h
                right = lap[2] - (lap[3] - x) / h
                lse = logaddexp(left, right)
                row[0] = math.exp(left - lse)
                row[1] = math.exp(right - lse)
                log_p = lse - math.log(2.0 * h)
                norm = 1.0
            elif code == LINEAR_PIECE:  # log_s holds weights S_j / e^lap[0], all points lo..hi-1 cover x
                total = epanechnikov_row(x, xs, log_s, lo, hi - lo, h, row)
                log_p = lap[0] + math.log(total) + math.log(0.75 / h**3) if total > 0.0 else -np.inf
                norm = 1.0 / total if total > 0.0 else 0.0
            else:
                log_p, norm = mixture_log_density(x, code, h, xs, log_s, lo, hi, row, log_p)
            log_pf, c = floored(log_p + log_scale, log_floor)
            scale = c * norm
        if log_p == -np.inf and log_floor == -np.inf:
            status |= NO_COVER
        wk, wg = rule_wk[q] * half, rule_wg[q] * half
        lk -= wk * log_pf
        lg -= wg * log_pf
        absk += wk * abs(log_pf)
        ck += wk * c
        cg += wg * c
        accumulate(kron, gauss, row, groups, wk * scale, wg * scale)
    return groups, status, lk, lg, absk, ck, cg


@njit(cache=True)
def accumulate(kron, gauss, row, m, wk, wg):
    """kron += wk row, gauss += wg row (the Gauss rule has no weight on half the nodes)."""
    if wg == 0.0:
        for j in range(m):
            kron[j] += wk * row[j]
        return
    for j in range(m):
        kron[j] += wk * row[j]
        gauss[j] += wg * row[j]


@njit(cache=True)
def _accepted(lk, lg, absk, ck, cg, frac, kron, gauss, groups):
    """The Kronrod estimates of loss, coverage and every group pass the error test."""
    scale = max(frac, abs(lk))
    ok = kronrod_error(lk - lg, scale) <= max(PANEL_RTOL * scale, ROUNDOFF * absk, PANEL_ATOL)
    ok = ok and kronrod_error(ck - cg, frac) <= max(GROUP_RTOL * frac, PANEL_ATOL)
    j = 0
    while ok and j < groups:
        ok = group_accepted(kron[j] - gauss[j], max(frac, abs(kron[j])))
        j += 1
    return ok


@njit(cache=True)
def integrate_piece(left, right, inv_width, code, h, xs, log_s, lo, hi, lap, log_scale, log_floor, acc, offset,
                    work, scratch):
    """Adaptive Kronrod integration of one analytic piece; adds each group's integral to acc[offset + g].

    A panel within SMALL_RULE_REACH bandwidths tries the 15-point pair first and
    the 21-point pair on the same panel if that fails; once a 21-point panel
    fails and is halved, its halves use the 21-point pair only. Returns
    (loss part, coverage part, status); work[0] counts kernel terms.
    """
    row, kron, gauss, stack_l, stack_r, stack_d = scratch
    stack_l[0], stack_r[0], stack_d[0] = left, right, 0  # stack_d: 2 depth + (1 if the 21-point pair only)
    top = 1
    loss = cover = 0.0
    status = 0
    while top > 0:
        top -= 1
        lft, rgt, depth, large_only = stack_l[top], stack_r[top], stack_d[top] >> 1, stack_d[top] & 1
        small = large_only == 0 and rgt - lft <= SMALL_RULE_REACH * h
        half = 0.5 * (rgt - lft) * inv_width
        if small:
            groups, st, lk, lg, absk, ck, cg = _panel(lft, rgt, SMALL_T, SMALL_WK, SMALL_WG, half, code, h, xs, log_s,
                                                      lo, hi, lap, log_scale, log_floor, row, kron, gauss)
        else:
            groups, st, lk, lg, absk, ck, cg = _panel(lft, rgt, RULE_T, RULE_WK, RULE_WG, half, code, h, xs, log_s,
                                                      lo, hi, lap, log_scale, log_floor, row, kron, gauss)
        status |= st
        work[0] += (SMALL_N if small else RULE_N) * groups
        ok = _accepted(lk, lg, absk, ck, cg, 2.0 * half, kron, gauss, groups)
        mid = 0.5 * (lft + rgt)
        if small and not ok:
            stack_d[top] = 2 * depth + 1
            top += 1
        elif ok or depth >= MAX_DEPTH or not lft < mid < rgt:
            loss += lk
            cover += ck
            for j in range(groups):
                acc[offset + j] += kron[j]
        else:
            stack_l[top], stack_r[top], stack_d[top] = mid, rgt, 2 * depth + 3
            stack_l[top + 1], stack_r[top + 1], stack_d[top + 1] = lft, mid, 2 * depth + 3
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
    scratch = new_scratch(2)
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
                                            log_floor, group, 2 * (k + 1), work, scratch)
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
def covering(xs, n, edges, h, closed):
    """(middles, lo, hi): points lo[k]..hi[k]-1 cover piece k (|x - x_j| <= h if closed, else < h).

    The middles increase with k, so one sweep finds every piece's range (the
    same comparisons as a binary search per piece, in O(pieces + n)).
    """
    pieces = edges.size - 1
    mids = np.empty(pieces)
    lo = np.empty(pieces, np.int64)
    hi = np.empty(pieces, np.int64)
    first = last = 0
    for k in range(pieces):
        mid = 0.5 * (edges[k] + edges[k + 1])
        if closed:
            while first < n and xs[first] < mid - h:
                first += 1
            while last < n and xs[last] <= mid + h:
                last += 1
        else:
            while first < n and xs[first] <= mid - h:
                first += 1
            while last < n and xs[last] < mid + h:
                last += 1
        mids[k], lo[k], hi[k] = mid, first, last
    return mids, lo, hi


@njit(cache=True)
def reaching(xs, n, edges, h):
    """(start, stop): only sorted points start..stop-1 can have support [x_j - h, x_j + h] past an inner edge.

    The others' supports end before edges[1] or start after edges[-2], so
    they span no piece; the margin of 1e-9 h covers any rounding of x_j +- h.
    """
    margin = 1e-9 * h
    return (np.searchsorted(xs[:n], edges[0] - h - margin, side="left"),
            np.searchsorted(xs[:n], edges[-1] + h + margin, side="right"))


@njit(cache=True)
def range_sum(prefix, values, lo, hi, work):
    """sum(values[lo:hi]) from prefix sums, summed directly where the difference would cancel."""
    total = prefix[hi] - prefix[lo]
    work[0] += 1
    if total < CANCEL_GUARD * prefix[hi]:
        total = 0.0
        for j in range(lo, hi):
            total += values[j]
        work[0] += hi - lo
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
    _, first, last = covering(xs, n, edges, h, True)
    for k in range(pieces):
        total = range_sum(prefix, s, first[k], last[k], work)
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
    start, stop = reaching(xs, n, edges, h)
    for i in range(start, stop):
        first = np.searchsorted(edges, xs[i] - h, side="left")
        last = np.searchsorted(edges, xs[i] + h, side="right") - 1
        acc[i] = s[i] * range_sum(wprefix, weight, first, last, work) if last > first else 0.0
    return loss, cover, status


@njit(cache=True)
def moment_prefix_sums(xs, s, n):
    """Prefix sums of S, S x and S x^2 over the sorted points."""
    sums = np.zeros((3, n + 1))
    for j in range(n):
        sums[0, j + 1] = sums[0, j] + s[j]
        sums[1, j + 1] = sums[1, j] + s[j] * xs[j]
        sums[2, j + 1] = sums[2, j] + s[j] * xs[j] * xs[j]
    return sums


@njit(cache=True)
def central_moments(sums, lo, hi, mid):
    """sum S, sum S (x - mid), sum S (x - mid)^2 over points lo..hi-1 (rounding ~ eps (x / (x - mid))^2)."""
    d0, d1, d2 = sums[0, hi] - sums[0, lo], sums[1, hi] - sums[1, lo], sums[2, hi] - sums[2, lo]
    return d0, d1 - mid * d0, d2 - 2.0 * mid * d1 + mid * mid * d0


@njit(cache=True)
def _epanechnikov(xs, ls, n, a, b, h, log_scale, log_floor, inv_width, acc, work):
    """Epanechnikov pieces: point by point under DIRECT_LIMIT covering points, else in closed form.

    In closed form p = (0.75/h^3) sum_j S_j (h^2 - (x - x_j)^2) on a piece is a
    quadratic from prefix sums of S, S x, S x^2 (relative rounding ~ eps (x/h)^2),
    and each point's gradient needs the moments of 1/p~ over its support,
    again from prefix sums over the pieces. Returns (loss, C, status).
    """
    edges = compact_edges(xs, n, a, b, h)
    pieces = edges.size - 1
    s = np.exp(ls)
    sums = moment_prefix_sums(xs, s, n)
    moments = np.zeros(3 * pieces)  # closed-form pieces: moments of e^scale 0.75/h^3 / p~ about each middle
    piece = np.zeros(4)
    scratch = new_scratch(min(n, DIRECT_LIMIT))
    linear = np.empty(n)  # a direct piece's weights S_j / max S over its covering points
    loss = cover = 0.0
    status = 0
    mids, first, last = covering(xs, n, edges, h, False)
    for k in range(pieces):
        mid, lo, hi = mids[k], first[k], last[k]
        if hi - lo <= DIRECT_LIMIT:
            piece[0] = np.max(ls[lo:hi]) if hi > lo else 0.0
            linear[lo:hi] = ls[lo:hi]
            exp_inplace(linear[lo:hi], hi - lo, piece[0])
            part, cov, st = integrate_piece(edges[k], edges[k + 1], inv_width, LINEAR_PIECE, h, xs, linear, lo, hi,
                                            piece, log_scale, log_floor, acc, lo, work, scratch)
        else:
            piece[0], piece[1], piece[2] = central_moments(sums, lo, hi, mid)
            piece[3] = mid
            part, cov, st = integrate_piece(edges[k], edges[k + 1], inv_width, QUADRATIC_PIECE, h, xs, ls, lo, hi,
                                            piece, log_scale, log_floor, moments, 3 * k, work, scratch)
        loss += part
        cover += cov
        status |= st
    # integrals of x^m / p~ over the closed-form pieces, as prefix sums over pieces
    prefix = np.zeros((3, pieces + 1))
    for k in range(pieces):
        mid = 0.5 * (edges[k] + edges[k + 1])
        m0, m1, m2 = moments[3 * k], moments[3 * k + 1], moments[3 * k + 2]
        prefix[0, k + 1] = prefix[0, k] + m0
        prefix[1, k + 1] = prefix[1, k] + m1 + mid * m0
        prefix[2, k + 1] = prefix[2, k] + m2 + 2.0 * mid * m1 + mid * mid * m0
    start, stop = reaching(xs, n, edges, h)
    for i in range(start, stop):
        first = np.searchsorted(edges, xs[i] - h, side="left")
        last = np.searchsorted(edges, xs[i] + h, side="right") - 1
        if last > first:
            r0 = prefix[0, last] - prefix[0, first]
            r1 = prefix[1, last] - prefix[1, first]
            r2 = prefix[2, last] - prefix[2, first]
            acc[i] += s[i] * (h * h * r0 - (r2 - 2.0 * xs[i] * r1 + xs[i] * xs[i] * r0))
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
                                              log_floor, acc, 0, work, new_scratch(n))
        for j in range(n):
            grad[j] = exp_fast(log_s[j]) * cover - acc[j]
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
        loss, cover, status = _epanechnikov(xs, ls, n, a, b, h, log_scale, log_floor, inv_width, sorted_acc, work)
    for i in range(n):
        j = order[i]
        grad[j] = exp_fast(ls[i]) * cover - sorted_acc[i]
    return loss, status
