"""The viewer window: plays a live battle or a replay with keys, speed control and a replay slider.

Time is counted in drawn frames (FPS per second when throttled), so the same key presses give the same
result with or without a real clock; tests drive it headless with `run(max_frames=..., throttle=False)`.
"""
from __future__ import annotations

import os
import signal
import sys

from ..errors import ArenaError
from .draw import Layout, Overlay, draw_frame

FPS = 60
SPEEDS = (1, 2, 5, 10, 20, 30, 60, 120, 240, 480, 960)  # ticks per second that +/- step through
SPEED_RANGE = (SPEEDS[0], SPEEDS[-1])  # what --speed accepts; space pauses (there is no speed 0)
JUMP = 100  # frames moved by [ and ]
HEADLESS_DRIVERS = ("offscreen", "dummy")
NO_DISPLAY = "no display to open a window on (`arena render` draws a replay frame to a PNG without one)"
LIVE_KEYS = "space pause   right step   +/- speed   t results   r restart   q quit"
REPLAY_KEYS = "space pause   left/right step   [ ] jump   PgUp/PgDn round   Home/End   +/- speed   t results   q quit"


def check_speed(speed: int) -> int:
    """A starting speed in SPEED_RANGE, or ValueError naming the range (0 is refused: space pauses)."""
    lo, hi = SPEED_RANGE
    if not lo <= speed <= hi:
        raise ValueError(f"speed must be {lo}..{hi} ticks/s (space pauses), got {speed}")
    return speed


class ViewerError(ArenaError):
    """No window could be opened (no display)."""


class Viewer:
    def __init__(self, playback, title: str = "arena", speed: int = 60, size: tuple[int, int] = (960, 800),
                 report=print):
        self.playback = playback
        self.title = title
        self.size = size
        self.speed = check_speed(speed)
        self.paused = False
        self.show_results = False  # t: the results table before the end (it always shows at the end)
        self.report = report  # where the results table goes when the viewer quits
        self.quit = False
        self.signalled = 0  # the signal that ended the viewer (SIGTERM), 0 if none
        self.carry = 0.0  # fraction of a tick owed to the next drawn frame
        self.dragging = False
        self.layout: Layout | None = None
        self.screen = None

    def open(self):
        """Open the window; a headless driver counts as no window unless SDL_VIDEODRIVER asks for it (tests)."""
        if self.screen is not None:
            return self.screen
        asked = os.environ.get("SDL_VIDEODRIVER")
        if sys.platform.startswith("linux") and not (asked or os.environ.get("DISPLAY")
                                                     or os.environ.get("WAYLAND_DISPLAY")):
            raise ViewerError(NO_DISPLAY)
        import pygame
        try:
            pygame.display.init()
            if pygame.display.get_driver() in HEADLESS_DRIVERS and pygame.display.get_driver() != asked:
                pygame.display.quit()
                raise ViewerError(NO_DISPLAY)
            self.screen = pygame.display.set_mode(self.size, pygame.RESIZABLE)
        except pygame.error as exc:
            raise ViewerError(f"cannot open a window: {exc}") from None
        pygame.display.set_caption(self.title)
        return self.screen

    def close(self) -> None:
        import pygame
        pygame.display.quit()
        self.screen = None

    def run(self, max_frames: int | None = None, throttle: bool = True) -> int:
        """Play until q/Escape/window close (then close the window) or max_frames; frames drawn."""
        import pygame
        previous = signal.signal(signal.SIGTERM, self._terminate)  # before SDL starts, so SDL leaves SIGTERM to us
        try:
            self.open()
            clock, drawn = pygame.time.Clock(), 0
            while not self.quit and (max_frames is None or drawn < max_frames):
                for event in pygame.event.get():
                    self.handle(event)
                if self.quit:
                    break
                if not self.paused:
                    self.carry += self.speed / FPS
                    ticks, self.carry = int(self.carry), self.carry % 1.0
                    self.playback.step(ticks)
                self.draw()
                pygame.display.flip()
                drawn += 1
                if throttle:
                    clock.tick(FPS)
        finally:
            signal.signal(signal.SIGTERM, previous)
            if self.quit and self.screen is not None:
                self.close()
                self.report(self.playback.results().text())
        if self.signalled:
            print("arena: terminated", file=sys.stderr)
            raise SystemExit(128 + self.signalled)
        return drawn

    def _terminate(self, signum, _frame) -> None:
        """SIGTERM ends the viewer like q, then run() exits with the usual 128+signal status (SDL would only queue
        a QUIT event). Only flags are set here: the handler can run inside Python that pygame's C code calls and
        whose errors it clears (set_mode loading its icon), where a raised SystemExit was lost and the viewer
        played on."""
        self.signalled = signum
        self.quit = True

    def draw(self) -> None:
        import pygame
        self.screen = pygame.display.get_surface()  # a resized window has a new surface
        self.layout = draw_frame(self.screen, self.playback.frame, self.overlay())

    def overlay(self) -> Overlay:
        p = self.playback
        message = ""
        if p.at_end:
            message = "end of replay" if p.seekable else "battle over: r restarts"
        results = p.results() if p.at_end or self.show_results else None
        if not p.seekable:
            return Overlay(self.speed, self.paused, message, LIVE_KEYS, results=results)
        return Overlay(self.speed, self.paused, message, REPLAY_KEYS, p.position, p.length, p.round_starts, p.deaths,
                       results)

    def handle(self, event) -> None:
        import pygame
        if event.type == pygame.QUIT:
            self.quit = True
        elif event.type == pygame.KEYDOWN:
            self.key(event.key)
        elif event.type == pygame.MOUSEBUTTONDOWN and event.button == 1 and self._on_slider(event.pos):
            self.dragging = True
            self.playback.seek(self.layout.slider_index(event.pos[0], self.playback.length))
        elif event.type == pygame.MOUSEMOTION and self.dragging:
            self.playback.seek(self.layout.slider_index(event.pos[0], self.playback.length))
        elif event.type == pygame.MOUSEBUTTONUP and event.button == 1:
            self.dragging = False

    def _on_slider(self, pos) -> bool:
        track = self.layout.slider if self.layout is not None else None
        return track is not None and track.x - 8 <= pos[0] <= track.x + track.w + 8 and track.contains(track.x, pos[1])

    def key(self, key: int) -> None:
        import pygame
        p = self.playback
        if key in (pygame.K_q, pygame.K_ESCAPE):
            self.quit = True
        elif key == pygame.K_SPACE:
            self.paused = not self.paused
        elif key == pygame.K_t:
            self.show_results = not self.show_results
        elif key in (pygame.K_PLUS, pygame.K_EQUALS, pygame.K_KP_PLUS):
            self.speed = next((s for s in SPEEDS if s > self.speed), self.speed)
        elif key in (pygame.K_MINUS, pygame.K_KP_MINUS):
            self.speed = next((s for s in reversed(SPEEDS) if s < self.speed), self.speed)
        elif key == pygame.K_r:
            p.restart()
            self.carry = 0.0
        elif key == pygame.K_RIGHT and self.paused:
            p.step(1)
        elif not p.seekable:
            return
        elif key == pygame.K_LEFT and self.paused:
            p.step(-1)
        elif key == pygame.K_RIGHTBRACKET:
            p.step(JUMP)
        elif key == pygame.K_LEFTBRACKET:
            p.step(-JUMP)
        elif key == pygame.K_PAGEDOWN:
            p.jump_round(1)
        elif key == pygame.K_PAGEUP:
            p.jump_round(-1)
        elif key == pygame.K_HOME:
            p.seek(0)
        elif key == pygame.K_END:
            p.seek(p.length - 1)
