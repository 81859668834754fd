"""Precise movement prediction: run a robot forward with the engine's own movement rules.

A surfer asks "where will I be if I keep doing X?"; the answer uses turn_body, move and hit_wall from
the engine itself, so a prediction from a known state matches the real path tick by tick (as long as
nothing the robot cannot foresee happens: a ram, a hit, an enemy that moves).
"""
from __future__ import annotations

import math
from typing import Callable

from .engine import hit_wall, move, set_commands, turn_body
from .observation import SelfView
from .state import Commands, Robot
from .waves import Wave, tick_gf_interval

Policy = Callable[[Robot], Commands]


def robot_from_view(me: SelfView) -> Robot:
    """A robot to simulate from what a bot knows of itself (max velocity is re-set by every policy)."""
    return Robot(x=me.x, y=me.y, heading=me.heading, gun_heading=me.gun_heading, velocity=me.velocity,
                 energy=me.energy, gun_heat=me.gun_heat, distance_remaining=me.distance_remaining,
                 turn_remaining=me.turn_remaining, gun_turn_remaining=me.gun_turn_remaining)


def predict_path(robot: Robot, policy: Policy, ticks: int, width: float, height: float) -> list[tuple[float, float]]:
    """Positions after each of the next `ticks` turns, the policy choosing commands from each predicted state."""
    path = []
    for _ in range(ticks):
        set_commands(robot, policy(robot))
        turn_body(robot)
        move(robot)
        hit_wall(robot, width, height)
        path.append((robot.x, robot.y))
    return path


def ticks_to_pass(wave: Wave, now: int, x: float, y: float) -> int:
    """Turns until the wave is surely past a robot that starts at (x, y) and moves at most 8 px a turn."""
    gap = math.hypot(x - wave.source_x, y - wave.source_y) + 26.0 - wave.radius(now)
    return max(1, min(200, math.ceil(gap / max(wave.speed - 8.0, 1.0)) + 2))


def predicted_window(wave: Wave, now: int, start: tuple[float, float],
                     path: list[tuple[float, float]]) -> tuple[float, float] | None:
    """GF window the wave would find on a robot at `start` now that then follows `path`.

    Starts from what the wave has already crossed (its tracker keeps gf_lo/gf_hi up to now).
    """
    lo, hi = wave.gf_lo, wave.gf_hi
    positions = [start] + path
    for k, (x, y) in enumerate(positions):
        tick = now + k + 1  # turn tick-1 -> tick is judged against the box at tick-1
        if tick <= wave.fire_time or wave.radius(tick) < math.hypot(x - wave.source_x, y - wave.source_y) - 26.0:
            continue  # the wave has not reached the box yet (26 > half the box diagonal)
        interval = tick_gf_interval(wave, tick, (x, y))
        if interval is not None:
            lo, hi = min(lo, interval[0]), max(hi, interval[1])
        elif lo <= hi and wave.radius(tick - 1) > math.hypot(x - wave.source_x, y - wave.source_y):
            break
    return (lo, hi) if lo <= hi else None
