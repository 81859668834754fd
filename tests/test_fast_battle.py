"""Whole battles through the compiled loop give the reference battle's result, round for round."""
import json

import pytest

from arena.battle import BattleConfig, Side, run_battle
from arena.cli import main
from arena.fast import battle as fast_battle
from arena.fast.battle import GUN_KINDS, MOVEMENT_KINDS, UnsupportedConfig, run_fast_battle


def assert_same_battle(config):
    want, got = run_battle(config), run_fast_battle(config)
    assert got.summary() == want.summary()
    assert [vars(r) for r in got.rounds] == [vars(r) for r in want.rounds]  # every count and score, exactly
    return got


@pytest.mark.slow
@pytest.mark.parametrize("gun", sorted(GUN_KINDS))
@pytest.mark.parametrize("movement", sorted(MOVEMENT_KINDS))
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


def test_rounds_carry_learning_over_and_results_are_complete():
    result = assert_same_battle(BattleConfig(shooter=Side("gf-bins", "duck"), target=Side("none", "oscillator"),
                                             rounds=4, seed=3))
    assert [r.round for r in result.rounds] == [0, 1, 2, 3]
    assert all(r.winner == 0 and r.hits[0] > 0 for r in result.rounds)


def test_a_strategy_the_fast_path_cannot_run_is_refused_by_name():
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
def test_cli_fast_refusals_are_one_line_with_exit_2(capsys, extra, words):
    code, out, err = run_cli(capsys, "run", "--fast", "--rounds", "1", *extra)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and words in err
