"""What a strategy is allowed to see: its own state, a radar scan of the enemy, waves, its own events."""
from __future__ import annotations

from dataclasses import dataclass

from .events import Event
from .waves import Wave, WaveBreak


@dataclass(frozen=True, slots=True)
class SelfView:
    x: float
    y: float
    heading: float
    gun_heading: float
    velocity: float
    energy: float
    gun_heat: float
    distance_remaining: float
    turn_remaining: float
    gun_turn_remaining: float


@dataclass(frozen=True, slots=True)
class EnemyView:
    """What a radar scan reports (position, heading, velocity, energy), plus bearing and distance from us."""
    x: float
    y: float
    heading: float
    velocity: float
    energy: float
    bearing: float  # absolute, Robocode convention
    distance: float


@dataclass(frozen=True, slots=True)
class Observation:
    index: int  # which robot we are (events name robots by index)
    time: int
    round: int
    width: float
    height: float
    me: SelfView
    enemy: EnemyView | None  # None once the enemy is dead
    my_waves: tuple[Wave, ...]  # own bullets (and virtual waves) still in flight towards the enemy
    enemy_waves: tuple[Wave, ...]  # enemy shots detected from its energy drops
    my_breaks: tuple[WaveBreak, ...]  # own waves that passed the enemy this tick: hit windows
    enemy_breaks: tuple[WaveBreak, ...]  # detected enemy waves that passed us this tick
    events: tuple[Event, ...]  # this tick's engine events that concern us (what Robocode would tell us)
