"""The turn step of arena/engine.py compiled with numba, on packed arrays (arena/fast/layout.py).

The same phases in the same order, calling the same physics (arena/physics.py, rules.py, geometry.py,
compiled from their source: see arena/jit.py), so states come out bit-identical to the reference
`arena.engine.step` (the tests compare the two); this module only moves array fields in and out.
The random update order reads uniform draws from a buffer pre-drawn from the same Generator
(Generator.random(size=k) yields the numbers k single random() calls would), through a cursor. `step` at
the bottom is a drop-in for the reference step on BattleState objects, for tests and conformance replays;
battles use `step_arrays` directly.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .. import physics, rules
from ..engine import Order
from ..geometry import segments_intersect
from ..state import BattleState, Commands
from . import pymath  # noqa: F401  (importing it lets numba compile the shared physics)
from .borrowing import borrowing, owning
from .layout import (ACTIVE, B_HAS_PREV, B_HEADING, B_NUMBER, B_OWNER, B_POWER, B_PREV_X, B_PREV_Y, B_STATUS,
                     B_VICTIM, B_X, B_Y, BOX_X, BOX_Y, BULLET_HIT_WALL, C_AHEAD, C_FIRE, C_MAX_VELOCITY, C_TURN,
                     C_TURN_GUN, COOLING_RATE, DEAD, DISTANCE, ENERGY, EV_BULLET_HIT_WALL, EV_DIED, EV_FIRED,
                     EV_HIT_BULLET, EV_HIT_ROBOT, EV_RAMMED, EV_ROBOT_HIT_WALL, EVENT_FIELDS, EVENTS_PER_TURN, FIRED,
                     GUN_HEADING, GUN_HEAT, GUN_TURN, HEADING, HEIGHT, HIT_BULLET, HIT_ROBOT, HIT_VICTIM, HIT_WALL,
                     INACTIVITY_COUNTER, INACTIVITY_ENERGY, INACTIVITY_TIME, MAX_VELOCITY, MOVING, NBULLETS,
                     OVERDRIVING, RAMMED, STATUS, TIME, TURN, VELOCITY, WIDTH, X, Y, pack_commands, pack_state,
                     unpack_events, unpack_state)

# step_arrays results below zero: the arrays were too small for this turn (see step_arrays)
NO_BULLET_ROOM = -1
NO_EVENT_ROOM = -2
NOT_A_ROBOT, NOT_A_BULLET = -1, -1.0  # stand for an explicit but empty order (empty arrays: no order given)


# -- events and energy -------------------------------------------------------------------------------------
@borrowing
def _emit(events, nev, kind, time, a, b, c, d, e, f, g, h):
    row = events[nev[0]]
    row[0] = kind
    row[1] = time
    row[2] = a
    row[3] = b
    row[4] = c
    row[5] = d
    row[6] = e
    row[7] = f
    row[8] = g
    row[9] = h
    nev[0] += 1


@borrowing
def _count_loss(world, loss):
    world[INACTIVITY_ENERGY], world[INACTIVITY_COUNTER] = rules.inactivity_after_loss(
        world[INACTIVITY_ENERGY], world[INACTIVITY_COUNTER], loss)


@borrowing
def _store_energy(robot, energy):
    """set_energy without counting the loss (wall damage): a robot out of energy is disabled and stops."""
    robot[ENERGY] = rules.stored_energy(energy)
    if robot[ENERGY] == 0.0:
        robot[DISTANCE] = 0.0
        robot[TURN] = 0.0


@borrowing
def _change_energy(world, robot, delta):
    energy = robot[ENERGY] + delta
    if robot[ENERGY] != energy:
        _count_loss(world, robot[ENERGY] - energy)
    _store_energy(robot, energy)


@borrowing
def _kill(world, robots, index, events, nev):
    robot = robots[index]
    _count_loss(world, rules.INACTIVITY_RESET_LOSS)
    if robot[STATUS] != DEAD:
        _emit(events, nev, EV_DIED, world[TIME] + 1.0, float(index), 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    _change_energy(world, robot, -robot[ENERGY])
    robot[STATUS] = DEAD


# -- order ----------------------------------------------------------------------------------------------
@njit(cache=True)
def shuffled(n, draws, cursor):
    """engine.shuffled: Fisher-Yates on single uniform draws."""
    order = np.arange(n)
    for i in range(n - 1, 0, -1):
        j = int(draws[cursor[0]] * (i + 1))
        cursor[0] += 1
        tmp = order[i]
        order[i] = order[j]
        order[j] = tmp
    return order


@owning
def _bullet_order(bullets, nb, draws, cursor, bullet_order):
    """Slots in update order: the explicitly listed bullet ids first (then the rest), or shuffled, or as stored."""
    if bullet_order.size > 0:
        order = np.empty(nb, np.int64)
        listed = np.zeros(nb, np.bool_)
        n = 0
        for key in bullet_order:
            for s in range(nb):
                if not listed[s] and bullets[s, B_OWNER] * 1e9 + bullets[s, B_NUMBER] == key:
                    order[n] = s
                    listed[s] = True
                    n += 1
                    break
        for s in range(nb):
            if not listed[s]:
                order[n] = s
                n += 1
        return order
    if draws.size > 0 and nb > 1:
        return shuffled(nb, draws, cursor)
    return np.arange(nb)


# -- phases -----------------------------------------------------------------------------------------------
@njit(cache=True, inline="always")
def _set_commands(robot, cmd):
    if robot[ENERGY] != 0.0:
        if not math.isnan(cmd[C_AHEAD]):
            robot[DISTANCE] = cmd[C_AHEAD]
        if not math.isnan(cmd[C_TURN]):
            robot[TURN] = cmd[C_TURN]
    if not math.isnan(cmd[C_MAX_VELOCITY]):
        robot[MAX_VELOCITY] = min(abs(cmd[C_MAX_VELOCITY]), rules.MAX_VELOCITY)
    if not math.isnan(cmd[C_TURN_GUN]):
        robot[GUN_TURN] = cmd[C_TURN_GUN]


@borrowing
def _fire_phase(world, robots, bullets, commands, events, nev):
    now = world[TIME] + 1.0
    for index in range(robots.shape[0]):
        robot = robots[index]
        fire = commands[index, C_FIRE]
        if math.isnan(fire) or robot[STATUS] == DEAD:
            continue
        if robot[GUN_HEAT] > 0 or robot[ENERGY] == 0:
            continue
        power = rules.fire_power(robot[ENERGY], fire)
        _change_energy(world, robot, -power)
        robot[GUN_HEAT] += rules.gun_heat(power)
        b = bullets[int(world[NBULLETS])]
        world[NBULLETS] += 1.0
        b[B_OWNER] = index
        b[B_NUMBER] = robot[FIRED]
        b[B_X] = robot[X]
        b[B_Y] = robot[Y]
        b[B_HEADING] = robot[GUN_HEADING]
        b[B_POWER] = power
        b[B_STATUS] = MOVING
        b[B_PREV_X] = 0.0
        b[B_PREV_Y] = 0.0
        b[B_HAS_PREV] = 0.0
        b[B_VICTIM] = -1.0
        robot[FIRED] += 1.0
        _emit(events, nev, EV_FIRED, now, float(index), b[B_NUMBER], b[B_X], b[B_Y], b[B_HEADING], power,
              0.0, 0.0)


@borrowing
def _bullet_hits_robot(world, robots, b, events, nev):
    now = world[TIME] + 1.0
    owner = int(b[B_OWNER])
    for index in range(robots.shape[0]):
        robot = robots[index]
        if index == owner or robot[STATUS] == DEAD:
            continue
        if not physics.bullet_hits_box(b[B_PREV_X], b[B_PREV_Y], b[B_X], b[B_Y], robot[BOX_X], robot[BOX_Y]):
            continue
        power = b[B_POWER]
        damage = rules.bullet_damage(power)
        scored = min(damage, robot[ENERGY])
        _change_energy(world, robot, -damage)
        if robots[owner, STATUS] != DEAD:
            _change_energy(world, robots[owner], rules.bullet_hit_bonus(power))
        b[B_STATUS] = HIT_VICTIM
        b[B_VICTIM] = index
        _emit(events, nev, EV_HIT_ROBOT, now, b[B_NUMBER], float(owner), float(index), power, scored, b[B_HEADING],
              b[B_X], b[B_Y])
        if robot[ENERGY] <= 0 and robot[STATUS] != DEAD:
            _kill(world, robots, index, events, nev)
        return True
    return False


@borrowing
def _bullet_hits_bullet(world, bullets, s, order, events, nev):
    b = bullets[s]
    for o in order:
        other = bullets[o]
        if o == s or other[B_OWNER] == b[B_OWNER] or other[B_STATUS] != MOVING or other[B_HAS_PREV] == 0.0:
            continue
        if segments_intersect(b[B_PREV_X], b[B_PREV_Y], b[B_X], b[B_Y],
                              other[B_PREV_X], other[B_PREV_Y], other[B_X], other[B_Y]):
            b[B_STATUS] = HIT_BULLET
            b[B_X] = b[B_PREV_X]
            b[B_Y] = b[B_PREV_Y]
            other[B_STATUS] = HIT_BULLET
            other[B_X] = other[B_PREV_X]
            other[B_Y] = other[B_PREV_Y]
            _emit(events, nev, EV_HIT_BULLET, world[TIME] + 1.0, b[B_NUMBER], other[B_NUMBER], b[B_OWNER],
                  other[B_OWNER], 0.0, 0.0, 0.0, 0.0)
            return


@borrowing
def _bullet_phase(world, robots, bullets, draws, cursor, bullet_order, events, nev):
    order = _bullet_order(bullets, int(world[NBULLETS]), draws, cursor, bullet_order)
    for s in order:
        b = bullets[s]
        if b[B_STATUS] != MOVING:
            continue
        b[B_PREV_X] = b[B_X]
        b[B_PREV_Y] = b[B_Y]
        b[B_HAS_PREV] = 1.0
        b[B_X], b[B_Y] = physics.move_bullet(b[B_X], b[B_Y], b[B_HEADING], b[B_POWER])
        if physics.bullet_hits_wall(b[B_X], b[B_Y], world[WIDTH], world[HEIGHT]):
            b[B_STATUS] = BULLET_HIT_WALL
            _emit(events, nev, EV_BULLET_HIT_WALL, world[TIME] + 1.0, b[B_NUMBER], b[B_OWNER], 0.0, 0.0, 0.0, 0.0,
                  0.0, 0.0)
            continue
        if _bullet_hits_robot(world, robots, b, events, nev):
            continue
        _bullet_hits_bullet(world, bullets, s, order, events, nev)


@njit(cache=True, inline="always")
def update_box(robot):
    robot[BOX_X] = physics.box_corner(robot[X])
    robot[BOX_Y] = physics.box_corner(robot[Y])


@njit(cache=True, inline="always")
def turn_body(robot):
    robot[HEADING], robot[GUN_HEADING], robot[TURN], robot[GUN_TURN] = physics.turn_body(
        robot[HEADING], robot[GUN_HEADING], robot[TURN], robot[GUN_TURN], robot[VELOCITY])


@njit(cache=True, inline="always")
def turn_gun(robot):
    robot[GUN_HEADING], robot[GUN_TURN] = physics.turn_gun(robot[GUN_HEADING], robot[GUN_TURN])


@njit(cache=True, inline="always")
def move(robot):
    velocity, distance, overdriving, x, y = physics.move(robot[VELOCITY], robot[DISTANCE], robot[MAX_VELOCITY],
                                                         robot[OVERDRIVING] != 0.0, robot[HEADING], robot[X],
                                                         robot[Y])
    robot[VELOCITY] = velocity
    robot[DISTANCE] = distance
    robot[OVERDRIVING] = 1.0 if overdriving else 0.0
    if velocity != 0:
        robot[X] = x
        robot[Y] = y
        update_box(robot)


@njit(cache=True, inline="always")
def hit_wall(robot, width, height):
    hit, x, y = physics.hit_wall(robot[X], robot[Y], robot[HEADING], width, height)
    if hit:
        robot[X] = x
        robot[Y] = y
        update_box(robot)
        robot[DISTANCE] = 0.0
        robot[VELOCITY] = 0.0
        robot[STATUS] = HIT_WALL
    return hit


@borrowing
def _robot_collision(world, robots, index, events, nev):
    robot = robots[index]
    robot[RAMMED] = 0.0
    for other_index in range(robots.shape[0]):
        other = robots[other_index]
        if other_index == index or other[STATUS] == DEAD:
            continue
        if not physics.rams(robot[X], robot[Y], robot[BOX_X], robot[BOX_Y], robot[HEADING], robot[VELOCITY], other[X],
                            other[Y], other[BOX_X], other[BOX_Y]):
            continue
        robot[RAMMED] = 1.0
        robot[X], robot[Y] = physics.undo_move(robot[X], robot[Y], robot[HEADING], robot[VELOCITY])
        robot[VELOCITY] = 0.0
        robot[DISTANCE] = 0.0
        _change_energy(world, robot, -rules.RAM_DAMAGE)
        _change_energy(world, other, -rules.RAM_DAMAGE)
        killed = other[ENERGY] == 0 and other[STATUS] != DEAD
        if killed:
            _kill(world, robots, other_index, events, nev)
        _emit(events, nev, EV_RAMMED, world[TIME] + 1.0, float(index), float(other_index),
              1.0 if killed else 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    if robot[RAMMED] != 0.0:
        robot[STATUS] = HIT_ROBOT


@borrowing
def _zap(world, robots, index, events, nev):
    robot = robots[index]
    if robot[ENERGY] == 0:
        _kill(world, robots, index, events, nev)
        return
    robot[ENERGY] = rules.zapped_energy(robot[ENERGY])
    if robot[ENERGY] == 0.0:
        robot[DISTANCE] = 0.0
        robot[TURN] = 0.0


@njit(cache=True)
def _robot_phase(world, robots, draws, cursor, robot_order, events, nev):
    zap = world[INACTIVITY_COUNTER] > world[INACTIVITY_TIME]
    n = robots.shape[0]
    if robot_order.size > 0:
        order = robot_order
    elif draws.size > 0:
        order = shuffled(n, draws, cursor)
    else:
        order = np.arange(n)
    for index in order:
        if index == NOT_A_ROBOT:
            continue
        robot = robots[index]
        if robot[STATUS] == DEAD:
            continue
        robot[STATUS] = ACTIVE
        robot[GUN_HEAT] = max(robot[GUN_HEAT] - world[COOLING_RATE], 0.0)
        if robot[RAMMED] == 0.0:
            turn_body(robot)
        turn_gun(robot)
        move(robot)
        velocity = robot[VELOCITY]
        if hit_wall(robot, world[WIDTH], world[HEIGHT]):
            damage = rules.wall_damage(velocity)
            _store_energy(robot, robot[ENERGY] - damage)
            _emit(events, nev, EV_ROBOT_HIT_WALL, world[TIME] + 1.0, float(index), damage, 0.0, 0.0, 0.0, 0.0,
                  0.0, 0.0)
        _robot_collision(world, robots, index, events, nev)
        if zap and robot[STATUS] != DEAD:
            _zap(world, robots, index, events, nev)


@owning
def step_arrays(robots, bullets, world, commands, draws, cursor, robot_order, bullet_order, events):
    """One turn in place. Returns the number of event rows written, or a negative NO_*_ROOM code (then
    only stopped bullets were dropped: grow the arrays and call again for the same turn).

    draws/cursor: uniform draws for the random order (empty draws: list order); a non-empty robot_order
    (robot indices) or bullet_order (bullet keys, owner * 1e9 + number) is used instead.
    """
    nb = 0
    for s in range(int(world[NBULLETS])):  # drop the bullets that stopped last turn, keeping the order
        if bullets[s, B_STATUS] == MOVING:
            if s != nb:
                for k in range(bullets.shape[1]):  # (element by element: no shape checks to compile)
                    bullets[nb, k] = bullets[s, k]
            nb += 1
    world[NBULLETS] = nb
    n = robots.shape[0]
    if nb + n > bullets.shape[0]:
        return NO_BULLET_ROOM
    if nb + n + EVENTS_PER_TURN > events.shape[0]:
        return NO_EVENT_ROOM
    nev = np.zeros(1, np.int64)
    for index in range(n):
        if robots[index, STATUS] != DEAD:
            _set_commands(robots[index], commands[index])
    _fire_phase(world, robots, bullets, commands, events, nev)
    _bullet_phase(world, robots, bullets, draws, cursor, bullet_order, events, nev)
    _robot_phase(world, robots, draws, cursor, robot_order, events, nev)
    world[INACTIVITY_COUNTER] += 1.0
    world[TIME] += 1.0
    return nev[0]


# -- drop-in for arena.engine.step ----------------------------------------------------------------------
def bullet_key(bullet_id: str) -> float:
    owner, number = bullet_id.split("-")
    return int(owner) * 1e9 + int(number)


def draws_needed(state: BattleState, commands, order: Order | None) -> int:
    """How many uniform draws the reference step takes from its Generator for this turn."""
    moving = sum(b.status.value == "MOVING" for b in state.bullets)
    firing = sum(1 for r, c in zip(state.robots, commands)
                 if c is not None and c.fire is not None and r.alive and not (r.gun_heat > 0 or r.energy == 0))
    n = len(state.robots)
    bullets = 0 if order is not None and order.bullets is not None else max(moving + firing - 1, 0)
    robots = 0 if order is not None and order.robots is not None else n - 1
    return bullets + robots


def step(state: BattleState, commands: list[Commands | None], rng: np.random.Generator | None = None,
         order: Order | None = None):
    """arena.engine.step computed by the compiled engine: the same new state, events and rng use."""
    n = len(state.robots)
    robots, bullets, world = pack_state(state, spare_bullets=n)
    draws = rng.random(draws_needed(state, commands, order)) if rng is not None else np.zeros(0)
    robot_order = np.zeros(0, np.int64)
    bullet_order = np.zeros(0)
    if order is not None and order.robots is not None:
        robot_order = np.array(list(order.robots) or [NOT_A_ROBOT], np.int64)
    if order is not None and order.bullets is not None:
        bullet_order = np.array([bullet_key(b) for b in order.bullets] or [NOT_A_BULLET])
    events = np.zeros((bullets.shape[0] + EVENTS_PER_TURN, EVENT_FIELDS))
    count = step_arrays(robots, bullets, world, pack_commands(commands), draws, np.zeros(1, np.int64),
                        robot_order, bullet_order, events)
    return unpack_state(robots, bullets, world, state), unpack_events(events[:count])
