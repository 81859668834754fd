"""Robocode's score, worked out by hand from the conformance README's "Score" rules.

Each case is a turn-by-turn list of engine events (in the order the engine reports them) with the
expected components computed on paper; the reference Scorer and the compiled fast-path scorer must
both give them. Two cases are played through the engine itself, from hand-built states.
"""
import math

import numpy as np
import pytest

from arena import scoring
from arena.engine import Order, step
from arena.events import BulletHitRobot, RobotDied, RobotRammed
from arena.fast import layout
from arena.fast.scoring import SCORE_FIELDS, finish, record
from arena.scoring import Scorer
from arena.state import BattleState, Bullet, Commands, Robot


def hit(owner, victim, scored):
    return BulletHitRobot(1, f"{owner}-2", owner, victim, 3.0, scored, 0.0, 0.0, 0.0)


def ram(robot, other, killed=False):
    return RobotRammed(1, robot, other, killed)


def died(robot):
    return RobotDied(1, robot)


ZERO = dict.fromkeys(scoring.COMPONENTS + ("total",), 0.0)

# (turns of events, alive after each turn, expected components of robot 0 and robot 1)
CASES = {
    "bullet kill after rams: the bonus reads bullet damage and 0.6 per ram": (
        [[ram(0, 1)], [ram(0, 1)], [hit(0, 1, 10.0)], [hit(0, 1, 4.0), died(1)]],
        [[1, 1], [1, 1], [1, 1], [1, 0]],
        # tally 0.6 + 0.6 + 10 + 4 = 15.2; 20% of it is 3.04 (bullet damage alone would give 2.8)
        [dict(ZERO, bullet_damage=14.0, ram_damage=2.4, bullet_kill_bonus=3.04, survival=50.0,
              last_survivor_bonus=10.0, firsts=1.0, total=14.0 + 2.4 + 3.04 + 50.0 + 10.0),
         dict(ZERO, seconds=1.0)],
    ),
    "ram kill after bullet hits: the bonus reads ram and bullet damage": (
        [[hit(1, 0, 16.0)], [hit(1, 0, 16.0)], [ram(1, 0)], [ram(1, 0)], [died(0), ram(1, 0, killed=True)]],
        [[1, 1], [1, 1], [1, 1], [1, 1], [0, 1]],
        # tally 16 + 16 + 3 x 0.6 = 33.8; 30% of it is 10.14 (ram score alone would give 0.3 x 3.6 = 1.08)
        [dict(ZERO, seconds=1.0),
         dict(ZERO, bullet_damage=32.0, ram_damage=3.6, ram_kill_bonus=10.14, survival=50.0,
              last_survivor_bonus=10.0, firsts=1.0, total=32.0 + 3.6 + 10.14 + 50.0 + 10.0)],
    ),
    "a hit that does not kill, then a ram that does, in one turn: only the ram's bonus": (
        [[hit(1, 0, 15.0), died(0), ram(1, 0, killed=True)]],
        [[0, 1]],
        # tally 15 + 0.6; ram kill bonus 0.3 x 15.6 = 4.68; no bullet kill bonus
        [dict(ZERO, seconds=1.0),
         dict(ZERO, bullet_damage=15.0, ram_damage=1.2, ram_kill_bonus=4.68, survival=50.0,
              last_survivor_bonus=10.0, firsts=1.0, total=15.0 + 1.2 + 4.68 + 50.0 + 10.0)],
    ),
    "both die in one turn, the second by a dead shooter's bullet: two firsts, no survivor": (
        [[hit(0, 1, 3.0), died(1), hit(1, 0, 2.0), died(0)]],
        [[0, 0]],
        [dict(ZERO, bullet_damage=3.0, bullet_kill_bonus=0.6, firsts=1.0, total=3.6),
         dict(ZERO, bullet_damage=2.0, bullet_kill_bonus=0.4, firsts=1.0, total=2.4)],
    ),
    "a death by inactivity: no kill bonus, survival and the last survivor's bonus": (
        [[hit(0, 1, 4.0)], [died(1)]],
        [[1, 1], [1, 0]],
        [dict(ZERO, bullet_damage=4.0, survival=50.0, last_survivor_bonus=10.0, firsts=1.0, total=64.0),
         dict(ZERO, seconds=1.0)],
    ),
}


def reference_score(turns, alive):
    scorer = Scorer(2)
    for events, flags in zip(turns, alive):
        scorer.record(events, [bool(f) for f in flags])
    winner = scorer.finish([bool(f) for f in alive[-1]])
    return scorer.numbers()["components"], winner


def packed(events):
    rows = np.zeros((len(events), layout.EVENT_FIELDS))
    for row, ev in zip(rows, events):
        if isinstance(ev, BulletHitRobot):
            row[:] = [layout.EV_HIT_ROBOT, ev.time, 2, ev.owner, ev.victim, ev.power, ev.damage, 0, 0, 0]
        elif isinstance(ev, RobotRammed):
            row[:] = [layout.EV_RAMMED, ev.time, ev.robot, ev.other, float(ev.killed), 0, 0, 0, 0, 0]
        else:
            row[:] = [layout.EV_DIED, ev.time, ev.robot, 0, 0, 0, 0, 0, 0, 0]
    return rows


def compiled_score(turns, alive):
    stats = np.zeros((2, SCORE_FIELDS))
    robots = np.zeros((2, layout.ROBOT_FIELDS))
    for events, flags in zip(turns, alive):
        robots[:, layout.STATUS] = [layout.ACTIVE if f else layout.DEAD for f in flags]
        record(stats, packed(events), len(events), robots)
    winner = finish(stats, robots)
    return [scoring.components(row) for row in stats], (None if winner < 0 else winner)


@pytest.mark.parametrize("scorer", [reference_score, compiled_score], ids=["reference", "compiled"])
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_hand_worked_scores(case, scorer):
    turns, alive, want = CASES[case]
    got, winner = scorer(turns, alive)
    for robot in range(2):
        assert got[robot] == pytest.approx(want[robot], abs=1e-12), (robot, got[robot])
    survivors = [i for i, f in enumerate(alive[-1]) if f]
    assert winner == (survivors[0] if len(survivors) == 1 else None)


def play(state, commands, order=None, turns=5):
    """Step a hand-built state until the round is over, scoring as the battle does."""
    scorer = Scorer(2)
    for _ in range(turns):
        state, events = step(state, commands, order=order)
        commands = [None, None]
        scorer.record(events, [r.alive for r in state.robots])
        if state.round_over:
            break
    assert state.round_over
    winner = scorer.finish([r.alive for r in state.robots])
    return scorer.numbers()["components"], winner, state


def test_the_killing_shot_scores_only_the_energy_the_victim_had():
    """A power-3 bullet does 4*3 + 2*2 = 16 damage; the victim has 5 left, so the hit scores 5 and the
    kill bonus is 20% of 5 = 1; the shooter also gets 50 for surviving and 10 as the last survivor."""
    shooter = Robot(x=400.0, y=300.0, heading=0.0, gun_heading=0.0, gun_heat=0.0)
    victim = Robot(x=400.0, y=335.0, heading=0.0, gun_heading=0.0, energy=5.0)  # box from y = 317
    state = BattleState(width=800.0, height=600.0, robots=[shooter, victim])
    got, winner, _ = play(state, [Commands(fire=3.0), None])
    assert winner == 0
    assert got[0] == pytest.approx(dict(ZERO, bullet_damage=5.0, bullet_kill_bonus=1.0, survival=50.0,
                                        last_survivor_bonus=10.0, firsts=1.0, total=66.0), abs=1e-12)
    assert got[1] == dict(ZERO, seconds=1.0, total=0.0)


def test_two_bullets_kill_both_robots_in_one_turn_and_the_dead_shooter_still_scores():
    """Two bullets already in flight. Robot 0's (power 1: speed 17, damage 4) goes first and kills robot 1,
    which has 3 left: it scores 3 and a bonus of 0.6, and robot 0 gets 3 x 1 = 3 energy back (2 + 3 = 5).
    Robot 1's (power 2: speed 14, damage 4*2 + 2*1 = 10) then hits robot 0 though its shooter is dead:
    it scores robot 0's 5, and a bonus of 1, and robot 1 gets nothing back. Both died in the turn: a first
    each, no survival, no last survivor."""
    robots = [Robot(x=400.0, y=300.0, heading=0.0, gun_heading=0.0, energy=2.0),
              Robot(x=400.0, y=400.0, heading=0.0, gun_heading=0.0, energy=3.0)]
    bullets = [Bullet("0-2", 0, 400.0, 370.0, 0.0, 1.0), Bullet("1-2", 1, 400.0, 330.0, math.pi, 2.0)]
    state = BattleState(width=800.0, height=600.0, robots=robots, bullets=bullets)
    got, winner, after = play(state, [None, None], order=Order([0, 1], ["0-2", "1-2"]))
    assert winner is None and after.time == 1
    assert [r.energy for r in after.robots] == [0.0, 0.0]
    assert got[0] == pytest.approx(dict(ZERO, bullet_damage=3.0, bullet_kill_bonus=0.6, firsts=1.0, total=3.6),
                                   abs=1e-12)
    assert got[1] == pytest.approx(dict(ZERO, bullet_damage=5.0, bullet_kill_bonus=1.0, firsts=1.0, total=6.0),
                                   abs=1e-12)
