"""Cost of one hit window of the learned-metric model (learner.metric) at N stored situations.

    python benchmarks/bench_metric.py [--n 2000] [--reps 7]

Prints, per k (points per query; 0 = all), the median time of: the metric part alone (distances,
logits, k-nearest selection, backward to dL/dtheta: compiled), the CE-KDE loss and dL/dz on the
selected points (learner.loss.kde_cross_entropy), and one hit window as the compiled battle loop takes
it: learner.metric.observe_window (both parts, the optimiser step, storing the point and, the model
being full, evicting the oldest), called from compiled code; with the metric part's share. The budget
of issue 12 is 50 us per window at N = 2,000.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from learner.loss import kde_cross_entropy  # noqa: E402
from numba import njit  # noqa: E402

from learner.metric import (MetricKDE, metric_backward, metric_logits, nearest, observe_window,  # noqa: E402
                            squared_distances)

D = 8  # arena.features.N_FEATURES


def median_us(fn, reps: int, calls: int) -> float:
    fn()
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        times.append((time.perf_counter() - start) / calls)
    return statistics.median(times) * 1e6


def filled(n: int, k: int, rng) -> MetricKDE:
    model = MetricKDE(D, k=k, capacity=n, weights=4.0)
    for _ in range(n):
        model._store(rng.uniform(-1, 1), rng.uniform(0, 1, D))
    return model


@njit(cache=True)
def observe_many(cfg, theta, opt, points, features, bias, count, dist, index, work, query, calls):
    for _ in range(calls):
        observe_window(cfg, theta, opt, points, features, bias, count, dist, index, work, query, 0.1, 0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--reps", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"N = {args.n}, d = {D}, gaussian, h = 0.1, window width 0.1 (median of {args.reps} reps, us per window)")
    print(f"{'k':>6} {'metric part':>12} {'CE on k':>10} {'observe':>10} {'metric share':>13}")
    for k in (20, 50, 200, 0):
        model = filled(args.n, k, rng)
        query = rng.uniform(0, 1, D)
        grad = np.empty(D)
        n = model.count

        def metric_part():
            st = model.state
            squared_distances(query, st.features, n, st.dist)
            metric_logits(st.dist, n, st.theta, st.bias, st.work[0])
            m = nearest(st.work[0], n, k, st.index)
            metric_backward(st.dist, st.index, m, np.full(m, 1e-3), st.theta, grad)

        index, logits = model.select(query)
        points = model.points[index]
        ce = median_us(lambda: kde_cross_entropy(points, logits, 0.1, 0.2, 0.1), args.reps, 20)
        metric = median_us(metric_part, args.reps, 50)
        observe = median_us(lambda: observe_many(*model.state, query, 20), args.reps, 1) / 20
        print(f"{k or 'all':>6} {metric:>12.1f} {ce:>10.1f} {observe:>10.1f} {metric / observe:>12.0%}")


if __name__ == "__main__":
    main()
