"""`arena replay`: play a recorded battle in the viewer, with seeking."""
from __future__ import annotations

from ..render.playback import ReplayPlayback
from ..render.viewer import Viewer
from ..replay import load
from .watch import add_viewer_args, show


def add_parser(sub) -> None:
    p = sub.add_parser("replay", help="play a replay file (from `arena run --record`) in a window")
    p.add_argument("file", metavar="FILE")
    add_viewer_args(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    replay = load(args.file)
    title = f"arena replay: {args.file} ({replay.info.gun} vs {replay.info.movement}, seed {replay.info.seed})"
    show(Viewer(ReplayPlayback(replay), title, args.speed, args.size))
    return 0
