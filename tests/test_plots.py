"""Lab figures a reader can use without the command line: titles, axis titles, log axes by range,
no hidden curves, a best-so-far line."""
import numpy as np
import pytest

from arena.lab import plots
from arena.lab.compare import MatrixResult, matrix_subtitle
from arena.lab.tuning import TuneResult, figure_titles, log_axis, parse_param
from arena.battle import BattleConfig, Side
from arena.commands.common import parse_value


def row(**kw):
    base = {"battles": 3, "hit_rate": 0.2, "hit_rate_lo": 0.1, "hit_rate_hi": 0.3, "damage_per_round": 10.0,
            "damage_lo": 5.0, "damage_hi": 15.0}
    return {**base, **kw}


def param(text):
    name, _, spec = text.partition("=")
    return parse_param(name, spec, parse_value)


@pytest.mark.parametrize("values, log", [
    ((0.3, 1, 3, 10), True), ((0.3, 10), True), ((1, 3), False), ((1, 2, 3, 4, 5, 6, 7, 8, 9, 10), False),
    ((1, 20), True), ((1, 19.9), False), ((0, 1, 100), False), (("gaussian", "laplace"), False),
])
def test_log_axis_depends_on_the_range_not_the_count(values, log):
    assert plots.log_spaced(values) == log


def test_a_log_range_gets_a_log_axis_whatever_its_span():
    assert log_axis(param("lr=0.1:1:log")) and not log_axis(param("lr=0.1:1")) and log_axis(param("lr=0.1:2"))


def test_sweep_figure_axes_titles_and_scale():
    summary = [row(lr=v, hit_rate=0.1 + 0.01 * i) for i, v in enumerate((0.3, 1, 3, 10))]
    fig = plots.sweep_figure(summary, "lr", [], "kde-learned gun vs surfer", subtitle="20 seeds x 35 rounds")
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "lr (log scale)"
    assert ax.get_ylabel() == "hit rate (mean over seeds, 95% CI)"
    assert ax.get_title().splitlines() == ["kde-learned gun vs surfer", "20 seeds x 35 rounds"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["0.3", "1", "3", "10"]
    two = plots.sweep_figure(summary[:2], "lr", [], "t")  # 0.3 and 1: a 3.3x span stays linear
    assert two.axes[0].get_xscale() == "linear"


def test_one_seed_means_get_no_bars_and_say_so():
    summary = [row(lr=v, battles=1, hit_rate_lo=0.2, hit_rate_hi=0.2) for v in (1, 2)]
    ax = plots.sweep_figure(summary, "lr", [], "t").axes[0]
    assert ax.get_ylabel() == "hit rate (mean over seeds, n=1, no interval)"


def test_tune_titles_name_gun_movement_seeds_rounds_and_fixed_parameters():
    base = BattleConfig(shooter=Side("kde-learned"), target=Side(movement="surfer"), rounds=35)
    params = [param("lr=0.3,1,3"), param("kernel=laplace")]
    result = TuneResult("grid", base, params, list(range(1, 21)), ["lr", "kernel"], [], {}, "maximize", 0)
    title, subtitle = figure_titles(result)
    assert title == "kde-learned gun vs surfer: grid over lr"
    assert subtitle.startswith("20 seeds x 35 rounds per setting; fixed: kernel=laplace, shooter movement duck")
    assert "power 2" in subtitle and "800x600" in subtitle


def test_trials_figure_draws_the_best_so_far_line():
    summary = [row(trial=t, lr=lr, hit_rate=h) for t, lr, h in
               [(0, 0.01, 0.10), (1, 0.1, 0.25), (2, 1.0, 0.15), (3, 3.0, 0.30), (4, 0.5, 0.20)]]
    fig = plots.trials_figure(summary, ["lr"], [True], summary[3], "t", "s")
    trial_ax = fig.axes[-1]
    line = next(line for line in trial_ax.get_lines() if line.get_label() == "best so far")
    assert list(line.get_ydata()) == [0.10, 0.25, 0.25, 0.30, 0.30]
    assert trial_ax.get_xlabel() == "trial number" and fig.axes[0].get_xscale() == "log"
    minimizing = plots.trials_figure(summary, ["lr"], [True], summary[0], "t", maximize=False)
    line = next(line for line in minimizing.axes[-1].get_lines() if line.get_label() == "best so far")
    assert list(line.get_ydata()) == [0.10] * 5


def test_matrix_heatmaps_have_axis_titles_and_the_parameters_set():
    summary = [row(gun=g, movement=m) for g in ("head-on", "kde-learned") for m in ("oscillator", "surfer")]
    base = BattleConfig(rounds=10)
    result = MatrixResult(base, ["head-on", "kde-learned"], ["oscillator", "surfer"], [1, 2, 3], summary, 12,
                          {"kde-learned": {"lr": 3.0}, "surfer": {"lr": 0.5}})
    subtitle = matrix_subtitle(result)
    assert subtitle.startswith("3 seeds x 10 rounds per cell") and subtitle.endswith("kde-learned.lr=3, surfer.lr=0.5")
    fig = plots.matrix_figure(summary, result.guns, result.movements, subtitle)
    heatmaps = [ax for ax in fig.axes if ax.get_xlabel()]
    assert [(ax.get_xlabel(), ax.get_ylabel()) for ax in heatmaps] == [("target movement", "shooter gun")] * 2
    assert "kde-learned.lr=3" in fig.get_suptitle()


def test_near_far_curves_that_coincide_still_differ_in_style():
    x = np.linspace(0, 1, 41)
    fig = plots.near_far_figure(x, {k: {"loss": x, "grad_norm": np.ones_like(x)} for k in "abcd"}, 0.1)
    for ax in fig.axes:
        lines = ax.get_lines()
        assert len(lines) == 4
        styles = {(line.get_linestyle(), line.get_marker(), line.get_linewidth()) for line in lines}
        assert len(styles) == 4  # identical data, four different looks
        assert len({str(line.get_markevery()) for line in lines}) == 4  # markers at different points
