"""Oscillator: orbits the enemy, reversing every `period` ticks; its GF profile is two sharp peaks."""
from __future__ import annotations

from ..observation import Observation
from ..state import Commands
from .base import Movement
from .orbiting import orbit


class Oscillator(Movement):
    name = "oscillator"

    def __init__(self, rng, period: int = 24, distance: float = 400.0):
        super().__init__(rng)
        self.period = max(1, int(period))
        self.preferred = float(distance)

    def act(self, obs: Observation) -> Commands:
        direction = 1 if (obs.time // self.period) % 2 == 0 else -1
        return orbit(obs, direction, self.preferred)
