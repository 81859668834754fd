import csv

import numpy as np
import pytest

from arena.cli import main
from arena.lab.experiments import EXPERIMENTS, ExperimentError, run_experiment


def number_or_text(v):
    try:
        return float(v)
    except ValueError:
        return v


def read_csv(path):
    with open(path, newline="") as f:
        return [{k: number_or_text(v) for k, v in r.items()} for r in csv.DictReader(f)]


def test_list_names_every_experiment(capsys):
    assert main(["experiment", "--list"]) == 0
    out = capsys.readouterr().out
    assert [line.split()[0] for line in out.splitlines()] == ["lr-sweep", "near-far", "losses", "laplace-shift",
                                                                 "metric-eval", "features"]


def test_near_far_laplace_step_is_distance_free_and_kernel_scale_is_irrelevant(tmp_path):
    text = run_experiment("near-far", tmp_path)
    folder = tmp_path / "near-far"
    data = read_csv(folder / "data.csv")
    lap = np.array([r["laplace grad_norm"] for r in data])
    gau = np.array([r["gaussian grad_norm"] for r in data])
    assert np.ptp(lap) < 1e-12
    assert np.ptp(gau) > 0.1
    for scaled in ("gaussian x 1e-6", "gaussian x 1e6"):
        assert np.allclose([r[f"{scaled} grad_norm"] for r in data], gau, rtol=0, atol=1e-12)
    lap_loss = [r["laplace loss"] for r in data]
    assert lap_loss[-1] - lap_loss[0] == pytest.approx(10.0, rel=1e-6)  # density falls by e^-d/h, d = 10h
    assert (folder / "near-far.png").read_bytes()[:4] == b"\x89PNG"
    assert (folder / "summary.md").read_text() == text and "![near-far](near-far.png)" in text


def test_laplace_shift_keeps_the_gradient_only_when_every_point_is_on_one_side(tmp_path):
    run_experiment("laplace-shift", tmp_path)
    folder = tmp_path / "laplace-shift"
    data = read_csv(folder / "data.csv")
    assert max(r["laplace, all points on one side"] for r in data) < 1e-12
    assert max(r["gaussian, all points on one side"] for r in data) > 1e-2
    assert max(r["laplace, only the left side of two shifts"] for r in data) > 1e-2
    assert data[-1]["shift"] == pytest.approx(0.2)  # up to the window's edge
    assert (folder / "laplace-shift.png").exists() and (folder / "summary.md").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name, settings, guns", [("lr-sweep", 10, {"kde", "kde-learned"}),
                                                  ("losses", 9, {"kde-learned"})])
def test_battle_experiments_write_figure_summary_and_resumable_battles(tmp_path, capsys, name, settings, guns):
    argv = ["experiment", name, "--out", str(tmp_path), "--seeds", "1", "--rounds", "1", "--workers", "1"]
    assert main(argv) == 0
    folder = tmp_path / name
    battles = read_csv(folder / "battles.csv")
    assert len(battles) == settings and {b["gun"] for b in battles} == guns
    assert len(read_csv(folder / "summary.csv")) == settings
    assert (folder / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    summary = (folder / "summary.md").read_text()
    assert summary.startswith(f"# {name}") and "hit rate (95% CI)" in summary
    assert "Best" not in summary and "n=1 shared seed, no interval" in summary  # one seed: no "best"
    assert main(argv) == 0
    assert len(read_csv(folder / "battles.csv")) == settings
    capsys.readouterr()
    assert main([*argv[:-4], "--rounds", "2", "--workers", "1"]) == 2
    assert "rounds: 1 there, 2 now" in capsys.readouterr().err


def test_bad_experiment_input_is_one_line(tmp_path, capsys):
    assert main(["experiment", "warp-drive", "--out", str(tmp_path)]) == 2
    assert "unknown experiment 'warp-drive'; valid: " + ", ".join(EXPERIMENTS) in capsys.readouterr().err
    assert main(["experiment"]) == 2
    assert "arena experiment --list" in capsys.readouterr().err
    with pytest.raises(ExperimentError, match="seeds must be a whole number within 1"):
        run_experiment("losses", tmp_path, seeds=0)
