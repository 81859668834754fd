import csv

import pytest

from arena.battle import BattleConfig, Side
from arena.cli import main
from arena.commands.common import parse_value
from arena.lab.compare import MatrixError, matrix_jobs, scoped_params
from arena.lab.stats import mean_ci
from arena.strategies import StrategyError

SMALL = ["--rounds", "1", "--width", "400", "--height", "400", "--workers", "1"]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def compare(tmp_path, *args):
    return main(["compare", "--out", str(tmp_path / "out"), *SMALL, *args])


@pytest.mark.slow
def test_matrix_cells_are_means_over_the_battles(tmp_path, capsys):
    assert compare(tmp_path, "--gun", "head-on,gf-bins", "--movement", "oscillator,random-orbit",
                   "--seeds", "2") == 0
    out = tmp_path / "out"
    battles = read_csv(out / "battles.csv")
    assert len(battles) == 2 * 2 * 2
    cells = read_csv(out / "matrix.csv")
    assert [(c["gun"], c["movement"]) for c in cells] == [
        ("head-on", "oscillator"), ("head-on", "random-orbit"), ("gf-bins", "oscillator"), ("gf-bins", "random-orbit")]
    for c in cells:
        mine = [b for b in battles if (b["gun"], b["movement"]) == (c["gun"], c["movement"])]
        assert sorted(b["seed"] for b in mine) == ["1", "2"]
        hit = mean_ci([float(b["hit_rate"]) for b in mine])
        dmg = mean_ci([float(b["bullet_damage_per_round"]) for b in mine])
        assert float(c["hit_rate"]) == pytest.approx(hit[0])
        assert float(c["damage_per_round"]) == pytest.approx(dmg[0])
        assert float(c["damage_hi"]) == pytest.approx(dmg[2])
    md = (out / "matrix.md").read_text()
    assert "## Hit rate" in md and "## Bullet damage per round" in md
    assert "| gun \\ movement | oscillator | random-orbit |" in md
    assert (out / "matrix.png").read_bytes()[:4] == b"\x89PNG"
    assert "## Hit rate" in capsys.readouterr().out


@pytest.mark.slow
def test_adding_a_gun_only_plays_its_battles(tmp_path, capsys):
    assert compare(tmp_path, "--gun", "head-on", "--movement", "oscillator", "--seeds", "2") == 0
    assert compare(tmp_path, "--gun", "head-on,linear", "--movement", "oscillator", "--seeds", "2") == 0
    assert "played 2 battles now" in capsys.readouterr().err
    assert len(read_csv(tmp_path / "out" / "battles.csv")) == 4
    assert compare(tmp_path, "--gun", "head-on", "--movement", "oscillator", "--seeds", "2",
                   "--param", "movement.oscillator.period=10") == 2
    assert "other settings (params" in capsys.readouterr().err


def test_scoped_params_reach_their_strategy_only():
    params = scoped_params({"gf-bins.bins": "31", "random-orbit.flip": "0.2"}, ["head-on", "gf-bins"],
                           ["random-orbit"], parse_value)
    assert params == {"gf-bins": {"bins": 31}, "random-orbit": {"flip": 0.2}}
    base = BattleConfig(shooter=Side(), target=Side(), rounds=1)
    jobs = matrix_jobs(base, ["head-on", "gf-bins"], ["random-orbit"], [1], params)
    assert [(j.config.shooter.gun, j.config.shooter.gun_params) for j in jobs] == [
        ("head-on", {}), ("gf-bins", {"bins": 31})]
    assert all(j.config.target.movement_params == {"flip": 0.2} for j in jobs)
    with pytest.raises(MatrixError, match="STRATEGY.NAME"):
        scoped_params({"kde.lr": "1"}, ["head-on"], ["random-orbit"], parse_value)
    with pytest.raises(StrategyError, match="no parameter lr"):
        scoped_params({"head-on.lr": "1"}, ["head-on"], ["random-orbit"], parse_value)


@pytest.mark.parametrize("args, message", [
    (["--gun", "laser", "--movement", "oscillator"], "unknown gun 'laser'"),
    (["--gun", "head-on,head-on", "--movement", "oscillator"], "listed twice"),
    (["--gun", "head-on", "--movement", "teleport"], "unknown movement 'teleport'"),
])
def test_bad_matrix_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    assert compare(tmp_path, *args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_compare_settings_from_toml(tmp_path):
    config = tmp_path / "compare.toml"
    config.write_text(f'gun = ["head-on"]\nmovement = "oscillator,stop-and-go"\nseeds = 1\nrounds = 1\n'
                      f'width = 400\nheight = 400\nworkers = 1\nout = "{tmp_path / "m"}"\n'
                      '[param]\nmovement.period = 12\n')
    assert main(["compare", "--config", str(config)]) == 0
    cells = read_csv(tmp_path / "m" / "matrix.csv")
    assert [(c["gun"], c["movement"]) for c in cells] == [("head-on", "oscillator"), ("head-on", "stop-and-go")]
