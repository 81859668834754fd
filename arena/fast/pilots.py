"""The deterministic strategies and the observer's senses, compiled, for arena/fast/battle.py.

Each robot's gun and movement are a row of a `pilots` float array: a kind code, its parameters (read
from the very strategy objects the reference battle builds) and its state. The arithmetic is that of
arena/strategies and arena/observer.py, operation for operation, so the commands come out bit-identical.
Random choices read a buffer pre-drawn from the strategy's own Generator.
"""
from __future__ import annotations

import inspect
import math

from numba import njit

from .. import rules
from ..geometry import normal_relative_angle
from ..rules import bullet_speed
from ..strategies.base import wall_smooth
from ..strategies.circular import predict_intercept
from ..strategies.orbiting import orbit_command
from .borrowing import borrowing
from .layout import (C_AHEAD, C_FIRE, C_MAX_VELOCITY, C_TURN, C_TURN_GUN, DEAD, ENERGY, EV_FIRED, GUN_HEADING,
                     GUN_HEAT, GUN_TURN, HEADING, HEIGHT, STATUS, TIME, VELOCITY, WIDTH, X, Y)
from .pymath import hypot, pymax, pymin
from .waves import add_wave, advance

GUN_NONE, HEAD_ON, LINEAR, CIRCULAR, GF_BINS, KDE, SITUATIONAL, GF_SEGMENTED = range(8)
DUCK, OSCILLATOR, RANDOM_ORBIT, STOP_AND_GO, SURFER, ADAPTIVE_ORBIT, DISTANCE_STOP_GO = range(7)

# pilot columns: parameters, then state
(P_GUN, P_POWER, P_VIRTUAL, P_NBINS, P_MOVE, P_PERIOD, P_PREFERRED, P_FLIP, P_MIN_SPEED, P_STEP,
 P_AIM_DIRECTION, P_LAST_HEADING, P_HAS_LAST_HEADING, P_PEAK, P_MOVE_DIRECTION, P_SPEED, P_SAW_FIRE,
 P_REPLAN, P_PLAN_COUNT, P_PLAN_FIRST, P_PLAN_SECOND, P_PLAN_TIME, P_DANGER, P_DANGER_GRID) = range(24)
# the situation-aware strategies' columns (arena/fast/situational.py): gun parameters and tracker state,
# then the movers' parameters and state
(P_DEPTH, P_SEGMENT, P_TRACK_SPEED, P_TRACK_SINCE_SPEED, P_TRACK_SINCE_REVERSE, P_TRACK_DIRECTION,
 P_NEAR, P_FAR, P_REDRAW, P_WALL_ANGLE, P_SPEED_CHANGE, P_STOP, P_SINCE_WALL_TURN, P_UNTIL,
 P_ROUND_DRAW) = range(24, 39)
P_SELF_TRACK = 39  # surfer-metric: its tracker of itself as the enemy sees it (four columns, as P_TRACK_SPEED's)
PILOT_FIELDS = 43
DRAWS_PER_TICK = 6  # most a movement takes from its Generator in one tick (adaptive-orbit: 1 + 2 + 1 + 2)
DRAWING_MOVEMENTS = (RANDOM_ORBIT, STOP_AND_GO, ADAPTIVE_ORBIT, DISTANCE_STOP_GO)  # those reading move_draws


def _default(function, name):
    return float(inspect.signature(function).parameters[name].default)


ORBIT_SPEED, ORBIT_STEP = _default(orbit_command, "max_velocity"), _default(orbit_command, "distance")


@borrowing
def learns_from_windows(p):
    """Does this robot's gun read hit windows (so its observer must track its waves)?"""
    return p[P_GUN] == GF_BINS or p[P_GUN] == KDE or p[P_GUN] == SITUATIONAL or p[P_GUN] == GF_SEGMENTED


@borrowing
def draws_randoms(p):
    """Does this robot's movement read uniforms from its move_draws buffer?"""
    for kind in DRAWING_MOVEMENTS:
        if p[P_MOVE] == kind:
            return True
    return False


# -- movements (strategies/base.py, orbiting.py and the movements) ---------------------------------------
@njit(cache=True, inline="always")
def orbit(cmd, me, enemy, direction, width, height, preferred, max_velocity, distance):
    """orbiting.orbit: drive around the enemy (clockwise for +1), off the walls; stand still once it is dead."""
    if enemy[STATUS] == DEAD:
        cmd[C_AHEAD] = 0.0
        return
    away = math.atan2(me[X] - enemy[X], me[Y] - enemy[Y])
    gap = hypot(me[X] - enemy[X], me[Y] - enemy[Y])
    lean = pymax(-1.0, pymin(0.5, (gap - preferred) / preferred))
    angle = away + direction * (math.pi / 2 + lean)
    angle = wall_smooth(me[X], me[Y], angle, direction, width, height)
    turn = normal_relative_angle(angle - me[HEADING])
    if abs(turn) > math.pi / 2:
        turn = normal_relative_angle(turn + math.pi)
        distance = -distance
    cmd[C_AHEAD] = distance
    cmd[C_TURN] = turn
    cmd[C_MAX_VELOCITY] = max_velocity


@borrowing
def move_act(p, cmd, me, enemy, world, draws, side):
    """Movement.act for this robot's movement kind (a surfer's direction was planned before the tick)."""
    kind = p[P_MOVE]
    if kind == OSCILLATOR:
        direction = 1.0 if (int(world[TIME]) // int(p[P_PERIOD])) % 2 == 0 else -1.0
        orbit(cmd, me, enemy, direction, world[WIDTH], world[HEIGHT], p[P_PREFERRED], ORBIT_SPEED, ORBIT_STEP)
    elif kind == RANDOM_ORBIT:
        if draws[side.move_cursor] < p[P_FLIP]:
            p[P_MOVE_DIRECTION] = -p[P_MOVE_DIRECTION]
            # Generator.uniform(min_speed, MAX_VELOCITY)
            p[P_SPEED] = p[P_MIN_SPEED] + (rules.MAX_VELOCITY - p[P_MIN_SPEED]) * draws[side.move_cursor + 1]
            side.move_cursor += 1
        side.move_cursor += 1
        orbit(cmd, me, enemy, p[P_MOVE_DIRECTION], world[WIDTH], world[HEIGHT], p[P_PREFERRED], p[P_SPEED],
              ORBIT_STEP)
    elif kind == STOP_AND_GO and p[P_SAW_FIRE] != 0.0:
        if draws[side.move_cursor] < 0.5:
            p[P_MOVE_DIRECTION] = -p[P_MOVE_DIRECTION]
        side.move_cursor += 1
        orbit(cmd, me, enemy, p[P_MOVE_DIRECTION], world[WIDTH], world[HEIGHT], p[P_PREFERRED], ORBIT_SPEED, p[P_STEP])
    elif kind == SURFER:
        surf_command(p, cmd, me, enemy, world)


@borrowing
def surf_command(p, cmd, me, enemy, world):
    """Surfer.command for the planned option (stop for 0), or Surfer.act's stand-still once the enemy is dead."""
    if enemy[STATUS] == DEAD or p[P_MOVE_DIRECTION] == 0.0:
        cmd[C_AHEAD] = 0.0
        if enemy[STATUS] != DEAD:
            cmd[C_TURN] = 0.0
        return
    orbit(cmd, me, enemy, p[P_MOVE_DIRECTION], world[WIDTH], world[HEIGHT], p[P_PREFERRED], ORBIT_SPEED, ORBIT_STEP)


# -- guns (strategies/head_on.py, circular.py, gf_bins.py, kde.py, aiming.py) ----------------------------
@borrowing
def _frame_angle(p, sx, sy, enemy, gf):
    """aiming.shot_frame(...).angle(gf), keeping the last lateral direction for a stopped enemy."""
    direct = math.atan2(enemy[X] - sx, enemy[Y] - sy)
    lateral = enemy[VELOCITY] * math.sin(enemy[HEADING] - direct)
    if lateral != 0:
        p[P_AIM_DIRECTION] = 1.0 if lateral > 0 else -1.0
    mea = math.asin(rules.MAX_VELOCITY / bullet_speed(p[P_POWER]))  # waves.max_escape_angle
    return direct + gf * p[P_AIM_DIRECTION] * mea


@borrowing
def _learn_bins(bins, edges, windows, nwin):
    """GFBinsGun.learn: spread one unit over the bins each window covers, by overlap."""
    for k in range(nwin):
        a, b = pymax(windows[k, 0], -1.0), pymin(windows[k, 1], 1.0)
        if b <= a:
            continue
        for j in range(bins.size):
            overlap = pymin(edges[j + 1], b) - pymax(edges[j], a)
            bins[j] += (overlap if overlap > 0.0 else 0.0) / (b - a)


@borrowing
def _fullest_centre(bins, centres):
    """GFBins' `centres[argmax(bins)] if bins.any() else 0.0`, as a loop (np.argmax's first maximum; the
    counts are never NaN): array expressions would allocate."""
    fullest, nonzero = 0, bins[0] != 0.0
    for j in range(1, bins.size):
        nonzero = nonzero or bins[j] != 0.0
        if bins[j] > bins[fullest]:
            fullest = j
    return centres[fullest] if nonzero else 0.0


@borrowing
def _aim(p, me, enemy, world, bins, centres):
    kind = p[P_GUN]
    sx = me[X] + me[VELOCITY] * math.sin(me[HEADING])  # base.next_position
    sy = me[Y] + me[VELOCITY] * math.cos(me[HEADING])
    if kind == HEAD_ON:
        return math.atan2(enemy[X] - sx, enemy[Y] - sy)
    if kind == LINEAR or kind == CIRCULAR:
        turn = 0.0
        if kind == CIRCULAR and p[P_HAS_LAST_HEADING] != 0.0:
            turn = normal_relative_angle(enemy[HEADING] - p[P_LAST_HEADING])
        p[P_LAST_HEADING] = enemy[HEADING]
        p[P_HAS_LAST_HEADING] = 1.0
        x, y = predict_intercept(sx, sy, enemy[X], enemy[Y], enemy[HEADING], enemy[VELOCITY], turn,
                                  bullet_speed(p[P_POWER]), world[WIDTH], world[HEIGHT])
        return math.atan2(x - sx, y - sy)
    if kind == GF_BINS:
        return _frame_angle(p, sx, sy, enemy, _fullest_centre(bins, centres))
    return _frame_angle(p, sx, sy, enemy, p[P_PEAK])  # KDE: the peak the learner found


@borrowing
def gun_act(p, cmd, me, enemy, world, bins, edges, centres, windows, nwin):
    """Gun.act: learn (gf-bins; the KDE guns' learner has run before), fire if ready, aim for next tick.
    (The situation-aware guns act in arena/fast/situational.py.)"""
    if p[P_GUN] == GUN_NONE or p[P_GUN] == SITUATIONAL or p[P_GUN] == GF_SEGMENTED:
        return
    if p[P_GUN] == GF_BINS:
        _learn_bins(bins, edges, windows, nwin)
    if enemy[STATUS] == DEAD:
        return
    ready = me[GUN_HEAT] == 0 and abs(me[GUN_TURN]) < 1e-9 and me[ENERGY] > 0
    angle = _aim(p, me, enemy, world, bins, centres)
    cmd[C_TURN_GUN] = normal_relative_angle(angle - me[GUN_HEADING])
    if ready:
        cmd[C_FIRE] = p[P_POWER]


# -- senses (observer.py; enemy fire and the enemy's waves: surfing.py) ------------------------------
@borrowing
def track_waves(i, p, robots, prev, world, events, nev, waves, nwaves, windows, nwin):
    """Observer.observe for the robot's own waves: add fired (and virtual) waves, advance, collect windows.

    Returns the new (wave count, window count).
    """
    me, enemy, prev_enemy = robots[i], robots[1 - i], prev[1 - i]
    now = world[TIME]
    if prev_enemy[STATUS] != DEAD:
        for k in range(nev):
            ev = events[k]
            if ev[0] == EV_FIRED and ev[2] == i:
                nwaves = add_wave(waves, nwaves, ev[4], ev[5], prev_enemy[X], prev_enemy[Y], prev_enemy[HEADING],
                                  prev_enemy[VELOCITY], now - 1.0, ev[7])
        nwaves, nwin = advance(waves, nwaves, now, prev_enemy[X], prev_enemy[Y], windows, nwin)
    if not math.isnan(p[P_VIRTUAL]) and enemy[STATUS] != DEAD and me[STATUS] != DEAD:
        nwaves = add_wave(waves, nwaves, me[X], me[Y], enemy[X], enemy[Y], enemy[HEADING], enemy[VELOCITY], now,
                          p[P_VIRTUAL])
    return nwaves, nwin

