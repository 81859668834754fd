"""Edge cases of Robocode 1.9.3.9's rules, each with its numbers worked out by hand from the rules in
../shared/conformance/README.md (never read off the engine), run through both the reference step and
the compiled step: a rule misunderstood the same way in both copies still fails here."""
import math

import pytest

from arena.battle import BattleConfig, ConfigError
from arena.cli import main
from arena.engine import step as reference_step
from arena.events import BulletHitBullet, BulletHitRobot, BulletHitWall, RobotDied, RobotRammed
from arena.fast.engine import step as fast_step
from arena.state import BattleState, Bullet, BulletStatus, Commands, Robot, RobotStatus

EAST, SOUTH, WEST = math.pi / 2, math.pi, 3 * math.pi / 2  # Robocode headings: 0 = north, clockwise


@pytest.fixture(params=[reference_step, fast_step], ids=["reference", "fast"])
def step(request):
    return request.param


def arena(*robots, bullets=(), width=800.0, height=600.0, **kw):
    return BattleState(width=width, height=height, robots=list(robots), bullets=list(bullets), **kw)


def idle(state):
    return [None] * len(state.robots)


def far_robots():
    """Two robots out of the way of the bullets the tests place by hand."""
    return Robot(100.0, 100.0, 0.0, 0.0), Robot(700.0, 100.0, 0.0, 0.0)


def kinds(events, kind):
    return [e for e in events if isinstance(e, kind)]


# -- bullets ------------------------------------------------------------------------------------------

def crossing_bullets(owner_b):
    """A flies east from (300, 300), B north from (305, 295), both at power 3 (20 - 3*3 = 11 px/tick):
    A's move is (300, 300)-(311, 300), B's is (305, 295)-(305, 306); they cross at (305, 300)."""
    a = Bullet("0-1", 0, 300.0, 300.0, EAST, 3.0)
    b = Bullet(f"{owner_b}-2", owner_b, 305.0, 295.0, 0.0, 3.0)
    return arena(*far_robots(), bullets=[a, b])


def test_a_robots_own_bullets_pass_through_each_other(step):
    s, events = step(crossing_bullets(owner_b=0), [None, None])
    assert not kinds(events, BulletHitBullet)
    a, b = s.bullets
    assert a.status is b.status is BulletStatus.MOVING
    # sin(pi/2) = 1 exactly; cos(0) = 1: both made their full 11 px
    assert (a.x, a.y) == (311.0, 300.0) and (b.x, b.y) == (305.0, 306.0)


def test_two_meeting_bullets_stop_each_at_its_previous_position(step):
    s, events = step(crossing_bullets(owner_b=1), [None, None])
    (meet,) = kinds(events, BulletHitBullet)
    assert {meet.bullet_id, meet.other_id} == {"0-1", "1-2"} and meet.time == 1
    a, b = s.bullets
    assert a.status is b.status is BulletStatus.HIT_BULLET
    # "both stop, each at its previous position": where they were before this turn's move, not at (305, 300)
    assert (a.x, a.y) == (300.0, 300.0) and (b.x, b.y) == (305.0, 295.0)


@pytest.mark.parametrize("x, hits", [(14.0, True), (14.5, False)])
def test_a_bullet_exactly_reaching_x_minus_3_equal_0_hits_the_wall(step, x, hits):
    # power 3 flies 11 px; heading west, sin(3pi/2) = -1 exactly: 14 -> 3, and 3 - 3 <= 0 is a hit;
    # 14.5 -> 3.5 is not (the test is <=, not <, and uses the bullet's centre +- 3)
    s, events = step(arena(*far_robots(), bullets=[Bullet("0-1", 0, x, 300.0, WEST, 3.0)]), [None, None])
    (bullet,) = s.bullets
    assert bullet.x == x - 11.0
    assert (bullet.status is BulletStatus.HIT_WALL) == hits
    assert len(kinds(events, BulletHitWall)) == (1 if hits else 0)


@pytest.mark.parametrize("y, hits", [(586.0, True), (585.5, False)])
def test_a_bullet_exactly_reaching_y_plus_3_equal_height_hits_the_wall(step, y, hits):
    # north at 11 px/tick in a 600 high field: 586 -> 597 and 597 + 3 >= 600 is a hit; 585.5 -> 596.5 is not
    s, _ = step(arena(*far_robots(), bullets=[Bullet("0-1", 0, 400.0, y, 0.0, 3.0)]), [None, None])
    assert (s.bullets[0].status is BulletStatus.HIT_WALL) == hits


@pytest.mark.parametrize("x, hits", [(382.0, True), (381.999, False)])
def test_a_bullet_along_a_box_edge_hits(step, x, hits):
    # the target at (400, 300) has the box [382, 418] x [282, 318]; a bullet flying north along x = 382
    # from y = 275 to 286 runs on its left edge, and edges count (Rectangle2D.intersectsLine)
    target = Robot(400.0, 300.0, 0.0, 0.0)
    s, events = step(arena(Robot(100.0, 100.0, 0.0, 0.0), target, bullets=[Bullet("0-1", 0, x, 275.0, 0.0, 3.0)]),
                     [None, None])
    assert len(kinds(events, BulletHitRobot)) == (1 if hits else 0)
    assert s.robots[1].energy == (100.0 - 4 * 3 - 2 * 2 if hits else 100.0)  # 4p + 2(p - 1) = 16 at p = 3


def test_a_target_within_one_bullet_step_at_fire_time_is_hit_on_the_first_move(step):
    # shooter at (400, 300) fires north with power 0.1: the bullet starts at (400, 300) and moves
    # 20 - 0.3 = 19.7 px to y = 319.7; the target at (400, 337) has its box from y = 319, so the very
    # first segment touches it (the boxes, 282..318 and 319..355, do not overlap: no ram)
    shooter = Robot(400.0, 300.0, 0.0, 0.0, gun_heat=0.0)
    target = Robot(400.0, 337.0, 0.0, 0.0)
    s, events = step(arena(shooter, target), [Commands(fire=0.1), None])
    (hit,) = kinds(events, BulletHitRobot)
    assert hit.time == 1 and hit.damage == pytest.approx(0.4, abs=1e-15)  # 4 * 0.1
    assert s.robots[1].energy == pytest.approx(100.0 - 0.4, abs=1e-12)
    assert s.robots[0].energy == pytest.approx(100.0 - 0.1 + 0.3, abs=1e-12)  # paid 0.1, got 3 * 0.1 back
    assert s.robots[0].gun_heat == pytest.approx(1.0 + 0.1 / 5 - 0.1, abs=1e-15)  # fired, then cooled once


# -- energy -------------------------------------------------------------------------------------------

def bullet_into_robot_1(power):
    """A bullet of robot 0's, power `power`, about to enter robot 1's box (at (700, 100): y from 82)."""
    return Bullet("0-1", 0, 700.0, 70.0, 0.0, power)


def test_a_dead_shooter_gets_no_energy_back(step):
    dead = Robot(100.0, 100.0, 0.0, 0.0, energy=0.0, status=RobotStatus.DEAD)
    s, events = step(arena(dead, Robot(700.0, 100.0, 0.0, 0.0), bullets=[bullet_into_robot_1(2.0)]),
                     [None, None])
    assert len(kinds(events, BulletHitRobot)) == 1
    assert s.robots[1].energy == 100.0 - 10.0  # 4 * 2 + 2 * (2 - 1)
    assert s.robots[0].energy == 0.0 and s.robots[0].status is RobotStatus.DEAD  # not 3 * 2 = 6


def test_a_disabled_shooter_is_revived_by_its_hit(step):
    disabled = Robot(100.0, 100.0, 0.0, 0.0, energy=0.0)
    s, _ = step(arena(disabled, Robot(700.0, 100.0, 0.0, 0.0), bullets=[bullet_into_robot_1(2.0)]), [None, None])
    assert s.robots[0].energy == 6.0 and s.robots[0].alive  # 3 * 2


@pytest.mark.parametrize("energy, after", [
    (0.2, [0.1, 0.0, None]),  # 0.2 - 0.1 = 0.1 exactly, which is not < 0.1: kept; then 0.0; then killed
    (0.25, [0.15, 0.0, None]),  # 0.15 - 0.1 = 0.0499... < 0.1: disabled at once
])
def test_inactivity_drain_keeps_exactly_0_1_and_kills_at_0(step, energy, after):
    """Counter above 450 at the start of the robot phase: -0.1 after the move, < 0.1 becomes 0, 0 is killed."""
    s = arena(Robot(100.0, 100.0, 0.0, 0.0, energy=energy, distance_remaining=100.0), Robot(700.0, 100.0, 0.0, 0.0),
              inactivity_counter=451)
    for want in after:
        s, events = step(s, idle(s))
        robot = s.robots[0]
        if want is None:
            assert not robot.alive and kinds(events, RobotDied)
        else:
            assert robot.energy == pytest.approx(want, abs=1e-15) and robot.alive
            # still under way at 0.1; at 0 the remaining distance is cleared (disabled)
            assert (robot.distance_remaining > 0) == (want > 0)
    assert s.robots[1].energy == pytest.approx(100.0 - 0.3, abs=1e-12)  # drained 3 times, never killed


# -- rams ---------------------------------------------------------------------------------------------

def rammer_and_victim(victim_energy):
    """Robot 0 at (400, 300) drives north at full speed (8) into robot 1 at (400, 340): after its move it
    is at y = 308, its box [290, 326] overlaps robot 1's [322, 358], and robot 1 lies dead ahead."""
    rammer = Robot(400.0, 300.0, 0.0, 0.0, velocity=8.0, distance_remaining=100.0)
    return arena(rammer, Robot(400.0, 340.0, 0.0, 0.0, energy=victim_energy))


@pytest.mark.parametrize("energy, dies", [
    (0.6, True),  # 0.6 - 0.6 = 0
    (0.3, True),  # below 0, set to 0
    (0.0, True),  # a disabled robot is killed by a ram too
    (0.605, True),  # 0.005 is below 0.01, so it becomes 0: a ram kills up to just over 0.6
    (0.7, False),  # 0.0999... survives
])
def test_a_ram_kills_at_energy_at_most_0_6(step, energy, dies):
    s, events = step(rammer_and_victim(energy), [None, None])
    (ram,) = kinds(events, RobotRammed)
    assert ram.robot == 0 and ram.other == 1 and ram.killed == dies
    victim, rammer = s.robots[1], s.robots[0]
    assert victim.alive == (not dies)
    assert victim.energy == (0.0 if dies else pytest.approx(0.1, abs=1e-15))
    assert rammer.energy == pytest.approx(99.4, abs=1e-12) and rammer.status is RobotStatus.HIT_ROBOT
    # the move is undone (back to y = 300), but the box stays where the robot went (box y = 308 - 18)
    assert (rammer.x, rammer.y, rammer.velocity, rammer.distance_remaining) == (400.0, 300.0, 0.0, 0.0)
    assert rammer.box_y == 290.0


@pytest.mark.parametrize("other_x, other_y", [
    (400.0, 260.0),  # bearing atan2(0, -32) = pi exactly: straight behind
    (430.0, 270.0),  # atan2(30, -22), about +126 deg: behind on the right
    (370.0, 270.0),  # about -126 deg: behind on the left
])
def test_backing_into_a_robot_behind_is_a_ram(step, other_x, other_y):
    # v = -8 at heading 0: from (400, 300) to y = 292 (box [382, 418] x [274, 310], overlapping the
    # other's); a robot going backwards rams what lies outside (-90, 90) deg of its heading
    backer = Robot(400.0, 300.0, 0.0, 0.0, velocity=-8.0, distance_remaining=-100.0)
    s, events = step(arena(backer, Robot(other_x, other_y, 0.0, 0.0)), [None, None])
    assert len(kinds(events, RobotRammed)) == 1 and s.robots[0].y == 300.0


@pytest.mark.parametrize("heading, start, other", [
    (EAST, (356.0, 300.0), (400.0, 300.0)),
    (WEST, (444.0, 300.0), (400.0, 300.0)),
    (0.0, (400.0, 256.0), (400.0, 300.0)),
    (SOUTH, (400.0, 344.0), (400.0, 300.0)),
])
def test_boxes_that_only_touch_do_not_collide(step, heading, start, other):
    # at 8 px/tick the mover ends its move 36 px from the other robot's centre (e.g. east: 356 -> 364,
    # box [346, 382] against [382, 418]; sin and cos of these headings are +-1 or small enough to leave
    # the other coordinate unchanged): the boxes share an edge only, and a ram needs a strict overlap.
    # The next move (44 -> 28 px apart) overlaps: a ram.
    s = arena(Robot(*start, heading, heading, velocity=8.0, distance_remaining=100.0), Robot(*other, 0.0, 0.0))
    s, events = step(s, [None, None])
    assert not kinds(events, RobotRammed)
    mover = s.robots[0]
    assert abs(mover.x - other[0]) + abs(mover.y - other[1]) == 36.0
    assert s.robots[0].energy == s.robots[1].energy == 100.0
    s, events = step(s, [None, None])
    assert len(kinds(events, RobotRammed)) == 1 and s.robots[0].energy == pytest.approx(99.4, abs=1e-12)


# -- the field ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("width, height, words", [(800.5, 600.0, "whole"), (800.0, 600.25, "whole"),
                                                  (math.nan, 600.0, "within 400..5000, got nan")])
def test_a_field_size_that_is_not_whole_pixels_is_refused(width, height, words):
    """Robocode's battlefield is width x height in whole pixels (BattleProperties holds ints, and the walls
    are tested against int(width) - 18): a fractional size has no Robocode meaning, so it is refused (NaN
    already by the range check every battle setting passes)."""
    with pytest.raises(ConfigError, match=words):
        BattleConfig(width=width, height=height).validate()


def test_a_fractional_field_size_on_the_command_line_is_one_line_and_exit_2(capsys):
    code = main(["run", "--width", "800.5", "--rounds", "1"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "whole" in err
