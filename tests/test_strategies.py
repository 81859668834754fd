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
