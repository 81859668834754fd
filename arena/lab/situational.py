"""Experiments on the situation-aware guns (issue 12): the paired evaluation and the learned feature weights.

`metric-eval` plays kde-metric, kde-learned, kde-knn and gf-segmented against the situation-dependent
movers, random-orbit, stop-and-go and the surfer on seeds 1001.. (never used to tune a default: tuning
uses seeds 1..10), seed by seed, so an interrupted run already holds complete pairs; re-running into
the same folder plays only what is missing. `features` plays kde-metric against each movement and
records its feature weights w_k after a few rounds (round_marks) up to the last.
"""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from . import plots
from ..battle import Battle, BattleConfig, Side
from ..features import NAMES
from ..files import write_atomic
from .stats import mean_ci
from .sweep import Job, markdown_table, pct_ci, run_jobs, write_csv

EVAL_SEED0 = 1000  # evaluation seeds are 1001, 1002, ...: disjoint from the tuning seeds 1..10
EVAL_GUNS = ("kde-metric", "kde-learned", "kde-knn", "gf-segmented")
EVAL_MOVERS = ("adaptive-orbit", "distance-stop-go", "random-orbit", "stop-and-go", "surfer")
FEATURE_MOVERS = ("adaptive-orbit", "distance-stop-go", "random-orbit", "stop-and-go", "oscillator", "surfer")
ROUND_MARKS = (1, 2, 3, 5, 8, 12, 17, 23, 30, 35, 50, 75, 100)  # where the features experiment reads the weights
GROUPS = {"situation-dependent movers": ("adaptive-orbit", "distance-stop-go"), "random-orbit": ("random-orbit",),
          "stop-and-go": ("stop-and-go",), "surfer": ("surfer",)}


def eval_seeds(count: int) -> list[int]:
    return list(range(EVAL_SEED0 + 1, EVAL_SEED0 + 1 + count))


def eval_jobs(seeds: list[int], rounds: int) -> list[Job]:
    """Seed by seed (then movement, then gun), so whatever has finished pairs up."""
    base = BattleConfig(rounds=rounds)
    return [Job((("gun", g), ("movement", m)),
                replace(base, seed=s, shooter=Side(gun=g, movement="duck"), target=Side(gun="none", movement=m)))
            for s in seeds for m in EVAL_MOVERS for g in EVAL_GUNS]


def paired_differences(rows: list[dict], movement: str, gun: str, other: str) -> list[float]:
    """hit rate of `gun` minus `other` against `movement`, per seed both have played."""
    rate = {(r["gun"], int(r["seed"])): float(r["hit_rate"]) for r in rows if r["movement"] == movement}
    return [rate[gun, s] - rate[other, s] for g, s in sorted(rate) if g == gun and (other, s) in rate]


def eval_report(rows: list[dict]) -> tuple[str, list[dict]]:
    """Markdown of hit rates and of kde-metric's paired margins (95% t-intervals), and the margin rows."""
    lead, others = EVAL_GUNS[0], EVAL_GUNS[1:]
    hits, margins = [], []
    for m in EVAL_MOVERS:
        cells = [m]
        for g in EVAL_GUNS:
            rates = [float(r["hit_rate"]) for r in rows if r["movement"] == m and r["gun"] == g]
            mean, lo, hi = mean_ci(rates)
            cells.append(pct_ci(mean, max(lo, 0.0), min(hi, 1.0), len(rates)) if rates else "-")  # a rate's range
        hits.append(cells)
        for o in others:
            diffs = paired_differences(rows, m, lead, o)
            mean, lo, hi = mean_ci(diffs)
            margins.append({"movement": m, "other": o, "seeds": len(diffs), "mean": mean, "lo": lo, "hi": hi,
                            "separated": len(diffs) > 1 and lo > 0})
    def fmt(row):
        if row["seeds"] < 2:
            return f"{row['mean']:+.1%} (n={row['seeds']})" if row["seeds"] else "-"
        mark = " **>0**" if row["separated"] else (" <0" if row["hi"] < 0 else "")
        return f"{row['mean']:+.1%} [{row['lo']:+.1%}, {row['hi']:+.1%}] n={row['seeds']}{mark}"
    margin_table = [[m] + [fmt(r) for r in margins if r["movement"] == m] for m in EVAL_MOVERS]
    won = [name for name, movers in GROUPS.items()
           if any(all(r["separated"] for r in margins if r["movement"] == m) for m in movers)]
    verdict = (f"kde-metric separates from all three other guns against {len(won)} of the 4 groups "
               f"({', '.join(won) or 'none'}); the issue asks for at least 3.")
    text = ("Hit rate (mean over seeds, 95% t-interval):\n\n" + markdown_table(["movement", *EVAL_GUNS], hits)
            + f"\n\n{lead} minus each other gun, paired by seed (mean, 95% t-interval, seeds; **>0**: the "
              "interval excludes 0):\n\n" + markdown_table(["movement", *(f"- {o}" for o in others)], margin_table)
            + f"\n\n{verdict}\n")
    return text, margins


def margins_figure(margins: list[dict], subtitle: str):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(9, 4.8), layout="constrained")
    ax = fig.subplots()
    others = EVAL_GUNS[1:]
    for k, o in enumerate(others):
        rows = [r for r in margins if r["other"] == o]
        y = np.arange(len(rows)) + (k - 1) * 0.22
        mean = np.array([r["mean"] for r in rows]) * 100
        err = np.array([[r["mean"] - r["lo"], r["hi"] - r["mean"]] if r["seeds"] > 1 else [0, 0] for r in rows]).T * 100
        ax.errorbar(mean, y, xerr=err, fmt="o", capsize=3, label=f"kde-metric - {o}", color=f"C{k}")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(np.arange(len(EVAL_MOVERS)), EVAL_MOVERS)
    ax.set_xlabel("paired hit-rate difference (percentage points, 95% t-interval over seeds)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    plots.titled(fig, "kde-metric against the other guns, per movement", subtitle)
    return fig


def metric_eval(folder: Path, opt) -> str:
    """The issue's paired evaluation on fresh seeds."""
    seeds = eval_seeds(opt.seeds)
    fixed = {"experiment": "metric-eval", "guns": list(EVAL_GUNS), "movements": list(EVAL_MOVERS),
             "rounds": opt.rounds}
    rows, _ = run_jobs(folder, "experiment", fixed, ["gun", "movement"], eval_jobs(seeds, opt.rounds),
                       opt.workers, opt.scheduler, {"seeds": opt.seeds, "rounds": opt.rounds})
    text, margins = eval_report(rows)
    write_csv(folder / "margins.csv", list(margins[0]), margins)
    subtitle = (f"seeds {seeds[0]}..{seeds[-1]} x {opt.rounds} rounds, the same seeds for every gun; guns at their "
                f"defaults, shooter standing still, power 2, 800x600")
    plots.save_png(margins_figure(margins, subtitle), folder / "metric-eval.png")
    return f"# metric-eval\n\n{subtitle}.\n\n{text}"


def final_weights(config: BattleConfig, reference: bool) -> list[float]:
    """The shooter's (kde-metric's) w_k at the end of a battle, played on the fast path where it can be."""
    if not reference:
        from .. import fast  # numba: loaded only when battles are played
        if fast.supports(config)[0]:
            battle = fast.battle.FastBattle(config)
            battle.run()
            return battle.guns[0].feature_weights()
    battle = Battle(config)
    battle.run()
    return battle.pilots[0].gun.feature_weights()


def round_marks(rounds: int) -> list[int]:
    """The rounds after which the weights are read: ROUND_MARKS below `rounds`, and `rounds`."""
    return sorted({m for m in ROUND_MARKS if m < rounds} | {rounds})


def weights_by_round(movement: str, seed: int, rounds: int, reference: bool = False) -> list[list[float]]:
    """kde-metric's w_k after each of round_marks(rounds) of one battle against `movement`: a battle of the
    first r rounds plays exactly those rounds of the longer one (the same seeded streams), so each mark is
    the end of its own battle."""
    return [final_weights(BattleConfig(shooter=Side(gun="kde-metric"), target=Side(movement=movement), rounds=r,
                                       seed=seed), reference) for r in round_marks(rounds)]


def features_figure(curves: dict[str, np.ndarray], marks: list[int], subtitle: str):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(12, 6.5), layout="constrained")
    axes = fig.subplots(2, (len(curves) + 1) // 2, sharey=True).ravel()
    for ax, (movement, w) in zip(axes, curves.items()):  # w: seeds x rounds x features
        mean = w.mean(axis=0)
        for k, name in enumerate(NAMES):
            ax.plot(marks, mean[:, k], marker=".", label=name, color=f"C{k}", linestyle=("-", "--")[k % 2])
        ax.set_title(movement, fontsize="medium")
        ax.set_xlabel("round")
        ax.set_yscale("log")
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("feature weight w_k (mean over seeds)")
    axes[0].legend(fontsize="x-small")
    plots.titled(fig, "kde-metric: learned feature weights over a battle, per movement", subtitle)
    return fig


def features(folder: Path, opt) -> str:
    """Which features kde-metric found useful against each movement (resumable: one JSON per battle)."""
    curves = {}
    for movement in FEATURE_MOVERS:
        runs = []
        for seed in range(1, opt.seeds + 1):
            path = folder / "weights" / f"{movement}-{seed}-{opt.rounds}.json"
            if not path.exists():
                data = json.dumps(weights_by_round(movement, seed, opt.rounds, opt.reference))
                path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(path, lambda f, data=data: f.write(data.encode()))
            runs.append(json.loads(path.read_text()))
        curves[movement] = np.array(runs)
    final = {m: w[:, -1, :] for m, w in curves.items()}
    rows = [[m] + [f"{v.mean(axis=0)[k]:.2f}" for k in range(len(NAMES))] for m, v in final.items()]
    write_csv(folder / "weights.csv", ["movement", *NAMES],
              [{"movement": m, **dict(zip(NAMES, v.mean(axis=0)))} for m, v in final.items()])
    subtitle = (f"seeds 1..{opt.seeds} x {opt.rounds} rounds per movement; kde-metric at its defaults (all w_k start "
                f"equal), shooter standing still, power 2")
    plots.save_png(features_figure(curves, round_marks(opt.rounds), subtitle), folder / "features.png")
    return ("# features\n\nkde-metric's feature weights w_k at the end of the battle (mean over seeds; all start "
            "equal, larger = that feature separates situations that lead to different GFs):\n\n"
            + markdown_table(["movement", *NAMES], rows) + f"\n\n{subtitle}.\n")
