"""Waves: the exact guess-factor window a bullet could have hit, Robocode 1.9.3.9 timing.

A bullet fired at tick t (aimed with the state of tick t) starts at the shooter's position of tick t
and, in the turn from tick T-1 to T, moves from radius (T-1-t)*v to (T-t)*v; it hits if that radial
segment touches the target's 36x36 box *as it was at tick T-1*. A wave is every such bullet at once,
so the angles that would have hit are computed exactly from the box and the annulus swept each turn.

Angles are Robocode's: 0 = north (+y), clockwise, bearing of (dx, dy) = atan2(dx, dy).
A guess factor (GF) is the angle off the direct bearing, signed so that + is the way the target was
moving laterally at fire time, in units of the max escape angle.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .geometry import TWO_PI, bearing_offset
from .jit import SQUARES_MARGIN, jit, within
from .rules import HALF_SIZE as ROBOT_HALF_SIZE
from .rules import MAX_VELOCITY, bullet_speed

# -- the window, as pure functions over floats (arena/fast/waves.py runs them compiled on wave rows) -------


@jit
def max_escape_angle(speed: float) -> float:
    """Widest bearing change a target at 8 px/tick can reach before a bullet of this speed arrives."""
    return math.asin(MAX_VELOCITY / speed)


@jit
def aim(sx: float, sy: float, tx: float, ty: float, target_heading: float, target_velocity: float,
        power: float) -> tuple[float, int, float, float]:
    """(direct angle, lateral direction +-1, speed, max escape angle) of a wave fired from (sx, sy)."""
    direct = math.atan2(tx - sx, ty - sy)
    lateral = target_velocity * math.sin(target_heading - direct)
    speed = bullet_speed(power)
    return direct, -1 if lateral < 0 else 1, speed, max_escape_angle(speed)


@jit
def farthest_corner(sx: float, sy: float, bx: float, by: float) -> tuple[float, float]:
    """|dx|, |dy| from (sx, sy) to the farthest corner of the box centred on (bx, by)."""
    cx = bx - sx
    cy = by - sy
    return max(-(cx - ROBOT_HALF_SIZE), cx + ROBOT_HALF_SIZE), max(-(cy - ROBOT_HALF_SIZE), cy + ROBOT_HALF_SIZE)


@jit
def _fold(lo: float, hi: float, x: float, y: float, centre: float) -> tuple[float, float]:
    """The running min/max of bearing offsets with candidate point (x, y) added (min's and max's ties)."""
    offset = bearing_offset(math.atan2(x, y), centre)
    return min(lo, offset), max(hi, offset)


@jit
def _fold_crossings(lo: float, hi: float, r: float, e: float, a0: float, a1: float, x_edge: bool,
                    centre: float) -> tuple[float, float]:
    """_fold the points within [a0, a1] where the circle of radius r crosses the edge x = e (or y = e)."""
    if r * r >= e * e:
        h = math.sqrt(r * r - e * e)
        for a in (-h, h):
            if a0 <= a <= a1:
                lo, hi = _fold(lo, hi, e, a, centre) if x_edge else _fold(lo, hi, a, e, centre)
    return lo, hi


@jit
def tick_offsets(sx: float, sy: float, direct: float, r0: float, r1: float, bx: float,
                 by: float) -> tuple[bool, float, float]:
    """(found, lo, hi): bearing offsets from `direct` that hit the box centred on (bx, by) between radii r0
    and r1 from (sx, sy). See tick_angle_interval; found is False when nothing hits.

    With the source outside the box the bearing is monotonic along each edge and each arc of box ∩ annulus,
    so its extremes are at corners inside the annulus or where edges cross a circle; those candidates are
    folded in one fixed order.
    """
    cx = bx - sx
    cy = by - sy
    x0, x1, y0, y1 = cx - ROBOT_HALF_SIZE, cx + ROBOT_HALF_SIZE, cy - ROBOT_HALF_SIZE, cy + ROBOT_HALF_SIZE
    if x0 <= 0.0 <= x1 and y0 <= 0.0 <= y1:
        fx, fy = farthest_corner(sx, sy, bx, by)
        return within(r0, fx, fy), -math.pi, math.pi
    nx = x0 if x0 > 0.0 else (-x1 if x1 < 0.0 else 0.0)  # the offset to the box's nearest point
    ny = y0 if y0 > 0.0 else (-y1 if y1 < 0.0 else 0.0)
    if r1 * r1 < (nx * nx + ny * ny) * (1.0 - SQUARES_MARGIN):
        return False, 0.0, 0.0  # every corner and edge crossing is farther than r1: none below would qualify
    centre = math.atan2(x0 + ROBOT_HALF_SIZE, y0 + ROBOT_HALF_SIZE)
    lo, hi = math.inf, -math.inf
    for x in (x0, x1):
        for y in (y0, y1):
            if r0 * r0 <= x * x + y * y <= r1 * r1:
                lo, hi = _fold(lo, hi, x, y, centre)
    for r in (r0, r1):
        for e in (x0, x1):
            lo, hi = _fold_crossings(lo, hi, r, e, y0, y1, True, centre)
        for e in (y0, y1):
            lo, hi = _fold_crossings(lo, hi, r, e, x0, x1, False, centre)
    if not lo <= hi:
        return False, 0.0, 0.0
    base = bearing_offset(centre, direct)  # from outside a box every point of it is within pi of its centre
    return True, base + lo, base + hi


@jit
def offsets_to_gf(lo: float, hi: float, direction: float, mea: float) -> tuple[float, float]:
    """A window of bearing offsets in GF units, (a, b) with a <= b."""
    a = lo * direction / mea
    b = hi * direction / mea
    return (a, b) if a <= b else (b, a)


@jit
def tick_window(sx: float, sy: float, fire_time: float, speed: float, direct: float, direction: float, mea: float,
                tick: float, bx: float, by: float) -> tuple[bool, float, float]:
    """(found, a, b): the GF window that would hit in the turn ending at `tick`, box centred on (bx, by)."""
    found, lo, hi = tick_offsets(sx, sy, direct, (tick - 1 - fire_time) * speed, (tick - fire_time) * speed, bx, by)
    if not found:
        return False, 0.0, 0.0
    a, b = offsets_to_gf(lo, hi, direction, mea)
    return True, a, b


@jit
def advance_window(sx: float, sy: float, fire_time: float, speed: float, direct: float, direction: float,
                   mea: float, gf_lo: float, gf_hi: float, tick: float, bx: float,
                   by: float) -> tuple[float, float, bool]:
    """One tick of a wave's window: (gf_lo, gf_hi, passed), the box of tick - 1 centred on (bx, by).

    A wave has passed once radius(tick - 1) exceeds its distance to the farthest corner of the box (the
    target, at <= 8 px/tick, can never catch up again).
    """
    found, a, b = tick_window(sx, sy, fire_time, speed, direct, direction, mea, tick, bx, by)
    if found:
        gf_lo = min(gf_lo, a)
        gf_hi = max(gf_hi, b)
    fx, fy = farthest_corner(sx, sy, bx, by)
    return gf_lo, gf_hi, not within((tick - 1 - fire_time) * speed, fx, fy)


# -- waves as objects ------------------------------------------------------------------------------------
@dataclass
class Wave:
    """One fired (or suspected) bullet, plus the GF window the tracker has accumulated for it.

    `gf_lo`/`gf_hi` start as an empty interval (+inf, -inf) and grow as the wave crosses the target.
    """

    source_x: float
    source_y: float
    fire_time: int
    speed: float
    direct_angle: float
    direction: int
    mea: float
    gf_lo: float = math.inf
    gf_hi: float = -math.inf
    real: bool = True  # False for a virtual wave (no bullet behind it, only data)

    @classmethod
    def aimed(cls, source_xy: tuple[float, float], target_xy: tuple[float, float],
              target_heading: float, target_velocity: float, fire_time: int, power: float) -> Wave:
        """Wave of a bullet fired at `fire_time` from `source_xy`, all positions as of that tick."""
        sx, sy = source_xy
        direct, direction, speed, mea = aim(sx, sy, target_xy[0], target_xy[1], target_heading, target_velocity,
                                            power)
        return cls(sx, sy, fire_time, speed, direct, direction, mea)

    def radius(self, tick: int) -> float:
        """Distance of the bullet from the source at `tick` (it has moved tick - fire_time times)."""
        return (tick - self.fire_time) * self.speed


def gf_of_angle(wave: Wave, angle: float) -> float:
    """GF of an absolute angle; the offset from the direct bearing is taken in (-pi, pi]."""
    return bearing_offset(angle, wave.direct_angle) * wave.direction / wave.mea


def angle_of_gf(wave: Wave, gf: float) -> float:
    """Absolute angle in [0, 2pi) of a GF (inverse of gf_of_angle for |gf * mea| < pi)."""
    angle = (wave.direct_angle + gf * wave.direction * wave.mea) % TWO_PI
    return 0.0 if angle == TWO_PI else angle  # a tiny negative angle rounds up to 2pi


def clip_window(a: float, b: float) -> tuple[float, float]:
    """A window clipped to [-1, 1]; windows are kept unclipped because the box can poke past the MEA."""
    return min(max(a, -1.0), 1.0), min(max(b, -1.0), 1.0)


def tick_angle_interval(wave: Wave, tick: int,
                        box_centre_xy: tuple[float, float]) -> tuple[float, float] | None:
    """Angles that would hit in the turn ending at `tick`, as offsets from `wave.direct_angle`.

    `box_centre_xy` is the target's position at tick - 1. Returns (lo, hi) with lo <= hi: the hull of
    the bearings of box ∩ {r0 <= r <= r1}, r0 = radius(tick - 1), r1 = radius(tick) (that set can be
    two pieces, e.g. the far corners on the last tick). The offsets are continuous, not wrapped: the
    box's centre bearing is normalised into (-pi, pi] and the box's extent added, so an interval may
    poke past +-pi only if the box sits behind the source. None if nothing hits. If the source is
    inside or on the box, where the hit set can wrap all round, this conservatively returns (-pi, pi).
    """
    found, lo, hi = tick_offsets(wave.source_x, wave.source_y, wave.direct_angle, wave.radius(tick - 1),
                                 wave.radius(tick), box_centre_xy[0], box_centre_xy[1])
    return (lo, hi) if found else None


def tick_gf_interval(wave: Wave, tick: int,
                     box_centre_xy: tuple[float, float]) -> tuple[float, float] | None:
    """tick_angle_interval in GF units, (a, b) with a <= b."""
    found, a, b = tick_window(wave.source_x, wave.source_y, wave.fire_time, wave.speed, wave.direct_angle,
                              wave.direction, wave.mea, tick, box_centre_xy[0], box_centre_xy[1])
    return (a, b) if found else None


@dataclass(frozen=True)
class WaveBreak:
    """A wave that has passed the target: [a, b] is its GF hit window (unclipped, a <= b)."""

    wave: Wave
    a: float
    b: float
    tick: int


class WaveTracker:
    """The active waves of one observer against one target.

    Call `advance(T, target_xy_at_T_minus_1)` once for every tick T, in order, without gaps: turn
    T-1 -> T is judged against the box of tick T-1 (before robots move). A wave fired at tick t is
    first advanced at T = t + 1 with the target's position at t; it may be added late, as long as
    that first advance has not been missed.
    """

    def __init__(self) -> None:
        self.waves: list[Wave] = []

    def add(self, wave: Wave) -> None:
        self.waves.append(wave)

    def clear(self) -> None:
        self.waves.clear()

    def advance(self, tick: int, prev_target_xy: tuple[float, float]) -> list[WaveBreak]:
        """Grow each wave's window by this turn's interval (advance_window); return and drop the waves that
        passed. A wave that passed without ever touching the box is dropped with no break."""
        breaks, active = [], []
        for wave in self.waves:
            if tick <= wave.fire_time:
                active.append(wave)
                continue
            wave.gf_lo, wave.gf_hi, passed = advance_window(
                wave.source_x, wave.source_y, wave.fire_time, wave.speed, wave.direct_angle, wave.direction,
                wave.mea, wave.gf_lo, wave.gf_hi, tick, prev_target_xy[0], prev_target_xy[1])
            if not passed:
                active.append(wave)
            elif wave.gf_lo <= wave.gf_hi:
                breaks.append(WaveBreak(wave, wave.gf_lo, wave.gf_hi, tick))
        self.waves = active
        return breaks
