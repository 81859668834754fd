"""The registry, and each strategy doing its job on its own."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arena.strategies import GUNS, MOVEMENTS, StrategyError, make_gun, make_movement
from arena.strategies.base import wall_smooth
from arena.strategies.circular import predict_intercept


def test_unknown_names_list_the_valid_ones():
    with pytest.raises(StrategyError, match="head-on") as info:
        make_gun("laser", np.random.default_rng(0))
    assert "unknown gun 'laser'" in str(info.value)
    with pytest.raises(StrategyError, match="random-orbit"):
        make_movement("teleport", np.random.default_rng(0))


def test_unknown_parameter_is_refused_with_the_valid_ones():
    with pytest.raises(StrategyError, match="bins"):
        make_gun("gf-bins", np.random.default_rng(0), colour=3)


def test_every_strategy_can_be_built():
    rng = np.random.default_rng(0)
    assert all(make_gun(n, rng).name == n for n in GUNS)
    assert all(make_movement(n, rng).name == n for n in MOVEMENTS)


def test_linear_prediction_meets_a_straight_mover():
    # target at (400, 100) heading north at 8; bullet speed 14 from (100, 100), fired next tick
    x, y = predict_intercept(100, 100, 400, 100, 0.0, 8.0, 0.0, 14.0, 800, 600)
    ticks = round((y - 100) / 8)
    assert x == 400
    # the bullet needs (ticks - 1) moves of 14 to cover the distance it found
    assert (ticks - 1) * 14 >= math.hypot(x - 100, y - 100) > (ticks - 2) * 14


def test_prediction_stops_at_walls():
    x, y = predict_intercept(100, 100, 400, 560, 0.0, 8.0, 0.0, 11.0, 800, 600)
    assert y == 600 - 18


def test_gf_segmented_segments_by_hand():
    from arena.strategies.gf_segmented import segment_of, window_mass
    phi = np.zeros(8)
    phi[[0, 1, 6]] = (0.10, 0.125, 1.0)  # 10 ticks: nearest segment; lateral 1 px/tick: on the edge -> second
    assert segment_of(phi) == (0, 1, 2)
    phi[[0, 1, 6]] = (0.5, 0.9, 0.2)  # 50 ticks: farthest; 7.2 px/tick: fastest; wall at 0.2 escape angles
    assert segment_of(phi) == (3, 4, 0)
    phi[[0, 1, 6]] = (0.3, 0.5, 0.35)
    assert segment_of(phi) == (2, 2, 1)
    edges = np.linspace(-1, 1, 5)  # bins of width 0.5
    def window_bins(a, b):
        return [window_mass(a, b, edges[j], edges[j + 1]) for j in range(4)]
    assert window_bins(-0.25, 0.25) == [0.0, 0.5, 0.5, 0.0]
    assert window_bins(0.9, 1.3) == [0.0, 0.0, 0.0, 1.0]  # clipped to [-1, 1] first
    assert window_bins(1.1, 1.3) == [0.0] * 4  # wholly outside


def test_gf_segmented_keeps_a_rolling_average_per_segment():
    from arena.features import Situation
    from arena.observation import EnemyView, Observation, SelfView
    from arena.waves import Wave, WaveBreak
    gun = make_gun("gf-segmented", np.random.default_rng(0), bins=4, depth=1.0)
    # a situation 200 px away at full lateral speed, fired at tick 5 (flight 14 ticks: segment 0, lateral 4)
    gun.tracker.history[5] = Situation(400.0, 300.0, 0.0, 200.0, 8.0, 0.0, 0.0, 0, 0, 1)
    wave = Wave(400.0, 300.0, 5, 14.0, 0.0, 1, math.asin(8 / 14))
    me = SelfView(400.0, 300.0, 0.0, 0.0, 0.0, 100.0, 1.0, 0.0, 0.0, 0.0)
    enemy = EnemyView(400.0, 500.0, math.pi / 2, 8.0, 100.0, 0.0, 200.0)
    def obs(time, a, b):
        return Observation(0, time, 0, 800.0, 600.0, me, enemy, (), (), (WaveBreak(wave, a, b, time),), (), ())
    gun.learn(obs(20, 0.5, 1.0))
    seg = (0, 4, 2)
    assert gun.stats[seg].tolist() == [0.0, 0.0, 0.0, 0.5]  # depth 1: the new window counts a half
    gun.learn(obs(21, -1.0, -0.5))
    assert gun.stats[seg].tolist() == [0.5, 0.0, 0.0, 0.25]
    assert gun.seen[seg] == 2 and gun.seen.sum() == 2


@pytest.mark.parametrize("gun, movement, enemy_gun", [("kde-metric", "adaptive-orbit", "none"),
                                                       ("kde-knn", "distance-stop-go", "none"),
                                                       ("gf-segmented", "adaptive-orbit", "none"),
                                                       ("kde-metric", "surfer-metric", "kde-metric")])
def test_situational_strategies_play_a_battle(gun, movement, enemy_gun):
    from arena.battle import Battle, BattleConfig, Side
    battle = Battle(BattleConfig(shooter=Side(gun=gun, movement="duck"), target=Side(gun=enemy_gun,
                                                                                     movement=movement),
                                 rounds=2, seed=3))
    summary = battle.run().summary()
    assert summary["resolved"] > 10 and 0.0 < summary["hit_rate"] < 1.0
    shooter = battle.pilots[0].gun
    if hasattr(shooter, "feature_weights"):
        weights = shooter.feature_weights()
        assert len(weights) == 8 and all(math.isfinite(w) and w > 0 for w in weights)
        assert len(shooter.model) > 10  # every resolved wave was stored with its situation
        if gun == "kde-metric":
            assert len(set(weights)) > 1  # the metric moved (all started equal)
    target = battle.pilots[1].movement
    if movement == "surfer-metric":  # every enemy hit was stored with the situation the enemy fired it in
        assert len(target.danger.model) > 0 and math.isfinite(sum(target.feature_weights()))


def test_situational_movers_vary_distance_speed_and_direction():
    from arena.battle import Battle, BattleConfig, Side
    battle = Battle(BattleConfig(shooter=Side(gun="head-on"), target=Side(movement="adaptive-orbit"), rounds=1,
                                 seed=2))
    battle.start_round()
    speeds, directions = set(), set()
    while not battle.state.round_over and battle.state.time < 400:
        battle.tick()
        speeds.add(round(abs(battle.state.robots[1].velocity)))
        directions.add(battle.pilots[1].movement.direction)
    assert len(speeds) > 4 and directions == {1, -1}
    mover = make_movement("distance-stop-go", np.random.default_rng(0), stop=8.0)
    # 16 ticks at 200 px, cut to half the 200 / 14 tick flight; 8 * 400 / 600 = 5.3 at 600 px
    assert mover.stop_ticks(200.0, 14.0) == 7 and mover.stop_ticks(600.0, 14.0) == 5
    orbiter = make_movement("adaptive-orbit", np.random.default_rng(0), flip=0.03)
    assert orbiter.flip_rate(200.0) == pytest.approx(0.06) and orbiter.flip_rate(800.0) == pytest.approx(0.015)


def test_run_json_reports_the_learned_feature_weights(capsys):
    import json

    from arena.cli import main
    from arena.features import NAMES
    argv = ["run", "--gun", "kde-metric", "--movement", "adaptive-orbit", "--rounds", "1", "--seed", "4", "--json"]
    assert main(argv) == 0  # the fast path plays it
    weights = json.loads(capsys.readouterr().out)["feature_weights"]
    assert sorted(weights) == sorted(NAMES) and all(w > 0 for w in weights.values())
    assert len(set(weights.values())) > 1  # learned: they no longer all have their starting value
    assert main(argv + ["--reference"]) == 0
    assert json.loads(capsys.readouterr().out)["feature_weights"] == weights  # the same on the reference path
    assert main(["run", "--gun", "gf-bins", "--movement", "duck", "--rounds", "1", "--json"]) == 0
    assert "feature_weights" not in json.loads(capsys.readouterr().out)  # no metric, no weights


def test_the_kde_guns_offer_exactly_the_learners_choices():
    """kde.py names the learner's kernels, losses and optimisers itself (so that checking parameters loads no
    numba): they must be the learner's, no more and no fewer."""
    import learner
    from arena.strategies import kde
    from learner.online import LOSSES, OPTIMIZERS
    assert sorted(kde.KERNEL_NAMES) == sorted(learner.KERNELS) and kde.LOSSES == LOSSES
    assert kde.OPTIMIZERS == OPTIMIZERS
    from learner import metric
    assert kde.OPTIMIZERS == metric.OPTIMIZERS  # kde-metric offers the metric model's optimisers by the same names


@pytest.mark.parametrize("a, b, want", [(0.2, 0.4, 0.30000000000000004), (0.9, 1.3, 1.0), (-1.5, -0.9, -1.0)])
def test_a_hit_window_stores_its_centre_clipped_to_the_gf_range(a, b, want):
    from arena.strategies.kde import hit_point
    assert hit_point(a, b) == want


def test_the_kde_danger_of_a_window_is_its_density_integral():
    """Against the exact integral of a one-point gaussian KDE (a difference of normal CDFs): the h/4 grid's
    linear interpolation errs by well under 1% of a window's mass; outside the grid a window carries none."""
    from arena.strategies.danger import KDEDanger
    danger = KDEDanger(learned=False, bandwidth=0.1)
    danger.add(0.1, 0.3)  # one point at 0.2
    phi = lambda t: 0.5 * math.erfc(-t / math.sqrt(2.0))  # noqa: E731
    for a, b in [(0.15, 0.25), (-0.1, 0.5), (0.33, 0.41), (0.2, 0.2001)]:
        want = phi((b - 0.2) / 0.1) - phi((a - 0.2) / 0.1)
        assert danger.mass(a, b) == pytest.approx(want, rel=0.01)
    assert danger.mass(2.5, 3.0) == 0.0 and danger.mass(0.3, 0.1) == 0.0


def _wall_smooth_by_steps(x, y, angle, direction, width, height, margin=18.0, stick=120.0):
    """The rule itself: turn by pi/20 towards `direction` until the stick's end is in the field (72 tries)."""
    for _ in range(72):
        px, py = x + stick * math.sin(angle), y + stick * math.cos(angle)
        if margin <= px <= width - margin and margin <= py <= height - margin:
            break
        angle += direction * 0.05 * math.pi
    return angle


@given(st.floats(-50, 850), st.floats(-50, 650), st.floats(-10, 10), st.sampled_from([1, -1]))
@settings(max_examples=3000, derandomize=True)
def test_wall_smooth_skips_the_trig_only_where_every_angle_passes(x, y, angle, direction):
    """wall_smooth returns at once when the robot is a stick's length inside the field; that shortcut gives the
    very bits the stepping rule gives, on both sides of its border (x - 120 = 18 at x = 138)."""
    assert wall_smooth(x, y, angle, direction, 800.0, 600.0) == _wall_smooth_by_steps(x, y, angle, direction,
                                                                                      800.0, 600.0)


def test_wall_smooth_where_the_stick_ends_on_the_field_edge():
    """The turned sine and cosine only rule a stick clearly in or out; within STICK_SLACK of an edge the
    angle's own decide. Sticks ending within 1e-13..1e-5 px of the left edge after 0-5 turns: the stepping
    rule's bits every time."""
    rng = np.random.default_rng(8)
    checked = 0
    for _ in range(400):
        target, direction, turns = rng.uniform(-math.pi, 0.0), int(rng.choice([1, -1])), int(rng.integers(6))
        angle = target - turns * direction * 0.05 * math.pi
        for gap in (-1e-5, -1e-9, -1e-13, 0.0, 1e-13, 1e-9, 1e-5):
            x = 18.0 - 120.0 * math.sin(target) + gap
            for y in (60.0, 300.0):
                assert wall_smooth(x, y, angle, direction, 800.0, 600.0) == \
                    _wall_smooth_by_steps(x, y, angle, direction, 800.0, 600.0), (x, y, angle, direction)
                checked += 1
    assert checked == 5600


@pytest.mark.parametrize("x", [137.99999999999997, 138.0, 138.00000000000003, 661.9999999999999, 662.0,
                               662.0000000000001])
def test_wall_smooth_at_the_shortcut_border(x):
    for angle in np.linspace(-math.pi, math.pi, 721):
        assert wall_smooth(x, 300.0, angle, 1, 800.0, 600.0) == _wall_smooth_by_steps(x, 300.0, angle, 1, 800.0,
                                                                                      600.0)
