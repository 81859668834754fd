"""The turn step of arena/engine.py compiled with numba, on packed arrays (arena/fast/layout.py).

The same phases in the same order with the same float operations, so states come out bit-identical to
the reference `arena.engine.step` (the tests compare the two). The random update order reads uniform
draws from a buffer pre-drawn from the same Generator (Generator.random(size=k) yields the numbers k
single random() calls would), through a cursor. `step` at the bottom is a drop-in for the reference
step on BattleState objects, for tests and conformance replays; battles use `step_arrays` directly.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .. import rules
from ..engine import Order
from ..state import BattleState, Commands
from .layout import (ACTIVE, B_HAS_PREV, B_HEADING, B_NUMBER, B_OWNER, B_POWER, B_PREV_X, B_PREV_Y, B_STATUS,
                     B_VICTIM, B_X, B_Y, BOX_X, BOX_Y, BULLET_HIT_WALL, C_AHEAD, C_FIRE, C_MAX_VELOCITY, C_TURN,
                     C_TURN_GUN, COOLING_RATE, DEAD, DISTANCE, ENERGY, EV_BULLET_HIT_WALL, EV_DIED, EV_FIRED,
                     EV_HIT_BULLET, EV_HIT_ROBOT, EV_RAMMED, EV_ROBOT_HIT_WALL, EVENT_FIELDS, EVENTS_PER_TURN, FIRED,
                     GUN_HEADING, GUN_HEAT, GUN_TURN, HEADING, HEIGHT, HIT_BULLET, HIT_ROBOT, HIT_VICTIM, HIT_WALL,
                     INACTIVITY_COUNTER, INACTIVITY_ENERGY, INACTIVITY_TIME, MAX_VELOCITY, MOVING, NBULLETS,
                     OVERDRIVING, RAMMED, STATUS, TIME, TURN, VELOCITY, WIDTH, X, Y, pack_commands, pack_state,
                     unpack_events, unpack_state)
from .pymath import (HALF_PI, is_near, normal_absolute_angle, normal_near_absolute_angle, normal_relative_angle,
                     pymax, pymin)

TOP_SPEED = rules.MAX_VELOCITY
MAX_TURN_RATE = rules.MAX_TURN_RATE
GUN_TURN_RATE = rules.GUN_TURN_RATE
ROBOT_SIZE = rules.ROBOT_SIZE
HALF_SIZE = rules.HALF_SIZE
RAM_DAMAGE = rules.RAM_DAMAGE
INACTIVITY_ZAP = rules.INACTIVITY_ZAP

# step_arrays results below zero: the arrays were too small for this turn (see step_arrays)
NO_BULLET_ROOM = -1
NO_EVENT_ROOM = -2
NOT_A_ROBOT, NOT_A_BULLET = -1, -1.0  # stand for an explicit but empty order (empty arrays: no order given)


# -- rules.py ------------------------------------------------------------------------------------------
@njit(cache=True)
def clamp_power(power):
    return pymin(pymax(power, 0.1), 3.0)


@njit(cache=True)
def bullet_speed(power):
    return 20.0 - 3.0 * clamp_power(power)


@njit(cache=True)
def _max_velocity_for(distance):
    k = np.ceil((math.sqrt(4.0 * distance + 1.0) - 1.0) / 2.0)  # Python's ceil gives an int of the same value
    k = pymax(1.0, k)
    if k == math.inf:
        return TOP_SPEED
    return (k - 1.0) * 2.0 + (distance - (k / 2.0) * (k - 1.0) * 2.0) / k


@njit(cache=True)
def _max_decel(speed):
    decel_time = speed / 2.0
    return pymin(1.0, decel_time) * 2.0 + pymax(0.0, 1.0 - decel_time) * 1.0


@njit(cache=True)
def _forward_velocity(velocity, distance, max_velocity):
    if distance == math.inf:
        goal = max_velocity
    else:
        goal = pymin(_max_velocity_for(distance), max_velocity)
    if velocity >= 0:
        return pymax(velocity - 2.0, pymin(goal, velocity + 1.0))
    return pymax(velocity - 1.0, pymin(goal, velocity + _max_decel(-velocity)))


@njit(cache=True)
def new_velocity(velocity, distance, max_velocity):
    if distance < 0:
        return -_forward_velocity(-velocity, -distance, max_velocity)
    return _forward_velocity(velocity, distance, max_velocity)


@njit(cache=True)
def stopping_distance(speed):
    distance = 0.0
    speed = abs(speed)
    while speed > 0:
        speed = new_velocity(speed, 0.0, TOP_SPEED)
        distance += speed
    return distance


@njit(cache=True)
def turn_rate(velocity):
    return pymin(MAX_TURN_RATE, (0.4 + 0.6 * (1.0 - abs(velocity) / TOP_SPEED)) * MAX_TURN_RATE)


# -- geometry.py -----------------------------------------------------------------------------------------
@njit(cache=True)
def _outcode(px, py, x0, y0, x1, y1):
    code = 0
    if px < x0:
        code |= 1
    elif px > x1:
        code |= 4
    if py < y0:
        code |= 2
    elif py > y1:
        code |= 8
    return code


@njit(cache=True)
def segment_touches_box(ax, ay, bx, by, x0, y0, x1, y1):
    out2 = _outcode(bx, by, x0, y0, x1, y1)
    if out2 == 0:
        return True
    while True:
        out1 = _outcode(ax, ay, x0, y0, x1, y1)
        if out1 == 0:
            return True
        if out1 & out2:
            return False
        if out1 & 5:
            x = x1 if out1 & 4 else x0
            ay = ay + (x - ax) * (by - ay) / (bx - ax)
            ax = x
        else:
            y = y1 if out1 & 8 else y0
            ax = ax + (y - ay) * (bx - ax) / (by - ay)
            ay = y


@njit(cache=True)
def _relative_ccw(x1, y1, x2, y2, px, py):
    x2 -= x1
    y2 -= y1
    px -= x1
    py -= y1
    ccw = px * y2 - py * x2
    if ccw == 0.0:
        ccw = px * x2 + py * y2
        if ccw > 0.0:
            px -= x2
            py -= y2
            ccw = px * x2 + py * y2
            if ccw < 0.0:
                ccw = 0.0
    return -1 if ccw < 0.0 else (1 if ccw > 0.0 else 0)


@njit(cache=True)
def segments_intersect(x1, y1, x2, y2, x3, y3, x4, y4):
    return (_relative_ccw(x1, y1, x2, y2, x3, y3) * _relative_ccw(x1, y1, x2, y2, x4, y4) <= 0
            and _relative_ccw(x3, y3, x4, y4, x1, y1) * _relative_ccw(x3, y3, x4, y4, x2, y2) <= 0)


@njit(cache=True)
def boxes_overlap(ax, ay, bx, by):
    return bx + ROBOT_SIZE > ax and by + ROBOT_SIZE > ay and bx < ax + ROBOT_SIZE and by < ay + ROBOT_SIZE


# -- events and energy -------------------------------------------------------------------------------------
@njit(cache=True)
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


@njit(cache=True)
def _count_loss(world, loss):
    if loss < 0:
        return
    world[INACTIVITY_ENERGY] += loss
    while world[INACTIVITY_ENERGY] >= 10:
        world[INACTIVITY_ENERGY] -= 10
        world[INACTIVITY_COUNTER] = 0.0


@njit(cache=True)
def _store_energy(robot, energy):
    """set_energy without counting the loss (wall damage): a robot under 0.01 is disabled and stops."""
    robot[ENERGY] = energy
    if robot[ENERGY] < 0.01:
        robot[ENERGY] = 0.0
        robot[DISTANCE] = 0.0
        robot[TURN] = 0.0


@njit(cache=True)
def _change_energy(world, robot, delta):
    energy = robot[ENERGY] + delta
    if robot[ENERGY] != energy:
        _count_loss(world, robot[ENERGY] - energy)
    _store_energy(robot, energy)


@njit(cache=True)
def _kill(world, robots, index, events, nev):
    robot = robots[index]
    _count_loss(world, 10.0)
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


@njit(cache=True)
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
@njit(cache=True)
def _set_commands(robot, cmd):
    if robot[ENERGY] != 0.0:
        if not math.isnan(cmd[C_AHEAD]):
            robot[DISTANCE] = cmd[C_AHEAD]
        if not math.isnan(cmd[C_TURN]):
            robot[TURN] = cmd[C_TURN]
    if not math.isnan(cmd[C_MAX_VELOCITY]):
        robot[MAX_VELOCITY] = pymin(abs(cmd[C_MAX_VELOCITY]), TOP_SPEED)
    if not math.isnan(cmd[C_TURN_GUN]):
        robot[GUN_TURN] = cmd[C_TURN_GUN]


@njit(cache=True)
def _fire_phase(world, robots, bullets, commands, events, nev):
    now = world[TIME] + 1.0
    for index in range(robots.shape[0]):
        robot = robots[index]
        fire = commands[index, C_FIRE]
        if math.isnan(fire) or robot[STATUS] == DEAD:
            continue
        if robot[GUN_HEAT] > 0 or robot[ENERGY] == 0:
            continue
        power = pymin(robot[ENERGY], clamp_power(fire))
        _change_energy(world, robot, -power)
        robot[GUN_HEAT] += 1.0 + power / 5.0
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


@njit(cache=True)
def _bullet_hits_robot(world, robots, b, events, nev):
    now = world[TIME] + 1.0
    owner = int(b[B_OWNER])
    for index in range(robots.shape[0]):
        robot = robots[index]
        if index == owner or robot[STATUS] == DEAD:
            continue
        if not segment_touches_box(b[B_PREV_X], b[B_PREV_Y], b[B_X], b[B_Y], robot[BOX_X], robot[BOX_Y],
                                   robot[BOX_X] + ROBOT_SIZE, robot[BOX_Y] + ROBOT_SIZE):
            continue
        power = b[B_POWER]
        damage = 4.0 * power + 2.0 * pymax(power - 1.0, 0.0)
        scored = pymin(damage, robot[ENERGY])
        _change_energy(world, robot, -damage)
        if robots[owner, STATUS] != DEAD:
            _change_energy(world, robots[owner], 3.0 * power)
        b[B_STATUS] = HIT_VICTIM
        b[B_VICTIM] = index
        _emit(events, nev, EV_HIT_ROBOT, now, b[B_NUMBER], float(owner), float(index), power, scored, b[B_HEADING],
              b[B_X], b[B_Y])
        if robot[ENERGY] <= 0 and robot[STATUS] != DEAD:
            _kill(world, robots, index, events, nev)
        return True
    return False


@njit(cache=True)
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


@njit(cache=True)
def _bullet_phase(world, robots, bullets, draws, cursor, bullet_order, events, nev):
    order = _bullet_order(bullets, int(world[NBULLETS]), draws, cursor, bullet_order)
    for s in order:
        b = bullets[s]
        if b[B_STATUS] != MOVING:
            continue
        speed = bullet_speed(b[B_POWER])
        b[B_PREV_X] = b[B_X]
        b[B_PREV_Y] = b[B_Y]
        b[B_HAS_PREV] = 1.0
        b[B_X] += speed * math.sin(b[B_HEADING])
        b[B_Y] += speed * math.cos(b[B_HEADING])
        if b[B_X] - 3 <= 0 or b[B_Y] - 3 <= 0 or b[B_X] + 3 >= world[WIDTH] or b[B_Y] + 3 >= world[HEIGHT]:
            b[B_STATUS] = BULLET_HIT_WALL
            _emit(events, nev, EV_BULLET_HIT_WALL, world[TIME] + 1.0, b[B_NUMBER], b[B_OWNER], 0.0, 0.0, 0.0, 0.0,
                  0.0, 0.0)
            continue
        if _bullet_hits_robot(world, robots, b, events, nev):
            continue
        _bullet_hits_bullet(world, bullets, s, order, events, nev)


@njit(cache=True)
def update_box(robot):
    robot[BOX_X] = (robot[X] - 20.0) + 2.0
    robot[BOX_Y] = (robot[Y] - 20.0) + 2.0


@njit(cache=True)
def turn_body(robot):
    remaining = robot[TURN]
    if remaining == 0:
        return
    rate = turn_rate(robot[VELOCITY])
    if remaining > 0:
        step_ = remaining if remaining < rate else rate
    else:
        step_ = remaining if remaining > -rate else -rate
    robot[HEADING] += step_
    robot[GUN_HEADING] += step_
    robot[TURN] = 0.0 if step_ == remaining else remaining - step_
    robot[GUN_TURN] -= step_
    if robot[TURN] == 0:
        robot[HEADING] = normal_near_absolute_angle(robot[HEADING])
    else:
        robot[HEADING] = normal_absolute_angle(robot[HEADING])


@njit(cache=True)
def turn_gun(robot):
    remaining = robot[GUN_TURN]
    rate = GUN_TURN_RATE
    if remaining > 0:
        if remaining < rate:
            robot[GUN_HEADING] += remaining
            robot[GUN_TURN] = 0.0
        else:
            robot[GUN_HEADING] += rate
            robot[GUN_TURN] = remaining - rate
    elif remaining < 0:
        if remaining > -rate:
            robot[GUN_HEADING] += remaining
            robot[GUN_TURN] = 0.0
        else:
            robot[GUN_HEADING] -= rate
            robot[GUN_TURN] = remaining + rate
    robot[GUN_HEADING] = normal_absolute_angle(robot[GUN_HEADING])


@njit(cache=True)
def move(robot):
    distance = robot[DISTANCE]
    robot[VELOCITY] = new_velocity(robot[VELOCITY], distance, robot[MAX_VELOCITY])
    if is_near(robot[VELOCITY], 0.0) and robot[OVERDRIVING] != 0.0:
        robot[DISTANCE] = distance = 0.0
        robot[OVERDRIVING] = 0.0
    if not distance * robot[VELOCITY] < 0:
        robot[OVERDRIVING] = 1.0 if stopping_distance(robot[VELOCITY]) > abs(distance) else 0.0
    robot[DISTANCE] = distance - robot[VELOCITY]
    if robot[VELOCITY] != 0:
        robot[X] += robot[VELOCITY] * math.sin(robot[HEADING])
        robot[Y] += robot[VELOCITY] * math.cos(robot[HEADING])
        update_box(robot)


@njit(cache=True)
def hit_wall(robot, width, height):
    lo = HALF_SIZE
    hi_x = int(width) - HALF_SIZE
    hi_y = int(height) - HALF_SIZE
    fix_x = 0.0
    fix_y = 0.0
    if robot[X] < lo:
        fix_x = lo - robot[X]
    elif robot[X] > hi_x:
        fix_x = hi_x - robot[X]
    elif robot[Y] < lo:
        fix_y = lo - robot[Y]
    elif robot[Y] > hi_y:
        fix_y = hi_y - robot[Y]
    else:
        return False
    if np.fmod(robot[HEADING], HALF_PI) != 0:
        tan_h = math.tan(robot[HEADING])
        if fix_x == 0:
            fix_x = fix_y * tan_h
        elif fix_y == 0:
            fix_y = fix_x / tan_h
    robot[X] += fix_x
    robot[Y] += fix_y
    robot[X] = lo if lo >= robot[X] else (hi_x if hi_x < robot[X] else robot[X])
    robot[Y] = lo if lo >= robot[Y] else (hi_y if hi_y < robot[Y] else robot[Y])
    update_box(robot)
    robot[DISTANCE] = 0.0
    robot[VELOCITY] = 0.0
    robot[STATUS] = HIT_WALL
    return True


@njit(cache=True)
def _robot_collision(world, robots, index, events, nev):
    robot = robots[index]
    robot[RAMMED] = 0.0
    for other_index in range(robots.shape[0]):
        other = robots[other_index]
        if other_index == index or other[STATUS] == DEAD:
            continue
        if not boxes_overlap(robot[BOX_X], robot[BOX_Y], other[BOX_X], other[BOX_Y]):
            continue
        angle = math.atan2(other[X] - robot[X], other[Y] - robot[Y])
        moved_x = robot[VELOCITY] * math.sin(robot[HEADING])
        moved_y = robot[VELOCITY] * math.cos(robot[HEADING])
        bearing = normal_relative_angle(angle - robot[HEADING])
        v = robot[VELOCITY]
        if not ((v > 0 and -HALF_PI < bearing < HALF_PI) or (v < 0 and (bearing < -HALF_PI or bearing > HALF_PI))):
            continue
        robot[RAMMED] = 1.0
        robot[VELOCITY] = 0.0
        robot[DISTANCE] = 0.0
        robot[X] -= moved_x
        robot[Y] -= moved_y
        _change_energy(world, robot, -RAM_DAMAGE)
        _change_energy(world, other, -RAM_DAMAGE)
        killed = other[ENERGY] == 0 and other[STATUS] != DEAD
        if killed:
            _kill(world, robots, other_index, events, nev)
        _emit(events, nev, EV_RAMMED, world[TIME] + 1.0, float(index), float(other_index),
              1.0 if killed else 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    if robot[RAMMED] != 0.0:
        robot[STATUS] = HIT_ROBOT


@njit(cache=True)
def _zap(world, robots, index, events, nev):
    robot = robots[index]
    if robot[ENERGY] == 0:
        _kill(world, robots, index, events, nev)
        return
    robot[ENERGY] -= INACTIVITY_ZAP
    if robot[ENERGY] < 0.1:
        robot[ENERGY] = 0.0
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
        robot[GUN_HEAT] = pymax(robot[GUN_HEAT] - world[COOLING_RATE], 0.0)
        if robot[RAMMED] == 0.0:
            turn_body(robot)
        turn_gun(robot)
        move(robot)
        velocity = robot[VELOCITY]
        if hit_wall(robot, world[WIDTH], world[HEIGHT]):
            damage = pymax(abs(velocity) / 2.0 - 1.0, 0.0)
            _store_energy(robot, robot[ENERGY] - damage)
            _emit(events, nev, EV_ROBOT_HIT_WALL, world[TIME] + 1.0, float(index), damage, 0.0, 0.0, 0.0, 0.0,
                  0.0, 0.0)
        _robot_collision(world, robots, index, events, nev)
        if zap and robot[STATUS] != DEAD:
            _zap(world, robots, index, events, nev)


@njit(cache=True)
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
