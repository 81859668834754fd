"""Parameter specs (issue 16.1): every strategy and battle parameter has one, any value is either refused
with a ParamError naming it or turned into a canonical in-range value, and the Python API uses them too."""
import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from arena.battle import BATTLE_PARAMS, BattleConfig, ConfigError, Side
from arena.params import ParamError, Spec
from arena.strategies import GUNS, MOVEMENTS, StrategyError, make_gun, make_movement

FAST = settings(derandomize=True, max_examples=200, deadline=None)
STRATEGIES = [("gun", n, c) for n, c in GUNS.items()] + [("movement", n, c) for n, c in MOVEMENTS.items()]
ANY = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(), st.text(max_size=6),
                st.lists(st.integers(), max_size=2), st.sampled_from([np.float32(1.5), np.int64(3), np.bool_(True),
                                                                      np.float64("nan"), "gaussian", "adam"]))


@pytest.mark.parametrize("kind, name, cls", STRATEGIES, ids=[n for _, n, _ in STRATEGIES])
def test_every_keyword_of_every_strategy_has_a_spec_its_default_passes(kind, name, cls):
    keywords = {p.name: p.default for p in inspect.signature(cls.__init__).parameters.values()
                if p.name not in ("self", "rng")}
    assert set(cls.PARAMS) == set(keywords)
    for param, default in keywords.items():
        assert cls.PARAMS[param].check(param, default) == default


def oracle(spec: Spec, value):
    """What check must return for `value`, worked out without Spec; None where it must refuse."""
    if spec.kind is bool:
        return bool(value) if isinstance(value, (bool, np.bool_)) else None
    if spec.kind is str:
        return value if isinstance(value, str) and value in spec.choices else None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        return None
    if not (math.isfinite(value) and spec.low <= value <= spec.high):
        return None
    if spec.kind is float:
        return float(value)
    return int(value) if float(value).is_integer() else None


SPECS = sorted({(f"{n}.{p}", s) for _, n, c in STRATEGIES for p, s in c.PARAMS.items()} |
               {(f"battle.{p}", s) for p, s in BATTLE_PARAMS.items()}, key=lambda x: x[0])


@FAST
@given(named=st.sampled_from(SPECS), value=ANY)
def test_a_spec_returns_exactly_the_canonical_value_or_refuses(named, value):
    name, spec = named
    want = oracle(spec, value)
    if want is None:
        with pytest.raises(ParamError, match=name):
            spec.check(name, value)
    else:
        got = spec.check(name, value)
        assert got == want and type(got) is type(want)
        assert spec.check(name, got) == got  # canonical values are fixed points


@FAST
@given(which=st.sampled_from(STRATEGIES), data=st.data())
def test_the_python_api_refuses_bad_values_with_a_strategy_error(which, data):
    kind, name, cls = which
    if not cls.PARAMS:
        return
    param = data.draw(st.sampled_from(sorted(cls.PARAMS)))
    value = data.draw(ANY)
    make = make_gun if kind == "gun" else make_movement
    if oracle(cls.PARAMS[param], value) is None:
        with pytest.raises(StrategyError, match=f"{kind} '{name}': {param} must be"):
            make(name, np.random.default_rng(1), **{param: value})
    else:
        try:
            make(name, np.random.default_rng(1), **{param: value})
        except StrategyError as exc:  # only combinations no single spec sees: adam with momentum
            assert "momentum applies to optimizer='sgd' only" in str(exc)


@FAST
@given(field=st.sampled_from(sorted(BATTLE_PARAMS)), value=ANY)
def test_battle_config_refuses_or_canonicalises_every_field(field, value):
    config = BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", "oscillator"), **{field: value})
    want = oracle(BATTLE_PARAMS[field], value)
    if want is None:
        with pytest.raises(ConfigError, match=field):
            config.validate()
    else:
        assert getattr(config.validate(), field) == want


def test_validate_makes_strategy_parameters_canonical():
    config = BattleConfig(shooter=Side("kde-learned", "duck", gun_params={"lr": 1, "capacity": 50.0}),
                          target=Side("none", "oscillator", movement_params={"period": 12.0, "distance": 300}))
    config = config.validate()
    assert config.shooter.gun_params == {"lr": 1.0, "capacity": 50}
    assert type(config.shooter.gun_params["lr"]) is float and type(config.shooter.gun_params["capacity"]) is int
    assert config.target.movement_params == {"period": 12, "distance": 300.0}


def test_unknown_parameters_and_strategies_are_named():
    with pytest.raises(StrategyError, match="gun 'kde' has no parameter speed; valid: power, bandwidth"):
        make_gun("kde", np.random.default_rng(1), speed=1)
    with pytest.raises(StrategyError, match="unknown movement 'warp'"):
        BattleConfig(target=Side("none", "warp")).validate()
