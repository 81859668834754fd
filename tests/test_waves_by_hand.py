"""Wave windows whose edges can be worked out with a pencil, through the reference tracker and the
compiled one: a target straddling the +-pi seam (due south of the source), and a target within one
bullet step of the source at fire time.

GF = (bearing offset from the direct angle) * direction / max escape angle, max escape angle
asin(8 / bullet speed), bullet speed 20 - 3 * power. A stationary target's box is the same every turn,
so the whole window is the hull of the bearings of the box's points; from outside the box those are
extreme at its corners, or where a circle r = (ticks since fire) * speed cuts an edge.
"""
import math

import numpy as np
import pytest
from numba import njit

from arena.fast.waves import (W_DIRECT, W_DIRECTION, W_FIRE_TIME, W_MEA, W_SPEED, W_SX, W_SY, WAVE_FIELDS,
                              add_wave)
from arena.waves import Wave, WaveTracker, tick_gf_interval, tick_window


@njit
def fast_tick_gf_interval(w, tick, bx, by):
    """waves.tick_window compiled, over a wave row's fields, as the compiled surfer's prediction calls it."""
    return tick_window(w[W_SX], w[W_SY], w[W_FIRE_TIME], w[W_SPEED], w[W_DIRECT], w[W_DIRECTION], w[W_MEA], tick,
                       bx, by)


def mea(power):
    return math.asin(8.0 / (20.0 - 3.0 * power))


def reference_window(source, target, power, direct=None, ticks=80):
    """The break window of one wave through WaveTracker, target standing at `target` throughout."""
    wave = Wave.aimed(source, target, 0.0, 0.0, 0, power)  # velocity 0: direction +1
    if direct is not None:
        wave.direct_angle = direct
    tracker = WaveTracker()
    tracker.add(wave)
    breaks = [b for t in range(1, ticks) for b in tracker.advance(t, target)]
    assert len(breaks) == 1
    return breaks[0].a, breaks[0].b


def fast_window(source, target, power, direct=None, ticks=80):
    """The same window from the compiled per-turn intervals, folded the way advance folds them."""
    waves = np.zeros((1, WAVE_FIELDS))
    add_wave(waves, 0, *source, *target, 0.0, 0.0, 0, power)
    if direct is not None:
        waves[0, W_DIRECT] = direct
    lo, hi = math.inf, -math.inf
    for t in range(1, ticks):
        found, a, b = fast_tick_gf_interval(waves[0], t, *target)
        if found:
            lo, hi = min(lo, a), max(hi, b)
    return lo, hi


@pytest.fixture(params=[reference_window, fast_window], ids=["reference", "fast"])
def window(request):
    return request.param


@pytest.mark.parametrize("direct", [None, -math.pi], ids=["direct=+pi", "direct=-pi"])
def test_a_wave_passing_a_target_due_south(window, direct):
    # source (400, 500), target (400, 100): direct bearing atan2(0, -400) = pi (or the same angle
    # written as -pi). The box spans x -18..18 and y -418..-382 from the source; the widest bearings are
    # its near corners, (+-18, -382), at pi -+ atan(18 / 382), reached when r passes 382.4 (tick 28 at
    # 14 px/tick). The window is symmetric and small, never a wrap-around 2pi wide.
    a, b = window((400.0, 500.0), (400.0, 100.0), 2.0, direct)
    edge = math.atan(18.0 / 382.0) / mea(2.0)
    assert a == pytest.approx(-edge, rel=1e-12) and b == pytest.approx(edge, rel=1e-12)


def test_a_wave_passing_a_target_straddling_the_seam_off_centre(window):
    # target (410, 100): direct = pi - atan(10 / 400). Box x -8..28, near face y = -382. Its right
    # near corner (28, -382) is at pi - atan(28 / 382); its left one (-8, -382) at -pi + atan(8 / 382),
    # i.e. just past the seam. As offsets from the direct angle:
    a, b = window((400.0, 500.0), (410.0, 100.0), 2.0)
    assert a == pytest.approx((math.atan(10 / 400) - math.atan(28 / 382)) / mea(2.0), rel=1e-12)
    assert b == pytest.approx((math.atan(10 / 400) + math.atan(8 / 382)) / mea(2.0), rel=1e-12)


def test_a_target_within_one_bullet_step_at_fire_time_is_in_the_first_turns_window():
    # source (400, 300), target (400, 337): the box's near face is y = 19 from the source. Power 0.1
    # flies 19.7 px in its first turn, so the first turn's ring (r from 0 to 19.7) already cuts the box:
    # along y = 19 out to |x| = sqrt(19.7^2 - 19^2), at bearings +-atan(sqrt(19.7^2 - 19^2) / 19).
    edge = math.atan(math.sqrt(19.7 ** 2 - 19.0 ** 2) / 19.0) / mea(0.1)
    wave = Wave.aimed((400.0, 300.0), (400.0, 337.0), 0.0, 0.0, 0, 0.1)
    a, b = tick_gf_interval(wave, 1, (400.0, 337.0))
    assert a == pytest.approx(-edge, rel=1e-9) and b == pytest.approx(edge, rel=1e-9)
    waves = np.zeros((1, WAVE_FIELDS))
    add_wave(waves, 0, 400.0, 300.0, 400.0, 337.0, 0.0, 0.0, 0, 0.1)
    found, fa, fb = fast_tick_gf_interval(waves[0], 1, 400.0, 337.0)
    assert found and fa == pytest.approx(-edge, rel=1e-9) and fb == pytest.approx(edge, rel=1e-9)
    # over the whole pass the near corners (+-18, 19) are reached: +-atan(18 / 19)
    a, b = reference_window((400.0, 300.0), (400.0, 337.0), 0.1)
    assert b == pytest.approx(math.atan(18.0 / 19.0) / mea(0.1), rel=1e-12) and a == pytest.approx(-b, rel=1e-12)
