"""Float helpers that give, compiled, the very bits the pure-Python reference gets.

sin, cos, tan, atan2, asin and sqrt compile to the same libm calls CPython makes, so they need nothing.
What differs: CPython's math.hypot is its own algorithm (glibc's hypot differs in ~0.2% of cases, by an
ulp), builtin min/max have their own tie rule, and the angle normalisations use fmod.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

TWO_PI = 2.0 * math.pi
HALF_PI = math.pi / 2.0
THREE_HALF_PI = 3.0 * math.pi / 2.0
NEAR_DELTA = 1e-5
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
    scale = math.ldexp(1.0, -top_e)
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


@njit(cache=True)
def normal_absolute_angle(angle):
    """geometry.normal_absolute_angle: [0, 2pi)."""
    angle = np.fmod(angle, TWO_PI)
    return angle if angle >= 0 else angle + TWO_PI


@njit(cache=True)
def normal_relative_angle(angle):
    """geometry.normal_relative_angle: [-pi, pi)."""
    angle = np.fmod(angle, TWO_PI)
    if angle >= 0:
        return angle if angle < math.pi else angle - TWO_PI
    return angle if angle >= -math.pi else angle + TWO_PI


@njit(cache=True)
def is_near(a, b):
    return abs(a - b) < NEAR_DELTA


@njit(cache=True)
def normal_near_absolute_angle(angle):
    """geometry.normal_near_absolute_angle: snaps to a multiple of pi/2 within 1e-5."""
    angle = normal_absolute_angle(angle)
    if is_near(angle, math.pi):
        return math.pi
    if angle < math.pi:
        if is_near(angle, 0.0):
            return 0.0
        if is_near(angle, HALF_PI):
            return HALF_PI
    else:
        if is_near(angle, THREE_HALF_PI):
            return THREE_HALF_PI
        if is_near(angle, TWO_PI):
            return 0.0
    return angle


@njit(cache=True)
def wave_relative_angle(angle):
    """waves.normalise_relative_angle: (-pi, pi]."""
    angle = np.fmod(angle, TWO_PI)
    if angle > math.pi:
        return angle - TWO_PI
    if angle <= -math.pi:
        return angle + TWO_PI
    return angle
