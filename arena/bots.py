"""Bots: a named gun plus a movement (each with parameters), the unit a rumble pits against another.

A bot is written `GUN+MOVEMENT` (`kde-learned+surfer`, `examples/lead_gun.py:LeadGun+random-orbit`), named
in a config's `[bots.NAME]` table, or given as a bot plugin (`PATH.py:Class` / `module:Class` whose object
has `gun` and `movement` attributes: names, specs, or Gun/Movement subclasses, and optional `gun_params`
and `movement_params` dicts). Its `definition` is one canonical text that names everything that shapes
its play, so results are keyed by what a bot is, not by what it was called.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from . import plugins
from .battle import BattleConfig, Side
from .errors import ArenaError
from .strategies import make_gun, make_movement
from .strategies.base import Gun, Movement


class BotError(ArenaError, ValueError):
    """A bot that cannot be read: not GUN+MOVEMENT, not a defined name, not a bot plugin."""


@dataclass(frozen=True)
class Bot:
    name: str  # what tables show
    gun: str
    movement: str
    gun_params: dict = field(default_factory=dict)
    movement_params: dict = field(default_factory=dict)

    @property
    def side(self) -> Side:
        return Side(self.gun, self.movement, dict(self.gun_params), dict(self.movement_params))

    @property
    def definition(self) -> str:
        """`gun{params}+movement{params}` with sorted JSON parameters: equal for equal bots."""
        def part(name: str, params: dict) -> str:
            return name + (json.dumps(params, sort_keys=True, separators=(",", ":")) if params else "")
        return f"{part(self.gun, self.gun_params)}+{part(self.movement, self.movement_params)}"

    @property
    def plugin(self) -> bool:
        return plugins.find(self.gun) or plugins.find(self.movement)

    def check(self) -> "Bot":
        """Build its gun and movement once, so a bad name or parameter is an error now (naming the bot)."""
        import numpy as np
        rng = np.random.default_rng(0)
        try:
            make_gun(self.gun, rng, **self.gun_params)
            make_movement(self.movement, rng, **self.movement_params)
        except ArenaError as exc:
            raise type(exc)(f"bot {self.name!r}: {exc}") from None
        return self


def parse_bot(text: str, defined: dict[str, Bot] | None = None) -> Bot:
    """A bot from its command-line form (see the module docstring)."""
    text = text.strip()
    if defined and text in defined:
        return defined[text]
    gun, plus, movement = text.partition("+")
    if plus and gun and movement:
        return Bot(f"{short(gun.strip())}+{short(movement.strip())}", gun.strip(), movement.strip())
    if plugins.find(text):
        return bot_plugin(text)
    known = f"; defined: {', '.join(defined)}" if defined else ""
    raise BotError(f"bot {text!r}: write GUN+MOVEMENT (e.g. circular+random-orbit), a bot plugin PATH.py:Class, "
                   f"or a [bots.NAME] of the config{known}")


def short(name: str) -> str:
    """A table name for a strategy or bot: a plugin spec by its class name (the definition keeps the spec)."""
    return name.rpartition(":")[2] if plugins.is_spec(name) else name


def bot_plugin(spec: str) -> Bot:
    obj = plugins.load_object(spec)
    try:
        gun, movement = obj.gun, obj.movement
        gun_params, movement_params = dict(getattr(obj, "gun_params", {})), dict(getattr(obj, "movement_params", {}))
    except (AttributeError, TypeError, ValueError):
        raise plugins.PluginError(f"plugin {spec!r} is not a bot: it needs `gun` and `movement` attributes "
                                  f"(and optional gun_params/movement_params dicts)") from None
    return Bot(short(spec), _strategy_name(spec, gun, Gun), _strategy_name(spec, movement, Movement),
               gun_params, movement_params)


def _strategy_name(spec: str, value, base: type) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, type) and issubclass(value, base):
        return plugins.spec_of(value)
    raise plugins.PluginError(f"plugin {spec!r}: its {base.__name__.lower()} must be a name, a spec or a "
                              f"{base.__name__} subclass, got {value!r}")


def bot_from_table(name: str, table: dict, where: str) -> Bot:
    """`[bots.NAME]` of a config: gun = "kde-learned" (or {name = "kde-learned", lr = 3}), movement = ...,
    optional gun_params / movement_params tables."""
    unknown = sorted(set(table) - {"gun", "movement", "gun_params", "movement_params"})
    if unknown:
        raise BotError(f"{where}: unknown key {', '.join(unknown)}; valid: gun, movement, gun_params, movement_params")
    parts = {}
    for kind in ("gun", "movement"):
        value = table.get(kind)
        params = table.get(f"{kind}_params", {})
        if isinstance(value, dict):
            value = dict(value)
            params = {**params, **{k: v for k, v in value.items() if k != "name"}}
            value = value.get("name")
        if not isinstance(value, str) or not isinstance(params, dict):
            raise BotError(f"{where}: {kind} must be a name (or a table with a name) and {kind}_params a table")
        parts[kind], parts[f"{kind}_params"] = value, params
    return Bot(name, **parts)


def swapped(seed: int) -> bool:
    """Bot a of a pairing is robot 0 on odd seeds and robot 1 on even ones, so the start-position and
    engine-order streams favour neither side over a rumble's seeds."""
    return seed % 2 == 0


def pairing_config(a: Bot, b: Bot, seed: int, rounds: int, **battle) -> BattleConfig:
    """The battle between a and b on `seed`, sides swapped on even seeds (see `swapped`)."""
    first, second = (b, a) if swapped(seed) else (a, b)
    return BattleConfig(shooter=first.side, target=second.side, rounds=rounds, seed=seed, **battle)
