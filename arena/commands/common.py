"""Battle options shared by run, watch, tune and compare."""
from __future__ import annotations

import argparse
import sys

from ..battle import BattleConfig, Side
from ..errors import ArenaError
from ..strategies import GUNS, MOVEMENTS


def parse_value(text: str):
    """'3' -> 3, '0.1' -> 0.1, 'true'/'false' -> bool, anything else stays a string."""
    low = text.lower()
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_params(items: list[str] | None) -> dict:
    params = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ArenaError(f"parameter {item!r} is not of the form NAME=VALUE")
        params[key.strip()] = parse_value(value.strip())
    return params


def add_battle_args(parser: argparse.ArgumentParser, rounds: int = 35) -> None:
    g = parser.add_argument_group("battle")
    g.add_argument("--gun", default="head-on", help=f"shooter's gun: {', '.join(GUNS)}, or a plugin PATH.py:Class, "
                   "module:Class or installed arena.strategies name (plugins run on the reference path)")
    g.add_argument("--movement", default="random-orbit", help=f"target's movement: {', '.join(MOVEMENTS)}, "
                   "or a plugin")
    g.add_argument("--shooter-movement", default="duck", help="the shooter's own movement (default: sits still)")
    g.add_argument("--enemy-gun", default="none", help="the target's gun (default: none, it never fires)")
    g.add_argument("--param", action="append", metavar="NAME=VALUE", help="shooter gun parameter (repeatable)")
    g.add_argument("--movement-param", action="append", metavar="NAME=VALUE", help="target movement parameter")
    g.add_argument("--rounds", type=int, default=rounds)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--power", type=float, default=2.0, help="bullet power, 0.1..3")
    g.add_argument("--width", type=float, default=800.0)
    g.add_argument("--height", type=float, default=600.0)


def config_from_args(args: argparse.Namespace) -> BattleConfig:
    return BattleConfig(
        shooter=Side(gun=args.gun, movement=args.shooter_movement, gun_params=parse_params(args.param)),
        target=Side(gun=args.enemy_gun, movement=args.movement, movement_params=parse_params(args.movement_param)),
        rounds=args.rounds, seed=args.seed, width=args.width, height=args.height, power=args.power,
    ).validate()


def add_path_args(parser: argparse.ArgumentParser, fast: bool = False) -> None:
    """--reference (and for `arena run`, --fast): which engine plays; by default the fast path when it can."""
    g = parser.add_argument_group("engine").add_mutually_exclusive_group()
    g.add_argument("--reference", action="store_true", default=None,
                   help="play on the plain reference engine even where the compiled fast path could (same results)")
    if fast:
        g.add_argument("--fast", action="store_true",
                       help="insist on the compiled fast path: an error, not a fallback, if it cannot run the matchup")


def reference_per_tick(who: str):
    """The reference path, for `who` needs every tick's state: the compiled loop runs on between learner calls."""
    from ..play import REFERENCE, BattlePath
    return BattlePath(REFERENCE, f"{who} needs every tick's state, which the compiled loop does not stop to give")


def path_for(config: BattleConfig, args: argparse.Namespace):
    """The engine that will play `config` (arena.play.choose); --fast turns a fallback into an error."""
    from ..play import REFERENCE, choose
    path = choose(config, bool(args.reference))
    if getattr(args, "fast", False) and path.name == REFERENCE:
        raise ArenaError(path.reason)
    return path


def say_path(path):
    """The `path:` line on stderr, with a note when the fast path is about to compile (first use only)."""
    print(f"path: {path.describe()}", file=sys.stderr)
    if path.name == "fast":
        from .. import fast
        if not fast.compiled():
            print("compiling the fast path on first use (~15 s; cached for later runs)", file=sys.stderr)
    return path
