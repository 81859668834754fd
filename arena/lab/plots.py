"""Figures for tune, compare and experiment: bare matplotlib Figures (Agg, no pyplot state), so they
render headless and in threads; save_png writes them atomically."""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..files import write_atomic

if TYPE_CHECKING:
    from matplotlib.figure import Figure


def _figure(**kw) -> Figure:
    """A bare Agg-renderable Figure; matplotlib loads on the first plot, not on every `arena` start-up."""
    from matplotlib.figure import Figure
    return Figure(layout="constrained", **kw)


def save_png(fig: Figure, path: Path) -> None:
    write_atomic(path, lambda f: fig.savefig(f, format="png", dpi=110))


def _percent():
    from matplotlib.ticker import PercentFormatter
    return PercentFormatter(1.0)


def is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def log_spaced(values) -> bool:
    """Positive numbers spanning more than 10x are shown on a log axis."""
    return (len(values) > 1 and all(is_number(v) for v in values) and min(values) > 0
            and max(values) / min(values) > 10)


def _label(v) -> str:
    return f"{v:g}" if is_number(v) else str(v)


def _positions(values: list) -> tuple[dict, bool]:
    """Where each x value goes: itself when all are numbers, else its index (a categorical axis)."""
    unique = list(dict.fromkeys(values))
    if all(is_number(v) for v in unique):
        return {v: v for v in unique}, False
    return {v: i for i, v in enumerate(unique)}, True


def _categorical_axis(ax, pos: dict) -> None:
    ax.set_xticks(list(pos.values()), [_label(v) for v in pos])
    ax.set_xlim(-0.5, len(pos) - 0.5)


def _errorbars(ax, xs, rows, key="hit_rate", **kw):
    mean = np.array([r[key] for r in rows])
    lo = np.array([r[f"{key}_lo"] for r in rows])
    hi = np.array([r[f"{key}_hi"] for r in rows])
    return ax.errorbar(xs, mean, yerr=[mean - lo, hi - mean], capsize=3, **kw)


def sweep_figure(summary: list[dict], x: str, series: list[str], title: str,
                 reference: dict | None = None) -> Figure:
    """Mean hit rate (95% CI bars) against one parameter, one line per combination of the others.

    `reference` (a summary row with a "label") draws a baseline as a shaded band.
    """
    fig = _figure(figsize=(7.5, 4.8))
    ax = fig.add_subplot()
    pos, categorical = _positions([s[x] for s in summary])
    groups: dict[tuple, list[dict]] = {}
    for s in summary:
        groups.setdefault(tuple(s[k] for k in series), []).append(s)
    log = not categorical and log_spaced(list(pos))
    # Series side by side, not on top of each other: a small shift in index, linear or log units.
    span = 1.0 if categorical else float(np.ptp(np.log10(list(pos)) if log else list(pos))) or 1.0
    step = (0.08 if categorical else 0.012 * span) if len(groups) > 1 else 0.0
    for i, (values, rows) in enumerate(groups.items()):
        shift = (i - (len(groups) - 1) / 2) * step
        xs = [pos[r[x]] * 10 ** shift if log else pos[r[x]] + shift for r in rows]
        label = ", ".join(f"{k}={_label(v)}" for k, v in zip(series, values)) or None
        _errorbars(ax, xs, rows, marker="o", linestyle="none" if categorical else "-", label=label)
    if reference:
        ax.axhspan(reference["hit_rate_lo"], reference["hit_rate_hi"], color="grey", alpha=0.2)
        ax.axhline(reference["hit_rate"], color="grey", linestyle="--", label=reference["label"])
    if categorical:
        _categorical_axis(ax, pos)
    elif log:
        ax.set_xscale("log")
    ax.set_xlabel(x)
    ax.set_ylabel("hit rate (mean over seeds, 95% CI)")
    ax.yaxis.set_major_formatter(_percent())
    ax.set_title(title)
    ax.grid(alpha=0.3)
    if series or reference:
        ax.legend(fontsize="small")
    return fig


def trials_figure(summary: list[dict], names: list[str], logs: list[bool], best: dict, title: str) -> Figure:
    """Optuna trials: hit rate against each searched parameter, and against the trial number."""
    fig = _figure(figsize=(4.2 * (len(names) + 1), 4.2))
    axes = fig.subplots(1, len(names) + 1, squeeze=False)[0]
    for ax, name, log in zip(axes, names, logs):
        pos, categorical = _positions([s[name] for s in summary])
        _errorbars(ax, [pos[s[name]] for s in summary], summary, marker="o", linestyle="none", alpha=0.7)
        ax.plot([pos[best[name]]], [best["hit_rate"]], marker="*", markersize=14, color="crimson",
                linestyle="none", label="best")
        if categorical:
            _categorical_axis(ax, pos)
        elif log or log_spaced(list(pos)):
            ax.set_xscale("log")
        ax.set_xlabel(name)
        ax.legend(fontsize="small")
    trial_ax = axes[-1]
    _errorbars(trial_ax, [s["trial"] for s in summary], summary, marker="o", linestyle="none", alpha=0.7)
    trial_ax.set_xlabel("trial")
    for ax in axes:
        ax.yaxis.set_major_formatter(_percent())
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("hit rate (mean over seeds, 95% CI)")
    fig.suptitle(title)
    return fig


def matrix_figure(summary: list[dict], guns: list[str], movements: list[str]) -> Figure:
    """Heatmaps of the targeting x movement matrix: hit rate and bullet damage per round."""
    cells = {(s["gun"], s["movement"]): s for s in summary}
    fig = _figure(figsize=(2.2 + 1.9 * len(movements) * 2, 1.6 + 0.8 * len(guns)))
    for ax, key, label, fmt in zip(fig.subplots(1, 2), ("hit_rate", "damage_per_round"),
                                   ("hit rate", "bullet damage per round"), ("{:.1%}", "{:.1f}")):
        lo_key, hi_key = ("hit_rate_lo", "hit_rate_hi") if key == "hit_rate" else ("damage_lo", "damage_hi")
        grid = np.array([[cells[g, m][key] for m in movements] for g in guns])
        image = ax.imshow(grid, cmap="viridis", aspect="auto")
        fig.colorbar(image, ax=ax, shrink=0.8, format=_percent() if key == "hit_rate" else None)
        for (i, g), (j, m) in itertools.product(enumerate(guns), enumerate(movements)):
            c = cells[g, m]
            text = f"{fmt.format(c[key])}\n[{fmt.format(c[lo_key])}, {fmt.format(c[hi_key])}]"
            ax.text(j, i, text, ha="center", va="center", fontsize=8,
                    color="white" if c[key] < grid.mean() else "black")
        ax.set_xticks(range(len(movements)), movements, rotation=20)
        ax.set_yticks(range(len(guns)), guns)
        ax.set_title(f"{label} (mean, 95% CI)")
    return fig


def near_far_figure(distances: np.ndarray, curves: dict[str, dict], bandwidth: float) -> Figure:
    """Loss and gradient size against how far the points sit from the window, per kernel."""
    fig = _figure(figsize=(10, 4.2))
    loss_ax, grad_ax = fig.subplots(1, 2)
    for (label, c), style in zip(curves.items(), itertools.cycle(["-", "--", ":", "-."])):
        loss_ax.plot(distances / bandwidth, c["loss"], style, label=label)
        grad_ax.plot(distances / bandwidth, c["grad_norm"], style, label=label)
    loss_ax.set_ylabel("window cross-entropy")
    grad_ax.set_ylabel("|dL/dz| (the step per unit learning rate)")
    for ax in (loss_ax, grad_ax):
        ax.set_xlabel("distance of the nearest point from the window (bandwidths)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    fig.suptitle("near vs far points: the loss grows, the Laplace step does not")
    return fig


def laplace_shift_figure(shifts: np.ndarray, grads: dict[str, np.ndarray], deviations: dict[str, np.ndarray],
                         bandwidth: float) -> Figure:
    """Gradient components as one side's points slide toward the window, and how far they move."""
    fig = _figure(figsize=(10, 4.2))
    comp_ax, dev_ax = fig.subplots(1, 2)
    for (label, g), style in zip(grads.items(), ["-", "--"]):
        for k in range(g.shape[1]):
            comp_ax.plot(shifts / bandwidth, g[:, k], style, color=f"C{k}", label=label if k == 0 else None)
    comp_ax.set_ylabel("dL/dz_i, one line per point")
    comp_ax.legend(fontsize="small")
    for label, d in deviations.items():
        dev_ax.semilogy(shifts / bandwidth, np.maximum(d, 1e-18), label=label)
    dev_ax.set_ylabel("max |grad(shift) - grad(0)|")
    dev_ax.legend(fontsize="small")
    for ax in (comp_ax, dev_ax):
        ax.set_xlabel("shift toward the window (bandwidths)")
        ax.grid(alpha=0.3)
    fig.suptitle("Laplace kernel: shifting every point on one side leaves the gradient unchanged")
    return fig
