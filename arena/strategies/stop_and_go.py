"""Stop-and-go: stands still, and steps sideways a fixed distance each time it sees the enemy fire."""
from __future__ import annotations

from ..observation import Observation
from ..state import Commands
from ..params import Spec
from .base import DISTANCE, Movement
from .orbiting import orbit


class StopAndGo(Movement):
    name = "stop-and-go"
    PARAMS = {"step": Spec(float, 0.0, 1_000.0), "distance": DISTANCE}

    def __init__(self, rng, step: float = 36.0, distance: float = 400.0):
        super().__init__(rng)
        self.step = float(step)
        self.preferred = float(distance)
        self.direction = 1
        self.seen: set[int] = set()

    def start_round(self) -> None:
        self.seen.clear()

    def act(self, obs: Observation) -> Commands:
        new = [w for w in obs.enemy_waves if w.fire_time not in self.seen]
        if not new:
            return Commands()  # keep doing whatever the last step asked
        self.seen.update(w.fire_time for w in new)
        if self.rng.random() < 0.5:
            self.direction = -self.direction
        return orbit(obs, self.direction, self.preferred, distance=self.step)
