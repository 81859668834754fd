"""The surfers (arena/strategies/surfer.py) and the enemy-fire senses (arena/observer.py) compiled.

A surfer robot keeps the enemy's detected waves as rows (arena/fast/waves.py layout). Each tick it
learns from the enemy bullets that hit it (each window is queued, then fed to its danger model), and,
when it re-plans, predicts its path for each option with the engine's own row-level movement functions
and finds each surfed wave's GF window. The danger of a window is the danger model's `mass`, computed by
the very functions the reference models call (arena/strategies/danger.py, the learner's compiled state
functions); totals and the choice are made here, in the reference's order.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit

from .. import rules
from ..geometry import bearing_offset
from ..rules import bullet_speed
from ..strategies import danger
from ..strategies.surfer import OPTIONS, SURFED_WAVES
from .borrowing import borrowing
from .engine import _set_commands, hit_wall, move, turn_body, update_box
from .layout import (ACTIVE, C_AHEAD, C_TURN, DEAD, ENERGY, EV_HIT_ROBOT, EV_RAMMED, FIRED, HEADING, HEIGHT,
                     MAX_VELOCITY, OVERDRIVING, RAMMED, STATUS, TIME, VELOCITY, WIDTH, X, Y)
from .learners import kde_mass, observe_windows, state_of
from .pilots import (ORBIT_SPEED, ORBIT_STEP, P_MOVE_DIRECTION, P_PLAN_COUNT, P_PLAN_FIRST, P_PLAN_SECOND, P_PLAN_TIME,
                     P_PREFERRED, P_REPLAN, orbit)
from .pymath import hypot, pymax, pymin, squares_order
from ..waves import tick_window
from .waves import (W_DIRECT, W_DIRECTION, W_FIRE_TIME, W_HI, W_LO, W_MEA, W_SPEED, W_SX, W_SY, WAVE_FIELDS, add_wave,
                    advance)

MIN_DROP = rules.MIN_POWER - 1e-9  # observer.detect_enemy_fire's range for a shot
MAX_DROP = rules.MAX_POWER + 1e-9
NOPTIONS = len(OPTIONS)
MAX_HORIZON = 200  # prediction.ticks_to_pass's cap
PASS_MARGIN = 26.0  # prediction's bound on the box's half diagonal
# a surfer's act in the loop: not begun this tick, or done
PLAN_IDLE, PLAN_DONE = range(2)
# danger models: the KDE learner (learned or equal weights), the bins, the learned metric (metric_surfing.py)
DANGER_KDE, DANGER_BINS, DANGER_METRIC = 0.0, 1.0, 2.0
ADD_FIELDS = 4  # a queued hit window: a, b, then its wave's fire time and bullet speed
ADD_FIRE_TIME, ADD_SPEED = 2, 3
bin_fractions = njit(cache=True)(danger.bin_fractions)
weighted_mass = njit(cache=True)(danger.weighted_mass)


@borrowing
def detect_enemy_fire(prev_enemy, enemy, events, nev, me):
    """observer.detect_enemy_fire: the power of a shot inferred from the enemy's energy drop, else NaN."""
    if enemy[STATUS] == DEAD:
        return math.nan
    drop = prev_enemy[ENERGY] - enemy[ENERGY]
    for k in range(nev):
        ev = events[k]
        if ev[0] == EV_HIT_ROBOT:
            if ev[3] == me:
                drop -= ev[6]
            else:
                drop += 3.0 * ev[5]  # rules.bullet_hit_bonus
        elif ev[0] == EV_RAMMED:
            drop -= rules.RAM_DAMAGE
    if enemy[VELOCITY] == 0 and abs(prev_enemy[VELOCITY]) > rules.DECELERATION:
        drop -= pymax(abs(prev_enemy[VELOCITY]) / 2.0 - 1.0, 0.0)  # rules.wall_damage
    return drop if MIN_DROP <= drop <= MAX_DROP else math.nan


@borrowing
def track_enemy_waves(i, robots, prev, world, events, nev, waves, n, passed, scratch):
    """Observer.observe's enemy tracker: add a detected shot's wave, advance the waves past our box of
    last tick. The waves that passed with a window (the observation's enemy_breaks) are copied to
    `passed`. Returns (wave count, passed count)."""
    prev_me, prev_enemy = prev[i], prev[1 - i]
    now = world[TIME]
    power = detect_enemy_fire(prev_enemy, robots[1 - i], events, nev, float(i))
    if not math.isnan(power):
        n = add_wave(waves, n, prev_enemy[X], prev_enemy[Y], prev_me[X], prev_me[Y], prev_me[HEADING],
                     prev_me[VELOCITY], now - 1.0, power)
    for k in range(n):
        for f in range(WAVE_FIELDS):
            passed[k, f] = waves[k, f]
    before = n
    n, _ = advance(waves, n, now, prev_me[X], prev_me[Y], scratch, 0)
    npassed, kept = 0, 0
    for k in range(before):  # at most one wave per fire time: the dropped ones are those advance did not keep
        if kept < n and waves[kept, W_FIRE_TIME] == passed[k, W_FIRE_TIME]:
            kept += 1
        elif passed[k, W_LO] <= passed[k, W_HI]:  # (a wave cannot get its first window the tick it passes)
            for f in range(WAVE_FIELDS):
                passed[npassed, f] = passed[k, f]
            npassed += 1
    return n, npassed


@njit(cache=True, inline="always")
def _radius(fire_time, speed, tick):
    """Wave.radius."""
    return (tick - fire_time) * speed


@njit(cache=True, inline="always")
def _mismatch(w, now, x, y):
    return abs(_radius(w[W_FIRE_TIME], w[W_SPEED], now) - hypot(x - w[W_SX], y - w[W_SY]))


@borrowing
def learn_hits(i, world, events, nev, waves, n, passed, npassed, adds, nadds):
    """Surfer.learn: each enemy bullet that hit us gives the GF window of our box on its wave (queued in
    `adds` for the danger model, with the wave's fire time and speed). Returns the new queue length."""
    now = world[TIME]
    for k in range(nev):
        ev = events[k]
        if ev[0] != EV_HIT_ROBOT or ev[4] != i:
            continue
        speed = bullet_speed(ev[5])
        x, y = ev[8], ev[9]
        best, best_mismatch, from_passed = -1, 0.0, False
        for source in range(2):  # Surfer._wave_of: the active waves, then this tick's breaks
            rows, count = (waves, n) if source == 0 else (passed, npassed)
            for j in range(count):
                m = _mismatch(rows[j], now, x, y)
                if abs(rows[j, W_SPEED] - speed) < 1e-6 and m < 1.0 and (best < 0 or m < best_mismatch):
                    best, best_mismatch, from_passed = j, m, source == 1
        if best < 0:
            continue
        w = passed[best] if from_passed else waves[best]
        gf = bearing_offset(ev[7], w[W_DIRECT]) * w[W_DIRECTION] / w[W_MEA]  # waves.gf_of_angle
        half = math.atan2(rules.HALF_SIZE, hypot(x - w[W_SX], y - w[W_SY])) / w[W_MEA]
        adds[nadds, 0] = gf - half
        adds[nadds, 1] = gf + half
        adds[nadds, ADD_FIRE_TIME] = w[W_FIRE_TIME]
        adds[nadds, ADD_SPEED] = w[W_SPEED]
        nadds += 1
    return nadds


@njit(cache=True, inline="always")
def time_to_impact(w, me, now):
    """Surfer._time_to_impact."""
    return (hypot(me[X] - w[W_SX], me[Y] - w[W_SY]) - _radius(w[W_FIRE_TIME], w[W_SPEED], now)) / w[W_SPEED]


@njit(cache=True, inline="always")
def _ticks_to_pass(w, now, x, y):
    """prediction.ticks_to_pass."""
    gap = hypot(x - w[W_SX], y - w[W_SY]) + PASS_MARGIN - _radius(w[W_FIRE_TIME], w[W_SPEED], now)
    return max(1, min(MAX_HORIZON, math.ceil(gap / pymax(w[W_SPEED] - rules.MAX_VELOCITY, 1.0)) + 2))


@borrowing
def _start_prediction(sim, me):
    """prediction.robot_from_view: our state, with what a bot cannot see of itself at the Robot defaults."""
    for k in range(sim.size):
        sim[k] = me[k]
    sim[MAX_VELOCITY] = rules.MAX_VELOCITY
    sim[OVERDRIVING] = 0.0
    sim[RAMMED] = 0.0
    sim[FIRED] = 0.0
    sim[STATUS] = ACTIVE
    update_box(sim)


@njit(cache=True, inline="always")
def _predict_tick(sim, enemy, option, preferred, width, height, cmd):
    """One turn of prediction.predict_path, steered by Surfer.command(option)."""
    for k in range(cmd.size):
        cmd[k] = np.nan
    if option == 0:
        cmd[C_AHEAD] = 0.0
        cmd[C_TURN] = 0.0
    else:
        orbit(cmd, sim, enemy, option, width, height, preferred, ORBIT_SPEED, ORBIT_STEP)
    _set_commands(sim, cmd)
    turn_body(sim)
    move(sim)
    hit_wall(sim, width, height)


@njit(cache=True, inline="always")
def _window_step(waves, r, now, k, x, y, windows, j):
    """One position of prediction.predicted_window's loop: the k-th predicted position (0: now) grows wave
    row r's window [windows[j, 0], windows[j, 1]]; returns False once the wave is past (the loop's break).
    (Rows and windows by index, not as views: each view costs the loop two reference-count calls.)"""
    tick = now + k + 1
    fire, speed, sx, sy = waves[r, W_FIRE_TIME], waves[r, W_SPEED], waves[r, W_SX], waves[r, W_SY]
    if tick <= fire:
        return True
    radius, dx, dy = _radius(fire, speed, tick), x - sx, y - sy
    if radius < max(abs(dx), abs(dy)) - PASS_MARGIN:  # (hypot >= either side, so the same answer, cheaper)
        return True
    if _short_of(radius, dx, dy):
        return True
    found, a, b = tick_window(sx, sy, fire, speed, waves[r, W_DIRECT], waves[r, W_DIRECTION], waves[r, W_MEA], tick,
                              x, y)  # waves.tick_gf_interval
    if found:
        windows[j, 0], windows[j, 1] = pymin(windows[j, 0], a), pymax(windows[j, 1], b)
    elif windows[j, 0] <= windows[j, 1] and _radius(fire, speed, tick - 1) > hypot(dx, dy):
        return False
    return True


@njit(cache=True, inline="always")
def _short_of(radius, dx, dy):
    """predicted_window's `radius < hypot(dx, dy) - PASS_MARGIN` (radius >= 0), by pymath.squares_order on
    radius + PASS_MARGIN where it decides (else as the reference does): the same answer, mostly without hypot."""
    order = squares_order(radius + PASS_MARGIN, dx, dy)
    if order != 0:
        return order < 0
    return radius < hypot(dx, dy) - PASS_MARGIN


@borrowing
def _option_windows(waves, surfed, count, now, me, enemy, option, preferred, width, height, horizon, sim, before,
                    cmd, windows):
    """predict_path then predicted_window for each surfed wave, interleaved: the path is predicted only as far
    as some wave still reads it (the positions after every wave's break are never used). A predicted turn
    that leaves the robot exactly as it was (stopped, or pinned) is a fixed point: the command is a function
    of the robot and the fixed enemy, so every later turn would leave it so too, and is not computed.
    `before` is scratch for the robot row; bit j of `reading` says wave surfed[j] still reads the path."""
    reading = 0
    for j in range(count):
        windows[j, 0], windows[j, 1] = waves[surfed[j], W_LO], waves[surfed[j], W_HI]
        if _window_step(waves, surfed[j], now, 0, me[X], me[Y], windows, j):
            reading |= 1 << j
    _start_prediction(sim, me)
    resting = False
    for t in range(horizon):
        if reading == 0:
            break
        if not resting:
            for k in range(sim.size):
                before[k] = sim[k]
            _predict_tick(sim, enemy, option, preferred, width, height, cmd)
            resting = True
            for k in range(sim.size):
                if sim[k] != before[k]:
                    resting = False
                    break
        for j in range(count):
            if reading >> j & 1 and not _window_step(waves, surfed[j], now, t + 1, sim[X], sim[Y], windows, j):
                reading &= ~(1 << j)
    for j in range(count):
        if not windows[j, 0] <= windows[j, 1]:
            windows[j, 0] = windows[j, 1] = np.nan


@borrowing
def _incoming(waves, n, me, now, surfed, ttis):
    """The SURFED_WAVES waves nearest to impact (by time, then by order), still to arrive; returns how many."""
    count = 0
    for k in range(n):
        t = time_to_impact(waves[k], me, now)
        if not t > 0:
            continue
        slot = count
        while slot > 0 and t < ttis[slot - 1]:
            slot -= 1
        if slot >= SURFED_WAVES:
            continue
        for s in range(min(count, SURFED_WAVES - 1), slot, -1):
            surfed[s], ttis[s] = surfed[s - 1], ttis[s - 1]
        surfed[slot], ttis[slot] = k, t
        count = min(count + 1, SURFED_WAVES)
    return count


@borrowing
def plan_windows(p, robots, i, world, waves, n, surfed, ttis, windows, sim, cmd):
    """Surfer.act up to the danger: True if it re-plans now, with each option's window on each surfed wave
    in windows[option, wave] (NaN where the wave finds no window). Records the plan (waves, time).
    `sim` is scratch for two robot rows, `cmd` for a command row."""
    me, enemy = robots[i], robots[1 - i]
    if enemy[STATUS] == DEAD:
        return False
    now = world[TIME]
    count = _incoming(waves, n, me, now, surfed, ttis)
    if count == 0:
        return False
    same = count == p[P_PLAN_COUNT] and waves[surfed[0], W_FIRE_TIME] == p[P_PLAN_FIRST] and \
        (count == 1 or waves[surfed[1], W_FIRE_TIME] == p[P_PLAN_SECOND])
    if same and now - p[P_PLAN_TIME] < p[P_REPLAN]:
        return False
    p[P_PLAN_COUNT] = count
    p[P_PLAN_FIRST] = waves[surfed[0], W_FIRE_TIME]
    p[P_PLAN_SECOND] = waves[surfed[1], W_FIRE_TIME] if count > 1 else math.nan
    p[P_PLAN_TIME] = now
    horizon = 1
    for j in range(count):
        horizon = max(horizon, _ticks_to_pass(waves[surfed[j]], now, me[X], me[Y]))
    windows[:, :, :] = np.nan
    predicted, before = sim[0], sim[1]
    for o in range(NOPTIONS):
        _option_windows(waves, surfed, count, now, me, enemy, OPTIONS[o], p[P_PREFERRED], world[WIDTH],
                        world[HEIGHT], horizon, predicted, before, cmd, windows[o])
    return True


@borrowing
def choose_option(p, windows, masses, ttis, count):
    """Surfer.act's min over OPTIONS of option_danger (mass over time to impact, summed over the waves)."""
    best, choice = 0.0, 0
    for o in range(NOPTIONS):
        total = 0.0
        for j in range(count):
            if not math.isnan(windows[o, j, 0]):
                total += masses[o, j] / pymax(1.0, ttis[j])
        if o == 0 or total < best:
            best, choice = total, o
    p[P_MOVE_DIRECTION] = OPTIONS[choice]


@borrowing
def feed_bins(counts, edges, adds, nadds, fractions):
    """BinsDanger.add for each queued hit window, in order."""
    for k in range(nadds):
        bin_fractions(edges, adds[k, 0], adds[k, 1], fractions)
        for j in range(counts.size):
            counts[j] += fractions[j]


@borrowing
def bins_masses(counts, edges, windows, count, fractions, masses):
    """BinsDanger.mass of each option's window on each surfed wave."""
    for o in range(NOPTIONS):
        for j in range(count):
            if not math.isnan(windows[o, j, 0]):
                bin_fractions(edges, windows[o, j, 0], windows[o, j, 1], fractions)
                masses[o, j] = weighted_mass(counts, fractions)


@borrowing
def feed_kde(learners, k, grid, adds, nadds):
    """KDEDanger.add for each queued hit window, in order (the learner in slot k; its node cache emptied)."""
    if nadds:
        observe_windows(learners, k, adds, nadds)
        grid[:] = np.nan


@borrowing
def kde_masses(learners, k, grid, windows, count, masses):
    """KDEDanger.mass of each option's window on each surfed wave."""
    state = state_of(learners, k)
    for o in range(NOPTIONS):
        for j in range(count):
            if not math.isnan(windows[o, j, 0]):
                masses[o, j] = kde_mass(*state, grid, windows[o, j, 0], windows[o, j, 1])
