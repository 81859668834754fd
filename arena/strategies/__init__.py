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

GUNS: dict[str, type[Gun]] = {c.name: c for c in (HeadOnGun, LinearGun, CircularGun, GFBinsGun, KDEGun,
                                                   LearnedKDEGun, NoGun)}
MOVEMENTS: dict[str, type[Movement]] = {c.name: c for c in (SittingDuck, Oscillator, RandomOrbit, StopAndGo, Surfer,
                                                             EqualWeightSurfer, BinsSurfer)}


class StrategyError(ArenaError, ValueError):
    """An unknown strategy name or parameter; the message lists what is valid."""


def _make(kind: str, table: dict, name: str, rng: np.random.Generator, params: dict):
    table = _with_plugin(kind, table, name)
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


def _with_plugin(kind: str, table: dict, name: str) -> dict:
    """The hook for plugins (arena/plugins.py): a name the registry lacks may be a spec or an entry point."""
    from .. import plugins
    return {**table, name: plugins.load_strategy(kind, name)} if name not in table and plugins.find(name) else table


def parameters(kind: str, name: str) -> list[str]:
    """Parameter names a strategy accepts (for help texts and config validation)."""
    table = _with_plugin(kind, GUNS if kind == "gun" else MOVEMENTS, name)
    return [p for p in inspect.signature(table[name].__init__).parameters if p not in ("self", "rng")]
