"""Timing of the learner's hot paths: loss+grad, peak() and observe().

Run from the repository root:

    python benchmarks/bench_learner.py [--reps 7] [--json results/bench_learner.json]

Each figure is the median over `reps` repetitions of the mean time per call
within one repetition (several calls per repetition keep timer noise down).
Setup: gaussian kernel, bandwidth 0.1, window width 0.1, points uniform in
[-1, 1], logits N(0, 1); learners are filled to capacity N first, so
observe() includes an eviction.
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
from learner.quadrature import node_count  # noqa: E402

BANDWIDTH = 0.1
WINDOW = 0.1


def median_ms(fn, reps: int, calls: int) -> float:
    fn()  # warm caches (quadrature rule, kernel spectrum)
    per_call = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        per_call.append((time.perf_counter() - start) / calls)
    return 1e3 * statistics.median(per_call)


def bench_loss(n: int, reps: int) -> float:
    rng = np.random.default_rng(n)
    points = rng.uniform(-1, 1, n)
    logits = rng.normal(0, 1, n)
    return median_ms(lambda: kde_cross_entropy(points, logits, 0.1, 0.1 + WINDOW, BANDWIDTH), reps, max(1, 20000 // n))


def filled_learner(n: int) -> tuple[KDELearner, np.random.Generator]:
    rng = np.random.default_rng(n + 1)
    learner = KDELearner(bandwidth=BANDWIDTH, capacity=n)
    for c in rng.normal(0.2, 0.35, n).clip(-0.95, 0.95):
        learner.observe(c - WINDOW / 2, c + WINDOW / 2)
    return learner, rng


def bench_peak(n: int, reps: int) -> float:
    learner, _ = filled_learner(n)
    return median_ms(learner.peak, reps, 20)


def bench_observe(n: int, reps: int) -> float:
    learner, rng = filled_learner(n)

    def one():
        c = float(np.clip(rng.normal(0.2, 0.35), -0.95, 0.95))
        learner.observe(c - WINDOW / 2, c + WINDOW / 2)

    return median_ms(one, reps, 20)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="repetitions per figure (>= 5)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    if args.reps < 5:
        parser.error("--reps must be >= 5")

    rows = [(f"kde_cross_entropy loss+grad, N={n}", bench_loss(n, args.reps)) for n in (100, 1000, 10000)]
    rows += [(f"KDELearner.peak(), N={n}", bench_peak(n, args.reps)) for n in (100, 1000)]
    rows += [(f"KDELearner.observe(), N={n}", bench_observe(n, args.reps)) for n in (100, 1000)]

    nodes = node_count(WINDOW, BANDWIDTH)
    print(f"gaussian, h={BANDWIDTH}, window={WINDOW} ({nodes} quadrature nodes), median of {args.reps} reps")
    width = max(len(name) for name, _ in rows)
    print(f"{'benchmark':<{width}}  ms/call")
    for name, ms in rows:
        print(f"{name:<{width}}  {ms:8.4f}")

    result = {
        "kernel": "gaussian",
        "bandwidth": BANDWIDTH,
        "window": WINDOW,
        "quadrature_nodes": nodes,
        "reps": args.reps,
        "ms_per_call": dict(rows),
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
