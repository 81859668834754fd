import csv
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from arena.battle import BattleConfig, Side
from arena.errors import ArenaError
from arena.lab.stats import mean_ci
from arena.lab.sweep import BATTLES, Job, ResultStore, SweepError, run_jobs, summarize

REPO = Path(__file__).resolve().parents[1]
BASE = BattleConfig(shooter=Side(gun="gf-bins"), target=Side(movement="random-orbit"), rounds=1,
                    width=400, height=400)
FIXED = {"rounds": 1}


def jobs(bins=(31, 47), seeds=(1, 2)):
    return [Job((("bins", b),), replace(BASE, seed=s, shooter=replace(BASE.shooter, gun_params={"bins": b})))
            for b in bins for s in seeds]


def csv_rows(folder):
    with open(Path(folder) / BATTLES, newline="") as f:
        return list(csv.DictReader(f))


def without_seconds(rows):
    return [{k: v for k, v in r.items() if k != "seconds"} for r in rows]


def test_rows_are_written_once_and_a_rerun_plays_nothing(tmp_path):
    rows, played = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(), workers=1)
    assert played == 4
    assert [(r["bins"], r["seed"]) for r in rows] == [(31, 1), (31, 2), (47, 1), (47, 2)]
    assert len(csv_rows(tmp_path)) == 4
    again, played = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(), workers=1)
    assert played == 0
    assert again == rows
    assert len(csv_rows(tmp_path)) == 4


def test_more_seeds_or_values_only_play_the_new_battles(tmp_path):
    run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(bins=(31,), seeds=(1,)), workers=1)
    _, played = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(bins=(31, 47), seeds=(1, 2)), workers=1)
    assert played == 3
    keys = [(r["bins"], r["seed"]) for r in csv_rows(tmp_path)]
    assert sorted(keys) == [("31", "1"), ("31", "2"), ("47", "1"), ("47", "2")]


def test_a_folder_made_with_other_fixed_settings_is_refused(tmp_path):
    run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(seeds=(1,)), workers=1)
    with pytest.raises(SweepError, match=r"rounds: 1 there, 2 now"):
        ResultStore(tmp_path, "t", {"rounds": 2}, ["bins"])
    with pytest.raises(SweepError, match="sweeping bins, not lr"):
        ResultStore(tmp_path, "t", FIXED, ["lr"])
    with pytest.raises(SweepError, match="`arena t` results"):
        ResultStore(tmp_path, "other", FIXED, ["bins"])


def test_a_row_cut_short_by_a_kill_is_dropped_and_replayed(tmp_path):
    rows, _ = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(), workers=1)
    path = tmp_path / BATTLES
    complete = path.read_text()
    lines = complete.splitlines(keepends=True)
    path.write_text("".join(lines[:-1]) + lines[-1][:20])  # the last row half written
    again, played = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(), workers=1)
    assert played == 1
    assert without_seconds(again) == without_seconds(rows)
    assert path.read_text().startswith("".join(lines[:-1]))
    assert len(csv_rows(tmp_path)) == 4


def test_a_corrupt_row_is_one_clear_error(tmp_path):
    run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(seeds=(1,)), workers=1)
    with open(tmp_path / BATTLES, "a") as f:
        f.write("31,9,oops\n")
    with pytest.raises(SweepError, match="line 4 is corrupt"):
        ResultStore(tmp_path, "t", FIXED, ["bins"])


def test_a_setting_named_like_a_result_column_is_refused(tmp_path):
    with pytest.raises(SweepError, match="clashes"):
        ResultStore(tmp_path, "t", FIXED, ["hits"])


def _hold(folder, ready, release):
    store = ResultStore(folder, "t", FIXED, ["bins"])
    ready.set()
    release.wait(10)
    store.close()


def test_two_runs_cannot_share_a_folder(tmp_path):
    ctx = multiprocessing.get_context("fork")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold, args=(tmp_path, ready, release))
    holder.start()
    try:
        assert ready.wait(10)
        with pytest.raises(SweepError, match="in use by another run"):
            ResultStore(tmp_path, "t", FIXED, ["bins"])
    finally:
        release.set()
        holder.join()
    ResultStore(tmp_path, "t", FIXED, ["bins"]).close()


def test_a_process_pool_gives_the_serial_results(tmp_path):
    serial, _ = run_jobs(tmp_path / "serial", "t", FIXED, ["bins"], jobs(), workers=1)
    pooled, played = run_jobs(tmp_path / "pool", "t", FIXED, ["bins"], jobs(), workers=2)
    assert played == 4
    assert without_seconds(pooled) == without_seconds(serial)


def test_a_dask_cluster_gives_the_serial_results(tmp_path):
    from dask.distributed import LocalCluster
    serial, _ = run_jobs(tmp_path / "serial", "t", FIXED, ["bins"], jobs(), workers=1)
    with LocalCluster(processes=False, n_workers=1, threads_per_worker=2, dashboard_address=None) as cluster:
        remote, played = run_jobs(tmp_path / "dask", "t", FIXED, ["bins"], jobs(),
                                  scheduler=cluster.scheduler_address)
    assert played == 4
    assert without_seconds(remote) == without_seconds(serial)
    assert len(csv_rows(tmp_path / "dask")) == 4


def test_bad_input_fails_before_the_folder_is_made(tmp_path):
    bad = [Job((("bins", 0),), replace(BASE, shooter=replace(BASE.shooter, gun_params={"bogus": 1})))]
    with pytest.raises(ArenaError, match="bogus"):
        run_jobs(tmp_path / "out", "t", FIXED, ["bins"], bad, workers=2)
    with pytest.raises(SweepError, match="workers must be a whole number within 1..1024"):
        run_jobs(tmp_path / "out", "t", FIXED, ["bins"], jobs(), workers=0)
    assert not (tmp_path / "out").exists()


def test_summary_is_the_mean_over_seeds_with_t_intervals(tmp_path):
    rows, _ = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(seeds=(1, 2, 3)), workers=1)
    summary = summarize(rows, ["bins"])
    assert [s["bins"] for s in summary] == [31, 47]
    for s in summary:
        mine = [r for r in rows if r["bins"] == s["bins"]]
        mean, lo, hi = mean_ci([r["hit_rate"] for r in mine])
        assert s["battles"] == 3
        assert s["hit_rate"] == pytest.approx(mean)
        assert s["hit_rate_lo"] == pytest.approx(max(0.0, lo))
        assert s["hit_rate_hi"] == pytest.approx(min(1.0, hi))
        assert s["hits"] == sum(r["hits"] for r in mine)


@pytest.mark.slow
def test_a_killed_run_keeps_its_rows_and_the_rerun_finishes(tmp_path):
    out = tmp_path / "run"
    cmd = [sys.executable, "-m", "arena.cli", "tune", "--gun", "gf-bins", "--movement", "random-orbit",
           "--param", "gun.bins=47", "--seeds", "30", "--rounds", "1", "--width", "400", "--height", "400",
           "--workers", "1", "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        if (out / BATTLES).exists() and len((out / BATTLES).read_text().splitlines()) > 3:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    before = (out / BATTLES).read_text()
    kept = before[: before.rfind("\n") + 1]
    assert len(kept.splitlines()) > 3
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    after = (out / BATTLES).read_text()
    assert after.startswith(kept)
    seeds = [r["seed"] for r in csv_rows(out)]
    assert sorted(map(int, seeds)) == list(range(1, 31))



def test_a_folder_written_before_the_path_column_resumes_without_it(tmp_path):
    rows, _ = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(seeds=(1,)), workers=1)
    assert {r["path"] for r in csv_rows(tmp_path)} == {"fast"}
    path = tmp_path / BATTLES
    old = [{k: v for k, v in r.items() if k != "path"} for r in csv_rows(tmp_path)]
    with open(path, "w", newline="") as f:  # the CSV as an older arena wrote it
        writer = csv.DictWriter(f, list(old[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(old)
    again, played = run_jobs(tmp_path, "t", FIXED, ["bins"], jobs(seeds=(1, 2)), workers=1)
    assert played == 2
    assert [(r["bins"], r["seed"]) for r in again] == [(31, 1), (31, 2), (47, 1), (47, 2)]
    assert [r for r in again if r["seed"] == 1] == [{k: v for k, v in r.items() if k != "path"} for r in rows]
    assert list(csv_rows(tmp_path)[0]) == list(old[0]) and len(csv_rows(tmp_path)) == 4
