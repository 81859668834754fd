"""Rumble: bots, side swapping, the Bradley-Terry rating on tournaments whose answer is known, aggregation
by hand, the resumable round robin (also killed mid-way), failures recorded per battle, and the CLI."""
import csv
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from arena.battle import BattleConfig, run_battle
from arena.bots import Bot, BotError, bot_from_table, pairing_config, parse_bot, swapped
from arena.cli import main
from arena.commands.rumble import DEFAULT_FIELD
from arena.lab.rumble import (RumbleError, RumbleResult, aps_share, bradley_terry, elo, rumble, rumble_row,
                              write_reports)
from arena.lab.sweep import BATTLES

from conftest import REPO

SMALL = {"width": 400.0, "height": 400.0}
GUN = f"{REPO}/examples/lead_gun.py:LeadGun"
MOVE = f"{REPO}/examples/zigzag.py:ZigZag"


def test_bradley_terry_recovers_known_strengths_from_exact_shares():
    p = np.array([8.0, 4.0, 2.0, 1.0])
    shares = p[:, None] / (p[:, None] + p[None, :])
    games = 10 * (1 - np.eye(4))
    fitted = bradley_terry(shares * games, games, prior=0.0)
    assert fitted / fitted[3] == pytest.approx(p, rel=1e-9)
    ratings = elo(fitted)
    assert ratings.mean() == pytest.approx(1500.0)
    assert ratings[0] - ratings[3] == pytest.approx(400 * math.log10(8))  # 361.2 Elo points for odds of 8:1


def test_bradley_terry_ranks_a_hand_made_tournament_and_keeps_a_perfect_bot_finite():
    # A takes every point from everyone; B beats C and D 70:30; C beats D 60:40.
    shares = np.array([[0, 1.0, 1.0, 1.0], [0, 0, 0.7, 0.7], [0, 0.3, 0, 0.6], [0, 0.3, 0.4, 0]])
    shares[np.tril_indices(4, -1)] = 1 - shares.T[np.tril_indices(4, -1)]
    games = 5 * (1 - np.eye(4))
    ratings = elo(bradley_terry(shares * games, games))
    assert list(np.argsort(-ratings)) == [0, 1, 2, 3]
    assert np.all(np.isfinite(ratings)) and ratings[0] - ratings[1] > 400


def test_a_share_of_nothing_is_even():
    assert aps_share(30.0, 10.0) == 0.75 and aps_share(0.0, 0.0) == 0.5


def row(a, b, seed, score_a, score_b, wins_a, wins_b, rounds=10, error=""):
    zero = {f"{k}_{s}": 0 for k in ("damage", "shots", "hits", "resolved") for s in "ab"}
    return {**zero, "a": a.definition, "b": b.definition, "seed": seed, "rounds": rounds, "score_a": score_a,
            "score_b": score_b, "wins_a": wins_a, "wins_b": wins_b, "ticks": 1, "seconds": 0.0, "path": "fast",
            "error": error}


def test_ranking_averages_shares_over_opponents_and_seeds_by_hand():
    x, y, z = parse_bot("head-on+duck"), parse_bot("linear+duck"), parse_bot("circular+duck")
    rows = [row(x, y, 1, 300, 100, 8, 2), row(x, z, 1, 100, 100, 5, 5), row(y, z, 1, 0, 100, 0, 10),
            row(x, y, 2, 100, 100, 6, 4), row(x, z, 2, 200, 0, 10, 0), row(y, z, 2, 50, 50, 5, 5),
            row(x, y, 3, 1, 1, 1, 1, error="plugin 'p' raised in act: boom")]
    result = RumbleResult([x, y, z], [1, 2, 3], 10, rows, played=0)
    ranking = {r["bot"]: r for r in result.ranking}
    # x: seed 1 (0.75 + 0.5)/2 = 0.625, seed 2 (0.5 + 1)/2 = 0.75; mean 0.6875
    assert ranking["head-on+duck"]["aps"] == pytest.approx(0.6875)
    # t interval with 1 df: 0.6875 +- 12.706 * sd/sqrt(2), sd = 0.0884
    assert ranking["head-on+duck"]["aps_hi"] == pytest.approx(min(1.0, 0.6875 + 12.7062 * 0.0625), abs=1e-3)
    # y: seed 1 (0.25 + 0)/2, seed 2 (0.5 + 0.5)/2 -> 0.3125; survival (0.2 + 0)/2 = 0.1, (0.4 + 0.5)/2 = 0.45
    assert ranking["linear+duck"]["aps"] == pytest.approx(0.3125)
    assert ranking["linear+duck"]["survival"] == pytest.approx(0.275)
    assert [r["bot"] for r in result.ranking][0] == "head-on+duck"
    assert ranking["head-on+duck"]["failed"] == 1 and ranking["head-on+duck"]["battles"] == 4
    cells = result.pairings
    assert cells[0, 1]["aps"] == pytest.approx((0.75 + 0.5) / 2) and cells[1, 0]["aps"] == pytest.approx(0.375)
    # rating interval: jackknife over the two seeds, t(1 df) = 12.706: half-width 12.706 * |r(1) - r(2)| / 2
    by_seed = result.ratings([1]), result.ratings([2])
    half = 12.7062 * abs(by_seed[0][0] - by_seed[1][0]) / 2
    assert ranking["head-on+duck"]["rating_hi"] - ranking["head-on+duck"]["rating"] == pytest.approx(half, rel=1e-4)
    assert ranking["head-on+duck"]["rating"] == pytest.approx(result.ratings([1, 2])[0])
    one_seed = RumbleResult([x, y, z], [1], 10, rows[:3], played=0).ranking[0]
    assert one_seed["bot"] == "circular+duck"  # seed 1 alone: (0.5 + 1)/2 beats head-on's (0.75 + 0.5)/2
    assert one_seed["aps"] == pytest.approx(0.75) and math.isnan(one_seed["aps_lo"])  # no interval from one seed
    assert math.isnan(one_seed["rating_lo"])


def test_bots_from_text_tables_and_plugins():
    assert parse_bot("kde-learned+surfer") == Bot("kde-learned+surfer", "kde-learned", "surfer")
    table = bot_from_table("mine", {"gun": {"name": "kde-learned", "lr": 3}, "movement": "surfer",
                                    "movement_params": {"lr": 1}}, "f.toml")
    assert table.definition == 'kde-learned{"lr":3}+surfer{"lr":1}'
    assert parse_bot("mine", {"mine": table}) is table
    with pytest.raises(BotError, match="write GUN\\+MOVEMENT"):
        parse_bot("circular")
    with pytest.raises(BotError, match="unknown key colour"):
        bot_from_table("x", {"gun": "circular", "movement": "duck", "colour": "red"}, "f.toml")


def test_sides_swap_on_even_seeds_and_the_row_is_told_from_each_bots_side():
    a, b = parse_bot("circular+random-orbit"), parse_bot("head-on+oscillator")
    odd, even = pairing_config(a, b, 1, 2, **SMALL), pairing_config(a, b, 2, 2, **SMALL)
    assert (odd.shooter.gun, swapped(1), even.shooter.gun, swapped(2)) == ("circular", False, "head-on", True)
    for config, a_index in ((odd, 0), (even, 1)):
        result = run_battle(config)
        r = rumble_row(config)
        assert r["score_a"] == pytest.approx(result.total("score")[a_index])
        assert r["score_b"] == pytest.approx(result.total("score")[1 - a_index])
        assert r["hits_a"] == result.total("hits")[a_index]
        assert r["wins_a"] == sum(x.winner == a_index for x in result.rounds)


def test_a_field_of_one_or_a_bot_listed_twice_is_refused(tmp_path):
    with pytest.raises(RumbleError, match="at least two"):
        rumble(tmp_path / "r", [parse_bot("circular+duck")], [1], 1)
    with pytest.raises(RumbleError, match="same bot"):
        rumble(tmp_path / "r", [parse_bot("circular+duck"), Bot("again", "circular", "duck")], [1], 1)
    assert not (tmp_path / "r").exists()


BOT_PLUGIN = """
import sys
sys.path.insert(0, {examples!r})
from lead_gun import LeadGun
class Leader:
    gun = LeadGun
    movement = "random-orbit"
    gun_params = {{"smoothing": 0.3}}
"""


def test_a_small_rumble_with_plugins_in_a_pool_writes_every_report_and_resumes(tmp_path):
    plugin = tmp_path / "bot.py"
    plugin.write_text(BOT_PLUGIN.format(examples=str(REPO / "examples")))
    bots = [parse_bot(f"{GUN}+{MOVE}"), parse_bot("circular+random-orbit"), parse_bot(f"{plugin}:Leader")]
    assert bots[2].gun.endswith("lead_gun.py:LeadGun") and bots[2].gun_params == {"smoothing": 0.3}
    out = tmp_path / "r"
    result = rumble(out, bots, [1, 2], 2, workers=2, **SMALL)
    assert result.played == 6 and not result.failed
    assert {r["path"] for r in result.rows if "LeadGun" in r["a"] + r["b"]} == {"reference"}
    paths = write_reports(out, result)
    assert all(p.exists() and p.stat().st_size > 0 for p in paths)
    report = (out / "rumble.md").read_text()
    assert "## Ranking" in report and "APS" in report and "rating" in report and "Bradley-Terry" in report
    again = rumble(out, bots, [1, 2, 3], 2, workers=1, **SMALL)
    assert again.played == 3 and len(again.rows) == 9
    # the shares of a pairing sum to one on every battle
    for r in again.rows:
        assert aps_share(r["score_a"], r["score_b"]) + aps_share(r["score_b"], r["score_a"]) == pytest.approx(1)


RAISES_LATE = """
from arena.strategies.head_on import HeadOnGun
class Late(HeadOnGun):
    def aim(self, obs):
        if obs.round == 1 and obs.time > 20:
            raise RuntimeError("tired")
        return super().aim(obs)
"""


def test_a_plugin_raising_mid_battle_is_recorded_in_its_rows_and_the_rest_play(tmp_path, capsys):
    plugin = tmp_path / "late.py"
    plugin.write_text(RAISES_LATE)
    field = f"{plugin}:Late+duck,circular+random-orbit,head-on+oscillator"
    out = tmp_path / "r"
    assert main(["rumble", "--bots", field, "--seeds", "2", "--rounds", "2", "--width", "400", "--height", "400",
                 "--workers", "2", "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "plugin bots run on the reference path" in err and "4 battles failed" in err
    with open(out / BATTLES, newline="") as f:
        rows = list(csv.DictReader(f))
    failed = [r for r in rows if r["error"]]
    assert len(rows) == 6 and len(failed) == 4
    assert all(f"plugin '{plugin}:Late' raised in act: RuntimeError: tired" in r["error"] for r in failed)
    assert "## Failed battles" in (out / "rumble.md").read_text()


def test_bots_from_a_config_file(tmp_path, capsys):
    config = tmp_path / "rumble.toml"
    config.write_text('seeds = 1\nrounds = 1\nwidth = 400\nheight = 400\nworkers = 1\n'
                      f'out = "{tmp_path / "r"}"\n'
                      '[bots.bins31]\ngun = { name = "gf-bins", bins = 31 }\nmovement = "random-orbit"\n'
                      '[bots.lead]\ngun = "head-on"\nmovement = "oscillator"\nmovement_params = { period = 20 }\n')
    assert main(["rumble", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert "bins31" in out and "lead" in out


@pytest.mark.parametrize("bots, message", [
    ("circular", "write GUN+MOVEMENT"),
    ("circular+duck,bazooka+duck", "bot 'bazooka+duck': unknown gun 'bazooka'"),
    ("circular+duck,no/such.py:Bot", "no such file"),
])
def test_bad_bots_are_one_line_and_exit_2(tmp_path, capsys, bots, message):
    assert main(["rumble", "--bots", bots, "--seeds", "1", "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "r").exists()


def test_the_default_field_covers_every_classic_gun_and_movement():
    bots = [parse_bot(b) for b in DEFAULT_FIELD]
    assert len(bots) >= 8
    assert {"head-on", "linear", "circular", "gf-bins", "kde", "kde-learned"} <= {b.gun for b in bots}
    assert {"duck", "oscillator", "random-orbit", "stop-and-go", "surfer"} <= {b.movement for b in bots}
    for bot in bots:
        bot.check()


def killed_after(cmd: list[str], csv_path, rows: int) -> str:
    """Start `cmd`, SIGKILL it once `csv_path` holds more than `rows` lines; the complete lines it left."""
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if csv_path.exists() and csv_path.read_text().count("\n") > rows:
            proc.send_signal(signal.SIGKILL)
        time.sleep(0.005)
    assert proc.wait() == -signal.SIGKILL, "the rumble finished before it could be killed"
    text = csv_path.read_text()
    return text[: text.rfind("\n") + 1]


@pytest.mark.slow
def test_a_killed_rumble_keeps_its_rows_and_the_rerun_finishes(tmp_path):
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "arena.cli", "rumble", "--bots",
           "head-on+random-orbit,circular+oscillator,linear+stop-and-go,gf-bins+random-orbit", "--seeds", "8",
           "--rounds", "1", "--width", "400", "--height", "400", "--workers", "1", "--out", str(out)]
    kept = killed_after(cmd, out / BATTLES, 5)
    assert 5 < len(kept.splitlines()) < 49
    subprocess.run(cmd, env={**os.environ, "PYTHONPATH": str(REPO)}, check=True, capture_output=True)
    assert (out / BATTLES).read_text().startswith(kept)
    with open(out / BATTLES, newline="") as f:
        keys = sorted((r["a"], r["b"], int(r["seed"])) for r in csv.DictReader(f))
    assert len(keys) == 6 * 8 == len(set(keys))
    assert (out / "rumble.md").exists()
