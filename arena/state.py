"""Battle state: plain data the engine steps and everything else only reads."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum

from . import rules
from .physics import box_corner


class RobotStatus(str, Enum):
    ACTIVE = "ACTIVE"
    HIT_WALL = "HIT_WALL"
    HIT_ROBOT = "HIT_ROBOT"
    DEAD = "DEAD"


class BulletStatus(str, Enum):
    MOVING = "MOVING"
    HIT_VICTIM = "HIT_VICTIM"
    HIT_WALL = "HIT_WALL"
    HIT_BULLET = "HIT_BULLET"


@dataclass(slots=True)
class Commands:
    """What a strategy sets after seeing a tick (AdvancedRobot setters); None leaves a setting alone."""
    ahead: float | None = None
    turn: float | None = None
    max_velocity: float | None = None
    turn_gun: float | None = None
    fire: float | None = None


@dataclass(slots=True)
class Robot:
    """A robot's physical state plus the remaining-command registers Robocode keeps for it."""
    x: float
    y: float
    heading: float
    gun_heading: float
    velocity: float = 0.0
    energy: float = rules.START_ENERGY
    gun_heat: float = rules.START_GUN_HEAT
    status: RobotStatus = RobotStatus.ACTIVE
    distance_remaining: float = 0.0
    turn_remaining: float = 0.0
    gun_turn_remaining: float = 0.0
    max_velocity: float = rules.MAX_VELOCITY
    overdriving: bool = False
    rammed: bool = False  # rammed at fault last turn: skips this turn's body turn
    bullets_fired: int = 0
    box_x: float | None = None  # min corner of the 36x36 bounding box; lags x after a ram (1.9.3.9 quirk)
    box_y: float | None = None

    def __post_init__(self) -> None:
        if self.box_x is None:
            self.update_box()

    def update_box(self) -> None:
        self.box_x = box_corner(self.x)
        self.box_y = box_corner(self.y)

    @property
    def alive(self) -> bool:
        return self.status is not RobotStatus.DEAD

    @property
    def disabled(self) -> bool:
        return self.energy == 0.0


@dataclass(slots=True)
class Bullet:
    id: str
    owner: int
    x: float
    y: float
    heading: float
    power: float
    status: BulletStatus = BulletStatus.MOVING
    prev_x: float | None = None  # start of the last move; None until the first move
    prev_y: float | None = None
    victim: int | None = None

    @property
    def speed(self) -> float:
        return rules.bullet_speed(self.power)


@dataclass(slots=True)
class BattleState:
    """Everything that determines the rest of a round."""
    width: float
    height: float
    robots: list[Robot]
    bullets: list[Bullet] = field(default_factory=list)
    time: int = 0
    inactivity_counter: int = 0
    inactivity_energy: float = 0.0
    gun_cooling_rate: float = rules.GUN_COOLING_RATE
    inactivity_time: int = rules.INACTIVITY_TIME

    def copy(self) -> "BattleState":
        return replace(self, robots=[replace(r) for r in self.robots],
                       bullets=[replace(b) for b in self.bullets])

    @property
    def round_over(self) -> bool:
        return sum(r.alive for r in self.robots) <= 1
