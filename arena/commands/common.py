"""The flag vocabulary every subcommand shares: robots, --param scopes, old spellings refused with the new one.

Robot 0 is the shooter (--gun, --shooter-movement), robot 1 the target (--movement, --enemy-gun); a
parameter is `--param SCOPE.NAME=VALUE` with the scope named like the flag it belongs to (gun.,
movement., shooter-movement., enemy-gun.), the same in every subcommand and in --config files.
"""
from __future__ import annotations

import argparse
import sys

from ..battle import BattleConfig, Side
from ..errors import ArenaError
from ..lab.settings import RENAMED, SCOPES, by_scope, split_params
from ..strategies import GUNS, MOVEMENTS

ROBOTS = {  # flag -> (what it is, its choices)
    "gun": ("the shooter's gun", GUNS), "movement": ("the target's movement", MOVEMENTS),
    "shooter-movement": ("the shooter's own movement", MOVEMENTS), "enemy-gun": ("the target's gun", GUNS),
}
BATTLE_DEFAULTS = {"gun": "head-on", "movement": "random-orbit", "shooter-movement": "duck", "enemy-gun": "none"}


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
    """--param SCOPE.NAME=VALUE flags -> {scope: {NAME: value}} for every scope."""
    return by_scope({key: parse_value(value) for key, value in split_params(items, "SCOPE.NAME=VALUE").items()})


class Renamed(argparse.Action):
    """An old or misplaced flag: refused with one line naming the spelling to use (exit 2)."""

    def __init__(self, option_strings, dest, hint: str, **kwargs):
        super().__init__(option_strings, argparse.SUPPRESS, nargs="?", help=argparse.SUPPRESS)
        self.hint = hint

    def __call__(self, parser, namespace, values, option_string=None):
        parser.error(f"{option_string} {self.hint}")


def refuse(parser: argparse.ArgumentParser, hints: dict[str, str]) -> None:
    """Hidden flags that only say what to write instead."""
    for flag, hint in hints.items():
        parser.add_argument(flag, action=Renamed, hint=hint)


# A sweep's commands refuse the one-battle flag (without this, argparse prefix matching once took it for --seeds).
SWEEP_SEED = {"--seed": "is for one battle (run, watch): a sweep takes --seeds N or --seeds A..B"}


def renamed(flag: str) -> str:
    return f"was renamed: use {RENAMED[flag.lstrip('-')]}"


PLUGIN = ", or a plugin PATH.py:Class, module:Class or installed arena.strategies name (reference path)"


def add_robot_args(parser: argparse.ArgumentParser, defaults: dict, lists: bool = False,
                   values: str = "VALUE", apply: bool = True, plugins: bool = False) -> None:
    """--gun, --movement, --shooter-movement, --enemy-gun and --param, plus the old spellings' hints.

    lists: --gun/--movement take comma lists (a sweep plays each); apply: argparse applies the defaults
    (False where --config may set them, so flags that were not given stay None); plugins: a strategy
    may be a plugin (one battle)."""
    g = parser.add_argument_group("robots")
    for flag, (about, names) in ROBOTS.items():
        several = lists and flag in ("gun", "movement")
        g.add_argument(f"--{flag}", default=defaults[flag] if apply else None,
                       metavar="A,B,..." if several else flag.split("-")[-1].upper(),
                       help=f"{about}{' (comma list: each is played)' if several else ''}: {', '.join(names)}"
                            f"{PLUGIN if plugins else ''} (default: {defaults[flag]})")
    g.add_argument("--param", action="append", metavar=f"SCOPE.NAME={values}",
                   help=f"a parameter of one robot part, repeatable; SCOPE is {', '.join(SCOPES)} (the flag "
                        "naming that part), e.g. gun.lr=0.1 movement.flip=0.2 (default: each part's own)")
    refuse(parser, {f"--{old}": renamed(old) for old in RENAMED})


def add_battle_args(parser: argparse.ArgumentParser, rounds: int = 35) -> None:
    """One battle's options (run, watch): the robots, --seed S and the field."""
    add_robot_args(parser, BATTLE_DEFAULTS, plugins=True)
    g = parser.add_argument_group("battle")
    g.add_argument("--rounds", type=int, default=rounds, help="rounds in the battle")
    g.add_argument("--seed", type=int, default=1, help="the battle's seed (a sweep's flag is --seeds)")
    g.add_argument("--power", type=float, default=2.0, help="bullet power, 0.1..3")
    g.add_argument("--width", type=float, default=800.0, help="field width")
    g.add_argument("--height", type=float, default=600.0, help="field height")
    refuse(parser, {"--seeds": "is for sweeps (tune, compare, rumble, experiment): one battle takes --seed S"})


def config_from_args(args: argparse.Namespace) -> BattleConfig:
    p = parse_params(args.param)
    return BattleConfig(
        shooter=Side(gun=args.gun, movement=args.shooter_movement, gun_params=p["gun"],
                     movement_params=p["shooter-movement"]),
        target=Side(gun=args.enemy_gun, movement=args.movement, gun_params=p["enemy-gun"],
                    movement_params=p["movement"]),
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
            print("compiling the fast path on first use (about 2 minutes; cached for later runs)", file=sys.stderr)
    return path
