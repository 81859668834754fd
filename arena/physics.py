"""One robot's and one bullet's physics for a tick, as pure functions over floats.

These are the per-robot steps of Robocode 1.9.3.9's RobotPeer (turn, gun turn, move, wall push-back,
ram test) and a bullet's move and hit tests. The reference engine (arena/engine.py, dataclasses) and the
compiled one (arena/fast/engine.py, array rows) are adapters that pass fields in and store the results,
so both run this code: plain Python in one, compiled (arena/jit.py) in the other.
"""
from __future__ import annotations

import math

from . import rules
from .geometry import (HALF_PI, boxes_overlap, is_near, normal_absolute_angle, normal_near_absolute_angle,
                       normal_relative_angle, segment_touches_box)
from .jit import jit


@jit
def box_corner(centre: float) -> float:
    """Min corner of a robot's 36x36 box along one axis, computed as Robocode does ((c - 20) + 2)."""
    return (centre - 20.0) + 2.0


@jit
def turn_body(heading: float, gun_heading: float, turn_remaining: float, gun_turn_remaining: float,
              velocity: float) -> tuple[float, float, float, float]:
    """One tick of body turn: (heading, gun_heading, turn_remaining, gun_turn_remaining).

    The gun turns with the body and its remaining turn absorbs it (adjustGunForRobotTurn).
    """
    if turn_remaining == 0:
        return heading, gun_heading, turn_remaining, gun_turn_remaining
    rate = rules.turn_rate(velocity)
    if turn_remaining > 0:
        step = turn_remaining if turn_remaining < rate else rate
    else:
        step = turn_remaining if turn_remaining > -rate else -rate
    left = 0.0 if step == turn_remaining else turn_remaining - step
    heading += step
    heading = normal_near_absolute_angle(heading) if left == 0 else normal_absolute_angle(heading)
    return heading, gun_heading + step, left, gun_turn_remaining - step


@jit
def turn_gun(gun_heading: float, gun_turn_remaining: float) -> tuple[float, float]:
    """One tick of gun turn: (gun_heading, gun_turn_remaining)."""
    rate = rules.GUN_TURN_RATE
    if gun_turn_remaining > 0:
        if gun_turn_remaining < rate:
            gun_heading += gun_turn_remaining
            gun_turn_remaining = 0.0
        else:
            gun_heading += rate
            gun_turn_remaining = gun_turn_remaining - rate
    elif gun_turn_remaining < 0:
        if gun_turn_remaining > -rate:
            gun_heading += gun_turn_remaining
            gun_turn_remaining = 0.0
        else:
            gun_heading -= rate
            gun_turn_remaining = gun_turn_remaining + rate
    return normal_absolute_angle(gun_heading), gun_turn_remaining


@jit
def move(velocity: float, distance: float, max_velocity: float, overdriving: bool, heading: float, x: float,
         y: float) -> tuple[float, float, bool, float, float]:
    """One tick of movement: (velocity, distance_remaining, overdriving, x, y).

    `overdriving` is Robocode's bookkeeping for exact stops: a robot that would pass its goal while
    braking drops the rest of the distance once its speed reaches zero.
    """
    velocity = rules.new_velocity(velocity, distance, max_velocity)
    if is_near(velocity, 0.0) and overdriving:
        distance = 0.0
        overdriving = False
    if not distance * velocity < 0:
        overdriving = rules.stopping_distance(velocity) > abs(distance)
    if velocity != 0:
        x += velocity * math.sin(heading)
        y += velocity * math.cos(heading)
    return velocity, distance - velocity, overdriving, x, y


@jit
def hit_wall(x: float, y: float, heading: float, width: float, height: float) -> tuple[bool, float, float]:
    """A robot pushed back inside the walls: (hit, x, y). 1.9.3.9 fixes one wall per turn, along the
    heading line, then clamps; on a hit the caller stops the robot and charges rules.wall_damage."""
    lo = rules.HALF_SIZE
    hi_x = int(width) - rules.HALF_SIZE
    hi_y = int(height) - rules.HALF_SIZE
    fix_x = 0.0
    fix_y = 0.0
    if x < lo:
        fix_x = lo - x
    elif x > hi_x:
        fix_x = hi_x - x
    elif y < lo:
        fix_y = lo - y
    elif y > hi_y:
        fix_y = hi_y - y
    else:
        return False, x, y
    if math.fmod(heading, HALF_PI) != 0:
        tan_h = math.tan(heading)
        if fix_x == 0:
            fix_x = fix_y * tan_h
        elif fix_y == 0:
            fix_y = fix_x / tan_h
    x += fix_x
    y += fix_y
    x = lo if lo >= x else (hi_x if hi_x < x else x)
    y = lo if lo >= y else (hi_y if hi_y < y else y)
    return True, x, y


@jit
def rams(x: float, y: float, box_x: float, box_y: float, heading: float, velocity: float, other_x: float,
         other_y: float, other_box_x: float, other_box_y: float) -> bool:
    """Is this robot at fault for running into the other: boxes overlapping and moving towards its centre?"""
    if not boxes_overlap(box_x, box_y, other_box_x, other_box_y, rules.ROBOT_SIZE):
        return False
    bearing = normal_relative_angle(math.atan2(other_x - x, other_y - y) - heading)
    return (velocity > 0 and -HALF_PI < bearing < HALF_PI) or (velocity < 0 and (bearing < -HALF_PI
                                                                                  or bearing > HALF_PI))


@jit
def undo_move(x: float, y: float, heading: float, velocity: float) -> tuple[float, float]:
    """Where a robot that rammed goes back to: this tick's move undone (its box stays, a 1.9.3.9 quirk)."""
    return x - velocity * math.sin(heading), y - velocity * math.cos(heading)


@jit
def move_bullet(x: float, y: float, heading: float, power: float) -> tuple[float, float]:
    """A bullet's position one tick on."""
    speed = rules.bullet_speed(power)
    return x + speed * math.sin(heading), y + speed * math.cos(heading)


@jit
def bullet_hits_wall(x: float, y: float, width: float, height: float) -> bool:
    """Has a bullet (radius 3) reached a wall?"""
    r = rules.BULLET_RADIUS
    return x - r <= 0 or y - r <= 0 or x + r >= width or y + r >= height


@jit
def bullet_hits_box(prev_x: float, prev_y: float, x: float, y: float, box_x: float, box_y: float) -> bool:
    """Does a bullet's last move touch a robot's box (min corner box_x, box_y)?"""
    return segment_touches_box(prev_x, prev_y, x, y, box_x, box_y, box_x + rules.ROBOT_SIZE,
                               box_y + rules.ROBOT_SIZE)
