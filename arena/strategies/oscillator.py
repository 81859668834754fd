"""Oscillator: orbits the enemy, reversing every `period` ticks; its GF profile is two sharp peaks."""
from __future__ import annotations

from ..observation import Observation
from ..state import Commands
from ..params import Spec
from .base import DISTANCE, Movement
from .orbiting import orbit


class Oscillator(Movement):
    name = "oscillator"
    PARAMS = {"period": Spec(int, 1, 100_000), "distance": DISTANCE}

    def __init__(self, rng, period: int = 24, distance: float = 400.0):
        super().__init__(rng)
        self.period = period
        self.preferred = float(distance)

    def act(self, obs: Observation) -> Commands:
        direction = 1 if (obs.time // self.period) % 2 == 0 else -1
        return orbit(obs, direction, self.preferred)
