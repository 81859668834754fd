"""Whole battles through the compiled loop give the reference battle's result, round for round."""
import json

import numpy as np
import pytest

from arena.battle import Battle, BattleConfig, Side, run_battle
from arena.cli import main
from arena.fast import battle as fast_battle
from arena.fast.battle import GUN_KINDS, MOVEMENT_KINDS, FastBattle, UnsupportedConfig, run_fast_battle


def assert_same_battle(config):
    want, got = run_battle(config), run_fast_battle(config)
    assert got.summary() == want.summary()
    assert [vars(r) for r in got.rounds] == [vars(r) for r in want.rounds]  # every count and score, exactly
    return got


SURFERS = ("surfer", "surfer-kde", "surfer-bins", "surfer-metric")


@pytest.mark.slow
@pytest.mark.parametrize("gun", sorted(GUN_KINDS))
@pytest.mark.parametrize("movement", sorted(set(MOVEMENT_KINDS) - set(SURFERS)))
def test_every_supported_gun_against_every_supported_movement(gun, movement):
    """Seed 1: a sitting shooter against a target that shoots back head-on (so stop-and-go has shots to
    dodge and bullets meet); seed 2: a shooter that orbits too, against a harmless target."""
    params = {"capacity": 100} if gun.startswith("kde") else {}
    assert_same_battle(BattleConfig(shooter=Side(gun, "duck", gun_params=params), target=Side("head-on", movement),
                                    rounds=1, seed=1))
    assert_same_battle(BattleConfig(shooter=Side(gun, "random-orbit", gun_params=params),
                                    target=Side("none", movement), rounds=1, seed=2))


@pytest.mark.parametrize("config", [
    # virtual waves (a hit window every tick), a big field with slow bullets (arrays grow), odd settings
    BattleConfig(shooter=Side("gf-bins", "stop-and-go", gun_params={"virtual": True, "bins": 31}),
                 target=Side("circular", "oscillator", movement_params={"period": 9, "distance": 250.0}),
                 rounds=2, seed=5, power=3.0),
    BattleConfig(shooter=Side("gf-bins", "duck", gun_params={"virtual": True}),
                 target=Side("linear", "random-orbit", movement_params={"flip": 0.3, "min_speed": 2.0}),
                 rounds=1, seed=6, width=2500.0, height=2000.0, power=3.0),
    BattleConfig(shooter=Side("kde-learned", "oscillator", gun_params={"capacity": 20, "virtual": True}),
                 target=Side("kde", "stop-and-go", gun_params={"capacity": 20}, movement_params={"step": 80.0}),
                 rounds=1, seed=7, width=400.0, height=400.0),
])
def test_unusual_settings_give_the_same_battle(config):
    assert_same_battle(config)


@pytest.mark.slow
@pytest.mark.parametrize("gun, surfer", [(gun, SURFERS[k % len(SURFERS)]) for k, gun in enumerate(sorted(GUN_KINDS))])
def test_every_supported_gun_against_a_surfer_that_shoots_back(gun, surfer):
    params = {"capacity": 100} if gun.startswith("kde") else {}
    assert_same_battle(BattleConfig(shooter=Side(gun, "duck", gun_params=params), target=Side("head-on", surfer),
                                    rounds=1, seed=1))


@pytest.mark.parametrize("config", [
    # both sides fire: the surfer learns from hits (learned, equal-weight and binned danger) and the gun from it
    BattleConfig(shooter=Side("kde-learned", "duck", gun_params={"capacity": 50}), target=Side("circular", "surfer"),
                 rounds=2, seed=11),
    BattleConfig(shooter=Side("head-on", "duck"), target=Side("linear", "surfer-bins"), rounds=3, seed=12),
    BattleConfig(shooter=Side("gf-bins", "random-orbit"), target=Side("head-on", "surfer-kde"), rounds=2, seed=13),
    # two surfers, re-planning every tick and every 7 ticks, on a small field (walls, rams, close waves)
    BattleConfig(shooter=Side("circular", "surfer-bins", movement_params={"replan": 1}),
                 target=Side("kde", "surfer", gun_params={"capacity": 30}, movement_params={"replan": 7,
                                                                                           "distance": 150.0}),
                 rounds=2, seed=14, width=400.0, height=400.0, power=3.0),
    # a shooter that surfs a target which only shoots weak bullets now and then (power 0.1 looks like a drain)
    BattleConfig(shooter=Side("linear", "surfer-kde", movement_params={"lr": 3.0, "bandwidth": 0.2}),
                 target=Side("head-on", "stop-and-go"), rounds=1, seed=15, width=500.0, height=500.0, power=0.1),
])
def test_surfers_give_the_same_battle(config):
    got = assert_same_battle(config)
    assert min(got.total("shots")) > 0 and sum(got.total("hits")) > 0  # both sides fire; bullets hit


def test_the_surfer_learns_the_same_danger_on_both_paths():
    config = BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", "surfer-bins"), rounds=2, seed=2)
    reference = Battle(config)
    reference.run()
    fast = FastBattle(config)
    fast.run()
    want, got = reference.pilots[1].movement.danger.counts, fast.movements[1].danger.counts
    assert want.sum() > 2 and np.array_equal(got, want)  # more than the prior: it was hit and learned


@pytest.mark.parametrize("surfer", ["surfer", "surfer-kde"])
def test_the_kde_learners_end_the_same_on_both_paths(surfer):
    """The loop's compiled learners (the gun's and the surfer's danger model) hold, at the end, exactly the
    state the reference strategies' learners hold: points, logits, optimiser state, and the danger's nodes."""
    config = BattleConfig(shooter=Side("kde-learned", "duck", gun_params={"capacity": 30}),
                          target=Side("head-on", surfer), rounds=3, seed=3)
    reference = Battle(config)
    reference.run()
    fast = FastBattle(config)
    fast.run()
    for want, got in [(reference.pilots[0].gun.learner, fast.guns[0].learner),
                      (reference.pilots[1].movement.danger.learner, fast.movements[1].danger.learner)]:
        assert len(want) > 2  # it learned: more windows than the prior
        for a, b in zip(want.state, got.state):
            assert np.array_equal(a, b)
    assert fast.guns[0].peak == reference.pilots[0].gun.peak
    want_grid, got_grid = reference.pilots[1].movement.danger.grid, fast.movements[1].danger.grid
    assert np.array_equal(np.isnan(want_grid), np.isnan(got_grid)) and (~np.isnan(want_grid)).any()
    assert np.array_equal(want_grid[~np.isnan(want_grid)], got_grid[~np.isnan(got_grid)])


@pytest.mark.parametrize("config, without_situation", [
    # a learned gun against it; a gun learning the metric too (the target tracks the enemy for its gun and
    # itself for its danger) with k nearest; a circular gun
    pytest.param(BattleConfig(shooter=Side("kde-learned", "random-orbit", gun_params={"capacity": 50}),
                              target=Side("head-on", "surfer-metric"), rounds=3, seed=3), False, marks=pytest.mark.slow),
    (BattleConfig(shooter=Side("kde-metric", "random-orbit"),
                  target=Side("kde-metric", "surfer-metric", movement_params={"k": 20}), rounds=2, seed=4), False),
    (BattleConfig(shooter=Side("circular", "random-orbit"), target=Side("circular", "surfer-metric",
                                                                         movement_params={"lr": 0.5, "weight": 1.0}),
                  rounds=2, seed=5), False),
    # shots from 2,600 px fly longer than the 200 ticks of situations kept: a hit without one goes to the prior
    pytest.param(BattleConfig(shooter=Side("circular", "duck"),
                              target=Side("none", "surfer-metric", movement_params={"distance": 2600.0}),
                              rounds=1, seed=4, width=5000.0, height=5000.0, power=3.0), True),
])
def test_the_metric_surfer_gives_the_same_battle_and_learns_the_same(config, without_situation):
    """The battle, the metric model's arrays (weights, optimiser state, points and their situations) and the
    head-on prior's learner and nodes come back from the loop exactly as the reference leaves them."""
    reference = Battle(config)
    want = reference.run()
    fast = FastBattle(config)
    got = fast.run()
    assert got.summary() == want.summary()
    assert [vars(r) for r in got.rounds] == [vars(r) for r in want.rounds]
    want_danger, got_danger = reference.pilots[1].movement.danger, fast.movements[1].danger
    assert len(want_danger.model) > 3  # hits were learned with their situations
    assert (len(want_danger.prior.learner) > 1) == without_situation  # (the prior's own point, and any such hit)
    for a, b in [*zip(want_danger.model.state, got_danger.model.state),
                 *zip(want_danger.prior.learner.state, got_danger.prior.learner.state)]:
        assert np.array_equal(a, b)
    assert np.array_equal(want_danger.prior.grid, got_danger.prior.grid, equal_nan=True)
    assert fast.movements[1].feature_weights() == reference.pilots[1].movement.feature_weights()


def test_run_json_gives_the_metric_surfers_weights_on_the_fast_path(capsys):
    argv = ["run", "--gun", "kde-learned", "--movement", "surfer-metric", "--rounds", "2", "--seed", "6", "--json"]
    code, fast, err = run_cli(capsys, *argv)
    assert code == 0 and "path: fast" in err
    weights = json.loads(fast)["movement_feature_weights"]
    assert len(set(weights.values())) > 1  # learned: they no longer all have their starting value
    code, plain, err = run_cli(capsys, *argv, "--reference")
    assert code == 0 and "path: reference" in err and json.loads(plain) == json.loads(fast)


SITUATIONAL_GUNS = ("kde-knn", "kde-metric", "gf-segmented")
SITUATIONAL_MOVERS = ("adaptive-orbit", "distance-stop-go")


@pytest.mark.parametrize("config", [
    # the learned metric with per-point biases, plain SGD and every point in every query, 3 rounds
    BattleConfig(shooter=Side("kde-metric", "duck", gun_params={"bias": True, "optimizer": "sgd", "k": 0,
                                                                "capacity": 300}),
                 target=Side("none", "adaptive-orbit"), rounds=3, seed=21),
    # a window every tick; the stop-and-go mover stops for the shooter's waves and redraws its distance often
    BattleConfig(shooter=Side("kde-knn", "duck", gun_params={"virtual": True, "k": 10}),
                 target=Side("head-on", "distance-stop-go", movement_params={"redraw": 0.05}), rounds=3, seed=23),
    # a small field (walls: wall reversals, wall segments), few bins, short memory, a shooter that moves
    BattleConfig(shooter=Side("gf-segmented", "stop-and-go", gun_params={"virtual": True, "bins": 15, "depth": 3.0}),
                 target=Side("linear", "adaptive-orbit", movement_params={"flip": 0.1, "wall_angle": 1.0}),
                 rounds=2, seed=24, width=500.0, height=450.0),
    # both sides situation-aware, heavy bullets, capacity reached (eviction)
    BattleConfig(shooter=Side("kde-metric", "distance-stop-go", gun_params={"capacity": 60}),
                 target=Side("gf-segmented", "adaptive-orbit"), rounds=3, seed=25, power=3.0),
    BattleConfig(shooter=Side("kde-knn", "adaptive-orbit", gun_params={"kernel": "epanechnikov", "k": 30}),
                 target=Side("kde-metric", "distance-stop-go", gun_params={"lr": 1.0, "k": 5}), rounds=2, seed=26),
])
def test_situational_strategies_give_the_same_battle(config):
    got = assert_same_battle(config)
    assert sum(got.total("hits")) > 0 and min(got.total("shots")) > 0 or config.target.gun == "none"


@pytest.mark.parametrize("gun", SITUATIONAL_GUNS)
def test_situational_guns_end_with_the_same_learned_state_on_both_paths(gun):
    """The metric model's arrays (weights, optimiser state, points and their situations) and the segmented
    gun's bins come back from the loop exactly as the reference leaves them."""
    config = BattleConfig(shooter=Side(gun, "adaptive-orbit", gun_params={} if gun == "gf-segmented" else
                                       {"capacity": 80}), target=Side("head-on", "distance-stop-go"), rounds=3,
                          seed=27)
    reference = Battle(config)
    reference.run()
    fast = FastBattle(config)
    fast.run()
    want, got = reference.pilots[0].gun, fast.guns[0]
    if gun == "gf-segmented":
        assert want.seen.sum() > 10 and want.segment is not None
        for name in ("stats", "pooled", "seen", "segment"):
            assert np.array_equal(getattr(got, name), getattr(want, name))
    else:
        assert len(want.model) > 10
        for a, b in zip(want.model.state, got.model.state):
            assert np.array_equal(a, b)
        assert got.feature_weights() == want.feature_weights() and got.peak == want.peak
        assert (len(set(want.feature_weights())) > 1) == (gun == "kde-metric")  # only the learned metric moves


def test_distance_stop_go_rounds_half_stops_to_even_on_both_paths():
    """stop_ticks runs compiled in the loop: its int(round(x)) must round a half to even as Python does."""
    from numba import njit

    from arena.strategies.situational_movers import stop_ticks
    compiled = njit(lambda stop, distance, speed: stop_ticks(stop, distance, speed))
    for distance, want in ((1280.0, 2), (3200.0 / 3.5, 4), (3200.0 / 4.5, 4), (640.0, 5)):  # 8 * 400 / d
        assert stop_ticks(8.0, distance, 11.0) == compiled(8.0, distance, 11.0) == want


def test_rounds_carry_learning_over_and_results_are_complete():
    result = assert_same_battle(BattleConfig(shooter=Side("gf-bins", "duck"), target=Side("none", "oscillator"),
                                             rounds=4, seed=3))
    assert [r.round for r in result.rounds] == [0, 1, 2, 3]
    assert all(r.winner == 0 and r.hits[0] > 0 for r in result.rounds)


def test_a_strategy_the_fast_path_cannot_run_is_refused_by_name(monkeypatch):
    monkeypatch.delitem(fast_battle.MOVEMENT_KINDS, "surfer")
    with pytest.raises(UnsupportedConfig, match="target's movement 'surfer'.*random-orbit"):
        run_fast_battle(BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", "surfer"), rounds=1))


def test_a_strategy_grown_a_parameter_the_fast_path_does_not_know_is_refused(monkeypatch):
    real = fast_battle.parameters
    monkeypatch.setattr(fast_battle, "parameters",
                        lambda kind, name: real(kind, name) + ["wobble"] * (name == "oscillator"))
    with pytest.raises(UnsupportedConfig, match="movement 'oscillator' parameters wobble"):
        run_fast_battle(BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", "oscillator"), rounds=1))


def run_cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_fast_flag_prints_the_same_summary(capsys):
    argv = ["run", "--gun", "circular", "--movement", "random-orbit", "--rounds", "2", "--seed", "4", "--json"]
    code, plain, _ = run_cli(capsys, *argv)
    fast_code, fast, err = run_cli(capsys, *argv, "--fast")
    assert code == fast_code == 0
    assert json.loads(fast) == json.loads(plain) and "ticks/s" in err


@pytest.mark.parametrize("extra, words", [(["--movement", "surfer-bins"], "cannot run the target's movement"),
                                          (["--record", "x"], "drop --fast")])
def test_cli_fast_refusals_are_one_line_with_exit_2(capsys, monkeypatch, extra, words):
    monkeypatch.delitem(fast_battle.MOVEMENT_KINDS, "surfer-bins")
    code, out, err = run_cli(capsys, "run", "--fast", "--rounds", "1", *extra)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err
