"""`arena watch`: a live battle in a pygame window (also home of the viewer options `arena replay` shares)."""
from __future__ import annotations

import argparse
import os
import sys

from ..render.viewer import SPEEDS, check_speed
from .common import add_battle_args, config_from_args, reference_per_tick, say_path

MAX_FRAMES = "ARENA_MAX_FRAMES"  # tests only: draw this many frames, then stop as if q was pressed


def window_size(text: str) -> tuple[int, int]:
    """'960x800' -> (960, 800)."""
    w, sep, h = text.lower().partition("x")
    try:
        size = int(w), int(h)
    except ValueError:
        size = None
    if not sep or size is None or min(size) < 200 or max(size) > 8192:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT from 200x200 to 8192x8192, got {text!r}")
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
    g.add_argument("--size", type=window_size, default=(960, 800), metavar="WxH",
                   help="window size, resizable (default: 960x800)")


def show(viewer) -> None:
    """Run the viewer; with ARENA_MAX_FRAMES set (headless tests), unthrottled until that many frames are drawn
    or the battle or replay is over, then quit as q does."""
    limit = os.environ.get(MAX_FRAMES)
    if not limit:
        viewer.run()
        return
    drawn = 0
    while drawn < int(limit) and not (viewer.quit or viewer.playback.at_end):
        drawn += viewer.run(max_frames=1, throttle=False)
    viewer.quit = True
    viewer.close()
    viewer.report(viewer.playback.results().text())


def add_parser(sub) -> None:
    p = sub.add_parser("watch", help="watch a live battle in a window")
    add_battle_args(p)
    p.add_argument("--record", metavar="NAME", help="also write what is watched to a replay NAME (.arena added if "
                   "it has no suffix), the same file `arena run --record` writes for the rounds played; r restarts "
                   "the recording")
    add_viewer_args(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from ..render.playback import LivePlayback
    from ..render.viewer import Viewer
    from ..replay import Recorder, replay_path
    config = config_from_args(args)
    path = replay_path(args.record) if args.record else None
    title = f"arena watch: {config.shooter.gun} vs {config.target.movement}, seed {config.seed}"
    playback = LivePlayback(config, Recorder if path else None)
    viewer = Viewer(playback, title, args.speed, args.size)
    viewer.open()  # (no display: one error line, before anything else is said, and no replay)
    say_path(reference_per_tick("the viewer"))
    try:
        show(viewer)
    finally:  # what was watched is kept, also after SIGTERM or Ctrl-C
        if path is not None and playback.recorder.info is not None:
            print(f"replay written to {playback.recorder.save(path)}", file=sys.stderr)
    return 0
