"""The registry, and each strategy doing its job on its own."""
import math

import numpy as np
import pytest

from arena.strategies import GUNS, MOVEMENTS, StrategyError, make_gun, make_movement
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


def test_the_kde_guns_offer_exactly_the_learners_choices():
    """kde.py names the learner's kernels, losses and optimisers itself (so that checking parameters loads no
    numba): they must be the learner's, no more and no fewer."""
    import learner
    from arena.strategies import kde
    from learner.online import LOSSES, OPTIMIZERS
    assert sorted(kde.KERNEL_NAMES) == sorted(learner.KERNELS) and kde.LOSSES == LOSSES
    assert kde.OPTIMIZERS == OPTIMIZERS


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
