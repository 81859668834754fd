"""Shared orbit steering: move perpendicular to the enemy, keep a preferred distance, smooth off walls."""
from __future__ import annotations

import math

from ..observation import Observation
from ..state import Commands
from .base import bearing, drive, wall_smooth


def orbit_command(me, enemy_x: float, enemy_y: float, direction: int, width: float, height: float,
                  preferred_distance: float = 400.0, max_velocity: float = 8.0, distance: float = 100.0) -> Commands:
    """Drive clockwise (+1) or counter-clockwise (-1) around a point; `me` needs x, y and heading.

    Taking plain attributes lets the surfer steer predicted robots with the very same rule.
    """
    away = bearing(enemy_x, enemy_y, me.x, me.y)
    gap = math.hypot(me.x - enemy_x, me.y - enemy_y)
    # lean in when too far (at most ~30 degrees off the perpendicular), out when too close (up to ~57)
    lean = max(-1.0, min(0.5, (gap - preferred_distance) / preferred_distance))
    angle = away + direction * (math.pi / 2 + lean)
    angle = wall_smooth(me.x, me.y, angle, direction, width, height)
    return drive(me, angle, distance, max_velocity)


def orbit(obs: Observation, direction: int, preferred_distance: float = 400.0, max_velocity: float = 8.0,
          distance: float = 100.0) -> Commands:
    """Orbit the enemy as the observation shows it; stand still once it is gone."""
    if obs.enemy is None:
        return Commands(ahead=0.0)
    return orbit_command(obs.me, obs.enemy.x, obs.enemy.y, direction, obs.width, obs.height,
                         preferred_distance, max_velocity, distance)
