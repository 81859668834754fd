"""`arena render`: one replay frame to a PNG, headless (no display needed)."""
from __future__ import annotations

import io
import os
from pathlib import Path

from ..errors import ArenaError
from ..render.draw import Overlay, draw_frame
from ..files import write_bytes
from ..replay import load
from .watch import window_size


def add_parser(sub) -> None:
    p = sub.add_parser("render", help="render one frame of a replay to a PNG file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--tick", type=int, required=True, help="tick within the round")
    p.add_argument("--round", type=int, default=1, help="round number, from 1 as the viewer shows it (default 1)")
    p.add_argument("--out", required=True, metavar="PNG", help="image to write")
    p.add_argument("--size", type=window_size, default=(960, 800), metavar="WxH", help="image size (default: 960x800)")
    p.set_defaults(handler=handle)


def render_png(frame, overlay: Overlay, size: tuple[int, int]) -> bytes:
    """The viewer's picture of `frame`, PNG-encoded."""
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    import pygame
    surface = pygame.Surface(size)
    draw_frame(surface, frame, overlay)
    buffer = io.BytesIO()
    pygame.image.save(surface, buffer, "png")
    return buffer.getvalue()


def handle(args) -> int:
    replay = load(args.file)
    index = replay.index(args.round - 1, args.tick)
    overlay = Overlay(position=index, length=len(replay), round_starts=tuple(replay.round_starts))
    out = Path(args.out)
    if not out.parent.is_dir():
        raise ArenaError(f"no such folder for --out: {out.parent}")
    try:
        write_bytes(out, render_png(replay.frame(index), overlay, args.size))
    except OSError as exc:
        raise ArenaError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out} (round {args.round}, tick {args.tick})")
    return 0
