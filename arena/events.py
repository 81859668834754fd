"""What happened during one turn, reported by the engine for scoring, waves and rendering."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BulletFired:
    time: int  # every event carries the tick it is seen in; the shot was aimed from time - 1
    owner: int
    bullet_id: str
    x: float
    y: float
    heading: float
    power: float


@dataclass(frozen=True, slots=True)
class BulletHitRobot:
    time: int
    bullet_id: str
    owner: int
    victim: int
    power: float
    damage: float  # damage that counts for the score: capped at the victim's energy
    heading: float
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class BulletHitBullet:
    time: int
    bullet_id: str
    other_id: str
    owner: int
    other_owner: int


@dataclass(frozen=True, slots=True)
class BulletHitWall:
    time: int
    bullet_id: str
    owner: int


@dataclass(frozen=True, slots=True)
class RobotHitWall:
    time: int
    robot: int
    damage: float


@dataclass(frozen=True, slots=True)
class RobotRammed:
    time: int
    robot: int  # the one at fault
    other: int
    killed: bool


@dataclass(frozen=True, slots=True)
class RobotDied:
    time: int
    robot: int


Event = BulletFired | BulletHitRobot | BulletHitBullet | BulletHitWall | RobotHitWall | RobotRammed | RobotDied


def concerns(event: Event, robot: int) -> bool:
    """Would Robocode tell `robot` about this event?"""
    if isinstance(event, (BulletFired, BulletHitWall)):
        return event.owner == robot
    if isinstance(event, BulletHitRobot):
        return robot in (event.owner, event.victim)
    if isinstance(event, BulletHitBullet):
        return robot in (event.owner, event.other_owner)
    if isinstance(event, RobotHitWall):
        return event.robot == robot
    if isinstance(event, RobotRammed):
        return robot in (event.robot, event.other)
    return True  # deaths are announced to everyone
