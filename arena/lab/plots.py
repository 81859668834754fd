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


LOG_SPAN = 20.0  # a parameter whose values span this factor or more (all > 0) gets a log axis


def log_spaced(values) -> bool:
    """A log axis for positive numbers spanning LOG_SPAN or more: decided by the range the values cover
    (the parameter's own range, when the caller passes it), never by how many values there are."""
    values = [v for v in values if is_number(v)]
    return bool(values) and min(values) > 0 and max(values) / min(values) >= LOG_SPAN


def titled(ax_or_fig, title: str, subtitle: str = "") -> None:
    """A title with smaller lines under it (what was held fixed), wrapped to the figure's width; on an
    Axes or a Figure."""
    import textwrap
    fig = getattr(ax_or_fig, "figure", None) or ax_or_fig
    width = max(40, round(fig.get_figwidth() * 11))  # characters per line that fit over the axes at this size
    text = "\n".join([title, *textwrap.wrap(subtitle, width)]) if subtitle else title
    if hasattr(ax_or_fig, "suptitle"):
        ax_or_fig.suptitle(text, fontsize="medium")
    else:
        ax_or_fig.set_title(text, fontsize="medium")


def _readable_ticks(ax) -> None:
    ax.tick_params(labelsize=9)
    for label in ax.get_xticklabels():
        label.set_rotation(0)


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
    """Means with their 95% interval bars; a mean over one seed gets no bar (it has no interval)."""
    mean = np.array([r[key] for r in rows])
    single = np.array([r.get("battles", 2) == 1 for r in rows])
    lo = np.where(single, mean, np.array([r[f"{key}_lo"] for r in rows]))
    hi = np.where(single, mean, np.array([r[f"{key}_hi"] for r in rows]))
    return ax.errorbar(xs, mean, yerr=[mean - lo, hi - mean], capsize=3, **kw)


def interval_note(rows) -> str:
    """What the error bars are, for an axis label: 95% intervals, or none when a mean is of one seed."""
    return "n=1, no interval" if rows and all(r.get("battles", 2) == 1 for r in rows) else "95% CI"


def sweep_figure(summary: list[dict], x: str, series: list[str], title: str,
                 reference: dict | None = None, subtitle: str = "", log_x: bool | None = None) -> Figure:
    """Mean hit rate (95% CI bars) against one parameter, one line per combination of the others.

    `reference` (a summary row with a "label") draws a baseline as a shaded band; `log_x` None lets
    the range of the values plotted decide between a linear and a log axis (log_spaced).
    """
    fig = _figure(figsize=(7.5, 4.8))
    ax = fig.add_subplot()
    pos, categorical = _positions([s[x] for s in summary])
    groups: dict[tuple, list[dict]] = {}
    for s in summary:
        groups.setdefault(tuple(s[k] for k in series), []).append(s)
    log = not categorical and (log_spaced(list(pos)) if log_x is None else log_x)
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
        _value_ticks(ax, list(pos))
    ax.set_xlabel(f"{x} (log scale)" if log else x)
    ax.set_ylabel(f"hit rate (mean over seeds, {interval_note(summary)})")
    ax.yaxis.set_major_formatter(_percent())
    titled(ax, title, subtitle)
    ax.grid(alpha=0.3)
    _readable_ticks(ax)
    if series or reference:
        ax.legend(fontsize="small")
    return fig


def _value_ticks(ax, values: list) -> None:
    """On a log axis, tick the values that were run (at most 9, evenly picked), labelled as written."""
    from matplotlib.ticker import NullFormatter, NullLocator
    values = sorted(values)
    if len(values) > 9:
        values = [values[round(i * (len(values) - 1) / 8)] for i in range(9)]
    ax.set_xticks(values, [_label(v) for v in values])
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_minor_formatter(NullFormatter())


def trials_figure(summary: list[dict], names: list[str], logs: list[bool], best: dict, title: str,
                  subtitle: str = "", maximize: bool = True) -> Figure:
    """Optuna trials: hit rate against each searched parameter (`logs`: which get a log axis), and
    against the trial number with the best-so-far line."""
    fig = _figure(figsize=(4.4 * (len(names) + 1), 4.6))
    axes = fig.subplots(1, len(names) + 1, squeeze=False)[0]
    for ax, name, log in zip(axes, names, logs):
        pos, categorical = _positions([s[name] for s in summary])
        _errorbars(ax, [pos[s[name]] for s in summary], summary, marker="o", linestyle="none", alpha=0.7,
                   label="trial (mean over seeds)")
        ax.plot([pos[best[name]]], [best["hit_rate"]], marker="*", markersize=14, color="crimson",
                linestyle="none", label="highest mean" if maximize else "lowest mean")
        if categorical:
            _categorical_axis(ax, pos)
        elif log:
            ax.set_xscale("log")
            ax.set_xlabel(f"{name} (log scale)")
        else:
            from matplotlib.ticker import MaxNLocator
            ax.xaxis.set_major_locator(MaxNLocator(5))
        ax.set_xlabel(ax.get_xlabel() or name)
        ax.legend(fontsize="small")
    trial_ax = axes[-1]
    order = sorted(summary, key=lambda s: s["trial"])
    _errorbars(trial_ax, [s["trial"] for s in order], order, marker="o", linestyle="none", alpha=0.7,
               label="trial")
    pick = max if maximize else min
    so_far = list(itertools.accumulate((s["hit_rate"] for s in order), pick))
    trial_ax.step([s["trial"] for s in order], so_far, where="post", color="crimson", label="best so far")
    trial_ax.set_xlabel("trial number")
    from matplotlib.ticker import MaxNLocator
    trial_ax.xaxis.set_major_locator(MaxNLocator(6, integer=True))
    trial_ax.legend(fontsize="small")
    for ax in axes:
        ax.yaxis.set_major_formatter(_percent())
        ax.grid(alpha=0.3)
        _readable_ticks(ax)
    axes[0].set_ylabel(f"hit rate (mean over seeds, {interval_note(summary)})")
    titled(fig, title, subtitle)
    return fig


def matrix_figure(summary: list[dict], guns: list[str], movements: list[str], subtitle: str = "") -> Figure:
    """Heatmaps of the targeting x movement matrix: hit rate and bullet damage per round."""
    cells = {(s["gun"], s["movement"]): s for s in summary}
    fig = _figure(figsize=(2.6 + 1.9 * len(movements) * 2, 2.4 + 0.8 * len(guns)))
    note = interval_note(summary)
    for ax, key, label, fmt in zip(fig.subplots(1, 2), ("hit_rate", "damage_per_round"),
                                   ("hit rate", "bullet damage per round"), ("{:.1%}", "{:.1f}")):
        lo_key, hi_key = ("hit_rate_lo", "hit_rate_hi") if key == "hit_rate" else ("damage_lo", "damage_hi")
        grid = np.array([[cells[g, m][key] for m in movements] for g in guns])
        image = ax.imshow(grid, cmap="viridis", aspect="auto")
        fig.colorbar(image, ax=ax, shrink=0.8, format=_percent() if key == "hit_rate" else None)
        for (i, g), (j, m) in itertools.product(enumerate(guns), enumerate(movements)):
            c = cells[g, m]
            interval = "n=1" if c["battles"] == 1 else f"[{fmt.format(c[lo_key])}, {fmt.format(c[hi_key])}]"
            ax.text(j, i, f"{fmt.format(c[key])}\n{interval}", ha="center", va="center", fontsize=8,
                    color="white" if c[key] < grid.mean() else "black")
        ax.set_xticks(range(len(movements)), movements, rotation=20, ha="right", fontsize=9)
        ax.set_yticks(range(len(guns)), guns, fontsize=9)
        ax.set_xlabel("target movement")
        ax.set_ylabel("shooter gun")
        ax.set_title(f"{label} (mean over seeds, {note})", fontsize="medium")
    titled(fig, "arena compare: every gun against every movement", subtitle)
    return fig


# Curves that may coincide each get their own line style, marker and width (widest drawn first),
# with markers at staggered points, so a curve lying exactly on another still shows.
CURVE_STYLES = (("-", "o", 5.0), ("--", "s", 3.5), (":", "^", 2.5), ("-.", "D", 1.5))


def distinct_curves(ax, x, curves: list[tuple[str, np.ndarray]]) -> None:
    """Plot each (label, y) so that identical curves remain visible and tell apart."""
    step = max(len(x) // 8, 1)
    for k, ((label, y), (style, marker, width)) in enumerate(zip(curves, itertools.cycle(CURVE_STYLES))):
        ax.plot(x, y, linestyle=style, linewidth=width, marker=marker, markersize=6,
                markevery=(k * step // max(len(curves), 1), step), label=label, alpha=0.85, color=f"C{k}")


def near_far_figure(distances: np.ndarray, curves: dict[str, dict], bandwidth: float) -> Figure:
    """Loss and gradient size against how far the points sit from the window, per kernel."""
    fig = _figure(figsize=(11, 4.6))
    loss_ax, grad_ax = fig.subplots(1, 2)
    x = distances / bandwidth
    distinct_curves(loss_ax, x, [(label, c["loss"]) for label, c in curves.items()])
    distinct_curves(grad_ax, x, [(label, c["grad_norm"]) for label, c in curves.items()])
    loss_ax.set_ylabel("window cross-entropy")
    grad_ax.set_ylabel("|dL/dz| (the step per unit learning rate)")
    for ax in (loss_ax, grad_ax):
        ax.set_xlabel("distance of the nearest point from the window (bandwidths)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
        _readable_ticks(ax)
    grad_ax.set_title("scaled Gaussians coincide with the Gaussian: markers tell them apart", fontsize="small")
    titled(fig, "near vs far points: the loss grows, the Laplace step does not",
           f"five points with fixed unequal logits left of the hit window; bandwidth h = {bandwidth:g}")
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
