"""Example gun plugin: aims where the enemy will be if it keeps a smoothed lateral speed.

Run it without installing anything:
    arena run --gun examples/lead_gun.py:LeadGun --param smoothing=0.2
A gun subclasses arena.strategies.base.Gun. `act` (inherited) calls `learn(obs)` every tick, then
`aim(obs)` for the absolute gun heading of the next shot, and fires `self.power` when the gun is
cool and has finished turning. Keyword arguments of __init__ are the gun's parameters (--param); PARAMS
gives each a Spec (type and range), so a bad value is refused before the battle starts.
"""
from __future__ import annotations

import math

from arena import rules
from arena.observation import Observation
from arena.params import Spec
from arena.strategies.base import POWER, Gun, bearing, next_position


class LeadGun(Gun):
    name = "lead"
    PARAMS = {"power": POWER, "smoothing": Spec(float, 0.001, 1.0)}

    def __init__(self, rng, power: float = 2.0, smoothing: float = 0.1):
        super().__init__(rng, power)  # self.rng: this gun's own numpy Generator (seeded per battle)
        self.smoothing = smoothing
        self.lateral = 0.0  # smoothed enemy speed across the line of fire, px/tick

    def start_round(self) -> None:
        self.lateral = 0.0  # forget the last round's motion; keep anything worth keeping across rounds

    def learn(self, obs: Observation) -> None:
        enemy = obs.enemy
        if enemy is not None:  # None once the enemy has died
            now = enemy.velocity * math.sin(enemy.heading - enemy.bearing)
            self.lateral += self.smoothing * (now - self.lateral)

    def aim(self, obs: Observation) -> float:
        x, y = next_position(obs.me)
        enemy = obs.enemy
        direct = bearing(x, y, enemy.x, enemy.y)
        speed = rules.bullet_speed(self.power)
        offset = math.asin(max(-1.0, min(1.0, self.lateral / speed)))
        return direct + offset
