"""The dispatch: the fast path whenever check_supported accepts a battle, the reference otherwise, the same
result either way, and every command says (or records) which engine ran."""
import csv
import json

import pytest

from arena import fast, play
from arena.battle import BattleConfig, Side, run_battle
from arena.cli import main
from arena.fast import battle as fast_battle
from arena.strategies import StrategyError
from conftest import REPO

CIRCULAR = BattleConfig(shooter=Side("circular", "duck"), target=Side("none", "random-orbit"), rounds=2, seed=4)
ZIGZAG = f"{REPO}/examples/zigzag.py:ZigZag"  # a plugin: the fast path runs only the built-in strategies
PLUGIN = BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", ZIGZAG), rounds=1)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_supported_battle_goes_fast_and_an_unsupported_one_falls_back_saying_why():
    assert play.choose(CIRCULAR) == play.BattlePath("fast", "compiled")
    path = play.choose(PLUGIN)
    assert path.name == "reference" and f"target's movement '{ZIGZAG}'" in path.reason
    assert fast.supports(PLUGIN) == (False, path.reason)
    assert play.choose(CIRCULAR, reference=True) == play.BattlePath("reference", "asked for")


def test_the_choice_follows_check_supported(monkeypatch):
    """The dispatch holds no list of its own: whatever check_supported accepts runs fast, and nothing else."""
    def refuse_all(config):
        raise fast_battle.UnsupportedConfig("nothing today")
    monkeypatch.setattr(fast_battle, "check_supported", refuse_all)
    assert play.choose(CIRCULAR) == play.BattlePath("reference", "nothing today")
    monkeypatch.setattr(fast_battle, "check_supported", lambda config: None)
    assert play.choose(PLUGIN).name == "fast"


def test_a_bad_strategy_is_its_own_error_before_any_path_is_named():
    with pytest.raises(StrategyError, match="unknown gun 'laser'"):
        play.choose(BattleConfig(shooter=Side("laser", "duck")))


@pytest.mark.parametrize("config", [CIRCULAR, PLUGIN], ids=["fast", "fallback"])
def test_play_gives_the_reference_result_on_either_path(config):
    result, path = play.play(config)
    assert path == play.choose(config)
    want = run_battle(config)
    assert result.summary() == want.summary() and [vars(r) for r in result.rounds] == [vars(r) for r in want.rounds]


@pytest.mark.parametrize("argv", [
    ["--gun", "circular", "--movement", "random-orbit", "--rounds", "2", "--seed", "4"],
    ["--gun", "kde-learned", "--param", "gun.capacity=30", "--movement", "stop-and-go", "--enemy-gun", "head-on",
     "--rounds", "1", "--seed", "3"],
])
def test_arena_run_prints_the_same_summary_with_and_without_reference(capsys, argv):
    code, fast_out, fast_err = run_cli(capsys, "run", *argv)
    ref_code, ref_out, ref_err = run_cli(capsys, "run", *argv, "--reference")
    assert code == ref_code == 0
    assert fast_out == ref_out and "hit rate" in fast_out
    assert fast_err.splitlines()[0] == "path: fast (compiled)"
    assert ref_err.splitlines()[0] == "path: reference (asked for)"
    _, fast_json, _ = run_cli(capsys, "run", *argv, "--json")
    _, ref_json, _ = run_cli(capsys, "run", *argv, "--json", "--reference")
    assert json.loads(fast_json) == json.loads(ref_json)


def test_arena_run_says_why_it_fell_back_or_stayed_on_the_reference(capsys, tmp_path):
    code, _, err = run_cli(capsys, "run", "--movement", ZIGZAG, "--rounds", "1")
    assert code == 0
    assert err.startswith(f"path: reference (the fast path cannot run the target's movement '{ZIGZAG}'")
    code, _, err = run_cli(capsys, "run", "--rounds", "1", "--record", str(tmp_path / "r"))
    assert code == 0 and err.startswith("path: reference (--record needs every tick's state")


@pytest.mark.parametrize("extra", [["--fast", "--reference"], ["--reference", "--fast"]])
def test_fast_and_reference_together_is_one_line_and_exit_2(capsys, extra):
    assert main(["run", "--rounds", "1", *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("arena: error: run: argument") and "not allowed with" in err


def battles(folder):
    with open(folder / "battles.csv", newline="") as f:
        return list(csv.DictReader(f))


def test_tune_rows_are_identical_on_both_paths_and_record_which_ran(tmp_path, capsys):
    args = ["tune", "--gun", "kde-learned", "--param", "gun.lr=1,3", "--param", "gun.capacity=30", "--movement",
            "oscillator", "--seeds", "2", "--rounds", "1", "--width", "400", "--height", "400", "--workers", "1"]
    assert main([*args, "--out", str(tmp_path / "fast")]) == 0
    assert main([*args, "--out", str(tmp_path / "ref"), "--reference"]) == 0
    capsys.readouterr()
    fast_rows, ref_rows = battles(tmp_path / "fast"), battles(tmp_path / "ref")
    assert len(fast_rows) == 4 and {r["path"] for r in fast_rows} == {"fast"}
    assert {r["path"] for r in ref_rows} == {"reference"}

    def results(rows):
        return [{k: v for k, v in r.items() if k not in ("seconds", "path")} for r in rows]
    assert results(fast_rows) == results(ref_rows)
    assert len({r["hit_rate"] for r in fast_rows}) > 1  # the settings and seeds really differ
