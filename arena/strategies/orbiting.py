"""Shared orbit steering: move perpendicular to the enemy, keep a preferred distance, smooth off walls."""
from __future__ import annotations

import math

from ..observation import Observation
from ..state import Commands
from .base import bearing, drive, wall_smooth


def orbit(obs: Observation, direction: int, preferred_distance: float = 400.0, max_velocity: float = 8.0,
          distance: float = 100.0) -> Commands:
    """Drive clockwise (+1) or counter-clockwise (-1) around the enemy."""
    me, e = obs.me, obs.enemy
    if e is None:
        return Commands(ahead=0.0)
    away = bearing(e.x, e.y, me.x, me.y)
    # lean out when too close, in when too far: at most 30 degrees off the perpendicular
    lean = max(-0.5, min(0.5, (e.distance - preferred_distance) / preferred_distance))
    angle = away + direction * (math.pi / 2 + lean)
    angle = wall_smooth(me.x, me.y, angle, direction, obs.width, obs.height)
    return drive(me, angle, distance, max_velocity)
