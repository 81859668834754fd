"""Timing of the learner's hot paths: the per-hit-window cost (observe + peak) and loss+grad scaling in N.

Run from the repository root:

    python benchmarks/bench_learner.py [--reps 7] [--json results/bench_learner.json]

Each figure is the median over `reps` repetitions of the mean time per call
within one repetition. Times are CPU seconds of this process (time.process_time),
so other load on a shared machine does not inflate them; wall times are
reported next to them. Setup: bandwidth 0.1, window width 0.1, points uniform
in [-1, 1] (loss) or drawn like hits around GF 0.2 (learner), learners filled
to capacity N first, so observe() includes an eviction. The budget (issue 11):
observe + peak <= 20 us at N = 200, <= 100 us at N = 2,000.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learner import KDELearner, kde_cross_entropy  # noqa: E402

BANDWIDTH = 0.1
WINDOW = 0.1
BUDGET_US = {200: 20.0, 2000: 100.0}
KERNEL_NAMES = ("gaussian", "laplace", "epanechnikov", "box")


def median_ms(fn, reps: int, calls: int, clock=time.process_time) -> float:
    fn()  # warm up (compiled code is cached on disk; this loads it)
    per_call = []
    for _ in range(reps):
        start = clock()
        for _ in range(calls):
            fn()
        per_call.append((clock() - start) / calls)
    return 1e3 * statistics.median(per_call)


def bench_loss(kernel: str, n: int, reps: int) -> float:
    rng = np.random.default_rng(n)
    points = rng.uniform(-1, 1, n)
    logits = rng.normal(0, 1, n)
    return median_ms(lambda: kde_cross_entropy(points, logits, 0.1, 0.1 + WINDOW, BANDWIDTH, kernel), reps,
                     max(1, 20000 // n))


def filled_learner(n: int, kernel: str = "gaussian") -> tuple[KDELearner, np.random.Generator]:
    rng = np.random.default_rng(n + 1)
    learner = KDELearner(kernel=kernel, bandwidth=BANDWIDTH, capacity=n, lr=1.0)
    for c in rng.normal(0.2, 0.35, n).clip(-0.95, 0.95):
        learner.observe(c - WINDOW / 2, c + WINDOW / 2)
    return learner, rng


def hit_window_us(n: int, kernel: str, reps: int, clock=time.process_time) -> dict:
    """Microseconds of one observe() and one peak() on a learner holding n points."""
    learner, rng = filled_learner(n, kernel)

    def observe():
        c = float(np.clip(rng.normal(0.2, 0.35), -0.95, 0.95))
        learner.observe(c - WINDOW / 2, c + WINDOW / 2)

    calls = max(5, 4000 // n)
    peak = 1e3 * median_ms(learner.peak, reps, calls, clock)
    obs = 1e3 * median_ms(observe, reps, calls, clock)
    return {"observe_us": obs, "peak_us": peak, "window_us": obs + peak}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="repetitions per figure (>= 5)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.reps < 5:
        parser.error("--reps must be >= 5")

    windows = {kernel: {n: hit_window_us(n, kernel, args.reps) for n in BUDGET_US} for kernel in KERNEL_NAMES}
    wall = {n: hit_window_us(n, "gaussian", args.reps, time.perf_counter) for n in BUDGET_US}
    losses = {kernel: {n: bench_loss(kernel, n, args.reps) for n in (100, 1000, 10000, 100000)}
              for kernel in KERNEL_NAMES}

    print(f"per hit window (observe + peak), h={BANDWIDTH}, window={WINDOW}, CPU us, median of {args.reps} reps")
    for kernel, rows in windows.items():
        for n, row in rows.items():
            print(f"  {kernel:<12} N={n:<5} observe {row['observe_us']:8.1f}  peak {row['peak_us']:8.1f}  "
                  f"total {row['window_us']:8.1f} us  ({row['window_us'] / BUDGET_US[n]:.2f}x the budget)")
    for n, row in wall.items():
        print(f"  gaussian     N={n:<5} wall-clock total {row['window_us']:8.1f} us")
    print("kde_cross_entropy loss+grad, ms per call (CPU)")
    print(f"  {'N':>8} " + " ".join(f"{k:>13}" for k in KERNEL_NAMES))
    for n in (100, 1000, 10000, 100000):
        print(f"  {n:>8} " + " ".join(f"{losses[k][n]:13.4f}" for k in KERNEL_NAMES))

    result = {"bandwidth": BANDWIDTH, "window": WINDOW, "reps": args.reps, "budget_us": BUDGET_US,
              "hit_window_cpu_us": windows, "hit_window_wall_us_gaussian": wall, "loss_ms_per_call": losses}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
