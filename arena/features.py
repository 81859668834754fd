"""Features of a firing situation: what a situation-aware gun (or surfer) compares past waves by.

A `SituationTracker` follows one robot (the target) as seen from another (the shooter), tick by tick,
because some features need history. Each tick it yields a `Situation` (geometry plus history
counters); `features(situation, bullet_speed, width, height)` turns it into the scaled vector below,
so a gun records it with each wave it fires and a surfer with each wave it detects.

| k | name             | raw quantity, unit                                                 | raw range   | scaled as              | scaled range |
|---|------------------|--------------------------------------------------------------------|-------------|------------------------|--------------|
| 0 | flight_time      | distance / bullet speed, ticks                                     | 0..~100     | ticks / 100            | 0..~1        |
| 1 | lateral          | target speed across the line of fire, |v sin(h - b)|, px/tick      | 0..8        | / 8                    | 0..1         |
| 2 | advancing        | speed towards the shooter, -v cos(h - b), px/tick                  | -8..8       | / 8                    | -1..1        |
| 3 | acceleration     | change of |v| over the last tick, px/tick^2                         | -2..1       | / 2                    | -1..0.5      |
| 4 | since_speed      | ticks since |v| last changed                                       | 0..inf      | / flight time, cap 1   | 0..1         |
| 5 | since_reverse    | ticks since the lateral direction last flipped                     | 0..inf      | / flight time, cap 1   | 0..1         |
| 6 | wall_ahead       | orbit angle to the first wall, moving on, / max escape angle       | 0..inf      | cap 1                  | 0..1         |
| 7 | wall_behind      | orbit angle to the first wall, moving back, / max escape angle     | 0..inf      | cap 1                  | 0..1         |

h is the target's heading, b the bearing from shooter to target, v its velocity (Robocode angles:
0 = north, clockwise). The orbit is the circle of the current distance around the shooter; a wall is
reached when the target's centre would come within HALF_SIZE of an edge (wall-smoothed estimate of
how much of the escape angle the target can really use). The lateral direction is the sign of
v sin(h - b), a stopped target keeping its last one (the same rule as the waves' GF direction).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .observation import Observation
from .rules import ACCELERATION, DECELERATION, HALF_SIZE, MAX_VELOCITY
from .waves import max_escape_angle

NAMES = ("flight_time", "lateral", "advancing", "acceleration", "since_speed", "since_reverse",
         "wall_ahead", "wall_behind")
N_FEATURES = len(NAMES)
FLIGHT_TIME_SCALE = 100.0  # ticks
TWO_PI = 2.0 * math.pi


@dataclass(frozen=True, slots=True)
class Situation:
    """The target as seen from the shooter at one tick (raw units), plus history counters."""
    shooter_x: float
    shooter_y: float
    bearing: float  # from shooter to target
    distance: float
    lateral: float  # signed, + = clockwise around the shooter
    advancing: float
    acceleration: float
    since_speed: int
    since_reverse: int
    direction: int  # lateral direction, +1 clockwise / -1


def orbit_room(sx: float, sy: float, bearing: float, distance: float, direction: int,
               width: float, height: float) -> float:
    """Angle (radians, in (0, 2pi]) the target can orbit in `direction` before its centre is HALF_SIZE from a wall.

    The orbit is x = sx + d sin(bearing + s a), y = sy + d cos(bearing + s a); for each of the four
    wall lines the first a > 0 where the orbit meets it is found in closed form; the smallest wins.
    """
    first = TWO_PI
    for centre, wall, trig in ((sx, HALF_SIZE, math.sin), (sx, width - HALF_SIZE, math.sin),
                               (sy, HALF_SIZE, math.cos), (sy, height - HALF_SIZE, math.cos)):
        c = (wall - centre) / distance
        if abs(c) >= 1.0:
            continue  # the orbit never reaches (or only touches) this wall line
        base = math.asin(c) if trig is math.sin else math.acos(c)
        # all angles phi with trig(phi) = c: for sin, asin(c) and pi - asin(c); for cos, +-acos(c)
        roots = (base, math.pi - base) if trig is math.sin else (base, -base)
        for phi in roots:
            a = ((phi - bearing) * direction) % TWO_PI
            if a > 1e-12:
                first = min(first, a)
    return first


def features(situation: Situation, bullet_speed: float, width: float, height: float) -> np.ndarray:
    """The scaled feature vector of the module table for a bullet of `bullet_speed`."""
    s = situation
    flight = max(s.distance / bullet_speed, 1.0)
    mea = max_escape_angle(bullet_speed)
    ahead = orbit_room(s.shooter_x, s.shooter_y, s.bearing, s.distance, s.direction, width, height)
    behind = orbit_room(s.shooter_x, s.shooter_y, s.bearing, s.distance, -s.direction, width, height)
    return np.array([
        s.distance / bullet_speed / FLIGHT_TIME_SCALE,
        abs(s.lateral) / MAX_VELOCITY,
        s.advancing / MAX_VELOCITY,
        s.acceleration / DECELERATION,
        min(s.since_speed / flight, 1.0),
        min(s.since_reverse / flight, 1.0),
        min(ahead / mea, 1.0),
        min(behind / mea, 1.0),
    ])


class SituationTracker:
    """Follows a target seen from a shooter, one `update` per tick, and keeps the recent situations by tick."""

    def __init__(self, keep: int = 200):
        self.keep = int(keep)  # ticks of history kept (waves older than this have long broken)
        self.history: dict[int, Situation] = {}
        self.start_round()

    def start_round(self) -> None:
        self.history.clear()
        self.speed: float | None = None
        self.since_speed = 0
        self.since_reverse = 0
        self.direction = 1

    def update(self, time: int, shooter_x: float, shooter_y: float, target_x: float, target_y: float,
               heading: float, velocity: float) -> Situation:
        """The situation at `time`; call once per tick, in order."""
        bearing = math.atan2(target_x - shooter_x, target_y - shooter_y)
        distance = math.hypot(target_x - shooter_x, target_y - shooter_y)
        relative = heading - bearing
        lateral = velocity * math.sin(relative)
        speed = abs(velocity)
        acceleration = 0.0 if self.speed is None else speed - self.speed
        acceleration = min(max(acceleration, -DECELERATION), ACCELERATION)  # a wall hit stops faster
        self.since_speed = 0 if acceleration != 0.0 else self.since_speed + 1
        direction = self.direction if lateral == 0 else (1 if lateral > 0 else -1)
        self.since_reverse = 0 if direction != self.direction else self.since_reverse + 1
        self.direction, self.speed = direction, speed
        situation = Situation(shooter_x, shooter_y, bearing, max(distance, 1e-9), lateral,
                              -velocity * math.cos(relative), acceleration, self.since_speed,
                              self.since_reverse, direction)
        self.history[time] = situation
        self.history.pop(time - self.keep, None)
        return situation

    def observe_enemy(self, obs: Observation, shooter_xy: tuple[float, float]) -> Situation | None:
        """Track the enemy as the target, seen from `shooter_xy` (a gun's view)."""
        if obs.enemy is None:
            return None
        e = obs.enemy
        return self.update(obs.time, shooter_xy[0], shooter_xy[1], e.x, e.y, e.heading, e.velocity)

    def observe_self(self, obs: Observation) -> Situation | None:
        """Track ourselves as the target, seen from the enemy (a surfer's view of the enemy's shots)."""
        if obs.enemy is None:
            return None
        me = obs.me
        return self.update(obs.time, obs.enemy.x, obs.enemy.y, me.x, me.y, me.heading, me.velocity)
