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

from .rules import HALF_SIZE as ROBOT_HALF_SIZE
from .rules import bullet_speed

TWO_PI = 2.0 * math.pi


def normalise_relative_angle(angle: float) -> float:
    """Angle in (-pi, pi]."""
    angle = math.fmod(angle, TWO_PI)
    if angle > math.pi:
        return angle - TWO_PI
    if angle <= -math.pi:
        return angle + TWO_PI
    return angle


def max_escape_angle(speed: float) -> float:
    """Widest bearing change a target at 8 px/tick can reach before a bullet of this speed arrives."""
    return math.asin(8.0 / speed)


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
        direct = math.atan2(target_xy[0] - sx, target_xy[1] - sy)
        lateral = target_velocity * math.sin(target_heading - direct)
        speed = bullet_speed(power)
        return cls(sx, sy, fire_time, speed, direct, -1 if lateral < 0 else 1,
                   max_escape_angle(speed))

    def radius(self, tick: int) -> float:
        """Distance of the bullet from the source at `tick` (it has moved tick - fire_time times)."""
        return (tick - self.fire_time) * self.speed


def gf_of_angle(wave: Wave, angle: float) -> float:
    """GF of an absolute angle; the offset from the direct bearing is taken in (-pi, pi]."""
    return normalise_relative_angle(angle - wave.direct_angle) * wave.direction / wave.mea


def angle_of_gf(wave: Wave, gf: float) -> float:
    """Absolute angle in [0, 2pi) of a GF (inverse of gf_of_angle for |gf * mea| < pi)."""
    angle = (wave.direct_angle + gf * wave.direction * wave.mea) % TWO_PI
    return 0.0 if angle == TWO_PI else angle  # a tiny negative angle rounds up to 2pi


def clip_window(a: float, b: float) -> tuple[float, float]:
    """A window clipped to [-1, 1]; windows are kept unclipped because the box can poke past the MEA."""
    return min(max(a, -1.0), 1.0), min(max(b, -1.0), 1.0)


def _box_edges(wave: Wave, box_centre_xy: tuple[float, float]) -> tuple[float, float, float, float]:
    """Box bounds (x0, x1, y0, y1) relative to the wave's source."""
    cx = box_centre_xy[0] - wave.source_x
    cy = box_centre_xy[1] - wave.source_y
    return cx - ROBOT_HALF_SIZE, cx + ROBOT_HALF_SIZE, cy - ROBOT_HALF_SIZE, cy + ROBOT_HALF_SIZE


def _farthest_corner_distance(wave: Wave, box_centre_xy: tuple[float, float]) -> float:
    x0, x1, y0, y1 = _box_edges(wave, box_centre_xy)
    return math.hypot(max(-x0, x1), max(-y0, y1))


def _extreme_candidates(x0: float, x1: float, y0: float, y1: float,
                        r0: float, r1: float) -> list[tuple[float, float]]:
    """Points of box ∩ annulus where the bearing from the origin can be extreme.

    With the origin outside the box, the bearing is monotonic along each edge and each arc of the
    region's boundary, so its extremes are at corners inside the annulus or where edges cross a circle.
    """
    points = [(x, y) for x in (x0, x1) for y in (y0, y1) if r0 * r0 <= x * x + y * y <= r1 * r1]
    for r in (r0, r1):
        for e in (x0, x1):
            if r * r >= e * e:
                h = math.sqrt(r * r - e * e)
                points += [(e, y) for y in (-h, h) if y0 <= y <= y1]
        for e in (y0, y1):
            if r * r >= e * e:
                h = math.sqrt(r * r - e * e)
                points += [(x, e) for x in (-h, h) if x0 <= x <= x1]
    return points


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
    x0, x1, y0, y1 = _box_edges(wave, box_centre_xy)
    r0, r1 = wave.radius(tick - 1), wave.radius(tick)
    if x0 <= 0.0 <= x1 and y0 <= 0.0 <= y1:
        return (-math.pi, math.pi) if r0 <= _farthest_corner_distance(wave, box_centre_xy) else None
    points = _extreme_candidates(x0, x1, y0, y1, r0, r1)
    if not points:
        return None
    centre = math.atan2(x0 + ROBOT_HALF_SIZE, y0 + ROBOT_HALF_SIZE)
    # From outside a box every point of it is within pi of the centre bearing: no wrap here.
    offsets = [normalise_relative_angle(math.atan2(x, y) - centre) for x, y in points]
    base = normalise_relative_angle(centre - wave.direct_angle)
    return base + min(offsets), base + max(offsets)


def tick_gf_interval(wave: Wave, tick: int,
                     box_centre_xy: tuple[float, float]) -> tuple[float, float] | None:
    """tick_angle_interval in GF units, (a, b) with a <= b."""
    interval = tick_angle_interval(wave, tick, box_centre_xy)
    if interval is None:
        return None
    a, b = (offset * wave.direction / wave.mea for offset in interval)
    return (a, b) if a <= b else (b, a)


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
        """Grow each wave's window by this turn's interval; return and drop the waves that passed.

        A wave has passed once r0 = radius(tick - 1) exceeds its distance to the farthest corner of
        the box (the target, at <= 8 px/tick, can never catch up again). A wave that passed without
        ever touching the box is dropped with no break.
        """
        breaks, active = [], []
        for wave in self.waves:
            if tick <= wave.fire_time:
                active.append(wave)
                continue
            interval = tick_gf_interval(wave, tick, prev_target_xy)
            if interval is not None:
                wave.gf_lo = min(wave.gf_lo, interval[0])
                wave.gf_hi = max(wave.gf_hi, interval[1])
            if wave.radius(tick - 1) <= _farthest_corner_distance(wave, prev_target_xy):
                active.append(wave)
            elif wave.gf_lo <= wave.gf_hi:
                breaks.append(WaveBreak(wave, wave.gf_lo, wave.gf_hi, tick))
        self.waves = active
        return breaks
