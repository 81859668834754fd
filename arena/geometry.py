"""Angle normalisation and segment tests, written the way Java's AWT geometry decides them.

The engine must make the same hit/miss decision as Robocode down to the last bit, so these follow
java.awt.geom's algorithms (Cohen-Sutherland clipping, relativeCCW) rather than a textbook formula.
Both engines run these (compiled in arena/fast, see arena/jit.py).

Two relative-angle conventions, one per meaning: a turn or bearing the Robocode way (normal_relative_angle,
[-pi, pi), Utils.normalRelativeAngle) and a wave's offset from its reference bearing (bearing_offset,
(-pi, pi], symmetric about the reference, so due behind is +pi).
"""
from __future__ import annotations

import math

from .jit import jit

TWO_PI = 2.0 * math.pi
HALF_PI = math.pi / 2.0
THREE_HALF_PI = 3.0 * math.pi / 2.0
NEAR_DELTA = 1e-5


@jit
def normal_absolute_angle(angle: float) -> float:
    """Angle in [0, 2pi), with Java's remainder semantics (Utils.normalAbsoluteAngle)."""
    angle = math.fmod(angle, TWO_PI)
    return angle if angle >= 0 else angle + TWO_PI


@jit
def normal_relative_angle(angle: float) -> float:
    """A turn or bearing in [-pi, pi), Robocode's Utils.normalRelativeAngle."""
    angle = math.fmod(angle, TWO_PI)
    if angle >= 0:
        return angle if angle < math.pi else angle - TWO_PI
    return angle if angle >= -math.pi else angle + TWO_PI


@jit
def bearing_offset(bearing: float, reference: float) -> float:
    """How far `bearing` lies from `reference`, in (-pi, pi] (a wave's convention)."""
    angle = math.fmod(bearing - reference, TWO_PI)
    if angle > math.pi:
        return angle - TWO_PI
    if angle <= -math.pi:
        return angle + TWO_PI
    return angle


@jit
def is_near(a: float, b: float) -> bool:
    return abs(a - b) < NEAR_DELTA


@jit
def normal_near_absolute_angle(angle: float) -> float:
    """Absolute angle that snaps to a multiple of pi/2 when within 1e-5 of one (Robocode's rule)."""
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


_LEFT, _TOP, _RIGHT, _BOTTOM = 1, 2, 4, 8


@jit
def _outcode(px: float, py: float, x0: float, y0: float, x1: float, y1: float) -> int:
    code = 0
    if px < x0:
        code |= _LEFT
    elif px > x1:
        code |= _RIGHT
    if py < y0:
        code |= _TOP
    elif py > y1:
        code |= _BOTTOM
    return code


@jit
def segment_touches_box(ax: float, ay: float, bx: float, by: float,
                        x0: float, y0: float, x1: float, y1: float) -> bool:
    """Does segment a-b touch the closed box [x0, x1] x [y0, y1]? (Rectangle2D.intersectsLine)."""
    out2 = _outcode(bx, by, x0, y0, x1, y1)
    if out2 == 0:
        return True
    while True:
        out1 = _outcode(ax, ay, x0, y0, x1, y1)
        if out1 == 0:
            return True
        if out1 & out2:
            return False
        if out1 & (_LEFT | _RIGHT):
            x = x1 if out1 & _RIGHT else x0
            ay = ay + (x - ax) * (by - ay) / (bx - ax)
            ax = x
        else:
            y = y1 if out1 & _BOTTOM else y0
            ax = ax + (y - ay) * (bx - ax) / (by - ay)
            ay = y


@jit
def _relative_ccw(x1: float, y1: float, x2: float, y2: float, px: float, py: float) -> int:
    x2 -= x1
    y2 -= y1
    px -= x1
    py -= y1
    ccw = px * y2 - py * x2
    if ccw == 0.0:
        ccw = px * x2 + py * y2
        if ccw > 0.0:
            px -= x2
            py -= y2
            ccw = px * x2 + py * y2
            if ccw < 0.0:
                ccw = 0.0
    return -1 if ccw < 0.0 else (1 if ccw > 0.0 else 0)


@jit
def segments_intersect(x1: float, y1: float, x2: float, y2: float,
                       x3: float, y3: float, x4: float, y4: float) -> bool:
    """Do the closed segments 1-2 and 3-4 meet? (Line2D.linesIntersect)."""
    return (_relative_ccw(x1, y1, x2, y2, x3, y3) * _relative_ccw(x1, y1, x2, y2, x4, y4) <= 0
            and _relative_ccw(x3, y3, x4, y4, x1, y1) * _relative_ccw(x3, y3, x4, y4, x2, y2) <= 0)


@jit
def boxes_overlap(ax: float, ay: float, bx: float, by: float, size: float) -> bool:
    """Strict overlap of two size x size squares given by their min corners (Rectangle2D.intersects)."""
    return bx + size > ax and by + size > ay and bx < ax + size and by < ay + size
