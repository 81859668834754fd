"""Hand-computed cases for each numeric rule, and invariants of the velocity rule."""
import math

from hypothesis import given, strategies as st

from arena import rules


def drive(distance, velocity=0.0, max_velocity=8.0, ticks=100):
    """Plain re-statement of the remaining-distance loop (no overdrive) for the simple cases."""
    path = []
    for _ in range(ticks):
        velocity = rules.new_velocity(velocity, distance, max_velocity)
        distance -= velocity
        path.append(velocity)
    return path


def test_accelerating_from_rest_to_8_takes_8_ticks_and_36_px():
    path = drive(math.inf)
    assert path[:8] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert sum(path[:8]) == 36


def test_stopping_from_8_takes_12_px():
    assert rules.stopping_distance(8.0) == 12.0
    assert drive(0.0, velocity=8.0)[:4] == [6, 4, 2, 0]


def test_stops_exactly_at_commanded_distance():
    for d in (1.0, 7.5, 36.0, 100.0, 123.456):
        path = drive(d)
        assert math.isclose(sum(path), d, abs_tol=1e-9)
        assert path[-1] == 0


def test_reversing_has_a_split_tick():
    # from +1 going backwards: brake 1 (half a tick at 2/tick) then accelerate 0.5 backwards
    assert rules.new_velocity(1.0, -math.inf, 8.0) == -0.5
    assert rules.new_velocity(8.0, -100.0, 8.0) == 6.0


def test_turn_rates():
    assert math.isclose(rules.turn_rate(0.0), math.radians(10))
    assert math.isclose(rules.turn_rate(8.0), math.radians(4))
    assert math.isclose(rules.turn_rate(-4.0), math.radians(7))


def test_bullets():
    assert rules.bullet_speed(3.0) == 11.0
    assert rules.bullet_speed(0.05) == 19.7  # under 0.1 flies at the 0.1 speed
    assert rules.bullet_damage(1.0) == 4.0
    assert rules.bullet_damage(3.0) == 16.0
    assert rules.gun_heat(3.0) == 1.6
    assert rules.wall_damage(8.0) == 3.0 and rules.wall_damage(1.5) == 0.0


@given(st.floats(-8, 8), st.floats(-1000, 1000), st.floats(0, 8))
def test_velocity_changes_within_limits(v, distance, vmax):
    new = rules.new_velocity(v, distance, vmax)
    assert abs(new) <= max(abs(v), vmax) + 1e-12
    assert abs(new - v) <= 2.0 + 1e-12  # never more than braking allows in one tick


@given(st.floats(0, 500))
def test_max_velocity_for_distance_lets_the_robot_stop(d):
    v = min(rules.max_velocity_for(d), 8.0)
    assert v >= 0
    assert v + rules.stopping_distance(v) <= d + 1e-9
