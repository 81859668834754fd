"""Circular gun: assumes the enemy keeps its speed and turn rate; linear is the zero-turn case."""
from __future__ import annotations

import math

from .. import rules
from ..geometry import normal_relative_angle
from ..jit import jit, reaches
from ..observation import Observation
from ..waves import bullet_speed
from .base import Gun, bearing, next_position


@jit
def predict_intercept(sx: float, sy: float, ex: float, ey: float, heading: float, velocity: float,
                      turn_per_tick: float, speed: float, width: float, height: float) -> tuple[float, float]:
    """Enemy position when a bullet fired next tick from (sx, sy) reaches it, walls stopping the enemy."""
    lo, hi_x, hi_y = rules.HALF_SIZE, width - rules.HALF_SIZE, height - rules.HALF_SIZE
    x, y, h = ex, ey, heading
    for ticks in range(200):
        h += turn_per_tick
        x = min(max(x + velocity * math.sin(h), lo), hi_x)
        y = min(max(y + velocity * math.cos(h), lo), hi_y)
        if reaches(ticks * speed, x - sx, y - sy):
            break
    return x, y


class CircularGun(Gun):
    name = "circular"
    turning = True

    def __init__(self, rng, power: float = 2.0):
        super().__init__(rng, power)
        self.last_heading: float | None = None

    def start_round(self) -> None:
        self.last_heading = None

    def aim(self, obs: Observation) -> float:
        e = obs.enemy
        turn = 0.0
        if self.turning and self.last_heading is not None:
            turn = normal_relative_angle(e.heading - self.last_heading)
        self.last_heading = e.heading
        sx, sy = next_position(obs.me)
        x, y = predict_intercept(sx, sy, e.x, e.y, e.heading, e.velocity, turn, bullet_speed(self.power),
                                 obs.width, obs.height)
        return bearing(sx, sy, x, y)


class LinearGun(CircularGun):
    name = "linear"
    turning = False
