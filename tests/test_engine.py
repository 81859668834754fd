"""The turn step: each rule through `step`, with numbers worked out by hand."""
import math

import numpy as np
from hypothesis import given, settings, strategies as st

from arena import rules
from arena.engine import step
from arena.events import BulletFired, BulletHitRobot, RobotDied, RobotHitWall, RobotRammed
from arena.state import BattleState, BulletStatus, Commands, Robot, RobotStatus


def state(*robots, width=800, height=600):
    return BattleState(width=width, height=height, robots=list(robots))


def run(s, commands_fn, ticks):
    events = []
    for _ in range(ticks):
        s, ev = step(s, commands_fn(s))
        events.extend(ev)
    return s, events


def test_step_is_pure_and_deterministic():
    s0 = state(Robot(100, 100, 0.5, 0.5), Robot(400, 300, 2.0, 2.0))
    cmds = [Commands(ahead=100, turn=1.0, fire=1.0), Commands(ahead=-50)]
    before = repr(s0)
    a, ev_a = step(s0, cmds, np.random.default_rng(3))
    b, ev_b = step(s0, cmds, np.random.default_rng(3))
    assert repr(s0) == before
    assert a == b and ev_a == ev_b


def test_accelerates_to_8_in_8_ticks_covering_36_px():
    s, _ = run(state(Robot(100, 100, 0.0, 0.0), Robot(700, 500, 0.0, 0.0)),
               lambda s: [Commands(ahead=1000), None], 8)
    assert s.robots[0].velocity == 8.0
    assert s.robots[0].y == 136.0


def test_stops_exactly_at_commanded_distance():
    s, _ = run(state(Robot(100, 100, math.pi / 2, 0.0), Robot(700, 500, 0.0, 0.0)),
               lambda s: [Commands(ahead=100.0) if s.time == 0 else None, None], 40)
    r = s.robots[0]
    assert r.velocity == 0 and math.isclose(r.x, 200.0, abs_tol=1e-9)


def test_power_3_fires_every_16_ticks():
    s, events = run(state(Robot(100, 100, 0.0, 0.0), Robot(700, 500, 0.0, 0.0)),
                    lambda s: [Commands(fire=3.0), None], 120)
    times = [e.time for e in events if isinstance(e, BulletFired)]
    assert len(times) >= 5
    assert all(b - a == 16 for a, b in zip(times, times[1:]))
    assert s.robots[0].energy == 100 - 3 * len(times)


def test_bullet_hit_damage_and_energy_return():
    # gun points east at a robot 100 px away; power 2 flies 14 px/tick
    s, events = run(state(Robot(100, 300, 0.0, math.pi / 2), Robot(200, 300, 0.0, 0.0)),
                    lambda s: [Commands(fire=2.0) if s.time == 30 else None, None], 45)
    hits = [e for e in events if isinstance(e, BulletHitRobot)]
    assert len(hits) == 1
    assert s.robots[1].energy == 100 - 10.0  # 4*2 + 2*(2-1)
    assert math.isclose(s.robots[0].energy, 100 - 2 + 6)
    # the bullet reaches the box edge (x = 182) on its 6th move: 100 + 6*14 = 184
    assert hits[0].time == 31 + 5


def test_wall_hit_damage_and_stop():
    s, events = run(state(Robot(100, 500, 0.0, 0.0), Robot(700, 100, 0.0, 0.0)),
                    lambda s: [Commands(ahead=1000) if s.time == 0 else None, None], 30)
    walls = [e for e in events if isinstance(e, RobotHitWall)]
    assert len(walls) == 1
    assert s.robots[0].y == 600 - 18
    assert walls[0].damage == rules.wall_damage(8.0) == 3.0
    assert s.robots[0].energy == 97.0


def test_ram_costs_both_robots_and_undoes_the_move():
    s, events = run(state(Robot(100, 100, 0.0, 0.0), Robot(100, 200, 0.0, 0.0)),
                    lambda s: [Commands(ahead=1000), None], 20)
    rams = [e for e in events if isinstance(e, RobotRammed)]
    assert rams and all(e.robot == 0 for e in rams)
    assert math.isclose(s.robots[1].energy, 100 - 0.6 * len(rams))
    assert s.robots[0].y < 200 - 36 + 8  # it never got inside the other box


def test_inactivity_drain_then_death():
    s = state(Robot(100, 100, 0.0, 0.0), Robot(700, 500, 0.0, 0.0))
    s, _ = run(s, lambda s: [None, None], 451)
    assert s.robots[0].energy == 100.0
    s, _ = run(s, lambda s: [None, None], 1)
    assert math.isclose(s.robots[0].energy, 99.9)
    s, events = run(s, lambda s: [None, None], 1100)
    assert any(isinstance(e, RobotDied) for e in events)
    assert all(r.status is RobotStatus.DEAD for r in s.robots)


def test_disabled_robot_ignores_ahead_but_turns_its_gun():
    s = state(Robot(100, 100, 0.0, 0.0, energy=0.0), Robot(700, 500, 0.0, 0.0))
    s, _ = step(s, [Commands(ahead=100, turn=1.0, turn_gun=0.2, fire=1.0), None])
    r = s.robots[0]
    assert r.velocity == 0 and r.heading == 0 and math.isclose(r.gun_heading, 0.2) and not s.bullets


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_commands_keep_invariants(seed):
    rng = np.random.default_rng(seed)
    s = state(Robot(200, 200, 1.0, 1.0), Robot(500, 400, 4.0, 4.0), width=600, height=500)
    for _ in range(200):
        cmds = [Commands(ahead=rng.uniform(-300, 300), turn=rng.uniform(-3, 3), max_velocity=rng.uniform(-2, 10),
                         turn_gun=rng.uniform(-3, 3), fire=rng.uniform(0, 3.5)) for _ in range(2)]
        s, _ = step(s, cmds, rng)
        for r in s.robots:
            assert 18 <= r.x <= 600 - 18 and 18 <= r.y <= 500 - 18
            assert abs(r.velocity) <= 8 and r.energy >= 0 and r.gun_heat >= 0
            assert 0 <= r.heading < 2 * math.pi and 0 <= r.gun_heading < 2 * math.pi
        for b in s.bullets:
            if b.status is BulletStatus.MOVING:
                assert 0 < b.x < 600 and 0 < b.y < 500
        if s.round_over:
            break


def test_gun_turns_at_most_20_degrees_and_carries_the_body_turn():
    s, _ = step(state(Robot(100, 100, 0.0, 0.0), Robot(700, 500, 0.0, 0.0)),
                [Commands(turn=1.0, turn_gun=1.0), None])
    r = s.robots[0]
    assert math.isclose(r.heading, math.radians(10))
    # the gun turns with the body (10) and then by its own 20 towards the remaining target
    assert math.isclose(r.gun_heading, math.radians(30))
    assert math.isclose(r.gun_turn_remaining, 1.0 - math.radians(30))


def test_first_shot_waits_for_the_starting_gun_heat():
    s, events = run(state(Robot(100, 100, 0.0, 0.0), Robot(700, 500, 0.0, 0.0)),
                    lambda s: [Commands(fire=1.0), None], 40)
    first = min(e.time for e in events if isinstance(e, BulletFired))
    assert 30 <= first <= 32  # 3.0 heat cools by 0.1 a tick (with float rounding)


def test_bullets_meet_and_both_stop():
    # two robots face each other 300 px apart on the same line and fire at the same tick
    s = state(Robot(100, 300, 0.0, math.pi / 2, gun_heat=0.0), Robot(400, 300, 0.0, 3 * math.pi / 2, gun_heat=0.0))
    s, events = run(s, lambda s: [Commands(fire=1.0), Commands(fire=1.0)] if s.time == 0 else [None, None], 12)
    from arena.events import BulletHitBullet
    meets = [e for e in events if isinstance(e, BulletHitBullet)]
    assert len(meets) == 1
    # 17 px/tick each: closing at 34 px/tick from 300 px apart -> they cross on the 9th move
    assert meets[0].time == 9
    assert s.robots[0].energy == s.robots[1].energy == 99.0


def test_bullet_leaves_through_the_wall():
    s, events = run(state(Robot(100, 300, 0.0, 3 * math.pi / 2, gun_heat=0.0), Robot(700, 500, 0.0, 0.0)),
                    lambda s: [Commands(fire=3.0) if s.time == 0 else None, None], 12)
    from arena.events import BulletHitWall
    walls = [e for e in events if isinstance(e, BulletHitWall)]
    # 11 px/tick west from x = 100: x - 3 <= 0 first at x = 1 (after 9 moves)
    assert [e.time for e in walls] == [9]
