"""Drawing a Frame onto a pygame Surface: field, robots, bullets, waves, density strip, HUD, slider.

Pure: reads the frame and the viewer's overlay, touches nothing else. pygame is imported inside the
functions, so importing this module needs no display. Field y grows up; the screen's grows down.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .frame import GF_GRID, RECENT_TICKS, SHOOTER, Frame, WaveFrame

BACKGROUND = (14, 16, 22)
FIELD = (26, 30, 38)
GRID = (36, 41, 52)
BORDER = (78, 86, 104)
TEXT = (222, 226, 236)
DIM = (138, 146, 164)
ROBOT_COLOURS = ((70, 160, 255), (255, 140, 60))  # shooter, target
BULLET_COLOURS = ((255, 236, 120), (255, 170, 170))
WAVE = (120, 190, 255)
WINDOW = (90, 230, 130)
HEAT = ((60, 30, 120), (210, 60, 120), (255, 215, 70))  # low, middle, high density

MARGIN = 10
HUD_HEIGHT = 48
STRIP_HEIGHT = 112
SLIDER_HEIGHT = 26
SLIDER_LABEL = 120  # width of the "frame i/N" text left of the track
FOOTER_HEIGHT = 20  # the keys help
GUN_LENGTH = 26.0
HALF = 18.0


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h

    def tuple(self) -> tuple[int, int, int, int]:
        return round(self.x), round(self.y), round(self.w), round(self.h)


@dataclass(frozen=True)
class Overlay:
    """Viewer state drawn along with a frame; `position` None hides the replay slider."""
    speed: int | None = None  # ticks per second
    paused: bool = False
    message: str = ""
    keys: str = ""
    position: int | None = None
    length: int = 0
    round_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Layout:
    hud: Box
    field: Box
    scale: float  # screen pixels per field pixel
    strip: Box
    slider: Box | None  # the slider's track
    footer: Box

    def slider_index(self, px: float, length: int) -> int:
        """Frame number under screen x on the slider track."""
        t = min(max((px - self.slider.x) / max(self.slider.w, 1.0), 0.0), 1.0)
        return round(t * (length - 1))


def layout(size: tuple[int, int], field_w: float, field_h: float, slider: bool) -> Layout:
    """Boxes for a window of `size`: HUD on top, the field scaled to fit, the strip and slider below."""
    width, height = size
    below = STRIP_HEIGHT + MARGIN + (SLIDER_HEIGHT + MARGIN if slider else 0) + FOOTER_HEIGHT
    avail_w = max(width - 2 * MARGIN, 1)
    avail_h = max(height - HUD_HEIGHT - below - 2 * MARGIN, 1)
    scale = min(avail_w / field_w, avail_h / field_h)
    fw, fh = field_w * scale, field_h * scale
    field = Box((width - fw) / 2, HUD_HEIGHT + MARGIN, fw, fh)
    strip = Box(field.x, field.y + fh + MARGIN, fw, STRIP_HEIGHT)
    track = None
    if slider:
        track = Box(MARGIN + SLIDER_LABEL, strip.y + STRIP_HEIGHT + MARGIN,
                    max(width - 2 * MARGIN - SLIDER_LABEL, 1), SLIDER_HEIGHT)
    footer = Box(MARGIN, height - FOOTER_HEIGHT - 2, width - 2 * MARGIN, FOOTER_HEIGHT)
    return Layout(Box(MARGIN, 4, width - 2 * MARGIN, HUD_HEIGHT - 8), field, scale, strip, track, footer)


def heat(t: float) -> tuple[int, int, int]:
    """Colour of a density relative to its maximum (0..1), dark purple to yellow."""
    t = min(max(t, 0.0), 1.0) * (len(HEAT) - 1)
    i = min(int(t), len(HEAT) - 2)
    f = t - i
    return tuple(round(a + (b - a) * f) for a, b in zip(HEAT[i], HEAT[i + 1]))


_fonts: dict[int, object] = {}


def _font(size: int):
    import pygame
    if size not in _fonts:
        pygame.font.init()
        _fonts[size] = pygame.font.Font(None, size)
    return _fonts[size]


def _text(surface, text: str, pos: tuple[float, float], colour=TEXT, size: int = 22, anchor: str = "topleft"):
    image = _font(size).render(text, True, colour)
    rect = image.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    surface.blit(image, rect)
    return rect


class _View:
    """Field coordinates (y up) to screen coordinates (y down)."""

    def __init__(self, x0: float, y0: float, scale: float, field_h: float):
        self.x0, self.y0, self.scale, self.field_h = x0, y0, scale, field_h

    def point(self, x: float, y: float) -> tuple[float, float]:
        return self.x0 + x * self.scale, self.y0 + (self.field_h - y) * self.scale

    def along(self, x: float, y: float, angle: float, r: float) -> tuple[float, float]:
        return self.point(x + r * math.sin(angle), y + r * math.cos(angle))


def draw_frame(surface, frame: Frame, overlay: Overlay = Overlay()) -> Layout:
    """Draw everything; returns the layout used (the viewer hit-tests the slider with it)."""
    import pygame
    info = frame.info
    lay = layout(surface.get_size(), info.width, info.height, overlay.position is not None)
    surface.fill(BACKGROUND)
    _field(surface, lay, frame)
    clip = surface.get_clip()
    surface.set_clip(pygame.Rect(lay.field.tuple()))
    _waves(surface, lay, frame)
    _bullets(surface, lay, frame)
    _robots(surface, lay, frame)
    surface.set_clip(clip)
    _strip(surface, lay.strip, frame)
    _hud(surface, lay.hud, frame, overlay)
    if lay.slider is not None:
        _slider(surface, lay.slider, overlay)
    if overlay.keys:
        _text(surface, overlay.keys, (lay.footer.x + lay.footer.w / 2, lay.footer.y + 3), DIM, 18, "midtop")
    return lay


def _field(surface, lay: Layout, frame: Frame) -> None:
    import pygame
    box, info = lay.field, frame.info
    pygame.draw.rect(surface, FIELD, box.tuple())
    view = _View(box.x, box.y, lay.scale, info.height)
    step = 100.0
    for i in range(1, int(info.width // step) + 1):
        x = view.point(i * step, 0)[0]
        pygame.draw.line(surface, GRID, (x, box.y), (x, box.y + box.h - 1))
    for j in range(1, int(info.height // step) + 1):
        y = view.point(0, j * step)[1]
        pygame.draw.line(surface, GRID, (box.x, y), (box.x + box.w - 1, y))
    pygame.draw.rect(surface, BORDER, box.tuple(), 1)


def _arc(view: _View, wave: WaveFrame, radius: float, gfs) -> list[tuple[float, float]]:
    return [view.along(wave.x, wave.y, wave.angle(gf), radius) for gf in gfs]


def _waves(surface, lay: Layout, frame: Frame) -> None:
    """Wave circles (virtual ones faint), the density each real wave was fired with along its arc,
    and the recent hit windows as green arcs where their waves passed the target."""
    import pygame
    box = lay.field
    layer = pygame.Surface((round(box.w) + 1, round(box.h) + 1), pygame.SRCALPHA)
    view = _View(0.0, 0.0, lay.scale, frame.info.height)  # the layer's own corner
    for wave in frame.waves:
        r = wave.radius(frame.tick) * lay.scale
        if r >= 1:
            colour = (*WAVE, 150) if wave.real else (*WAVE, 34)
            pygame.draw.circle(layer, colour, view.point(wave.x, wave.y), r, 2 if wave.real else 1)
    for wave in frame.waves:
        r = wave.radius(frame.tick)
        if wave.profile is None or r * lay.scale < 4:
            continue
        values = wave.profile.values
        top = max(values) or 1.0
        points = _arc(view, wave, r, GF_GRID)
        for i in range(len(points) - 1):
            colour = heat(0.5 * (values[i] + values[i + 1]) / top)
            pygame.draw.line(layer, (*colour, 235), points[i], points[i + 1], 5)
    for w in frame.windows:
        alpha = round(255 * max(0.25, 1.0 - (frame.tick - w.tick) / RECENT_TICKS))
        a, b = max(w.a, -1.5), min(w.b, 1.5)
        n = max(2, int((b - a) * 40))
        points = _arc(view, w.wave, w.wave.radius(w.tick), [a + (b - a) * k / (n - 1) for k in range(n)])
        pygame.draw.lines(layer, (*WINDOW, alpha), False, points, 5)
    surface.blit(layer, (round(box.x), round(box.y)))


def _bullets(surface, lay: Layout, frame: Frame) -> None:
    import pygame
    view = _View(lay.field.x, lay.field.y, lay.scale, frame.info.height)
    for b in frame.bullets:
        p = view.point(b.x, b.y)
        if b.hit:
            pygame.draw.circle(surface, (255, 120, 40), p, max(5, 10 * lay.scale), 2)
        else:
            pygame.draw.circle(surface, BULLET_COLOURS[b.owner % 2], p, max(3, 4 * lay.scale))


def _robots(surface, lay: Layout, frame: Frame) -> None:
    import pygame
    view, s = _View(lay.field.x, lay.field.y, lay.scale, frame.info.height), lay.scale
    for i, r in enumerate(frame.robots):
        colour = ROBOT_COLOURS[i % 2]
        fx, fy = math.sin(r.heading), math.cos(r.heading)  # forward
        rx, ry = fy, -fx  # right
        corners = [view.point(r.x + HALF * (a * fx + b * rx), r.y + HALF * (a * fy + b * ry))
                   for a, b in ((1, 1), (1, -1), (-1, -1), (-1, 1))]
        if not r.alive:
            pygame.draw.polygon(surface, DIM, corners, 2)
            continue
        pygame.draw.polygon(surface, colour, corners)
        pygame.draw.polygon(surface, tuple(c // 2 for c in colour), corners, 2)
        nose = view.point(r.x + HALF * fx, r.y + HALF * fy)
        pygame.draw.line(surface, tuple(c // 2 for c in colour), view.point(r.x, r.y), nose, max(2, round(4 * s)))
        centre = view.point(r.x, r.y)
        pygame.draw.line(surface, (240, 244, 250), centre, view.along(r.x, r.y, r.gun_heading, GUN_LENGTH),
                         max(2, round(4 * s)))
        pygame.draw.circle(surface, (240, 244, 250), centre, max(3, 7 * s))
        bar_w, bar_y = 2 * HALF * s, view.point(r.x, r.y + HALF + 8)[1]
        left = centre[0] - bar_w / 2
        pygame.draw.rect(surface, (60, 20, 20), (left, bar_y, bar_w, max(3, 4 * s)))
        pygame.draw.rect(surface, (90, 220, 110), (left, bar_y, bar_w * min(r.energy, 100.0) / 100.0, max(3, 4 * s)))


def _strip(surface, box: Box, frame: Frame) -> None:
    """The shooter's aiming density over GF -1..1 at its last shot, with the recent hit windows."""
    import pygame
    pygame.draw.rect(surface, FIELD, box.tuple())
    pygame.draw.rect(surface, BORDER, box.tuple(), 1)
    plot = Box(box.x + 12, box.y + 34, box.w - 24, box.h - 54)

    def x_of(gf: float) -> float:
        return plot.x + (gf + 1.0) / 2.0 * plot.w

    base = plot.y + plot.h
    layer = pygame.Surface((round(box.w), round(box.h)), pygame.SRCALPHA)
    for w in frame.windows:
        a, b = max(w.a, -1.0), min(w.b, 1.0)
        if b < a:
            continue
        alpha = round(150 * max(0.2, 1.0 - (frame.tick - w.tick) / RECENT_TICKS))
        layer.fill((*WINDOW, alpha), (round(x_of(a) - box.x), round(plot.y - box.y), max(2, round(x_of(b) - x_of(a))),
                                      round(plot.h)))
    surface.blit(layer, (round(box.x), round(box.y)))
    pygame.draw.line(surface, DIM, (x_of(0), plot.y), (x_of(0), base))
    pygame.draw.line(surface, DIM, (plot.x, base), (plot.x + plot.w, base))
    for gf in (-1.0, -0.5, 0.0, 0.5, 1.0):
        pygame.draw.line(surface, DIM, (x_of(gf), base), (x_of(gf), base + 4))
        _text(surface, f"{gf:+g}" if gf else "0", (x_of(gf), base + 5), DIM, 18, "midtop")
    title = f"aiming density of {frame.info.gun} over GF"
    profile = frame.profile
    if profile is None:
        _text(surface, f"{frame.info.gun} has no aiming density", (box.x + box.w / 2, plot.y + plot.h / 2), DIM,
              20, "center")
    else:
        title += f", as at shot {profile.serial}" if profile.serial else ", before the first shot"
        top = max(profile.values)
        if top > 0:
            points = [(x_of(gf), base - v / top * plot.h) for gf, v in zip(GF_GRID, profile.values)]
            fill = pygame.Surface((round(box.w), round(box.h)), pygame.SRCALPHA)
            pygame.draw.polygon(fill, (*ROBOT_COLOURS[SHOOTER], 90),
                                [(x - box.x, y - box.y) for x, y in [(plot.x, base), *points, (plot.x + plot.w, base)]])
            surface.blit(fill, (round(box.x), round(box.y)))
            pygame.draw.lines(surface, ROBOT_COLOURS[SHOOTER], False, points, 2)
            peak = max(range(len(points)), key=lambda i: profile.values[i])
            px, py = points[peak]
            pygame.draw.polygon(surface, TEXT, [(px, py - 2), (px - 5, py - 10), (px + 5, py - 10)])
        else:
            _text(surface, "no hit windows yet", (box.x + box.w / 2, plot.y + plot.h / 2), DIM, 20, "center")
    _text(surface, title, (box.x + 8, box.y + 5), TEXT, 20)
    legend = _text(surface, "recent hit windows", (box.x + box.w - 8, box.y + 5), DIM, 20, "topright")
    pygame.draw.rect(surface, WINDOW, (legend.x - 16, legend.y + 2, 11, 11))


def _hud(surface, box: Box, frame: Frame, overlay: Overlay) -> None:
    """Line 1: round, tick, hit rate, shots, lr. Line 2: robots and energies | play state."""
    import pygame
    info = frame.info
    rate = frame.hit_rate
    parts = [f"round {frame.round + 1}/{info.rounds}", f"tick {frame.tick}",
             f"hit rate {rate:.1%} ({frame.hits}/{frame.resolved})" if rate is not None else "hit rate -",
             f"shots {frame.shots}"]
    if info.lr is not None:
        parts.append(f"lr {info.lr:g}")
    _text(surface, "   ".join(parts), (box.x, box.y), TEXT, 24)
    x, y = box.x, box.y + 24
    for i, (role, name) in enumerate((("shooter", info.gun), ("target", info.movement))):
        r = frame.robots[i]
        energy = f"{r.energy:.1f}" if r.alive else "dead"
        pygame.draw.rect(surface, ROBOT_COLOURS[i], (x, y + 3, 12, 12))
        x = _text(surface, f"{role} {name}  {energy}", (x + 17, y), ROBOT_COLOURS[i], 22).right + 24
    state = [f"{overlay.speed} ticks/s"] if overlay.speed else []
    if overlay.paused:
        state.append("PAUSED")
    if overlay.message:
        state.append(overlay.message)
    _text_if_room(surface, "   ".join(state), (box.x + box.w, y), x, TEXT, 22)


def _text_if_room(surface, text: str, topright: tuple[float, float], left_limit: float, colour, size: int) -> None:
    """Right-aligned text, left out when a narrow window has no room for it beside the left-hand text."""
    image = _font(size).render(text, True, colour)
    rect = image.get_rect(topright=(round(topright[0]), round(topright[1])))
    if text and rect.left > left_limit + 16:
        surface.blit(image, rect)


def _slider(surface, track: Box, overlay: Overlay) -> None:
    import pygame
    n = max(overlay.length - 1, 1)
    _text(surface, f"{overlay.position}/{overlay.length - 1}", (track.x - 12, track.y + track.h / 2), DIM, 20,
          "midright")
    mid = track.y + track.h / 2
    pygame.draw.rect(surface, GRID, (track.x, mid - 3, track.w, 6), border_radius=3)
    knob_x = track.x + overlay.position / n * track.w
    pygame.draw.rect(surface, ROBOT_COLOURS[SHOOTER], (track.x, mid - 3, knob_x - track.x, 6), border_radius=3)
    for start in overlay.round_starts:
        x = track.x + start / n * track.w
        pygame.draw.line(surface, DIM, (x, mid - 8), (x, mid + 8))
    pygame.draw.circle(surface, TEXT, (knob_x, mid), 8)
