"""Strategy registry: names -> gun and movement classes, all with the same interface."""
from __future__ import annotations

import inspect

import numpy as np

from ..errors import ArenaError

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
    """An unknown strategy name or parameter; the message lists what is valid."""


def _make(kind: str, table: dict, name: str, rng: np.random.Generator, params: dict):
    if name not in table:
        raise StrategyError(f"unknown {kind} {name!r}; valid: {', '.join(sorted(table))}")
    cls = table[name]
    accepted = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "rng")]
    unknown = sorted(set(params) - set(accepted))
    if unknown:
        raise StrategyError(f"{kind} {name!r} has no parameter {', '.join(unknown)}; "
                            f"valid: {', '.join(accepted) or 'none'}")
    try:
        return cls(rng, **params)
    except (TypeError, ValueError) as exc:
        raise StrategyError(f"{kind} {name!r}: {exc}") from None


def make_gun(name: str, rng: np.random.Generator, **params) -> Gun:
    return _make("gun", GUNS, name, rng, params)


def make_movement(name: str, rng: np.random.Generator, **params) -> Movement:
    return _make("movement", MOVEMENTS, name, rng, params)


def parameters(kind: str, name: str) -> list[str]:
    """Parameter names a strategy accepts (for help texts and config validation)."""
    table = GUNS if kind == "gun" else MOVEMENTS
    return [p for p in inspect.signature(table[name].__init__).parameters if p not in ("self", "rng")]
