"""One robot's and one bullet's tick (arena/physics.py), worked out by hand, and compiled == plain."""
import math

import pytest
from hypothesis import given, settings, strategies as st
from numba import njit

import arena.fast  # noqa: F401  (registers the shared physics with numba)
from arena import physics, rules

TEN_DEGREES = math.radians(10)


def test_box_corner_is_centre_minus_half_size():
    assert physics.box_corner(100.0) == 82.0


def test_body_turn_at_rest_is_ten_degrees_and_carries_the_gun():
    heading, gun, left, gun_left = physics.turn_body(0.0, 1.0, 1.0, 0.5, 0.0)
    assert heading == TEN_DEGREES and gun == 1.0 + TEN_DEGREES
    assert left == 1.0 - TEN_DEGREES and gun_left == 0.5 - TEN_DEGREES


def test_body_turn_at_full_speed_is_four_degrees_and_a_short_turn_finishes_exactly():
    heading, _, left, _ = physics.turn_body(1.0, 0.0, -1.0, 0.0, -8.0)
    assert heading == 1.0 - 0.4 * TEN_DEGREES and left == -1.0 + 0.4 * TEN_DEGREES
    heading, _, left, _ = physics.turn_body(0.0, 0.0, -0.01, 0.0, 8.0)
    assert heading == 2 * math.pi - 0.01 and left == 0.0
    assert physics.turn_body(0.3, 0.2, 0.0, 0.1, 5.0) == (0.3, 0.2, 0.0, 0.1)  # nothing to turn


def test_gun_turn_is_twenty_degrees_at_most():
    assert physics.turn_gun(0.0, 1.0) == (math.radians(20), 1.0 - math.radians(20))
    assert physics.turn_gun(0.0, -0.1) == (2 * math.pi - 0.1, 0.0)


def test_move_accelerates_by_one_then_brakes_by_two():
    assert physics.move(0.0, 100.0, 8.0, False, 0.0, 50.0, 50.0) == (1.0, 99.0, False, 50.0, 51.0)
    # at 8 with 10 to go: the fastest speed that can still stop in 10 is 4 + 4/3, but braking gives only 6
    velocity, distance, overdriving, x, y = physics.move(8.0, 10.0, 8.0, False, math.pi / 2, 50.0, 50.0)
    assert (velocity, distance, overdriving, x) == (6.0, 4.0, False, 56.0)
    # with 5 to go it also only brakes to 6, then needs 4 + 2 more to stop: it overdrives, 1 past the goal
    assert physics.move(8.0, 5.0, 8.0, False, 0.0, 0.0, 0.0)[:3] == (6.0, -1.0, True)


def test_wall_pushes_back_along_the_heading_then_clamps():
    assert physics.hit_wall(400.0, 300.0, 1.0, 800.0, 600.0) == (False, 400.0, 300.0)
    assert physics.hit_wall(10.0, 300.0, 0.0, 800.0, 600.0) == (True, 18.0, 300.0)  # heading north: x only
    hit, x, y = physics.hit_wall(10.0, 300.0, math.pi / 4, 800.0, 600.0)  # back along the 45 degree line
    assert hit and x == 18.0 and y == pytest.approx(308.0, abs=1e-12)
    assert physics.hit_wall(790.0, 300.0, 0.0, 800.5, 600.0) == (True, 782.0, 300.0)  # the field is cut to 800


def test_ram_needs_overlap_and_a_move_towards_the_other():
    a, b = (100.0, 100.0), (100.0, 130.0)  # b is due north, 30 away: boxes overlap
    boxes = (physics.box_corner(a[0]), physics.box_corner(a[1]), physics.box_corner(b[0]), physics.box_corner(b[1]))
    assert physics.rams(*a, *boxes[:2], 0.0, 8.0, *b, *boxes[2:])
    assert not physics.rams(*a, *boxes[:2], 0.0, -8.0, *b, *boxes[2:])  # backing away
    assert physics.rams(*a, *boxes[:2], math.pi, -8.0, *b, *boxes[2:])  # backing into it
    assert not physics.rams(*a, 82.0, 82.0, 0.0, 8.0, 100.0, 136.0, 82.0, 118.0)  # boxes only touch
    assert physics.undo_move(100.0, 108.0, 0.0, 8.0) == (100.0, 100.0)


def test_bullet_moves_at_its_speed_and_hits_the_wall_at_radius_three():
    assert physics.move_bullet(100.0, 100.0, 0.0, 3.0) == (100.0, 111.0)  # 20 - 3 * 3
    assert physics.bullet_hits_wall(3.0, 300.0, 800.0, 600.0)
    assert not physics.bullet_hits_wall(3.0000001, 300.0, 800.0, 600.0)
    assert physics.bullet_hits_wall(400.0, 597.0, 800.0, 600.0)


def test_bullet_hits_a_box_it_touches():
    assert physics.bullet_hits_box(0.0, 0.0, 20.0, 20.0, 20.0, 20.0)  # ends on the corner
    assert not physics.bullet_hits_box(0.0, 0.0, 19.0, 19.0, 20.0, 20.0)
    assert physics.bullet_hits_box(10.0, 30.0, 70.0, 30.0, 20.0, 20.0)  # passes through


# -- the compiled form gives the very bits the plain one does ------------------------------------------
def compiled(fn):
    return njit(lambda *args: fn(*args))


_turn_body, _move, _hit_wall, _new_velocity = (compiled(f) for f in (physics.turn_body, physics.move,
                                                                     physics.hit_wall, rules.new_velocity))
angles = st.one_of(st.floats(-20, 20), st.sampled_from([0.0, math.pi, -math.pi, math.pi / 2, 2 * math.pi]))
speeds = st.one_of(st.floats(-8, 8), st.integers(-8, 8).map(float))
distances = st.one_of(st.floats(-1e300, 1e300), st.integers(-30, 30).map(float), st.sampled_from([math.inf, -math.inf]))
coords = st.floats(-40, 840)


def same(a, b):
    return [x.hex() if isinstance(x, float) else x for x in a] == [x.hex() if isinstance(x, float) else x for x in b]


@settings(max_examples=300, deadline=None)
@given(angles, angles, angles, angles, speeds, distances, st.floats(0, 8), st.booleans(), coords, coords)
def test_compiled_steps_equal_plain_ones(heading, gun, turn, gun_turn, velocity, distance, max_velocity,
                                         overdriving, x, y):
    assert same(_turn_body(heading, gun, turn, gun_turn, velocity), physics.turn_body(heading, gun, turn, gun_turn,
                                                                                      velocity))
    assert same(_move(velocity, distance, max_velocity, overdriving, heading, x, y),
                physics.move(velocity, distance, max_velocity, overdriving, heading, x, y))
    assert same(_hit_wall(x, y, heading, 800.0, 600.0), physics.hit_wall(x, y, heading, 800.0, 600.0))
    assert same((_new_velocity(velocity, distance, max_velocity),),
                (rules.new_velocity(velocity, distance, max_velocity),))
