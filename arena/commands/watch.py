"""`arena watch`: a live battle in a pygame window (also home of the viewer options `arena replay` shares)."""
from __future__ import annotations

import argparse

from ..render.playback import LivePlayback
from ..render.viewer import SPEEDS, Viewer, check_speed
from .common import add_battle_args, config_from_args


def window_size(text: str) -> tuple[int, int]:
    """'960x800' -> (960, 800)."""
    w, sep, h = text.lower().partition("x")
    try:
        size = int(w), int(h)
    except ValueError:
        size = None
    if not sep or size is None or min(size) < 200:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT of at least 200x200, got {text!r}")
    return size


def speed(text: str) -> int:
    """A --speed value: a whole number of ticks/s within the viewer's range."""
    try:
        return check_speed(int(text))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc) if text.strip().lstrip("-").isdigit()
                                         else f"speed must be a whole number of ticks/s, got {text!r}") from None


def add_viewer_args(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("viewer")
    g.add_argument("--speed", type=speed, default=60,
                   help=f"ticks per second to start at, {SPEEDS[0]}..{SPEEDS[-1]} (+/- step through {SPEEDS}; "
                        "space pauses)")
    g.add_argument("--size", type=window_size, default=(960, 800), metavar="WxH", help="window size (resizable)")


def add_parser(sub) -> None:
    p = sub.add_parser("watch", help="watch a live battle in a window")
    add_battle_args(p)
    add_viewer_args(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    config = config_from_args(args)
    title = f"arena watch: {config.shooter.gun} vs {config.target.movement}, seed {config.seed}"
    Viewer(LivePlayback(config), title, args.speed, args.size).run()
    return 0
