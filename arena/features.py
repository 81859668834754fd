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
from dataclasses import astuple, dataclass

import numpy as np

from .jit import hypot, jit
from .observation import Observation
from .rules import ACCELERATION, DECELERATION, HALF_SIZE, MAX_VELOCITY
from .waves import max_escape_angle

NAMES = ("flight_time", "lateral", "advancing", "acceleration", "since_speed", "since_reverse",
         "wall_ahead", "wall_behind")
N_FEATURES = len(NAMES)
FLIGHT_TIME_SCALE = 100.0  # ticks
TWO_PI = 2.0 * math.pi
HISTORY_TICKS = 200  # situations a tracker keeps (waves older than this have long broken)


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
    since_speed: float  # whole ticks
    since_reverse: float
    direction: float  # lateral direction, +1 clockwise / -1


@jit
def orbit_room(sx: float, sy: float, bearing: float, distance: float, direction: float,
               width: float, height: float) -> float:
    """Angle (radians, in (0, 2pi]) the target can orbit in `direction` before its centre is HALF_SIZE from a wall.

    The orbit is x = sx + d sin(bearing + s a), y = sy + d cos(bearing + s a); for each of the four
    wall lines the first a > 0 where the orbit meets it is found in closed form; the smallest wins.
    """
    first = TWO_PI
    for wall in range(4):  # x = HALF_SIZE, x = width - HALF_SIZE, y = HALF_SIZE, y = height - HALF_SIZE
        along_x = wall < 2
        line = HALF_SIZE if wall % 2 == 0 else (width if along_x else height) - HALF_SIZE
        c = (line - (sx if along_x else sy)) / distance
        if abs(c) >= 1.0:
            continue  # the orbit never reaches (or only touches) this wall line
        # all angles phi with sin(phi) = c (x walls): asin(c) and pi - asin(c); with cos(phi) = c: +-acos(c)
        base = math.asin(c) if along_x else math.acos(c)
        for phi in (base, math.pi - base if along_x else -base):
            a = ((phi - bearing) * direction) % TWO_PI
            if a > 1e-12:
                first = min(first, a)
    return first


@jit
def feature_values(sx: float, sy: float, bearing: float, distance: float, lateral: float, advancing: float,
                   acceleration: float, since_speed: float, since_reverse: float, direction: float,
                   bullet_speed: float, width: float, height: float, out) -> None:
    """out[:] = the scaled feature vector of the module table (a Situation's fields, in order)."""
    flight = max(distance / bullet_speed, 1.0)
    mea = max_escape_angle(bullet_speed)
    ahead = orbit_room(sx, sy, bearing, distance, direction, width, height)
    behind = orbit_room(sx, sy, bearing, distance, -direction, width, height)
    out[0] = distance / bullet_speed / FLIGHT_TIME_SCALE
    out[1] = abs(lateral) / MAX_VELOCITY
    out[2] = advancing / MAX_VELOCITY
    out[3] = acceleration / DECELERATION
    out[4] = min(since_speed / flight, 1.0)
    out[5] = min(since_reverse / flight, 1.0)
    out[6] = min(ahead / mea, 1.0)
    out[7] = min(behind / mea, 1.0)


def features(situation: Situation, bullet_speed: float, width: float, height: float) -> np.ndarray:
    """The scaled feature vector of the module table for a bullet of `bullet_speed`."""
    out = np.empty(N_FEATURES)
    feature_values(*astuple(situation), bullet_speed, width, height, out)
    return out


@jit
def next_situation(last_speed: float, since_speed: float, since_reverse: float, last_direction: float,
                   sx: float, sy: float, tx: float, ty: float, heading: float, velocity: float):
    """One tick of a tracker: the Situation's fields, in order, from the target's state and the tracker's
    last speed (NaN before the first tick), counters and lateral direction; its new speed is |velocity|."""
    bearing = math.atan2(tx - sx, ty - sy)
    distance = hypot(tx - sx, ty - sy)
    relative = heading - bearing
    lateral = velocity * math.sin(relative)
    speed = abs(velocity)
    acceleration = 0.0 if math.isnan(last_speed) else speed - last_speed
    acceleration = min(max(acceleration, -DECELERATION), ACCELERATION)  # a wall hit stops faster
    since_speed = 0.0 if acceleration != 0.0 else since_speed + 1.0
    direction = last_direction if lateral == 0 else (1.0 if lateral > 0 else -1.0)
    since_reverse = 0.0 if direction != last_direction else since_reverse + 1.0
    return (sx, sy, bearing, max(distance, 1e-9), lateral, -velocity * math.cos(relative), acceleration,
            since_speed, since_reverse, direction)


class SituationTracker:
    """Follows a target seen from a shooter, one `update` per tick, and keeps the recent situations by tick."""

    def __init__(self, keep: int = HISTORY_TICKS):
        self.keep = int(keep)  # ticks of history kept (waves older than this have long broken)
        self.history: dict[int, Situation] = {}
        self.start_round()

    def start_round(self) -> None:
        self.history.clear()
        self.speed = math.nan  # none yet
        self.since_speed = 0.0
        self.since_reverse = 0.0
        self.direction = 1.0

    def update(self, time: int, shooter_x: float, shooter_y: float, target_x: float, target_y: float,
               heading: float, velocity: float) -> Situation:
        """The situation at `time`; call once per tick, in order."""
        situation = Situation(*next_situation(self.speed, self.since_speed, self.since_reverse, self.direction,
                                              shooter_x, shooter_y, target_x, target_y, heading, velocity))
        self.since_speed, self.since_reverse = situation.since_speed, situation.since_reverse
        self.direction, self.speed = situation.direction, abs(velocity)
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
