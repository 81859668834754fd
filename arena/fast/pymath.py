"""Compiled stand-ins that give, compiled, the very bits CPython gets, and the switch that compiles the physics.

The physics (arena/rules.py, geometry.py, physics.py, waves.py) is written once as plain functions marked
with arena.jit.jit; importing this module registers them with numba, so compiled code calls that source.
sin, cos, tan, atan2, asin and sqrt compile to the same libm calls CPython makes, so they need nothing.
What differs: numba has no math.fmod (here: C's fmod, which CPython calls), its math.ceil returns an int
(arena.jit.ceil works around that in plain code), and CPython's math.hypot is its own algorithm (glibc's
differs in ~0.2% of cases, by an ulp): `hypot` below is CPython's, and compiled code calling
arena.jit.hypot gets it.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit
from numba.extending import overload

from learner.fastexp import bits_as_float, float_bits

from .. import jit
from ..jit import SQUARES_MARGIN

_T27 = 134217729.0  # 2**27 + 1, Veltkamp's splitter


@njit(cache=True)
def pymin(a, b):
    """Python's min(a, b): the first argument unless the second is smaller."""
    return b if b < a else a


@njit(cache=True)
def pymax(a, b):
    """Python's max(a, b): the first argument unless the second is larger."""
    return b if b > a else a


@njit(cache=True)
def _split(x):
    t = x * _T27
    hi = t - (t - x)
    return hi, x - hi


@njit(cache=True)
def hypot(x, y):
    """CPython 3.11's math.hypot (vector_norm for two coordinates), bit for bit."""
    a = abs(x)
    b = abs(y)
    if math.isinf(a) or math.isinf(b):
        return math.inf
    if math.isnan(a) or math.isnan(b):
        return math.nan
    top = b if b > a else a
    if top == 0.0:
        return top
    biased = (float_bits(top) >> 52) & 0x7FF
    if 1 <= biased <= 2044:  # frexp's exponent and ldexp(1, -it) from the bits (both normal): no libm calls
        return _scaled_hypot(a, b, bits_as_float((2045 - biased) << 52))
    _, top_e = math.frexp(top)
    if top_e < -1023:  # subnormal inputs: CPython divides by the largest instead of scaling
        csum = 1.0
        frac = 0.0
        for v in (a, b):
            v = v / top
            v = v * v
            old = csum
            csum += v
            frac += (old - csum) + v
        return top * math.sqrt(csum - 1.0 + frac)
    return _scaled_hypot(a, b, math.ldexp(1.0, -top_e))


@njit(cache=True, inline="always")
def _scaled_hypot(a, b, scale):
    """CPython's vector_norm for (a, b) >= 0 once the larger is scaled near 1 by the power of two `scale`."""
    csum = 1.0
    frac1 = 0.0
    frac2 = 0.0
    frac3 = 0.0
    for v in (a, b):
        hi, lo = _split(v * scale)
        v = hi * hi
        old = csum
        csum += v
        frac1 += (old - csum) + v
        v = 2.0 * hi * lo
        old = csum
        csum += v
        frac2 += (old - csum) + v
        frac3 += lo * lo
    h = math.sqrt(csum - 1.0 + (frac1 + frac2 + frac3))
    hi, lo = _split(h)
    v = -hi * hi
    old = csum
    csum += v
    frac1 += (old - csum) + v
    v = -2.0 * hi * lo
    old = csum
    csum += v
    frac2 += (old - csum) + v
    v = -lo * lo
    old = csum
    csum += v
    frac3 += (old - csum) + v
    v = csum - 1.0 + (frac1 + frac2 + frac3)
    return (h + v / (2.0 * h)) / scale


@njit(cache=True, inline="always")
def squares_order(r, dx, dy):
    """1 if |r| is clearly above hypot(dx, dy), -1 if clearly below, 0 if their squares are within
    SQUARES_MARGIN of each other (or NaN): then only hypot itself can decide."""
    squared = dx * dx + dy * dy
    if r * r > squared * (1.0 + SQUARES_MARGIN):
        return 1
    if r * r < squared * (1.0 - SQUARES_MARGIN):
        return -1
    return 0


@njit(cache=True)
def reaches(r, dx, dy):
    """r >= hypot(dx, dy), by squares_order where it decides: the same answer for finite arguments, without
    hypot's cost in the common case."""
    order = squares_order(r, dx, dy)
    if order != 0:
        return order > 0 and r >= 0.0
    return r >= hypot(dx, dy)


@njit(cache=True)
def within(r, dx, dy):
    """r <= hypot(dx, dy), by squares_order where it decides (|r| above the hypot: only a negative r is
    below), as `reaches` is."""
    order = squares_order(r, dx, dy)
    if order != 0:
        return order < 0 or r < 0.0
    return r <= hypot(dx, dy)


@overload(math.fmod)
def _fmod(x, y):
    """math.fmod for compiled code: C's fmod, as CPython's (numba has none). |x| < |y| is the common case
    (an angle already in range) and fmod's exact answer there is x itself, so the helper call is skipped."""
    return lambda x, y: x if abs(x) < abs(y) else np.fmod(x, y)


def _cpython_hypot(x, y):
    return hypot(x, y)


def _reaches_by_squares(r, dx, dy):
    return reaches(r, dx, dy)


def _within_by_squares(r, dx, dy):
    return within(r, dx, dy)


jit.compile_marked({jit.hypot: _cpython_hypot, jit.reaches: _reaches_by_squares, jit.within: _within_by_squares})
