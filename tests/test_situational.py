"""The situation-aware guns' lab: paired margins by hand, the gradient-norm training loop."""
import pytest

from arena.lab.experiments import train_free_logits
from arena.lab.situational import EVAL_GUNS, EVAL_MOVERS, eval_jobs, eval_report, eval_seeds, paired_differences


def rows_with(margins: dict[str, list[float]], movement: str = "random-orbit") -> list[dict]:
    """kde-metric at 0.3 on every seed; each other gun below it by the given margins, seed by seed."""
    rows = []
    for seed, _ in enumerate(next(iter(margins.values())), start=1001):
        rows.append({"gun": "kde-metric", "movement": movement, "seed": seed, "hit_rate": 0.3})
    for gun, diffs in margins.items():
        rows += [{"gun": gun, "movement": movement, "seed": 1001 + i, "hit_rate": 0.3 - d} for i, d in enumerate(diffs)]
    return rows


def test_evaluation_seeds_never_overlap_the_tuning_seeds_and_pair_up_seed_by_seed():
    assert eval_seeds(3) == [1001, 1002, 1003]
    jobs = eval_jobs([1001, 1002], 35)
    per_seed = len(EVAL_GUNS) * len(EVAL_MOVERS)
    assert len(jobs) == 2 * per_seed and {j.config.seed for j in jobs[:per_seed]} == {1001}
    assert all(j.config.rounds == 35 and j.config.shooter.movement == "duck" for j in jobs)


def test_paired_margins_by_hand():
    rows = rows_with({"kde-learned": [0.10, 0.11, 0.12], "kde-knn": [0.1, 0.2, 0.3], "gf-segmented": [-0.1, -0.11, -0.12]})
    assert paired_differences(rows, "random-orbit", "kde-metric", "kde-knn") == pytest.approx([0.1, 0.2, 0.3])
    text, margins = eval_report(rows)
    by_other = {m["other"]: m for m in margins if m["movement"] == "random-orbit"}
    # 0.10, 0.11, 0.12: mean 0.11, sd 0.01, t(2) = 4.3027 -> half-width 0.0248: excludes 0
    assert by_other["kde-learned"]["mean"] == pytest.approx(0.11)
    assert by_other["kde-learned"]["lo"] == pytest.approx(0.11 - 4.302653 * 0.01 / 3 ** 0.5, rel=1e-5)
    assert by_other["kde-learned"]["separated"]
    # 0.1, 0.2, 0.3: mean 0.2, sd 0.1 -> half-width 0.248: includes 0
    assert not by_other["kde-knn"]["separated"] and by_other["kde-knn"]["lo"] < 0
    assert not by_other["gf-segmented"]["separated"] and by_other["gf-segmented"]["hi"] < 0
    assert "against 0 of the 4 groups" in text  # one loss and one tie: no group is won
    won = eval_report(rows_with({g: [0.10, 0.11, 0.12] for g in EVAL_GUNS[1:]}))[0]
    assert "against 1 of the 4 groups (random-orbit)" in won


def test_gradient_norms_start_at_zero_with_one_point():
    # with one stored point the softmax has nothing to move: S = q = 1, so dL/dz = 0 for both losses
    windows = [(0.1, 0.2), (-0.5, -0.4), (0.0, 0.1), (0.3, 0.4)]
    for loss in ("ce", "squared"):
        norms = train_free_logits(windows, loss)
        assert len(norms) == 3 and norms[0] == pytest.approx(0.0, abs=1e-12) and norms[1] > 0


def test_feature_weights_are_recorded_round_by_round_and_drawn(tmp_path):
    import numpy as np

    from arena.lab import plots
    from arena.lab.situational import features_figure, margins_figure, round_marks, weights_by_round
    assert round_marks(2) == [1, 2] and round_marks(6) == [1, 2, 3, 5, 6] and round_marks(35)[-2:] == [30, 35]
    weights = weights_by_round("adaptive-orbit", 1, 2)
    assert len(weights) == 2 and all(len(w) == 8 and min(w) > 0 for w in weights)
    assert weights[0] != weights[1]  # the metric kept learning in round 2
    assert weights_by_round("adaptive-orbit", 1, 2, reference=True) == weights  # the fast path played the same
    plots.save_png(features_figure({"adaptive-orbit": np.array([weights])}, [1, 2], "test"), tmp_path / "f.png")
    margins = eval_report(rows_with({g: [0.1, 0.12, 0.08] for g in EVAL_GUNS[1:]}))[1]
    plots.save_png(margins_figure(margins, "test"), tmp_path / "m.png")
    assert (tmp_path / "f.png").stat().st_size > 10_000 and (tmp_path / "m.png").stat().st_size > 10_000
