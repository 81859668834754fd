"""Guess-factor frame of a shot about to be fired: where GF 0 points and which way GF +1 lies."""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..observation import Observation
from ..waves import bullet_speed, max_escape_angle
from .base import bearing, next_position


@dataclass(frozen=True, slots=True)
class Frame:
    direct_angle: float
    direction: int
    mea: float

    def angle(self, gf: float) -> float:
        return self.direct_angle + gf * self.direction * self.mea


def shot_frame(obs: Observation, power: float, last_direction: int) -> Frame:
    """Frame for a bullet fired next tick; a stopped enemy keeps its last lateral direction."""
    sx, sy = next_position(obs.me)
    e = obs.enemy
    direct = bearing(sx, sy, e.x, e.y)
    lateral = e.velocity * math.sin(e.heading - direct)
    direction = last_direction if lateral == 0 else (1 if lateral > 0 else -1)
    return Frame(direct, direction, max_escape_angle(bullet_speed(power)))
