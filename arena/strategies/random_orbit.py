"""Random orbit: perpendicular to the enemy with random reversals and wall smoothing; a broad GF profile."""
from __future__ import annotations

from ..observation import Observation
from ..state import Commands
from .. import rules
from ..params import Spec
from .base import DISTANCE, Movement
from .orbiting import orbit


class RandomOrbit(Movement):
    name = "random-orbit"
    PARAMS = {"flip": Spec(float, 0.0, 1.0), "distance": DISTANCE, "min_speed": Spec(float, 0.0, rules.MAX_VELOCITY)}

    def __init__(self, rng, flip: float = 0.04, distance: float = 400.0, min_speed: float = 8.0):
        super().__init__(rng)
        self.flip = float(flip)  # probability of reversing, per tick
        self.preferred = float(distance)
        self.min_speed = float(min_speed)
        self.direction = 1
        self.speed = 8.0

    def act(self, obs: Observation) -> Commands:
        if self.rng.random() < self.flip:
            self.direction = -self.direction
            self.speed = self.rng.uniform(self.min_speed, rules.MAX_VELOCITY)
        return orbit(obs, self.direction, self.preferred, self.speed)
