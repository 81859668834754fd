"""Example movement plugin: orbits the enemy and reverses after a random number of ticks.

    arena run --gun circular --movement examples/zigzag.py:ZigZag --movement-param mean_leg=20
A movement subclasses arena.strategies.base.Movement and returns arena.state.Commands from `act`:
`ahead` (px, negative = back), `turn` (rad, clockwise), `max_velocity` (px/tick); None leaves a
setting alone. All randomness must come from `self.rng` (a numpy Generator seeded from the battle
seed), so the same seed replays the same battle.
"""
from __future__ import annotations

from arena.observation import Observation
from arena.params import Spec
from arena.state import Commands
from arena.strategies.base import DISTANCE, Movement
from arena.strategies.orbiting import orbit


class ZigZag(Movement):
    name = "zigzag"
    PARAMS = {"mean_leg": Spec(float, 1.0, 10_000.0), "distance": DISTANCE}  # every keyword's type and range

    def __init__(self, rng, mean_leg: float = 25.0, distance: float = 350.0):
        super().__init__(rng)
        self.mean_leg = mean_leg
        self.distance = distance
        self.direction = 1
        self.left = 0  # ticks until the next reversal

    def start_round(self) -> None:
        self.left = 0

    def act(self, obs: Observation) -> Commands:
        if obs.enemy is None:
            return Commands(ahead=0.0)
        if self.left <= 0:
            self.direction = -self.direction
            self.left = 1 + int(self.rng.exponential(self.mean_leg))
        self.left -= 1
        return orbit(obs, self.direction, self.distance)
