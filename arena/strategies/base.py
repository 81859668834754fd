"""The strategy interface: guns and movements see an Observation and return AdvancedRobot commands."""
from __future__ import annotations

import math

import numpy as np

from .. import rules
from ..geometry import normal_relative_angle
from ..jit import jit
from ..observation import Observation, SelfView
from ..params import Spec
from ..state import Commands


# wall_smooth turns its stick by pi/20 a try, turning the sine and cosine with it (one sin and cos a call, not
# one a try); within STICK_SLACK px of the field's edge it decides with the angle's own sine and cosine.
TURN_SIN, TURN_COS = math.sin(0.05 * math.pi), math.cos(0.05 * math.pi)
STICK_SLACK = 1e-6  # px: far above the turned sine's drift times the stick (72 turns: ~1e-11 px)

# Parameters several strategies share. Each strategy's PARAMS maps every keyword of its __init__ to a Spec.
POWER = Spec(float, rules.MIN_POWER, rules.MAX_POWER)
DISTANCE = Spec(float, 1.0, 10_000.0)  # preferred distance to the enemy; an orbit divides by it
# The KDE learner's quadrature is verified for bandwidths 1e-3..1 (issue 16.5); narrower ones underflow.
BANDWIDTH = Spec(float, 1e-3, 1.0)
LR = Spec(float, 1e-6, 1e3)  # learning rate; the optimisers need lr > 0


class Movement:
    """Decides ahead / turn / max_velocity. Subclasses override `act`."""
    name = ""
    PARAMS: dict[str, Spec] = {}

    def __init__(self, rng: np.random.Generator):
        self.rng = rng

    def start_round(self) -> None:
        """Called before each round; learned data may be kept across rounds."""

    def act(self, obs: Observation) -> Commands:
        return Commands()


class Gun:
    """Decides turn_gun / fire. Subclasses override `aim` (and `learn` to use hit windows)."""
    name = ""
    PARAMS: dict[str, Spec] = {"power": POWER}
    virtual_waves = False  # ask the observer for a wave every tick (more hit windows to learn from)

    def __init__(self, rng: np.random.Generator, power: float = 2.0):
        self.rng = rng
        self.power = power

    def start_round(self) -> None:
        """Called before each round; learned data is kept across rounds."""

    def learn(self, obs: Observation) -> None:
        """Take in this tick's hit windows (obs.my_breaks)."""

    def aim(self, obs: Observation) -> float:
        """Absolute gun heading for a shot fired next tick."""
        raise NotImplementedError

    def profile(self, gfs: np.ndarray) -> np.ndarray | None:
        """The gun's current aiming density over guess factors, for drawing; None if it has none."""
        return None

    def act(self, obs: Observation) -> Commands:
        """Fire now if the gun is cool and finished turning to last tick's aim; then aim for the next shot."""
        self.learn(obs)
        if obs.enemy is None:
            return Commands()
        me = obs.me
        ready = me.gun_heat == 0 and abs(me.gun_turn_remaining) < 1e-9 and me.energy > 0
        angle = self.aim(obs)
        return Commands(turn_gun=normal_relative_angle(angle - me.gun_heading),
                        fire=self.power if ready else None)


class NoGun(Gun):
    """Never fires (the usual target in a targeting challenge)."""
    name = "none"

    def act(self, obs: Observation) -> Commands:
        return Commands()


def next_position(me: SelfView) -> tuple[float, float]:
    """Where we will be next tick if velocity holds (exact for a robot at rest)."""
    return me.x + me.velocity * math.sin(me.heading), me.y + me.velocity * math.cos(me.heading)


def bearing(x0: float, y0: float, x1: float, y1: float) -> float:
    return math.atan2(x1 - x0, y1 - y0)


def drive(me: SelfView, angle: float, distance: float = 100.0, max_velocity: float = rules.MAX_VELOCITY) -> Commands:
    """Head along absolute `angle`, driving backwards when that needs less turning."""
    turn = normal_relative_angle(angle - me.heading)
    if abs(turn) > math.pi / 2:
        turn = normal_relative_angle(turn + math.pi)
        distance = -distance
    return Commands(ahead=distance, turn=turn, max_velocity=max_velocity)


@jit
def wall_smooth(x: float, y: float, angle: float, direction: int, width: float, height: float,
                margin: float = 18.0, stick: float = 120.0) -> float:
    """Rotate `angle` towards `direction` (+1 clockwise) until a stick of that length stays in the field."""
    lo_x, hi_x, lo_y, hi_y = margin, width - margin, margin, height - margin
    if lo_x <= x - stick and x + stick <= hi_x and lo_y <= y - stick and y + stick <= hi_y:
        return angle  # the first stick is in at any angle (|sin|, |cos| <= 1 and rounding is monotonic)
    s, c = math.sin(angle), math.cos(angle)  # turned with the angle below: within 1e-13 of its sine and cosine
    for _ in range(72):
        px, py = x + stick * s, y + stick * c
        if lo_x + STICK_SLACK <= px <= hi_x - STICK_SLACK and lo_y + STICK_SLACK <= py <= hi_y - STICK_SLACK:
            break  # clearly in
        if lo_x - STICK_SLACK <= px <= hi_x + STICK_SLACK and lo_y - STICK_SLACK <= py <= hi_y + STICK_SLACK:
            px, py = x + stick * math.sin(angle), y + stick * math.cos(angle)  # too close to call: as the rule says
            if lo_x <= px <= hi_x and lo_y <= py <= hi_y:
                break
        angle += direction * 0.05 * math.pi
        s, c = s * TURN_COS + direction * c * TURN_SIN, c * TURN_COS - direction * s * TURN_SIN
    return angle


def merge(movement: Commands, gun: Commands) -> Commands:
    return Commands(ahead=movement.ahead, turn=movement.turn, max_velocity=movement.max_velocity,
                    turn_gun=gun.turn_gun, fire=gun.fire)
