"""Battles per hour of the sweep runner (arena.lab.sweep) with 1 and 2 local workers, on one job list.

    python benchmarks/bench_tune.py [--battles 8] [--rounds 10] [--workers 1,2]

Each worker count plays the same battles (gf-bins vs random-orbit, seeds 1..N) into a fresh temporary
folder, so nothing is resumed; the wall time includes starting the process pool.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace

from arena.battle import BattleConfig, Side
from arena.lab.sweep import Job, run_jobs


def jobs(battles: int, rounds: int) -> list[Job]:
    base = BattleConfig(shooter=Side(gun="gf-bins"), target=Side(movement="random-orbit"), rounds=rounds)
    return [Job((("gun", "gf-bins"),), replace(base, seed=s)) for s in range(1, battles + 1)]


def measure(workers: int, job_list: list[Job]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        run_jobs(folder, "bench", {}, ["gun"], job_list, workers=workers)
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--battles", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    job_list = jobs(args.battles, args.rounds)
    print(f"{args.battles} battles of {args.rounds} rounds, gf-bins vs random-orbit")
    print(f"{'workers':>7} {'seconds':>8} {'battles/hour':>13} {'speed-up':>9}")
    first = None
    for workers in (int(w) for w in args.workers.split(",")):
        seconds = measure(workers, job_list)
        first = first or seconds
        print(f"{workers:>7} {seconds:>8.2f} {3600 * args.battles / seconds:>13.0f} {first / seconds:>8.2f}x")


if __name__ == "__main__":
    main()
