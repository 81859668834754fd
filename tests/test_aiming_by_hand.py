"""Guns aiming in situations worked out by hand: the circular gun's turn direction, and a gun told to
turn exactly half a circle (a relative angle of +pi)."""
import math

import numpy as np
import pytest

from arena.engine import step
from arena.observation import EnemyView, Observation, SelfView
from arena.state import BattleState, Commands, Robot
from arena.strategies import make_gun


def observation(me_xy, gun_heading, enemy_xy, enemy_heading, enemy_velocity=8.0, time=1):
    me = SelfView(*me_xy, heading=0.0, gun_heading=gun_heading, velocity=0.0, energy=100.0, gun_heat=0.0,
                  distance_remaining=0.0, turn_remaining=0.0, gun_turn_remaining=0.0)
    dx, dy = enemy_xy[0] - me_xy[0], enemy_xy[1] - me_xy[1]
    enemy = EnemyView(*enemy_xy, heading=enemy_heading % (2 * math.pi), velocity=enemy_velocity, energy=100.0,
                      bearing=math.atan2(dx, dy), distance=math.hypot(dx, dy))
    return Observation(0, time, 0, 800.0, 600.0, me, enemy, (), (), (), (), ())


@pytest.mark.parametrize("turn", [1, -1], ids=["clockwise", "counter-clockwise"])
def test_circular_gun_leads_a_turning_target_the_way_it_turns(turn):
    """The enemy at (400, 320), 20 px north of the gun, heads north at 8 px/tick and turned by pi/6 since
    the last scan (heading -pi/6 -> 0 for clockwise, +pi/6 -> 0 for counter-clockwise).

    Keeping that turn, its next headings are pi/6, 2pi/6, ... and its positions after k moves add
    8 (sin, cos) of each. Power 3 flies 11 px a tick; the prediction stops at the first step k (from 0)
    with 11 k >= distance: k = 0..3 leave it 27.2, 32.8, 36.3, 37.3 px away, k = 4 moves it to
    x = 400 + 8 (1/2 + sqrt3/2 + 1 + sqrt3/2 + 1/2) = 400 + 8 (2 + sqrt3), y = 320 + 8 * 0 (the cosines
    of 30..150 deg cancel), 35.9 px away < 44. The aim is the bearing of that point: to the right
    (clockwise) for a clockwise turn.
    """
    gun = make_gun("circular", np.random.default_rng(0), power=3.0)
    gun.aim(observation((400.0, 300.0), 0.0, (400.0, 320.0), -turn * math.pi / 6))
    # the gun, at heading 0, is told to turn to that aim: right (+) for clockwise, left for counter-clockwise
    command = gun.act(observation((400.0, 300.0), 0.0, (400.0, 320.0), 0.0, time=2))
    assert command.turn_gun == pytest.approx(turn * math.atan2(8 * (2 + math.sqrt(3)), 20.0), rel=1e-12)


def test_linear_gun_aims_straight_at_a_target_driving_straight_away():
    # same start, no turn: the enemy runs straight north along x = 400, so the aim is bearing 0
    gun = make_gun("linear", np.random.default_rng(0), power=3.0)
    gun.aim(observation((400.0, 300.0), 0.0, (400.0, 320.0), -math.pi / 6))
    assert gun.aim(observation((400.0, 300.0), 0.0, (400.0, 320.0), 0.0, time=2)) == 0.0


@pytest.mark.parametrize("gun_heading, enemy_xy", [
    (0.0, (400.0, 100.0)),  # gun north, enemy due south: bearing atan2(0, -200) = pi, offset +pi
    (math.pi / 2, (200.0, 300.0)),  # gun east, enemy due west: bearing -pi/2, offset -pi
])
def test_a_gun_told_to_turn_half_a_circle_turns_left(gun_heading, enemy_xy):
    """Robocode's Utils.normalRelativeAngle maps into [-pi, pi): an offset of exactly +pi (or -pi) becomes
    -pi, a left turn. The engine then turns the gun left by at most 20 deg in the first tick."""
    gun = make_gun("head-on", np.random.default_rng(0), power=1.0)
    command = gun.act(observation((400.0, 300.0), gun_heading, enemy_xy, 0.0, enemy_velocity=0.0))
    assert command.turn_gun == -math.pi
    s = BattleState(800.0, 600.0, [Robot(400.0, 300.0, 0.0, gun_heading, gun_heat=1.0), Robot(*enemy_xy, 0.0, 0.0)])
    s, _ = step(s, [Commands(turn_gun=command.turn_gun), None])
    assert s.robots[0].gun_heading == pytest.approx((gun_heading - math.radians(20)) % (2 * math.pi), abs=1e-12)
    assert s.robots[0].gun_turn_remaining == pytest.approx(-math.pi + math.radians(20), abs=1e-12)
