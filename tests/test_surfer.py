"""The surfer dodges what it has learned, on battles where both sides can fire."""
import math

import numpy as np
import pytest

from arena.battle import Battle, BattleConfig, Side, run_battle
from arena.strategies import StrategyError, make_movement


def hit_rate(gun, movement, rounds=4, seed=1):
    s = run_battle(BattleConfig(shooter=Side(gun, "duck"), target=Side("none", movement),
                                rounds=rounds, seed=seed)).summary()
    return s["hits"] / s["resolved"]


@pytest.mark.slow
@pytest.mark.parametrize("gun", ["head-on", "linear", "circular"])
def test_surfer_is_hit_far_less_than_random_orbit(gun):
    assert hit_rate(gun, "surfer") < 0.5 * hit_rate(gun, "random-orbit")


@pytest.mark.slow
def test_danger_model_learns_where_the_gun_fires():
    battle = Battle(BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", "surfer-bins"),
                                 rounds=3, seed=2))
    battle.run()
    danger = battle.pilots[1].movement.danger
    centres = (danger.edges[:-1] + danger.edges[1:]) / 2
    assert danger.counts.sum() > 1  # more than the head-on prior
    assert abs(centres[np.argmax(danger.counts)]) < 0.15  # head-on bullets hit near GF 0


@pytest.mark.slow
@pytest.mark.timeout(900)  # 100 battles: ~60 s idle, 160 s on a loaded 2-core machine
def test_no_nan_over_100_battles():
    for seed in range(100):
        battle = Battle(BattleConfig(shooter=Side("kde-learned", "surfer"), target=Side("circular", "surfer-kde"),
                                     rounds=1, seed=seed, width=400, height=400))
        def check(b):
            for r in b.state.robots:
                assert all(math.isfinite(v) for v in (r.x, r.y, r.heading, r.velocity, r.energy))
        battle.run(check)
        for pilot in battle.pilots:
            learner = getattr(pilot.gun, "learner", None) or pilot.movement.danger.learner
            assert np.all(np.isfinite(learner.weights()))


@pytest.mark.parametrize("replan", [1, 4, 9])
def test_the_surfer_re_plans_every_replan_ticks_while_its_waves_stay_the_same(replan):
    battle = Battle(BattleConfig(shooter=Side("head-on", "duck"),
                                 target=Side("none", "surfer-bins", movement_params={"replan": replan}),
                                 rounds=1, seed=3))
    plans = []
    battle.run(lambda b: plans.append(b.pilots[1].movement.plan) if not plans or plans[-1] != b.pilots[1].movement.plan
               else None)
    plans = [p for p in plans if p[0]]  # (the empty start-of-round plan)
    gaps = [(now[1] - before[1], now[0] == before[0]) for before, now in zip(plans, plans[1:])]
    assert sum(same for _, same in gaps) > 5 and sum(not same for _, same in gaps) > 5
    assert all(gap == replan for gap, same in gaps if same)  # due again exactly `replan` ticks later
    assert all(gap >= 1 for gap, same in gaps if not same)  # a new wave re-plans at once


@pytest.mark.parametrize("replan", [0, 2.5, -1])
def test_a_replan_period_that_is_not_a_positive_whole_number_is_refused(replan):
    with pytest.raises(StrategyError, match="replan"):
        make_movement("surfer", np.random.default_rng(0), replan=replan)
