import csv
import json
from pathlib import Path

import pytest

from arena.battle import BattleConfig, Side
from arena.cli import main
from arena.commands.common import parse_value
from arena.lab.stats import mean_ci, paired_best, seeds_to_separate
from arena.lab.sweep import summarize
from arena.strategies import StrategyError
from arena.lab.tuning import (TuneError, TuneResult, auto_direction, check_params, fixed_settings, jobs_for, judge,
                              parse_param, verdict)

SMALL = ["--rounds", "1", "--width", "400", "--height", "400", "--workers", "1"]
BASE = BattleConfig(shooter=Side(gun="gf-bins"), target=Side(movement="random-orbit"), rounds=1,
                    width=400, height=400)


def param(text):
    name, _, spec = text.partition("=")
    return parse_param(name, spec, parse_value)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def tune(tmp_path, *args, out="out"):
    return main(["tune", "--out", str(tmp_path / out), *SMALL, *args])


def test_param_specs():
    p = param("lr=0.01,0.1,1")
    assert (p.name, p.target, p.key, p.values, p.is_range) == ("lr", "gun", "lr", (0.01, 0.1, 1), False)
    r = param("lr=0.001:1:log")
    assert (r.low, r.high, r.log, r.integer, r.is_range) == (0.001, 1.0, True, False, True)
    i = param("gun.capacity=50:400:int")
    assert (i.name, i.low, i.high, i.integer) == ("capacity", 50, 400, True)
    m = param("movement.flip=0.02,0.2")
    assert (m.name, m.target, m.key) == ("movement.flip", "movement", "flip")
    assert param("power=1,3").target == "battle"
    assert param("kernel=gaussian,laplace,gaussian").values == ("gaussian", "laplace")


@pytest.mark.parametrize("text, message", [
    ("lr=1:0.1", "low < high"), ("lr=0:1:log", "low > 0"), ("lr=0.1:1:cubic", "unknown range flag"),
    ("lr=0.1,,1", "empty value"), ("lr=a:b", "needs numbers"), ("n=1.5:4:int", "whole bounds"),
    ("robot.lr=1", "movement.NAME"),
])
def test_bad_param_specs(text, message):
    with pytest.raises(TuneError, match=message):
        param(text)


def test_params_are_checked_against_the_strategies():
    with pytest.raises(StrategyError, match="no parameter lr; valid: bins, virtual"):
        check_params([param("lr=0.1")], "gf-bins", "random-orbit")
    with pytest.raises(StrategyError, match="movement 'random-orbit' has no parameter period"):
        check_params([param("movement.period=3")], "gf-bins", "random-orbit")
    with pytest.raises(StrategyError, match="unknown gun"):
        check_params([param("bins=3")], "laser", "random-orbit")
    with pytest.raises(TuneError, match="given twice"):
        check_params([param("bins=3"), param("gun.bins=5")], "gf-bins", "random-orbit")
    with pytest.raises(TuneError, match="at least one --param"):
        check_params([], "gf-bins", "random-orbit")


def test_values_go_where_each_parameter_belongs():
    params = [param("bins=31"), param("movement.flip=0.2"), param("power=3")]
    jobs = jobs_for(BASE, params, {"bins": 31, "movement.flip": 0.2, "power": 3}, [4, 5])
    assert [j.config.seed for j in jobs] == [4, 5]
    c = jobs[0].config
    assert (c.shooter.gun_params, c.target.movement_params, c.power) == ({"bins": 31}, {"flip": 0.2}, 3.0)
    assert jobs[0].setting == (("bins", 31), ("movement.flip", 0.2), ("power", 3))
    assert "power" not in fixed_settings(BASE, params)
    assert auto_direction(params) == "maximize"
    assert auto_direction([param("movement.flip=0.02,0.2"), param("bins=31")]) == "minimize"


def test_grid_writes_battles_summary_and_plot(tmp_path, capsys):
    assert tune(tmp_path, "--gun", "gf-bins", "--param", "gun.bins=11,47", "--param", "movement.flip=0.02,0.3",
                "--seeds", "2") == 0
    out = tmp_path / "out"
    battles = read_csv(out / "battles.csv")
    assert len(battles) == 2 * 2 * 2
    def setting(row):
        return row["bins"], row["movement.flip"]

    assert {setting(b) for b in battles} == {(b, f) for b in ("11", "47") for f in ("0.02", "0.3")}
    summary = read_csv(out / "summary.csv")
    assert len(summary) == 4
    for s in summary:
        mine = [float(b["hit_rate"]) for b in battles if setting(b) == setting(s)]
        assert float(s["hit_rate"]) == pytest.approx(mean_ci(mine)[0])
        assert s["battles"] == "2"
    assert (out / "hit_rate.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (out / "summary.md").read_text()
    assert "| bins | movement.flip | battles | hit rate (95% CI)" in md
    verdict_line = md.strip().splitlines()[-1]
    assert verdict_line.startswith(("Best (highest hit rate): ", "No setting is distinguishable: "))
    assert verdict_line in capsys.readouterr().out
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["fixed"]["gun"] == "gf-bins" and manifest["axes"] == ["bins", "movement.flip"]


def test_rerun_resumes_and_other_fixed_settings_are_refused(tmp_path, capsys):
    assert tune(tmp_path, "--gun", "gf-bins", "--param", "gun.bins=47", "--seeds", "2") == 0
    assert tune(tmp_path, "--gun", "gf-bins", "--param", "gun.bins=47", "--seeds", "3") == 0
    assert "played 1 battle now" in capsys.readouterr().err
    assert tune(tmp_path, "--gun", "gf-bins", "--param", "gun.bins=47", "--seeds", "3", "--power", "3") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("arena: error: ") and "power: 2.0 there, 3.0 now" in err


@pytest.mark.parametrize("args, message", [
    (["--param", "gun.bins=10:60"], "ranges need --optuna"),
    (["--param", "gun.nope=1"], "has no parameter nope"),
    (["--gun", "kde-learned", "--param", "gun.bandwidth=0"], "bandwidth must be within 0.001..1"),
    (["--param", "gun.bins=31", "--seeds", "0"], "seeds must be a whole number within 1..100000"),
    (["--param", "gun.power=9"], "power must be within"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    assert tune(tmp_path, "--gun", "gf-bins", *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("arena: error: ") and message in err
    assert not (tmp_path / "out").exists()


def test_optuna_search_continues_in_the_same_folder(tmp_path, capsys):
    args = ["--gun", "gf-bins", "--param", "gun.bins=5:60:int", "--param", "movement.flip=0.02,0.3", "--optuna",
            "--seeds", "1"]
    assert tune(tmp_path, *args, "--trials", "2") == 0
    out = tmp_path / "out"
    assert len(read_csv(out / "summary.csv")) == 2
    assert tune(tmp_path, *args, "--trials", "3") == 0
    summary = read_csv(out / "summary.csv")
    assert [s["trial"] for s in summary] == ["0", "1", "2"]
    assert all(5 <= int(s["bins"]) <= 60 and s["movement.flip"] in ("0.02", "0.3") for s in summary)
    battles = {(b["bins"], b["movement.flip"]): b["hit_rate"] for b in read_csv(out / "battles.csv")}
    assert all(battles[s["bins"], s["movement.flip"]] == s["hit_rate"] for s in summary)  # 1 seed: mean = it
    assert (out / "optuna.journal").exists() and (out / "hit_rate.png").exists()
    out = capsys.readouterr().out
    assert "(n=1, no interval)" in out and "Best" not in out
    assert "No setting is distinguishable: n=1 shared seed, no interval. The highest mean is trial=" in out


def test_optuna_replays_a_trial_cut_short_by_a_kill(tmp_path):
    import optuna
    from optuna.distributions import IntDistribution
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    out = tmp_path / "out"
    assert tune(tmp_path, "--gun", "gf-bins", "--param", "gun.bins=5:60:int", "--optuna", "--trials", "1",
                "--seeds", "1") == 0
    study = optuna.load_study(study_name="tune",
                              storage=JournalStorage(JournalFileBackend(str(out / "optuna.journal"))))
    stale = study.ask({"bins": IntDistribution(5, 60)})  # left RUNNING, as a killed run leaves it
    assert tune(tmp_path, "--gun", "gf-bins", "--param", "gun.bins=5:60:int", "--optuna", "--trials", "2",
                "--seeds", "1") == 0
    summary = read_csv(out / "summary.csv")
    assert len(summary) == 2 and summary[1]["bins"] == str(stale.params["bins"])


def test_optuna_needs_something_to_search(tmp_path, capsys):
    assert tune(tmp_path, "--gun", "gf-bins", "--param", "gun.bins=31", "--optuna", "--trials", "1") == 2
    assert "needs a parameter to search" in capsys.readouterr().err


def test_settings_come_from_a_toml_file_and_flags_override_it(tmp_path):
    config = tmp_path / "tune.toml"
    config.write_text('gun = "gf-bins"\nseeds = 3\nrounds = 1\nwidth = 400\nheight = 400\nworkers = 1\n'
                      f'out = "{tmp_path / "from-file"}"\n[param]\ngun.bins = [11, 47]\nmovement.flip = 0.3\n')
    assert main(["tune", "--config", str(config), "--seeds", "1", "--param", "gun.bins=31"]) == 0
    battles = read_csv(tmp_path / "from-file" / "battles.csv")
    assert [(b["bins"], b["movement.flip"], b["seed"]) for b in battles] == [("31", "0.3", "1")]
    last = json.loads((tmp_path / "from-file" / "manifest.json").read_text())["last_run"]
    assert last["param"] == {"gun.bins": "31", "movement.flip": "0.3"}


def test_unknown_config_key_is_one_line(tmp_path, capsys):
    config = tmp_path / "tune.toml"
    config.write_text('sedes = 3\n')
    assert main(["tune", "--config", str(config), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown setting 'sedes'" in err
    assert not Path(tmp_path / "x").exists()


# Paired "best": hand-made hit rates by seed where the answer is known.
SEEDS = [1, 2, 3, 4, 5]


def by_seed(values):
    return dict(zip(SEEDS, values))


def test_a_clearly_separated_setting_is_best():
    base = [0.20, 0.35, 0.15, 0.30, 0.25]  # seeds differ a lot; the pairing removes that
    values = {"a": by_seed([b + d for b, d in zip(base, [0.10, 0.11, 0.09, 0.10, 0.10])]),
              "b": by_seed(base), "c": by_seed([b - 0.05 for b in base])}
    result = paired_best(values)
    assert result.best == "a" and all(c.separated for c in result.comparisons)
    assert result.closest.other == "b" and result.closest.mean == pytest.approx(0.10)


def test_overlapping_settings_are_not_distinguishable_and_the_seeds_needed_are_estimated():
    # Differences a - b by seed: +0.05 -0.04 +0.03 -0.02 +0.01: mean 0.006, sd 0.0365 (by hand).
    b = [0.30, 0.30, 0.30, 0.30, 0.30]
    values = {"a": by_seed([0.35, 0.26, 0.33, 0.28, 0.31]), "b": by_seed(b)}
    result = paired_best(values)
    assert result.leader == "a" and result.best is None
    close = result.closest
    assert close.mean == pytest.approx(0.006) and close.lo < 0 < close.hi
    # 1.977 * 0.0365 / sqrt(n) < 0.006 first holds near n = 145.
    assert 135 <= close.needed <= 160


def test_best_must_beat_every_other_setting_not_only_the_worst():
    values = {"a": by_seed([0.50, 0.52, 0.49, 0.51, 0.50]), "b": by_seed([0.10] * 5),
              "c": by_seed([0.52, 0.49, 0.50, 0.50, 0.48])}
    result = paired_best(values)
    assert result.leader == "a" and result.best is None and result.closest.other == "c"


def test_minimizing_picks_the_lowest_and_one_seed_gives_no_interval():
    values = {"a": by_seed([0.1, 0.1, 0.1, 0.1, 0.1]), "b": by_seed([0.3, 0.31, 0.29, 0.3, 0.3])}
    assert paired_best(values, maximize=False).best == "a"
    single = paired_best({"a": {1: 0.4}, "b": {1: 0.1}})
    assert single.leader == "a" and single.best is None
    assert single.closest.seeds == 1 and single.closest.lo is None and single.closest.needed is None


def test_seeds_to_separate_edge_cases():
    assert seeds_to_separate([0.1]) is None
    assert seeds_to_separate([0.1, -0.1]) is None  # mean 0: no size would separate it
    assert seeds_to_separate([0.1, 0.1, 0.1]) == 2  # no spread at all
    # mean 0.2, sd 0.1414: t(3) * sd / 2 = 0.225 still too wide at n = 4, t(4) * sd / sqrt(5) = 0.176 fits.
    assert seeds_to_separate([0.1, 0.3]) == 5
    assert seeds_to_separate([0.1, -0.05]) > 50  # mean 0.025, sd 0.106: about (1.96 * 0.106 / 0.025)^2


def tune_result(hit_rates: dict, seeds):
    rows = [{"lr": lr, "seed": s, "hit_rate": h, "bullet_damage_per_round": 0.0, "hits": 0, "resolved": 1,
             "seconds": 0.0} for lr, hs in hit_rates.items() for s, h in zip(seeds, hs)]
    summary = summarize(rows, ["lr"])
    best, paired = judge(summary, rows, ["lr"], "maximize")
    return TuneResult("grid", BASE, [param("lr=" + ",".join(str(k) for k in hit_rates))], list(seeds), ["lr"],
                      summary, best, "maximize", len(rows), paired)


def test_verdict_wording():
    separated = verdict(tune_result({0.3: [0.1, 0.2, 0.15], 3: [0.3, 0.42, 0.33]}, [1, 2, 3]))
    assert separated.startswith("Best (highest hit rate): lr=3: 35.0% [") and "same 3 seeds" in separated
    assert "over lr=0.3" in separated
    overlapping = verdict(tune_result({0.3: [0.0, 0.6, 0.2], 3: [0.3, 0.1, 0.3]}, [1, 2, 3]))
    assert overlapping.startswith("No setting is distinguishable: the highest mean, lr=0.3 (26.7% [")
    assert "about" in overlapping and "seeds would be needed" in overlapping
    single = verdict(tune_result({0.3: [0.2], 3: [0.1]}, [1]))
    assert single.startswith("No setting is distinguishable: n=1 shared seed, no interval.")
    assert "lr=0.3: 20.0% (n=1, no interval)" in single
