"""Situation features, worked out by hand for constructed situations."""
import math

import numpy as np
import pytest

from arena.features import (FLIGHT_TIME_SCALE, NAMES, N_FEATURES, Situation, SituationTracker, features,
                            orbit_room)
from arena.waves import max_escape_angle

SPEED = 14.0  # power 2
MEA = math.asin(8.0 / 14.0)


def situation(**kw):
    base = dict(shooter_x=400.0, shooter_y=300.0, bearing=0.0, distance=200.0, lateral=8.0, advancing=0.0,
                acceleration=0.0, since_speed=0, since_reverse=0, direction=1)
    return Situation(**{**base, **kw})


def test_a_target_crossing_at_full_speed_is_all_lateral():
    tracker = SituationTracker()
    # shooter at (400, 300), target 200 px north heading east at 8 px/tick
    s = tracker.update(0, 400.0, 300.0, 400.0, 500.0, math.pi / 2, 8.0)
    assert s.lateral == pytest.approx(8.0, abs=1e-12)
    assert s.advancing == pytest.approx(0.0, abs=1e-12)
    assert s.distance == pytest.approx(200.0) and s.bearing == pytest.approx(0.0)
    phi = features(s, SPEED, 800.0, 600.0)
    assert phi[NAMES.index("lateral")] == pytest.approx(1.0)
    assert phi[NAMES.index("advancing")] == pytest.approx(0.0, abs=1e-12)
    assert phi[NAMES.index("flight_time")] == pytest.approx(200.0 / 14.0 / FLIGHT_TIME_SCALE)


def test_a_target_driving_at_the_shooter_is_all_advancing():
    s = SituationTracker().update(0, 400.0, 300.0, 400.0, 500.0, math.pi, 6.0)  # heading south, towards us
    phi = features(s, SPEED, 800.0, 600.0)
    assert phi[NAMES.index("lateral")] == pytest.approx(0.0, abs=1e-12)
    assert phi[NAMES.index("advancing")] == pytest.approx(6.0 / 8.0)
    # backing away (negative velocity along the same heading) is a negative advancing speed
    s = SituationTracker().update(0, 400.0, 300.0, 400.0, 500.0, math.pi, -4.0)
    assert features(s, SPEED, 800.0, 600.0)[NAMES.index("advancing")] == pytest.approx(-0.5)


def test_orbit_room_reaches_the_wall_where_the_circle_meets_it():
    # shooter (800, 500), target 400 px north at (800, 900) in a 1000 x 1000 field, orbiting clockwise:
    # x = 800 + 400 sin a meets x = 1000 - 18 at sin a = 182 / 400
    ahead = orbit_room(800.0, 500.0, 0.0, 400.0, 1, 1000.0, 1000.0)
    assert ahead == pytest.approx(math.asin(182.0 / 400.0), rel=1e-12)
    # counter-clockwise, x = 800 - 400 sin a goes west, then comes back east past the shooter and meets
    # x = 982 at sin a = -182/400, a = pi + asin(182/400) (y = 500 + 400 cos a never leaves 18..982)
    behind = orbit_room(800.0, 500.0, 0.0, 400.0, -1, 1000.0, 1000.0)
    assert behind == pytest.approx(math.pi + math.asin(182.0 / 400.0), rel=1e-12)
    s = situation(shooter_x=800.0, shooter_y=500.0, distance=400.0)
    phi = features(s, SPEED, 1000.0, 1000.0)
    assert phi[NAMES.index("wall_ahead")] == pytest.approx(math.asin(0.455) / MEA)
    assert phi[NAMES.index("wall_behind")] == 1.0  # capped: more room than the escape angle
    # a target moving the other way swaps ahead and behind
    phi = features(situation(shooter_x=800.0, shooter_y=500.0, distance=400.0, direction=-1), SPEED, 1000.0, 1000.0)
    assert phi[NAMES.index("wall_behind")] == pytest.approx(math.asin(0.455) / MEA)


def test_orbit_room_meets_a_horizontal_wall():
    # shooter (500, 500), target 300 px east at (800, 500), clockwise moves it south (y = 500 + 300 cos(pi/2 + a))
    # down to y = 18: cos(pi/2 + a) = -482/300 < -1, never; so the x wall x = 982 can't be met either: full circle
    assert orbit_room(500.0, 500.0, math.pi / 2, 300.0, 1, 1000.0, 1000.0) == pytest.approx(2 * math.pi)
    # at distance 400 clockwise from east: y = 500 + 400 cos(pi/2 + a) = 18 at cos = -482/400: never;
    # x = 500 + 400 sin(pi/2 + a) = 18 at sin = -1.205: never. Move the shooter to y = 300:
    # y = 300 + 400 cos(pi/2 + a) = 18 -> pi/2 + a = acos(-282/400)
    a = orbit_room(500.0, 300.0, math.pi / 2, 400.0, 1, 1000.0, 1000.0)
    assert a == pytest.approx(math.acos(-282.0 / 400.0) - math.pi / 2, rel=1e-12)


def test_history_counters_acceleration_and_reversals():
    tracker = SituationTracker()
    # target 200 px north of the shooter, heading east: positive velocity is clockwise (lateral > 0)
    speeds = [8.0, 8.0, 6.0, 4.0, 4.0, 0.0, -1.0, -2.0]
    got = [tracker.update(t, 400.0, 300.0, 400.0, 500.0, math.pi / 2, v) for t, v in enumerate(speeds)]
    assert [s.acceleration for s in got] == [0.0, 0.0, -2.0, -2.0, 0.0, -2.0, 1.0, 1.0]  # 4 -> 0 clipped at -2
    assert [s.since_speed for s in got] == [1, 2, 0, 0, 1, 0, 0, 0]
    assert [s.direction for s in got] == [1, 1, 1, 1, 1, 1, -1, -1]  # stopped keeps the last direction
    assert [s.since_reverse for s in got] == [1, 2, 3, 4, 5, 6, 0, 1]
    assert tracker.history[3] is got[3]
    phi = features(got[3], SPEED, 800.0, 600.0)
    assert phi[NAMES.index("acceleration")] == -1.0
    flight = 200.0 / 14.0
    assert phi[NAMES.index("since_reverse")] == pytest.approx(4 / flight)
    tracker.start_round()
    assert tracker.history == {} and tracker.update(0, 400.0, 300.0, 400.0, 500.0, math.pi / 2, 3.0).acceleration == 0


def test_features_stay_in_their_documented_ranges():
    rng = np.random.default_rng(3)
    lows = np.array([0.0, 0.0, -1.0, -1.0, 0.0, 0.0, 0.0, 0.0])
    highs = np.array([1.5, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0])
    tracker = SituationTracker()
    for t in range(300):
        s = tracker.update(t, 400.0, 300.0, rng.uniform(18, 782), rng.uniform(18, 582), rng.uniform(0, 6.3),
                           rng.uniform(-8, 8))
        phi = features(s, rng.uniform(11.0, 19.7), 800.0, 600.0)
        assert phi.shape == (N_FEATURES,) and np.all(np.isfinite(phi))
        assert np.all(phi >= lows - 1e-12) and np.all(phi <= highs + 1e-12), phi
    assert max_escape_angle(SPEED) == pytest.approx(MEA)
