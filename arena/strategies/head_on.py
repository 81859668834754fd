"""Head-on gun: aims straight at where the enemy is now. Hits anything that stands still."""
from __future__ import annotations

from ..observation import Observation
from .base import Gun, bearing, next_position


class HeadOnGun(Gun):
    name = "head-on"

    def aim(self, obs: Observation) -> float:
        x, y = next_position(obs.me)
        return bearing(x, y, obs.enemy.x, obs.enemy.y)
