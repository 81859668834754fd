"""The packed form of a battle state the compiled engine works on, and the conversions to and from it.

Robots are rows of a (n, ROBOT_FIELDS) float array, bullets rows of a preallocated (M, BULLET_FIELDS)
array of which the first `world[NBULLETS]` are in use, the BattleState scalars one small float array,
a turn's commands an (n, 5) array with NaN for "not set" (so a NaN command value reads as not set),
events rows of an (E, EVENT_FIELDS) array.
Whole numbers (statuses, counters, ids) are stored as floats: exact up to 2**53.
"""
from __future__ import annotations

import numpy as np

from ..events import (BulletFired, BulletHitBullet, BulletHitRobot, BulletHitWall, Event, RobotDied,
                      RobotHitWall, RobotRammed)
from ..state import BattleState, Bullet, BulletStatus, Robot, RobotStatus

# robot columns
(X, Y, HEADING, GUN_HEADING, VELOCITY, ENERGY, GUN_HEAT, STATUS, DISTANCE, TURN, GUN_TURN, MAX_VELOCITY,
 OVERDRIVING, RAMMED, FIRED, BOX_X, BOX_Y) = range(17)
ROBOT_FIELDS = 17
ACTIVE, HIT_WALL, HIT_ROBOT, DEAD = 0.0, 1.0, 2.0, 3.0
ROBOT_STATUSES = (RobotStatus.ACTIVE, RobotStatus.HIT_WALL, RobotStatus.HIT_ROBOT, RobotStatus.DEAD)

# bullet columns (B_NUMBER is the owner's bullet counter: the id is "owner-number")
B_OWNER, B_NUMBER, B_X, B_Y, B_HEADING, B_POWER, B_STATUS, B_PREV_X, B_PREV_Y, B_HAS_PREV, B_VICTIM = range(11)
BULLET_FIELDS = 11
MOVING, HIT_VICTIM, BULLET_HIT_WALL, HIT_BULLET = 0.0, 1.0, 2.0, 3.0
BULLET_STATUSES = (BulletStatus.MOVING, BulletStatus.HIT_VICTIM, BulletStatus.HIT_WALL, BulletStatus.HIT_BULLET)

# world: the BattleState scalars, plus how many bullet rows are in use
TIME, INACTIVITY_COUNTER, INACTIVITY_ENERGY, WIDTH, HEIGHT, COOLING_RATE, INACTIVITY_TIME, NBULLETS = range(8)
WORLD_FIELDS = 8

# commands columns
C_AHEAD, C_TURN, C_MAX_VELOCITY, C_TURN_GUN, C_FIRE = range(5)
COMMAND_FIELDS = 5

# events: kind, time, then the kind's fields in the order of its dataclass (bullet ids as numbers)
E_KIND, E_TIME = 0, 1
EVENT_FIELDS = 10
(EV_FIRED, EV_HIT_ROBOT, EV_HIT_BULLET, EV_BULLET_HIT_WALL, EV_ROBOT_HIT_WALL, EV_RAMMED,
 EV_DIED) = (float(k) for k in range(7))  # floats: numba compiles no variant per literal kind
EVENTS_PER_TURN = 10  # besides one per bullet: 2 fired, 2 wall hits, 2 rams, 2 deaths (+ slack)


def pack_robot(robot: Robot) -> list[float]:
    return [robot.x, robot.y, robot.heading, robot.gun_heading, robot.velocity, robot.energy, robot.gun_heat,
            ROBOT_STATUSES.index(robot.status), robot.distance_remaining, robot.turn_remaining,
            robot.gun_turn_remaining, robot.max_velocity, robot.overdriving, robot.rammed, robot.bullets_fired,
            robot.box_x, robot.box_y]


def pack_state(state: BattleState, spare_bullets: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(robots, bullets, world) arrays of a state, with room for `spare_bullets` more bullets."""
    robots = np.array([pack_robot(r) for r in state.robots], dtype=np.float64)
    bullets = np.zeros((len(state.bullets) + spare_bullets, BULLET_FIELDS))
    for row, b in zip(bullets, state.bullets):
        owner, number = (int(p) for p in b.id.split("-"))
        row[:] = [owner, number, b.x, b.y, b.heading, b.power, BULLET_STATUSES.index(b.status),
                  b.prev_x or 0.0, b.prev_y or 0.0, b.prev_x is not None, -1 if b.victim is None else b.victim]
    world = np.array([state.time, state.inactivity_counter, state.inactivity_energy, state.width, state.height,
                      state.gun_cooling_rate, state.inactivity_time, len(state.bullets)], dtype=np.float64)
    return robots, bullets, world


def pack_commands(commands) -> np.ndarray:
    out = np.full((len(commands), COMMAND_FIELDS), np.nan)
    for row, cmd in zip(out, commands):
        if cmd is not None:
            for k, value in enumerate((cmd.ahead, cmd.turn, cmd.max_velocity, cmd.turn_gun, cmd.fire)):
                if value is not None:
                    row[k] = float(value)
    return out


def unpack_robot(row) -> Robot:
    r = row.tolist()
    return Robot(x=r[X], y=r[Y], heading=r[HEADING], gun_heading=r[GUN_HEADING], velocity=r[VELOCITY],
                 energy=r[ENERGY], gun_heat=r[GUN_HEAT], status=ROBOT_STATUSES[int(r[STATUS])],
                 distance_remaining=r[DISTANCE], turn_remaining=r[TURN], gun_turn_remaining=r[GUN_TURN],
                 max_velocity=r[MAX_VELOCITY], overdriving=bool(r[OVERDRIVING]), rammed=bool(r[RAMMED]),
                 bullets_fired=int(r[FIRED]), box_x=r[BOX_X], box_y=r[BOX_Y])


def unpack_state(robots: np.ndarray, bullets: np.ndarray, world: np.ndarray, before: BattleState) -> BattleState:
    """The state after a step; the settings a step never changes (field size, rules) are taken from `before`."""
    w = world.tolist()
    out = []
    for row in bullets[:int(w[NBULLETS])].tolist():
        has_prev = bool(row[B_HAS_PREV])
        out.append(Bullet(f"{int(row[B_OWNER])}-{int(row[B_NUMBER])}", int(row[B_OWNER]), row[B_X], row[B_Y],
                          row[B_HEADING], row[B_POWER], BULLET_STATUSES[int(row[B_STATUS])],
                          row[B_PREV_X] if has_prev else None, row[B_PREV_Y] if has_prev else None,
                          None if row[B_VICTIM] < 0 else int(row[B_VICTIM])))
    return BattleState(width=before.width, height=before.height, robots=[unpack_robot(r) for r in robots],
                       bullets=out, time=int(w[TIME]), inactivity_counter=int(w[INACTIVITY_COUNTER]),
                       inactivity_energy=w[INACTIVITY_ENERGY], gun_cooling_rate=before.gun_cooling_rate,
                       inactivity_time=before.inactivity_time)


def _bid(owner: float, number: float) -> str:
    return f"{int(owner)}-{int(number)}"


def unpack_events(rows: np.ndarray) -> list[Event]:
    events: list[Event] = []
    for kind, t, *f in rows.tolist():
        t = int(t)
        if kind == EV_FIRED:
            events.append(BulletFired(t, int(f[0]), _bid(f[0], f[1]), f[2], f[3], f[4], f[5]))
        elif kind == EV_HIT_ROBOT:
            events.append(BulletHitRobot(t, _bid(f[1], f[0]), int(f[1]), int(f[2]), f[3], f[4], f[5], f[6], f[7]))
        elif kind == EV_HIT_BULLET:
            events.append(BulletHitBullet(t, _bid(f[2], f[0]), _bid(f[3], f[1]), int(f[2]), int(f[3])))
        elif kind == EV_BULLET_HIT_WALL:
            events.append(BulletHitWall(t, _bid(f[1], f[0]), int(f[1])))
        elif kind == EV_ROBOT_HIT_WALL:
            events.append(RobotHitWall(t, int(f[0]), f[1]))
        elif kind == EV_RAMMED:
            events.append(RobotRammed(t, int(f[0]), int(f[1]), bool(f[2])))
        else:
            events.append(RobotDied(t, int(f[0])))
    return events
