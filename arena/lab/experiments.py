"""`arena experiment NAME`: the project's observations, each reproduced as a PNG and a short summary.md.

Battle experiments (lr-sweep, losses) run through arena.sweep, so they resume and can use Dask;
learner-math experiments (near-far, laplace-shift) call learner.loss.kde_cross_entropy on synthetic
points and take well under a second.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np

from . import plots, situational
from ..battle import BATTLE_PARAMS, BattleConfig, Side, run_battle
from ..files import write_atomic
from ..errors import ArenaError
from ..params import ParamError
from .settings import RUN_PARAMS
from .stats import mean_ci
from .tuning import judge, paired_verdict
from .sweep import (SUMMARY_COLUMNS, Job, format_value, markdown_table, pct_ci, run_jobs, summarize, summary_markdown,
                    write_csv, write_text)

DEFAULT_SEEDS = 10
DEFAULT_ROUNDS = 10
MOVER = "oscillator"  # two sharp GF peaks: the multi-modal profile a learned weighting should exploit
LR_VALUES = (0.003, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
LOSSES = ("ce", "hard", "squared")
LOSS_LRS = (0.3, 1.0, 3.0)
GRAD_LOSSES = ("ce", "squared")
GRAD_LR = 1.0  # kde-learned's default SGD rate
GRAD_MIN_UPDATES = 3  # a first, middle and last stage
BANDWIDTH = 0.1
WINDOW = (0.2, 0.4)  # a hit window in GF units for the math experiments
LOGITS = np.array([0.4, -0.3, 0.9, 0.0, -0.6])  # fixed, unequal weights so every gradient component differs


class ExperimentError(ArenaError):
    """An unknown experiment name or a bad seed/round count."""


@dataclass(frozen=True)
class Options:
    seeds: int
    rounds: int
    workers: int | None
    scheduler: str | None
    reference: bool = False  # play on the reference engine even where the fast path could
    first_seed: int = 1  # the seeds played are first_seed .. first_seed + seeds - 1

    @property
    def seed_range(self) -> range:
        return range(self.first_seed, self.first_seed + self.seeds)


@dataclass(frozen=True)
class Experiment:
    name: str
    about: str
    run: Callable[[Path, Options], str]  # writes NAME.png (and data), returns the summary Markdown


def _paired(rows: list[dict], a: dict, b: dict) -> tuple[float, float, float]:
    """Mean hit-rate difference of setting a minus setting b over their (shared) seeds, 95% t-interval."""
    def by_seed(setting: dict) -> dict:
        return {r["seed"]: r["hit_rate"] for r in rows
                if all(format_value(r[k]) == format_value(v) for k, v in setting.items())}
    hit_a, hit_b = by_seed(a), by_seed(b)
    return mean_ci([hit_a[s] - hit_b[s] for s in sorted(hit_a)])


def _battles(folder: Path, name: str, jobs: list[Job], opt: Options) -> list[dict]:
    fixed = {"experiment": name, "movement": MOVER, "rounds": opt.rounds}
    axes = [axis for axis, _ in jobs[0].setting]
    rows, _ = run_jobs(folder, "experiment", fixed, axes, jobs, opt.workers, opt.scheduler,
                       {"seeds": opt.seeds, "rounds": opt.rounds}, opt.reference)
    return rows


def _base(rounds: int) -> BattleConfig:
    return BattleConfig(shooter=Side(gun="kde-learned"), target=Side(movement=MOVER), rounds=rounds).validate()


def _subtitle(base: BattleConfig, opt: Options) -> str:
    return (f"{opt.seeds} seeds x {opt.rounds} rounds per setting, the same seeds for all; fixed: other gun "
            f"parameters at their defaults, shooter movement {base.shooter.movement}, power {base.power:g}, "
            f"{base.width:g}x{base.height:g}")


def lr_sweep(folder: Path, opt: Options) -> str:
    """Learning rate of kde-learned against an oscillator, with the equal-weight kde as the baseline."""
    base = _base(opt.rounds)
    seeds = opt.seed_range
    settings = [(f"kde-learned lr={lr:g}", replace(base.shooter, gun_params={"lr": lr})) for lr in LR_VALUES]
    settings.append(("kde", replace(base.shooter, gun="kde")))
    jobs = [Job((("setting", label),), replace(base, shooter=shooter, seed=s))
            for label, shooter in settings for s in seeds]
    rows = _battles(folder, "lr-sweep", jobs, opt)
    summary = summarize(rows, ["setting"])
    learned, baseline = summary[:-1], summary[-1]
    for s, lr in zip(learned, LR_VALUES):
        s["lr"] = lr
    write_csv(folder / "summary.csv", ["setting"] + SUMMARY_COLUMNS, summary)
    plots.save_png(plots.sweep_figure(learned, "lr", [], f"kde-learned gun vs {MOVER}: learning rate",
                                      reference={**baseline, "label": "kde (equal weights)"},
                                      subtitle=_subtitle(base, opt)), folder / "lr-sweep.png")
    learned_rows = [r for r in rows if r["setting"] != "kde"]
    paired = judge(learned, learned_rows, ["setting"], "maximize")[1]
    diffs = "\n".join(f"- lr={s['lr']:g}: {pct_ci(*_paired(rows, {'setting': s['setting']}, {'setting': 'kde'}))}"
                      for s in learned)
    return (f"# lr-sweep\n\nkde-learned (CE-KDE loss, SGD) against `{MOVER}` for lr in "
            f"{', '.join(f'{v:g}' for v in LR_VALUES)}, and the equal-weight `kde` gun as the baseline; "
            f"{opt.seeds} seeds x {opt.rounds} rounds per setting, the same seeds for every setting.\n\n"
            + summary_markdown(summary, ["setting"])
            + f"\nAmong the learning rates: {paired_verdict(learned, paired, ['setting'])}"
            f"\n\nHit rate minus the equal-weight kde's, paired over seeds (mean, 95% CI):\n\n{diffs}\n")


def losses(folder: Path, opt: Options) -> str:
    """CE-KDE vs hard-label CE vs squared loss at a few learning rates, all on the same seeds."""
    base = _base(opt.rounds)
    jobs = [Job((("loss", loss), ("lr", lr)),
                replace(base, shooter=replace(base.shooter, gun_params={"loss": loss, "lr": lr}), seed=s))
            for loss in LOSSES for lr in LOSS_LRS for s in opt.seed_range]
    rows = _battles(folder, "losses", jobs, opt)
    summary = summarize(rows, ["loss", "lr"])
    write_csv(folder / "summary.csv", ["loss", "lr"] + SUMMARY_COLUMNS, summary)
    plots.save_png(plots.sweep_figure(summary, "lr", ["loss"], f"kde-learned gun vs {MOVER}: training loss",
                                      subtitle=_subtitle(base, opt)), folder / "losses.png")
    per_loss = {loss: [s for s in summary if s["loss"] == loss] for loss in LOSSES}
    bests = "\n".join(f"- {loss}: " + paired_verdict(
        mine, judge(mine, [r for r in rows if r["loss"] == loss], ["lr"], "maximize")[1], ["lr"])
        for loss, mine in per_loss.items())
    diffs = "\n".join(f"- lr={lr:g}: " + "; ".join(
        f"ce - {other} {pct_ci(*_paired(rows, {'loss': 'ce', 'lr': lr}, {'loss': other, 'lr': lr}))}"
        for other in LOSSES[1:]) for lr in LOSS_LRS)
    return (f"# losses\n\nkde-learned against `{MOVER}` trained with the window cross-entropy of the KDE (`ce`), "
            f"the hard-label cross-entropy (`hard`: points within one bandwidth of the window are the label) "
            f"and the squared error of bin masses (`squared`), each at lr {', '.join(f'{v:g}' for v in LOSS_LRS)} "
            f"(where learning changes the hit rate; see lr-sweep); {opt.seeds} seeds x {opt.rounds} rounds, "
            f"the same seeds everywhere.\n\n" + summary_markdown(summary, ["loss", "lr"])
            + f"\nLearning rates within each loss (paired over seeds):\n\n{bests}\n\nPaired hit-rate differences over seeds (mean, 95% CI):\n\n"
            f"{diffs}\n" + gradient_norms(folder, opt))


def hit_windows(folder: Path, seed: int, rounds: int) -> list[tuple[float, float]]:
    """The shooter's hit windows of one battle (gf-bins vs MOVER), cached as JSON so a re-run reuses them."""
    path = folder / "windows" / f"seed-{seed}-{rounds}.json"
    if not path.exists():
        windows = []
        config = BattleConfig(shooter=Side(gun="gf-bins"), target=Side(movement=MOVER), rounds=rounds, seed=seed)
        run_battle(config, lambda battle: windows.extend((b.a, b.b) for b in battle.observations[0].my_breaks))
        path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps(windows).encode()
        write_atomic(path, lambda f: f.write(data))
    return [tuple(w) for w in json.loads(path.read_text())]


def train_free_logits(windows, loss: str, lr: float = GRAD_LR, capacity: int = 200) -> np.ndarray:
    """|dL/dz| at each window of online SGD on free logits (what kde-learned does), for loss ce or squared."""
    from learner import kde_cross_entropy, squared_error  # (numba: loaded when a learner experiment runs)
    points, z, norms = np.zeros(0), np.zeros(0), []
    for a, b in windows:
        if points.size:
            if loss == "ce":
                grad = kde_cross_entropy(points, z, a, b, BANDWIDTH)[1]
            else:
                grad = squared_error(points, z, a, b, BANDWIDTH)[1]
            norms.append(float(np.linalg.norm(grad)))
            z = z - lr * grad
        points = np.append(points, np.clip(0.5 * (a + b), -1.0, 1.0))[-capacity:]
        z = np.append(z, z.mean() if z.size else 0.0)[-capacity:]
    return np.array(norms)


def gradient_norms(folder: Path, opt: Options) -> str:
    """Does the squared loss's gradient vanish during training where the CE-KDE gradient does not?"""
    runs = {loss: [train_free_logits(hit_windows(folder, s, opt.rounds), loss) for s in range(1, opt.seeds + 1)]
            for loss in GRAD_LOSSES}
    length = min(len(r) for rs in runs.values() for r in rs)
    curves = {loss: np.array([r[:length] for r in rs]) for loss, rs in runs.items()}
    if length < GRAD_MIN_UPDATES:
        return f"\n## Gradient norm over training\n\nToo few hit windows ({length} updates) to follow the gradient norm.\n"
    stages = [(f"updates {lo + 1}-{hi}", slice(lo, hi)) for lo, hi in
              ((0, min(20, length)), (max(length // 2 - 25, 0), length // 2 + 25), (max(length - 50, 0), length))]
    rows = [[loss] + [f"{curves[loss][:, sl].mean():.2e}" for _, sl in stages] for loss in GRAD_LOSSES]
    ratio = {loss: curves[loss][:, stages[-1][1]].mean() / curves[loss][:, stages[0][1]].mean() for loss in GRAD_LOSSES}
    gap = [curves["squared"][:, sl].mean() / curves["ce"][:, sl].mean() for sl in (stages[0][1], stages[-1][1])]
    write_csv(folder / "gradient_norms.csv", ["window", *GRAD_LOSSES],
              [{"window": i + 1, **{loss: curves[loss][:, i].mean() for loss in GRAD_LOSSES}} for i in range(length)])
    plots.save_png(gradient_norm_figure(curves, opt), folder / "losses-gradnorm.png")
    return (f"\n## Gradient norm over training\n\n|dL/dz| per hit window for online SGD (lr {GRAD_LR:g}) on free logits, "
            f"the windows of gf-bins vs `{MOVER}` ({opt.seeds} seeds x {opt.rounds} rounds, first {length} windows "
            f"of each), mean over seeds:\n\n"
            + markdown_table(["loss", *(name for name, _ in stages)], rows)
            + "\nLast stage over first: " + ", ".join(f"{loss} x{ratio[loss]:.2f}" for loss in GRAD_LOSSES)
            + f"; squared / ce: x{gap[0]:.3f} in the first stage, x{gap[1]:.3f} in the last. A ratio well under "
              "1 for one loss and near 1 for the other would mean that loss's gradient vanishes as the points "
              "accumulate.\n\n"
              "![gradient norms](losses-gradnorm.png)\n")


def gradient_norm_figure(curves: dict[str, np.ndarray], opt: Options):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(8, 4.6), layout="constrained")
    ax = fig.subplots()
    for k, (loss, norms) in enumerate(curves.items()):
        norms = norms[:, 1:]  # the first update has one point, whose softmax cannot move: exactly 0
        x = np.arange(2, norms.shape[1] + 2)
        ax.plot(x, norms.mean(axis=0), label=f"{loss} (mean over seeds)", color=f"C{k}")
        ax.fill_between(x, norms.min(axis=0), norms.max(axis=0), color=f"C{k}", alpha=0.15, linewidth=0)
    ax.set_yscale("log")
    ax.set_xlabel("update (= points stored before it, at most 200)")
    ax.set_ylabel("|dL/dz| (shaded: min..max over seeds)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")
    plots.titled(fig, "gradient norm over training: squared loss vs CE-KDE",
                 f"online SGD lr {GRAD_LR:g} on free logits; windows of gf-bins vs {MOVER}, {opt.seeds} seeds x "
                 f"{opt.rounds} rounds; bandwidth {BANDWIDTH:g}")
    return fig


def _scaled(kernel: str, factor: float):
    """The kernel times a constant: no longer a density, but the logit gradient must not notice."""
    from learner import get_kernel
    return get_kernel(kernel).scaled(factor)


def near_far(folder: Path, opt: Options) -> str:
    """Loss and step for the same points placed at growing distance left of the window."""
    from learner import kde_cross_entropy  # (numba: loaded when a learner experiment runs)
    a, b = WINDOW
    offsets = np.array([0.0, 0.04, 0.1, 0.18, 0.3])  # the cluster's shape, nearest point first
    distances = np.linspace(0.0, 10 * BANDWIDTH, 41)
    kernels = {"laplace": "laplace", "gaussian": "gaussian",
               "gaussian x 1e-6": _scaled("gaussian", 1e-6), "gaussian x 1e6": _scaled("gaussian", 1e6)}
    curves = {}
    for label, kernel in kernels.items():
        results = [kde_cross_entropy(a - d - offsets, LOGITS, a, b, BANDWIDTH, kernel) for d in distances]
        grads = np.array([g for _, g in results])
        curves[label] = {"loss": np.array([loss for loss, _ in results]), "grad": grads,
                         "grad_norm": np.linalg.norm(grads, axis=1)}
    rows = [{"distance": d, **{f"{k} {q}": curves[k][q][i] for k in curves for q in ("loss", "grad_norm")}}
            for i, d in enumerate(distances)]
    write_csv(folder / "data.csv", list(rows[0]), rows)
    plots.save_png(plots.near_far_figure(distances, curves, BANDWIDTH), folder / "near-far.png")
    lap, gau = curves["laplace"], curves["gaussian"]
    lap_spread = np.abs(lap["grad"] - lap["grad"][0]).max()
    gau_spread = np.abs(gau["grad"] - gau["grad"][0]).max()
    scale_gap = max(np.abs(curves[k]["grad"] - gau["grad"]).max() for k in ("gaussian x 1e-6", "gaussian x 1e6"))
    return (f"# near-far\n\nFive points (fixed unequal logits) left of the window [{a}, {b}], their nearest at "
            f"distance d = 0 .. {distances[-1]:g} (10 bandwidths, h = {BANDWIDTH}); loss and gradient from "
            f"`learner.loss.kde_cross_entropy`.\n\n"
            f"- Laplace: the loss grows from {lap['loss'][0]:.2f} to {lap['loss'][-1]:.2f} (the window's density "
            f"falls by e^-d/h), yet the gradient, i.e. the step per unit lr, moves by at most {lap_spread:.1e}: "
            f"near and far points get the same step.\n"
            f"- Gaussian: the gradient changes by up to {gau_spread:.2f} with distance: far away the nearest point "
            f"takes all the responsibility.\n"
            f"- Gaussian multiplied by 1e-6 or 1e6: gradients equal the plain Gaussian's to {scale_gap:.1e} "
            f"(only the kernel's shape matters, never its scale).\n")


def laplace_shift(folder: Path, opt: Options) -> str:
    """All points on one side slide toward the window without entering it: the Laplace gradient stays put."""
    from learner import kde_cross_entropy  # (numba: loaded when a learner experiment runs)
    a, b = WINDOW
    left = np.array([-0.6, -0.45, -0.3, -0.1, 0.0])  # all left of a = 0.2; the nearest is 2 bandwidths away
    shifts = np.linspace(0.0, a - left.max(), 41)
    right = np.array([0.6, 0.75])
    both_logits = np.concatenate([LOGITS, [0.2, -0.1]])

    def grads(points_at, logits, kernel):
        return np.array([kde_cross_entropy(points_at(s), logits, a, b, BANDWIDTH, kernel)[1] for s in shifts])

    one_side = {k: grads(lambda s: left + s, LOGITS, k) for k in ("laplace", "gaussian")}
    two_sides = grads(lambda s: np.concatenate([left + s, right]), both_logits, "laplace")
    deviation = {"laplace, all points on one side": np.abs(one_side["laplace"] - one_side["laplace"][0]).max(1),
                 "gaussian, all points on one side": np.abs(one_side["gaussian"] - one_side["gaussian"][0]).max(1),
                 "laplace, only the left side of two shifts": np.abs(two_sides - two_sides[0]).max(1)}
    rows = [{"shift": s, **{k: d[i] for k, d in deviation.items()}} for i, s in enumerate(shifts)]
    write_csv(folder / "data.csv", list(rows[0]), rows)
    plots.save_png(plots.laplace_shift_figure(shifts, one_side, deviation, BANDWIDTH), folder / "laplace-shift.png")
    lap, gau, two = (d.max() for d in deviation.values())
    return (f"# laplace-shift\n\nFive points left of the window [{a}, {b}] (h = {BANDWIDTH}) all shift right by "
            f"0 .. {shifts[-1]:g} (up to the window's edge, never into it).\n\n"
            f"- Laplace: the largest change of any gradient component is {lap:.1e} (rounding): inside the window "
            f"every kernel is exp(-(x - x_i)/h)/2h, so a common shift scales them all by the same factor, which "
            f"cancels in S_i K_i / p.\n"
            f"- Gaussian: the gradient changes by up to {gau:.2f}.\n"
            f"- The property needs all the points on that side of the window and nothing on the other: with two "
            f"more points right of the window and only the left ones shifting, the Laplace gradient changes by "
            f"up to {two:.2f}.\n")


EXPERIMENTS = {e.name: e for e in (
    Experiment("lr-sweep", f"learning-rate sweep of kde-learned vs {MOVER} (battles)", lr_sweep),
    Experiment("near-far", "the step is the same for near and far points (learner math, instant)", near_far),
    Experiment("losses", f"CE-KDE vs hard-label CE vs squared loss, kde-learned vs {MOVER} (battles)", losses),
    Experiment("laplace-shift", "Laplace kernel: one-sided shifts leave the gradient unchanged (math)",
               laplace_shift),
    Experiment("metric-eval", "kde-metric vs kde-learned, kde-knn, gf-segmented on seeds 1001.. (battles)",
               situational.metric_eval),
    Experiment("features", "kde-metric's learned feature weights over a battle, per movement (battles)",
               situational.features),
)}


def run_experiment(name: str, out: str | Path, seeds: int | None = None, rounds: int | None = None,
                   workers: int | None = None, scheduler: str | None = None, reference: bool = False,
                   first_seed: int = 1) -> str:
    """Run one experiment into OUT/NAME/ and write its summary.md; returns the summary text."""
    if name not in EXPERIMENTS:
        raise ExperimentError(f"unknown experiment {name!r}; valid: {', '.join(EXPERIMENTS)}")
    opt = Options(DEFAULT_SEEDS if seeds is None else seeds, DEFAULT_ROUNDS if rounds is None else rounds,
                  workers, scheduler, reference, first_seed)
    try:
        RUN_PARAMS["seeds"].check("seeds", opt.seeds)
        BATTLE_PARAMS["rounds"].check("rounds", opt.rounds)
        if workers is not None:
            RUN_PARAMS["workers"].check("workers", workers)
    except ParamError as exc:
        raise ExperimentError(str(exc)) from None
    folder = Path(out) / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExperimentError(f"cannot create {folder}: {exc.strerror or exc}") from None
    text = EXPERIMENTS[name].run(folder, opt) + f"\n![{name}]({name}.png)\n"
    write_text(folder / "summary.md", text)
    return text
