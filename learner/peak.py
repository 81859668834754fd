"""Compiled search for the exact global maximum of the KDE on [lo, hi].

Per kernel, using what its shape allows:
  laplace       between neighbouring points p is a sum of e^{-x/h} and
                e^{x/h}, which is convex, so the maximum is at a point or an
                end: p there from the sorted running sums, O(N log N), exact;
  box           p is constant between breakpoints x_j +- h: the midpoint of
                the best piece, exact;
  epanechnikov  p is a concave quadratic on each piece, maximal at the
                weighted mean of the covering points clipped to the piece
                (both kernels score pieces from prefix sums in O(1) and
                re-score those within TIE_SLACK of the best exactly);
  gaussian      the density binned onto a grid of spacing h / GRID_PER_H
                (linear binning, kernel taps out to TAP_RADIUS h) picks every
                local maximum within PEAK_SLACK of the best; each is polished
                by Newton on d/dx log p of the exact mixture (step capped at
                the grid spacing, kept inside [lo, hi]); the best of those and
                of the exact density at lo and hi wins.
The binned density errs by about 0.4 (spacing / h)^2 = 1.1% of the peak
(linear binning; see tests/test_learner_peak.py), well inside PEAK_SLACK = 5%,
so no mode that could be the global one is dropped.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .cross_entropy import (central_moments, compact_edges, covering, gaussian_terms, laplace_sums, logaddexp,
                            mixture_log_density, moment_prefix_sums, usable_sum)
from .fastexp import LANES, exp_fast, exp_inplace
from .kernels import BOX_CODE, GAUSSIAN_CODE, LAPLACE_CODE, LOG_SQRT_2PI

GRID_PER_H = 6
TAP_RADIUS = 6.0
PEAK_SLACK = 0.05
MAX_CANDIDATES = 16
NEWTON_STEPS = 40
TIE_SLACK = 1e-6  # closed-form piece values this close to the best are compared exactly
NEWTON_DONE = 1e-7  # a Newton step this small leaves an error ~ step^2 / h, far below 1e-9 GF


@njit(cache=True)
def binned_gaussian(xs, s, n, h, lo, spacing, size):
    """The gaussian mixture on the grid lo + spacing * g, g < size, from linearly binned weights."""
    reach = int(math.ceil(TAP_RADIUS * h / spacing))
    taps = np.empty(reach + 1)
    for k in range(reach + 1):
        u = k * spacing / h
        taps[k] = exp_fast(-0.5 * u * u) / (h * math.sqrt(2.0 * math.pi))
    hist = np.zeros(size + 2 * reach)  # node g sits at hist[g + reach]
    for j in range(n):
        pos = (xs[j] - lo) / spacing + reach
        if pos < 0.0 or pos > size + 2 * reach - 1:
            continue
        left = min(int(math.floor(pos)), size + 2 * reach - 2)
        frac = pos - left
        hist[left] += s[j] * (1.0 - frac)
        hist[left + 1] += s[j] * frac
    out = taps[0] * hist[reach:reach + size]
    for k in range(1, reach + 1):  # taps outermost: the loop over the grid vectorises, each node's sum in tap order
        left, right, tap = hist[reach - k:reach - k + size], hist[reach + k:reach + k + size], taps[k]
        for g in range(size):  # over views: offset indices into hist would keep it scalar
            out[g] += tap * (left[g] + right[g])
    return out


@njit(cache=True)
def _moments(x, xs, ls, n, inv_h, shift, buf):
    """sum w, sum w u, sum w u^2 with u = (x - x_j) / h, w = exp(log S_j - u^2 / 2 - shift); buf: n scratch.

    Two passes: the exponentials alone into buf (a loop with no sum, so LLVM vectorises it without any
    reassociation), then LANES interleaved partial sums of each, added pairwise: one order in every
    compiled copy. Fused, the exponentials stayed scalar: 5x slower at N = 2,000.
    """
    for j in range(n):
        u = (x - xs[j]) * inv_h
        buf[j] = exp_fast(ls[j] - 0.5 * u * u - shift)
    t0 = t1 = t2 = t3 = a0 = a1 = a2 = a3 = b0 = b1 = b2 = b3 = 0.0
    j = 0
    while j + LANES <= n:
        t0, a0, b0 = _moment_step(t0, a0, b0, buf[j], (x - xs[j]) * inv_h)
        t1, a1, b1 = _moment_step(t1, a1, b1, buf[j + 1], (x - xs[j + 1]) * inv_h)
        t2, a2, b2 = _moment_step(t2, a2, b2, buf[j + 2], (x - xs[j + 2]) * inv_h)
        t3, a3, b3 = _moment_step(t3, a3, b3, buf[j + 3], (x - xs[j + 3]) * inv_h)
        j += LANES
    while j < n:
        t0, a0, b0 = _moment_step(t0, a0, b0, buf[j], (x - xs[j]) * inv_h)
        j += 1
    return (t0 + t1) + (t2 + t3), (a0 + a1) + (a2 + a3), (b0 + b1) + (b2 + b3)


@njit(cache=True, inline="always")
def _moment_step(t, a, b, w, u):
    return t + w, a + w * u, b + w * u * u


@njit(cache=True)
def _gauss_log_derivatives(x, xs, ls, n, h, guess, buf):
    """(log p, d/dx log p, d2/dx2 log p) of the gaussian mixture at x, without normalising constants.

    guess: an estimate of that log p, or NaN (see cross_entropy.usable_sum).
    """
    total, m1, m2 = _moments(x, xs, ls, n, 1.0 / h, guess, buf) if guess == guess else (0.0, 0.0, 0.0)
    if not usable_sum(total):
        guess = gaussian_terms(x, xs, ls, 0, n, 1.0 / h, buf)
        total, m1, m2 = _moments(x, xs, ls, n, 1.0 / h, guess, buf)
    m1 /= total
    m2 /= total
    return guess + math.log(total), -m1 / h, (m2 - 1.0 - m1 * m1) / (h * h)


@njit(cache=True)
def _polish(x, guess, xs, ls, n, h, lo, hi, step_cap, buf):
    """Newton on d/dx log p from x (log p about guess), steps capped at step_cap and kept in [lo, hi].

    Returns (x, log p).
    """
    lp, d1, d2 = _gauss_log_derivatives(x, xs, ls, n, h, guess, buf)
    for _ in range(NEWTON_STEPS):
        step = -d1 / d2 if d2 < 0.0 else math.copysign(step_cap, d1)
        step = min(max(step, -step_cap), step_cap)
        new = min(max(x + step, lo), hi)
        if new == x:
            break
        if d2 < 0.0 and abs(new - x) < NEWTON_DONE:  # the last step: log p moves by d1 (new - x) + O(step^2 / h^2)
            return new, lp + d1 * (new - x)
        new_lp, new_d1, new_d2 = _gauss_log_derivatives(new, xs, ls, n, h, lp, buf)
        if new_lp < lp and abs(new - x) > NEWTON_DONE:  # overshot: halve the cap, stay
            step_cap = 0.5 * abs(new - x)
            continue
        x, lp, d1, d2 = new, new_lp, new_d1, new_d2
        if abs(step) < NEWTON_DONE:
            break
    return x, lp


@njit(cache=True)
def _gaussian_peak(xs, ls, n, h, lo, hi):
    spacing = h / GRID_PER_H
    size = int((hi - lo) / spacing) + 1  # nodes lo + g * spacing <= hi
    buf = np.empty(n)
    buf[:] = ls
    exp_inplace(buf, n, 0.0)  # the weights S (vectorised; below e^-700 they count as e^-700)
    dens = binned_gaussian(xs, buf, n, h, lo, spacing, size)
    best = dens.max()
    cand = np.empty(size, np.int64)
    count = 0
    for g in range(size):
        left = dens[g - 1] if g > 0 else -1.0
        right = dens[g + 1] if g + 1 < size else -1.0
        if best > 0.0 and dens[g] >= left and dens[g] >= right and dens[g] >= (1.0 - PEAK_SLACK) * best:
            cand[count] = g
            count += 1
    cand = cand[:count]
    if count > MAX_CANDIDATES:
        cand = cand[np.argsort(-dens[cand], kind="mergesort")[:MAX_CANDIDATES]]
    # the ends as they are: with every point beyond the kernel taps the density is convex on [lo, hi]
    best_x, best_lp = lo, _gauss_log_derivatives(lo, xs, ls, n, h, np.nan, buf)[0]
    hi_lp = _gauss_log_derivatives(hi, xs, ls, n, h, best_lp, buf)[0]
    if hi_lp > best_lp:
        best_x, best_lp = hi, hi_lp
    for g in np.sort(cand):
        guess = math.log(dens[g]) + math.log(h) + LOG_SQRT_2PI  # the binned log p, without constants
        x, lp = _polish(lo + g * spacing, guess, xs, ls, n, h, lo, hi, spacing, buf)
        if lp > best_lp:
            best_x, best_lp = x, lp
    return best_x


@njit(cache=True)
def _laplace_peak(xs, ls, n, h, lo, hi):
    log_l, log_r = laplace_sums(xs, ls, n, h)
    best_x, best = lo, -np.inf
    for x in (lo, hi):
        k = np.searchsorted(xs, x, side="right") - 1
        left = log_l[k] - (x - xs[k]) / h if k >= 0 else -np.inf
        right = log_r[k + 1] - (xs[k + 1] - x) / h if k + 1 < n else -np.inf
        v = logaddexp(left, right)
        if v > best:
            best_x, best = x, v
    for k in range(n):
        if lo <= xs[k] <= hi:
            v = logaddexp(log_l[k], log_r[k + 1] - (xs[k + 1] - xs[k]) / h if k + 1 < n else -np.inf)
            if v > best:
                best_x, best = xs[k], v
    return best_x


@njit(cache=True)
def _compact_peak(xs, ls, n, h, lo, hi, code):
    """Best piece by closed form (prefix sums); pieces within TIE_SLACK of it are re-scored exactly."""
    edges = compact_edges(xs, n, lo, hi, h)
    pieces = edges.size - 1
    s = np.exp(ls)
    sums = moment_prefix_sums(xs, s, n)
    value = np.full(pieces, -np.inf)  # sum_j S_j (h^2 - (x - x_j)^2) at the piece's best x (box: sum_j S_j)
    where = np.empty(pieces)
    mids, firsts, lasts = covering(xs, n, edges, h, code == BOX_CODE)  # the box's support is closed
    for k in range(pieces):
        mid, first, last = mids[k], firsts[k], lasts[k]
        a0, a1, a2 = central_moments(sums, first, last, mid)
        if last == first or a0 <= 0.0:
            continue
        if code == BOX_CODE:
            where[k], value[k] = mid, a0
        else:  # a concave quadratic, largest at the weighted mean of the covering points
            x = min(max(mid + a1 / a0, edges[k]), edges[k + 1])  # clipped as a position: exact ends
            t = x - mid
            where[k], value[k] = x, a0 * h * h - (a2 - 2.0 * t * a1 + t * t * a0)
    best_x, best = lo, -np.inf
    top = value.max() if pieces else -np.inf
    row = np.empty(n)
    for k in range(pieces):
        if value[k] > -np.inf and value[k] >= top * (1.0 - TIE_SLACK):
            v = mixture_log_density(where[k], code, h, xs, ls, firsts[k], lasts[k], row, np.nan)[0]
            if v > best:
                best_x, best = where[k], v
    return best_x


@njit(cache=True)
def peak_of_mixture(points, log_s, n, h, code, lo, hi):
    """argmax over [lo, hi] of sum_j S_j K_h(x - x_j) (points[:n], log S in log_s[:n]); lo with no points."""
    if n == 0:
        return min(max(0.0, lo), hi)
    if hi <= lo:
        return lo
    if code == GAUSSIAN_CODE:  # binning needs no order
        return _gaussian_peak(points[:n], log_s[:n], n, h, lo, hi)
    order = np.argsort(points[:n], kind="mergesort")
    xs = points[:n][order]
    ls = log_s[:n][order]
    if code == LAPLACE_CODE:
        return _laplace_peak(xs, ls, n, h, lo, hi)
    return _compact_peak(xs, ls, n, h, lo, hi, code)
