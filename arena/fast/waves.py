"""arena/waves.py's WaveTracker compiled: waves as rows of an array, hit windows written to another.

The same candidate points, in the same order, with the same min/max tie rules, so every window comes out
with the bits the reference tracker gives (a gun learning from them then aims identically).
"""
from __future__ import annotations

import math

from numba import njit

from .pymath import hypot, pymax, pymin, wave_relative_angle

W_SX, W_SY, W_FIRE_TIME, W_SPEED, W_DIRECT, W_DIRECTION, W_MEA, W_LO, W_HI = range(9)
WAVE_FIELDS = 9
HALF = 18.0  # waves.ROBOT_HALF_SIZE


@njit(cache=True)
def add_wave(waves, n, sx, sy, tx, ty, target_heading, target_velocity, fire_time, power):
    """Wave.aimed appended as row n; returns the new count."""
    w = waves[n]
    direct = math.atan2(tx - sx, ty - sy)
    lateral = target_velocity * math.sin(target_heading - direct)
    speed = 20.0 - 3.0 * pymin(pymax(power, 0.1), 3.0)
    w[W_SX] = sx
    w[W_SY] = sy
    w[W_FIRE_TIME] = fire_time
    w[W_SPEED] = speed
    w[W_DIRECT] = direct
    w[W_DIRECTION] = -1.0 if lateral < 0 else 1.0
    w[W_MEA] = math.asin(8.0 / speed)
    w[W_LO] = math.inf
    w[W_HI] = -math.inf
    return n + 1


@njit(cache=True)
def _radius(w, tick):
    return (tick - w[W_FIRE_TIME]) * w[W_SPEED]


@njit(cache=True)
def _farthest_corner_distance(w, bx, by):
    cx = bx - w[W_SX]
    cy = by - w[W_SY]
    return hypot(pymax(-(cx - HALF), cx + HALF), pymax(-(cy - HALF), cy + HALF))


@njit(cache=True)
def _extend(lo, hi, x, y, centre):
    """Fold the bearing offset of candidate point (x, y) into the running min/max (Python's min/max ties;
    starting from +-inf, the first point is taken as it is, like min() and max() over a list)."""
    offset = wave_relative_angle(math.atan2(x, y) - centre)
    return pymin(lo, offset), pymax(hi, offset)


@njit(cache=True)
def tick_gf_interval(w, tick, bx, by):
    """waves.tick_gf_interval: (found, a, b), the GF window that would hit in the turn ending at `tick`."""
    cx = bx - w[W_SX]
    cy = by - w[W_SY]
    x0, x1, y0, y1 = cx - HALF, cx + HALF, cy - HALF, cy + HALF
    r0, r1 = _radius(w, tick - 1), _radius(w, tick)
    if x0 <= 0.0 <= x1 and y0 <= 0.0 <= y1:
        if r0 > _farthest_corner_distance(w, bx, by):
            return False, 0.0, 0.0
        lo, hi = -math.pi, math.pi
    else:
        centre = math.atan2(x0 + HALF, y0 + HALF)
        lo, hi = math.inf, -math.inf
        for x in (x0, x1):
            for y in (y0, y1):
                if r0 * r0 <= x * x + y * y <= r1 * r1:
                    lo, hi = _extend(lo, hi, x, y, centre)
        for r in (r0, r1):
            for e in (x0, x1):
                if r * r >= e * e:
                    h = math.sqrt(r * r - e * e)
                    for y in (-h, h):
                        if y0 <= y <= y1:
                            lo, hi = _extend(lo, hi, e, y, centre)
            for e in (y0, y1):
                if r * r >= e * e:
                    h = math.sqrt(r * r - e * e)
                    for x in (-h, h):
                        if x0 <= x <= x1:
                            lo, hi = _extend(lo, hi, x, e, centre)
        if not lo <= hi:  # no candidate point: the wave misses the box this turn
            return False, 0.0, 0.0
        base = wave_relative_angle(centre - w[W_DIRECT])
        lo, hi = base + lo, base + hi
    a = lo * w[W_DIRECTION] / w[W_MEA]
    b = hi * w[W_DIRECTION] / w[W_MEA]
    if a <= b:
        return True, a, b
    return True, b, a


@njit(cache=True)
def advance(waves, n, tick, bx, by, windows, nwin):
    """WaveTracker.advance: grow each window, drop passed waves (writing their windows). Returns (n, nwin)."""
    keep = 0
    for k in range(n):
        w = waves[k]
        if tick > w[W_FIRE_TIME]:
            found, a, b = tick_gf_interval(w, tick, bx, by)
            if found:
                w[W_LO] = pymin(w[W_LO], a)
                w[W_HI] = pymax(w[W_HI], b)
            if not _radius(w, tick - 1) <= _farthest_corner_distance(w, bx, by):
                if w[W_LO] <= w[W_HI]:
                    windows[nwin, 0] = w[W_LO]
                    windows[nwin, 1] = w[W_HI]
                    nwin += 1
                continue
        if keep != k:
            for f in range(WAVE_FIELDS):
                waves[keep, f] = w[f]
        keep += 1
    return keep, nwin
