"""Whole battles: determinism, Robocode's score, and the guns doing what they are for."""
import json

import pytest

from arena.battle import Battle, BattleConfig, ConfigError, Side, run_battle
from arena.cli import main


def config(gun, movement, seed=1, rounds=3, **kw):
    return BattleConfig(shooter=Side(gun, "duck"), target=Side("none", movement), rounds=rounds, seed=seed, **kw)


def test_same_seed_same_battle_different_seed_different_battle():
    a = run_battle(config("gf-bins", "random-orbit", seed=4)).summary()
    b = run_battle(config("gf-bins", "random-orbit", seed=4)).summary()
    c = run_battle(config("gf-bins", "random-orbit", seed=5)).summary()
    assert a == b
    assert a != c


def test_head_on_hits_a_sitting_duck_with_every_shot():
    s = run_battle(config("head-on", "duck", rounds=4)).summary()
    assert s["resolved"] >= 40 and s["hits"] == s["resolved"] and s["hit_rate"] == 1.0


def test_score_of_a_clean_kill():
    """Power 2 does 10 damage: 100 bullet damage, 20% kill bonus, 50 survival, 10 last-survivor bonus and
    a first; the sitting duck is second."""
    result = run_battle(config("head-on", "duck", rounds=2))
    for r in result.rounds:
        assert r.winner == 0
        assert r.score[0] == pytest.approx(100 + 20 + 50 + 10)
        assert r.score[1] == 0
        assert r.components[0] == pytest.approx({"survival": 50, "last_survivor_bonus": 10, "bullet_damage": 100,
                                                 "bullet_kill_bonus": 20, "ram_damage": 0, "ram_kill_bonus": 0,
                                                 "firsts": 1, "seconds": 0, "total": 180})
        assert r.components[1] == dict.fromkeys(r.components[1], 0.0) | {"seconds": 1.0}
    assert result.score_components()[0]["total"] == pytest.approx(360) and result.score_components()[1]["seconds"] == 2


def test_run_json_gives_score_components_summed_and_per_round(capsys):
    argv = ["run", "--gun", "circular", "--movement", "random-orbit", "--enemy-gun", "circular", "--rounds", "3",
            "--seed", "3", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    rounds = out["round_scores"]
    assert [r["round"] for r in rounds] == [0, 1, 2]
    for robot in range(2):
        summed = out["score_components"][robot]
        for key, value in summed.items():
            assert value == pytest.approx(sum(r["score"][robot][key] for r in rounds))
        assert summed["total"] == pytest.approx(out["score"][robot])
        assert summed["firsts"] == out["wins"][robot]
    assert all(r["winner"] == max((0, 1), key=lambda i: r["score"][i]["firsts"]) for r in rounds)


def hit_rate(gun, movement, seeds=(1, 2), rounds=6):
    hits = resolved = 0
    for seed in seeds:
        s = run_battle(config(gun, movement, seed=seed, rounds=rounds)).summary()
        hits, resolved = hits + s["hits"], resolved + s["resolved"]
    return hits / resolved


@pytest.mark.slow
def test_circular_beats_head_on_against_an_orbiting_target():
    assert hit_rate("circular", "random-orbit") > hit_rate("head-on", "random-orbit") + 0.05


@pytest.mark.slow
def test_gf_bins_beats_head_on_against_an_oscillator():
    assert hit_rate("gf-bins", "oscillator") > hit_rate("head-on", "oscillator") + 0.05


def test_battle_steps_tick_by_tick_like_run():
    cfg = config("linear", "stop-and-go", rounds=2)
    stepped = Battle(cfg)
    while not stepped.finished:
        stepped.start_round()
        while not stepped.state.round_over:
            stepped.tick()
    assert stepped.result.summary() == run_battle(cfg).summary()


@pytest.mark.parametrize("kw, word", [({"rounds": 0}, "rounds"), ({"power": 3.5}, "power"),
                                      ({"width": 300.0}, "400x400"), ({"seed": -1}, "seed")])
def test_bad_settings_are_refused(kw, word):
    base = dict(rounds=1)
    base.update(kw)
    with pytest.raises(ConfigError, match=word):
        BattleConfig(**base).validate()
