"""Robocode 1.9.3.9's numeric rules as small pure functions (one place for every constant).

Both engines run these: plain Python in arena/engine.py, compiled in arena/fast (see arena/jit.py).
"""
from __future__ import annotations

import math

from .jit import ceil, jit

MAX_VELOCITY = 8.0
ACCELERATION = 1.0
DECELERATION = 2.0
MAX_TURN_RATE = math.radians(10)  # Java's Math.toRadians(10), computed once
GUN_TURN_RATE = math.radians(20)
ROBOT_SIZE = 36.0
HALF_SIZE = 18.0
MIN_POWER = 0.1
MAX_POWER = 3.0
START_ENERGY = 100.0
START_GUN_HEAT = 3.0
GUN_COOLING_RATE = 0.1
INACTIVITY_TIME = 450
RAM_DAMAGE = 0.6
BULLET_RADIUS = 3.0  # a bullet hits a wall once this close
INACTIVITY_ZAP = 0.1
INACTIVITY_RESET_LOSS = 10.0  # every 10 energy lost by anyone (a death counts 10) restarts the inactivity count
DISABLED_BELOW = 0.01  # energy under this is 0: the robot is disabled
ZAPPED_OUT_BELOW = 0.1  # after an inactivity drain, energy under this is 0


@jit
def inactivity_after_loss(lost: float, counter: int, loss: float) -> tuple[float, int]:
    """(energy lost since the last restart, inactivity counter) after someone loses `loss` (a gain is no loss)."""
    if loss < 0:
        return lost, counter
    lost += loss
    while lost >= INACTIVITY_RESET_LOSS:
        lost -= INACTIVITY_RESET_LOSS
        counter = 0
    return lost, counter


@jit
def stored_energy(energy: float) -> float:
    """Energy as a robot keeps it (setEnergy): under 0.01 it is 0 and the robot is disabled."""
    return 0.0 if energy < DISABLED_BELOW else energy


@jit
def zapped_energy(energy: float) -> float:
    """Energy after one inactivity drain (which counts as no loss): 0.1 less, and 0 once under 0.1."""
    energy -= INACTIVITY_ZAP
    return 0.0 if energy < ZAPPED_OUT_BELOW else energy


@jit
def clamp_power(power: float) -> float:
    return min(max(power, MIN_POWER), MAX_POWER)


@jit
def fire_power(energy: float, requested: float) -> float:
    """Power of a bullet fired with `energy` left: the request clamped, and never more than the energy."""
    return min(energy, clamp_power(requested))


@jit
def bullet_speed(power: float) -> float:
    """20 - 3p, with p clamped into [0.1, 3] (a bullet under 0.1 flies at the 0.1 speed)."""
    return 20.0 - 3.0 * clamp_power(power)


@jit
def bullet_damage(power: float) -> float:
    return 4.0 * power + 2.0 * max(power - 1.0, 0.0)


@jit
def bullet_hit_bonus(power: float) -> float:
    """Energy the shooter gains on a hit."""
    return 3.0 * power


@jit
def gun_heat(power: float) -> float:
    return 1.0 + power / 5.0


@jit
def wall_damage(velocity: float) -> float:
    return max(abs(velocity) / 2.0 - 1.0, 0.0)


@jit
def turn_rate(velocity: float) -> float:
    """Body turn rate in radians per tick for the speed before this tick's acceleration."""
    return min(MAX_TURN_RATE, (0.4 + 0.6 * (1.0 - abs(velocity) / MAX_VELOCITY)) * MAX_TURN_RATE)


@jit
def max_velocity_for(distance: float) -> float:
    """Fastest speed from which a robot can still stop within `distance` (distance >= 0)."""
    k = max(1.0, ceil((math.sqrt(4.0 * distance + 1.0) - 1.0) / 2.0))
    if k == math.inf:
        return MAX_VELOCITY
    return (k - 1.0) * DECELERATION + (distance - (k / 2.0) * (k - 1.0) * DECELERATION) / k


@jit
def _max_decel(speed: float) -> float:
    """Speed change available when reversing from `speed`: brake by 2, the rest of the tick accelerates."""
    decel_time = speed / DECELERATION
    return min(1.0, decel_time) * DECELERATION + max(0.0, 1.0 - decel_time) * ACCELERATION


@jit
def new_velocity(velocity: float, distance: float, max_velocity: float) -> float:
    """Velocity after one tick with `distance` left to go (Robocode's optimal-velocity rule)."""
    if distance < 0:
        return -_forward_velocity(-velocity, -distance, max_velocity)
    return _forward_velocity(velocity, distance, max_velocity)


@jit
def _forward_velocity(velocity: float, distance: float, max_velocity: float) -> float:
    """new_velocity for distance >= 0 (a going-backwards move is this one mirrored)."""
    if distance == math.inf:
        goal = max_velocity
    else:
        goal = min(max_velocity_for(distance), max_velocity)
    if velocity >= 0:
        return max(velocity - DECELERATION, min(goal, velocity + ACCELERATION))
    return max(velocity - ACCELERATION, min(goal, velocity + _max_decel(-velocity)))


@jit
def stopping_distance(speed: float) -> float:
    """Distance covered after this tick when braking from `speed` (stop(8) = 6 + 4 + 2 = 12)."""
    distance = 0.0
    speed = abs(speed)
    while speed > 0:
        speed = new_velocity(speed, 0.0, MAX_VELOCITY)
        distance += speed
    return distance
