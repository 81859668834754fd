"""Strategy registry: names -> gun and movement classes, all with the same interface."""
from __future__ import annotations

import numpy as np

from ..errors import ArenaError
from ..params import ParamError, check_all
from .base import Gun, Movement, NoGun
from .circular import CircularGun, LinearGun
from .gf_bins import GFBinsGun
from .head_on import HeadOnGun
from .kde import KDEGun, LearnedKDEGun
from .oscillator import Oscillator
from .random_orbit import RandomOrbit
from .sitting_duck import SittingDuck
from .stop_and_go import StopAndGo
from .surfer import BinsSurfer, EqualWeightSurfer, Surfer
from .gf_segmented import SegmentedGFGun
from .metric_surfer import MetricSurfer
from .situational import KNNGun, MetricGun
from .situational_movers import AdaptiveOrbit, DistanceStopGo

GUNS: dict[str, type[Gun]] = {c.name: c for c in (HeadOnGun, LinearGun, CircularGun, GFBinsGun, KDEGun,
                                                   LearnedKDEGun, NoGun)}
GUNS.update({c.name: c for c in (KNNGun, MetricGun, SegmentedGFGun)})
MOVEMENTS: dict[str, type[Movement]] = {c.name: c for c in (SittingDuck, Oscillator, RandomOrbit, StopAndGo, Surfer,
                                                             EqualWeightSurfer, BinsSurfer)}
MOVEMENTS.update({c.name: c for c in (AdaptiveOrbit, DistanceStopGo, MetricSurfer)})


class StrategyError(ArenaError, ValueError):
    """An unknown strategy name or parameter, or a parameter value out of range; the message lists what is valid."""


def strategy_class(kind: str, name: str) -> type:
    """The class registered as gun or movement `name`, or the plugin `name` names (arena/plugins.py)."""
    table = GUNS if kind == "gun" else MOVEMENTS
    if name in table:
        return table[name]
    from .. import plugins
    if plugins.find(name):
        return plugins.load_strategy(kind, name)
    raise StrategyError(f"unknown {kind} {name!r}; valid: {', '.join(sorted(table))}")


def check_params(kind: str, name: str, params: dict) -> dict:
    """`params` for gun or movement `name`, each checked against its spec and made canonical (lr=1 -> 1.0)."""
    try:
        return check_all(strategy_class(kind, name).PARAMS, params, f"{kind} {name!r}")
    except ParamError as exc:
        raise StrategyError(str(exc)) from None


def _make(kind: str, name: str, rng: np.random.Generator, params: dict):
    params = check_params(kind, name, params)
    try:
        return strategy_class(kind, name)(rng, **params)
    except (TypeError, ValueError) as exc:  # a combination the specs cannot see, e.g. adam with momentum
        raise StrategyError(f"{kind} {name!r}: {exc}") from None


def make_gun(name: str, rng: np.random.Generator, **params) -> Gun:
    return _make("gun", name, rng, params)


def make_movement(name: str, rng: np.random.Generator, **params) -> Movement:
    return _make("movement", name, rng, params)


def parameters(kind: str, name: str) -> list[str]:
    """Parameter names a strategy accepts (for help texts and config validation)."""
    return list(strategy_class(kind, name).PARAMS)
