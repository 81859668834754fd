"""arena/waves.py's WaveTracker compiled: waves as rows of an array, hit windows written to another.

The window arithmetic is arena/waves.py's own (aim, advance_window, compiled from their source; the
surfers' prediction calls its tick_window the same way), so every window comes out with the bits the
reference tracker gives (a gun learning from them then aims identically); this module only keeps the rows.
"""
from __future__ import annotations

import math


from ..waves import advance_window, aim
from . import pymath  # noqa: F401  (importing it lets numba compile the shared physics)
from .borrowing import borrowing

W_SX, W_SY, W_FIRE_TIME, W_SPEED, W_DIRECT, W_DIRECTION, W_MEA, W_LO, W_HI = range(9)
WAVE_FIELDS = 9


@borrowing
def add_wave(waves, n, sx, sy, tx, ty, target_heading, target_velocity, fire_time, power):
    """Wave.aimed appended as row n; returns the new count."""
    w = waves[n]
    direct, direction, speed, mea = aim(sx, sy, tx, ty, target_heading, target_velocity, power)
    w[W_SX] = sx
    w[W_SY] = sy
    w[W_FIRE_TIME] = fire_time
    w[W_SPEED] = speed
    w[W_DIRECT] = direct
    w[W_DIRECTION] = direction
    w[W_MEA] = mea
    w[W_LO] = math.inf
    w[W_HI] = -math.inf
    return n + 1


@borrowing
def advance(waves, n, tick, bx, by, windows, nwin):
    """WaveTracker.advance: grow each window, drop passed waves (writing their windows [a, b], then if
    `windows` has the columns, the wave's fire time and speed). Returns (n, nwin)."""
    keep = 0
    for k in range(n):
        w = waves[k]
        if tick > w[W_FIRE_TIME]:
            w[W_LO], w[W_HI], passed = advance_window(w[W_SX], w[W_SY], w[W_FIRE_TIME], w[W_SPEED], w[W_DIRECT],
                                                      w[W_DIRECTION], w[W_MEA], w[W_LO], w[W_HI], tick, bx, by)
            if passed:
                if w[W_LO] <= w[W_HI]:
                    windows[nwin, 0] = w[W_LO]
                    windows[nwin, 1] = w[W_HI]
                    if windows.shape[1] >= 4:  # room for the wave's fire time and speed (situation-aware guns)
                        windows[nwin, 2] = w[W_FIRE_TIME]
                        windows[nwin, 3] = w[W_SPEED]
                    nwin += 1
                continue
        if keep != k:
            for f in range(WAVE_FIELDS):
                waves[keep, f] = w[f]
        keep += 1
    return keep, nwin
