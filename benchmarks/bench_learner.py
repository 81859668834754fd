"""Timing of the learner's hot paths: the per-hit-window cost (observe + peak) and loss+grad scaling in N.

Run from the repository root:

    python benchmarks/bench_learner.py [--reps 7] [--json results/bench_learner.json] [--compare REF]

Each figure is the median over `reps` repetitions of the mean time per call
within one repetition. Times are CPU seconds of this process (time.process_time),
so other load on a shared machine does not inflate them; wall times are
reported next to them. Setup: bandwidth 0.1, window width 0.1, points uniform
in [-1, 1] (loss) or drawn like hits around GF 0.2 (learner), learners filled
to capacity N first, so observe() includes an eviction. The budget (issue 11):
observe + peak <= 20 us at N = 200, <= 100 us at N = 2,000. "compiled" rows
call learner.state.observe/aim from an @njit loop, as the compiled battle loop
does (no Python per window); the KDELearner rows add the wrapper's checks.
--compare REF also times the learner of git revision REF (exported to a
temporary directory) in child processes interleaved with this tree's, so the
before/after ratio comes from one run on one machine load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

if __name__ == "__main__":  # run as a script: make the repo root importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from numba import njit  # noqa: E402

from learner import KDELearner, kde_cross_entropy  # noqa: E402
from learner.state import aim, observe  # noqa: E402

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
    calls = max(5, 4000 // n)
    centres = iter(rng.normal(0.2, 0.35, (reps + 1) * calls).clip(-0.95, 0.95).tolist())  # drawn before timing

    def observe():
        c = next(centres)
        learner.observe(c - WINDOW / 2, c + WINDOW / 2)

    peak = 1e3 * median_ms(learner.peak, reps, calls, clock)
    obs = 1e3 * median_ms(observe, reps, calls, clock)
    return {"observe_us": obs, "peak_us": peak, "window_us": obs + peak}


@njit
def _observe_loop(cfg, points, features, params, moment1, moment2, steps, stamps, meta, centres, half):
    row = np.zeros(0)
    for c in centres:
        observe(cfg, points, features, params, moment1, moment2, steps, stamps, meta, c - half, c + half,
                min(max(c, -1.0), 1.0), row)


@njit
def _aim_loop(cfg, points, features, params, moment1, moment2, steps, stamps, meta, calls):
    total = 0.0
    for _ in range(calls):
        total += aim(cfg, points, features, params, moment1, moment2, steps, stamps, meta, -1.0, 1.0)
    return total


def compiled_window_us(n: int, kernel: str, reps: int) -> dict:
    """Microseconds (CPU) of observe and aim called from compiled code, per hit window, median of reps."""
    learner, rng = filled_learner(n, kernel)
    calls = max(20, 20000 // n)
    centres = rng.normal(0.2, 0.35, calls).clip(-0.95, 0.95)
    _observe_loop(*learner.state, centres[:2], WINDOW / 2)
    _aim_loop(*learner.state, 2)
    obs, peak = [], []
    for _ in range(reps):
        start = time.process_time()
        _observe_loop(*learner.state, centres, WINDOW / 2)
        obs.append((time.process_time() - start) / calls)
        start = time.process_time()
        _aim_loop(*learner.state, calls)
        peak.append((time.process_time() - start) / calls)
    o, p = 1e6 * statistics.median(obs), 1e6 * statistics.median(peak)
    return {"observe_us": o, "peak_us": p, "window_us": o + p}


def _child(root: Path, reps: int) -> dict:
    """compiled_window_us for every kernel and N, run on the learner under root (a fresh process)."""
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); sys.path.insert(1, sys.argv[2]); "
            "import bench_learner as b, learner; "
            "assert learner.__file__.startswith(sys.argv[1]), learner.__file__; "
            "print(json.dumps({k: {n: b.compiled_window_us(n, k, int(sys.argv[3])) for n in b.BUDGET_US} "
            "for k in b.KERNEL_NAMES}))")
    out = subprocess.run([sys.executable, "-c", code, str(root), str(Path(__file__).parent), str(reps)],
                         check=True, capture_output=True, text=True).stdout
    return {k: {int(n): row for n, row in rows.items()} for k, rows in json.loads(out.splitlines()[-1]).items()}


def compare(ref: str, reps: int, rounds: int = 2) -> dict:
    """Compiled per-window times of this tree and of git revision ref, alternating child processes."""
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(repo), "archive", ref, "learner"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        runs = {"before": [], "after": []}
        for _ in range(rounds):
            runs["before"].append(_child(Path(tmp), reps))
            runs["after"].append(_child(repo, reps))
    # per figure, the better of the rounds (load on a shared machine only ever adds time)
    return {side: {k: {n: {key: min(r[k][n][key] for r in results) for key in results[0][k][n]}
                       for n in BUDGET_US} for k in KERNEL_NAMES} for side, results in runs.items()}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=7, help="repetitions per figure (>= 5)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--compare", metavar="REF", help="also time the learner of git revision REF, same run")
    parser.add_argument("--compare-only", action="store_true", help="with --compare: print that table only")
    args = parser.parse_args(argv)
    if args.reps < 5:
        parser.error("--reps must be >= 5")
    if args.compare_only and not args.compare:
        parser.error("--compare-only needs --compare REF")
    if args.compare:
        try:
            compared = compare(args.compare, args.reps)
        except subprocess.CalledProcessError as err:
            parser.exit(2, f"bench_learner: cannot time revision {args.compare!r}: {err}\n")
        print(f"compiled observe + aim per hit window, CPU us, before = {args.compare}, after = this tree")
        for kernel in KERNEL_NAMES:
            for n in BUDGET_US:
                b, a = compared["before"][kernel][n], compared["after"][kernel][n]
                print(f"  {kernel:<12} N={n:<5} before {b['observe_us']:7.1f} + {b['peak_us']:7.1f} = "
                      f"{b['window_us']:8.1f}   after {a['observe_us']:7.1f} + {a['peak_us']:7.1f} = "
                      f"{a['window_us']:8.1f}   {b['window_us'] / a['window_us']:.2f}x faster, "
                      f"{a['window_us'] / BUDGET_US[n]:.2f}x the budget")
    if args.compare_only:
        return {"compare": {"ref": args.compare, **compared}} if args.compare else {}
    compiled = {kernel: {n: compiled_window_us(n, kernel, args.reps) for n in BUDGET_US} for kernel in KERNEL_NAMES}

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
    print("the same from compiled code (learner.state.observe + aim in an @njit loop), CPU us")
    for kernel, rows in compiled.items():
        for n, row in rows.items():
            print(f"  {kernel:<12} N={n:<5} observe {row['observe_us']:8.1f}  peak {row['peak_us']:8.1f}  "
                  f"total {row['window_us']:8.1f} us  ({row['window_us'] / BUDGET_US[n]:.2f}x the budget)")
    print("kde_cross_entropy loss+grad, ms per call (CPU)")
    print(f"  {'N':>8} " + " ".join(f"{k:>13}" for k in KERNEL_NAMES))
    for n in (100, 1000, 10000, 100000):
        print(f"  {n:>8} " + " ".join(f"{losses[k][n]:13.4f}" for k in KERNEL_NAMES))

    result = {"bandwidth": BANDWIDTH, "window": WINDOW, "reps": args.reps, "budget_us": BUDGET_US,
              "hit_window_cpu_us": windows, "hit_window_wall_us_gaussian": wall, "loss_ms_per_call": losses,
              "compiled_window_cpu_us": compiled}
    if args.compare:
        result["compare"] = {"ref": args.compare, **compared}
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    return result


if __name__ == "__main__":
    main()
