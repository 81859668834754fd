"""`arena watch`: a live battle in a pygame window (also home of the viewer options `arena replay` shares)."""
from __future__ import annotations

import argparse

from ..render.viewer import SPEEDS
from .common import add_battle_args, config_from_args, reference_per_tick, say_path


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


def add_viewer_args(parser: argparse.ArgumentParser) -> None:
    g = parser.add_argument_group("viewer")
    g.add_argument("--speed", type=int, default=60, help=f"ticks per second to start at (+/- step through {SPEEDS})")
    g.add_argument("--size", type=window_size, default=(960, 800), metavar="WxH", help="window size (resizable)")


def add_parser(sub) -> None:
    p = sub.add_parser("watch", help="watch a live battle in a window")
    add_battle_args(p)
    add_viewer_args(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from ..render.playback import LivePlayback
    from ..render.viewer import Viewer
    config = config_from_args(args)
    title = f"arena watch: {config.shooter.gun} vs {config.target.movement}, seed {config.seed}"
    viewer = Viewer(LivePlayback(config), title, args.speed, args.size)
    viewer.open()  # (no display: one error line, before anything else is said)
    say_path(reference_per_tick("the viewer"))
    viewer.run()
    return 0
