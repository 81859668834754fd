"""Drawing a Frame onto a pygame Surface: field, robots, bullets, both sides' waves, density strip, HUD,
speed control, replay timeline and the results table.

Pure: reads the frame and the viewer's overlay, touches nothing else. pygame is imported inside the
functions, so importing this module needs no display. Field y grows up; the screen's grows down.
Every size (text included) scales with the window (`Layout.ui`), so 640x480 and 1920x1080 both read.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .. import rules
from .frame import GF_GRID, RECENT_TICKS, SHOOTER, TARGET, Frame, Profile, WaveFrame
from .results import Results

BACKGROUND = (14, 16, 22)
FIELD = (26, 30, 38)
GRID = (36, 41, 52)
BORDER = (78, 86, 104)
TEXT = (222, 226, 236)
DIM = (138, 146, 164)
PANEL = (20, 23, 30)
ROBOT_COLOURS = ((70, 160, 255), (255, 140, 60))  # shooter, target
BULLET_COLOURS = ((255, 236, 120), (255, 170, 170))
WAVE = (120, 190, 255)
ENEMY_WAVE = (255, 150, 80)
PATH = (255, 200, 120)
RADAR = (150, 255, 170)
WINDOW = (90, 230, 130)
HEAT = ((60, 30, 120), (210, 60, 120), (255, 215, 70))  # low, middle, high density
DANGER = ((70, 20, 20), (200, 60, 40), (255, 120, 90))  # the surfer's danger, low to high
GUN_HOT, GUN_READY = (255, 110, 60), (90, 220, 110)

# Sizes at ui = 1 (a 900x720 window); everything is multiplied by Layout.ui.
MARGIN = 10
HUD_HEIGHT = 50
STRIP_HEIGHT = 112
SLIDER_HEIGHT = 40  # the track and, under it, the round numbers
SLIDER_LABEL = 220  # width of the "round r/R · tick t" and frame-count text left of the track
FOOTER_HEIGHT = 20  # the keys help
UI_SIZE = (900, 720)
UI_RANGE = (0.7, 2.0)
GUN_LENGTH = 26.0
HALF = 18.0
RADAR_RANGE = 1200.0  # Robocode's radar scan length
MIN_TEXT = 13  # px: smaller text is not read, only seen


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
    """Viewer state drawn along with a frame; `position` None hides the replay timeline, `results`
    None hides the results table."""
    speed: int | None = None  # ticks per second
    paused: bool = False
    message: str = ""
    keys: str = ""
    position: int | None = None
    length: int = 0
    round_starts: tuple[int, ...] = ()
    deaths: tuple[tuple[int, int], ...] = ()  # (frame, robot) where a robot died
    results: Results | None = None


@dataclass(frozen=True)
class Layout:
    hud: Box
    field: Box
    scale: float  # screen pixels per field pixel
    strip: Box
    slider: Box | None  # the timeline's track
    footer: Box
    ui: float = 1.0  # size of text and furniture relative to a 900x720 window

    def slider_index(self, px: float, length: int) -> int:
        """Frame number under screen x on the slider track."""
        t = min(max((px - self.slider.x) / max(self.slider.w, 1.0), 0.0), 1.0)
        return round(t * (length - 1))

    def px(self, size: float) -> int:
        return max(1, round(size * self.ui))


def ui_scale(size: tuple[int, int]) -> float:
    return min(max(min(size[0] / UI_SIZE[0], size[1] / UI_SIZE[1]), UI_RANGE[0]), UI_RANGE[1])


def layout(size: tuple[int, int], field_w: float, field_h: float, slider: bool) -> Layout:
    """Boxes for a window of `size`: HUD on top, the field scaled to fit, the strip and timeline below."""
    width, height = size
    u = ui_scale(size)
    margin, hud_h, strip_h = MARGIN * u, HUD_HEIGHT * u, STRIP_HEIGHT * u
    slider_h, footer_h, label = SLIDER_HEIGHT * u, FOOTER_HEIGHT * u, SLIDER_LABEL * u
    below = strip_h + margin + (slider_h + margin if slider else 0) + footer_h
    avail_w = max(width - 2 * margin, 1)
    avail_h = max(height - hud_h - below - 2 * margin, 1)
    scale = min(avail_w / field_w, avail_h / field_h)
    fw, fh = field_w * scale, field_h * scale
    field = Box((width - fw) / 2, hud_h + margin, fw, fh)
    strip = Box(margin, field.y + fh + margin, width - 2 * margin, strip_h)
    track = None
    if slider:
        track = Box(margin + label, strip.y + strip_h + margin, max(width - 2 * margin - label, 1), slider_h)
    footer = Box(margin, height - footer_h - 2, width - 2 * margin, footer_h)
    return Layout(Box(margin, 4, width - 2 * margin, hud_h - 6), field, scale, strip, track, footer, u)


def _blend(stops, t: float) -> tuple[int, int, int]:
    t = min(max(t, 0.0), 1.0) * (len(stops) - 1)
    i = min(int(t), len(stops) - 2)
    f = t - i
    return tuple(round(a + (b - a) * f) for a, b in zip(stops[i], stops[i + 1]))


def heat(t: float) -> tuple[int, int, int]:
    """Colour of a density relative to its maximum (0..1), dark purple to yellow."""
    return _blend(HEAT, t)


def bullet_radius(power: float) -> float:
    """Robocode's drawn bullet radius in field pixels: sqrt(2.5 p) (1.0 px across at power 0.1)."""
    return math.sqrt(2.5 * power)


_fonts: dict[int, object] = {}


def _font(size: int):
    import pygame
    if size not in _fonts:
        pygame.font.init()
        _fonts[size] = pygame.font.Font(None, size)
    return _fonts[size]


def _text(surface, text: str, pos: tuple[float, float], colour=TEXT, size: int = 22, anchor: str = "topleft",
          max_width: float | None = None):
    """Text at `pos`, at least MIN_TEXT px; with max_width the font shrinks (to 11 px) until it fits."""
    size = max(size, MIN_TEXT)
    font = _font(size)
    while max_width is not None and size > 11 and font.size(text)[0] > max_width:
        size -= 1
        font = _font(size)
    image = font.render(text, True, colour)
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
    _strip(surface, lay, frame)
    _hud(surface, lay, frame, overlay)
    if lay.slider is not None:
        _slider(surface, lay, frame, overlay)
    if overlay.keys:
        _text(surface, overlay.keys, (lay.footer.x + lay.footer.w / 2, lay.footer.y + 2), DIM, lay.px(18), "midtop",
              lay.footer.w)
    if overlay.results is not None:
        veil = pygame.Surface(lay.field.tuple()[2:], pygame.SRCALPHA)
        veil.fill((*BACKGROUND, 150))
        surface.blit(veil, lay.field.tuple()[:2])
        draw_results(surface, Box(lay.hud.x, lay.field.y, lay.hud.w, lay.field.h), overlay.results, lay.ui)
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


def _profile_arc(layer, view: _View, wave: WaveFrame, radius: float, profile: Profile, stops, width: int) -> None:
    """A density drawn along a wave's GF -1..1 arc, each piece coloured by its value relative to the peak."""
    import pygame
    values = profile.values
    top = max(values) or 1.0
    points = _arc(view, wave, radius, GF_GRID)
    for i in range(len(points) - 1):
        colour = _blend(stops, 0.5 * (values[i] + values[i + 1]) / top)
        pygame.draw.line(layer, (*colour, 235), points[i], points[i + 1], width)


def _waves(surface, lay: Layout, frame: Frame) -> None:
    """Radar beams; the shooter's wave circles (virtual ones faint) with the density each real wave was
    fired with along its arc; the target's waves; for a surfer, its danger along the waves it surfs and
    its predicted path; the recent hit windows as green arcs where their waves passed the target."""
    import pygame
    box = lay.field
    layer = pygame.Surface((round(box.w) + 1, round(box.h) + 1), pygame.SRCALPHA)
    view = _View(0.0, 0.0, lay.scale, frame.info.height)  # the layer's own corner
    _radar(layer, view, frame)
    for wave in frame.waves:
        r = wave.radius(frame.tick) * lay.scale
        if r >= 1:
            colour = (*WAVE, 150) if wave.real else (*WAVE, 34)
            pygame.draw.circle(layer, colour, view.point(wave.x, wave.y), r, 2 if wave.real else 1)
    for wave in frame.enemy_waves:
        r = wave.radius(frame.tick) * lay.scale
        if r >= 1:
            pygame.draw.circle(layer, (*ENEMY_WAVE, 170), view.point(wave.x, wave.y), r, 2)
    for wave in frame.waves:
        r = wave.radius(frame.tick)
        if wave.profile is not None and r * lay.scale >= 4:
            _profile_arc(layer, view, wave, r, wave.profile, HEAT, lay.px(5))
    surf = frame.surf
    if surf is not None:
        for wave in surf.waves:  # just inside the shooter's own arc, so both show
            r = wave.radius(frame.tick) - 7.0 / lay.scale
            if r * lay.scale >= 4:
                _profile_arc(layer, view, wave, r, surf.danger, DANGER, lay.px(4))
        points = [view.point(x, y) for x, y in surf.path]
        for k in range(0, len(points) - 1, 2):  # dashed
            pygame.draw.line(layer, (*PATH, 220), points[k], points[k + 1], lay.px(2))
        if points:
            pygame.draw.circle(layer, (*PATH, 220), points[-1], lay.px(4), lay.px(2))
    for w in frame.windows:
        alpha = round(255 * max(0.25, 1.0 - (frame.tick - w.tick) / RECENT_TICKS))
        a, b = max(w.a, -1.5), min(w.b, 1.5)
        n = max(2, int((b - a) * 40))
        points = _arc(view, w.wave, w.wave.radius(w.tick), [a + (b - a) * k / (n - 1) for k in range(n)])
        pygame.draw.lines(layer, (*WINDOW, alpha), False, points, lay.px(5))
    surface.blit(layer, (round(box.x), round(box.y)))


def _radar(layer, view: _View, frame: Frame) -> None:
    """Each living robot's radar: the simulator's radar always holds the enemy, drawn as a faint beam
    as wide as the enemy's body, out to the radar's range."""
    import pygame
    robots = frame.robots
    for i, (me, other) in enumerate(((robots[0], robots[1]), (robots[1], robots[0]))):
        if not (me.alive and other.alive):
            continue
        bearing = math.atan2(other.x - me.x, other.y - me.y)
        half = math.atan2(HALF * math.sqrt(2), max(math.hypot(other.x - me.x, other.y - me.y), HALF))
        beam = [view.point(me.x, me.y)] + [view.along(me.x, me.y, bearing + k * half / 4, RADAR_RANGE)
                                           for k in range(-4, 5)]
        pygame.draw.polygon(layer, (*RADAR, 16), beam)


def _bullets(surface, lay: Layout, frame: Frame) -> None:
    import pygame
    view = _View(lay.field.x, lay.field.y, lay.scale, frame.info.height)
    for b in frame.bullets:
        p = view.point(b.x, b.y)
        if b.hit:
            pygame.draw.circle(surface, (255, 120, 40), p, max(5, 10 * lay.scale), 2)
        else:
            pygame.draw.circle(surface, BULLET_COLOURS[b.owner % 2], p, max(1, round(bullet_radius(b.power) * lay.scale)))


def _robots(surface, lay: Layout, frame: Frame) -> None:
    """Bodies, guns, names, and under each a green energy bar and a gun-heat bar (orange while hot)."""
    import pygame
    view, s = _View(lay.field.x, lay.field.y, lay.scale, frame.info.height), lay.scale
    names = frame.info.names
    for i, r in enumerate(frame.robots):
        colour = ROBOT_COLOURS[i % 2]
        fx, fy = math.sin(r.heading), math.cos(r.heading)  # forward
        rx, ry = fy, -fx  # right
        corners = [view.point(r.x + HALF * (a * fx + b * rx), r.y + HALF * (a * fy + b * ry))
                   for a, b in ((1, 1), (1, -1), (-1, -1), (-1, 1))]
        centre = view.point(r.x, r.y)
        size = lay.px(16)
        # The name under the body, or above its bars when the bottom wall is too close.
        label_y, anchor = view.point(r.x, r.y - HALF - 4)[1], "midtop"
        if label_y + _font(max(size, MIN_TEXT)).get_linesize() > lay.field.y + lay.field.h:
            label_y, anchor = view.point(r.x, r.y + HALF + 14)[1], "midbottom"
        if not r.alive:
            pygame.draw.polygon(surface, DIM, corners, 2)
            _text(surface, names[i], (centre[0], label_y), DIM, size, anchor)
            continue
        pygame.draw.polygon(surface, colour, corners)
        pygame.draw.polygon(surface, tuple(c // 2 for c in colour), corners, 2)
        nose = view.point(r.x + HALF * fx, r.y + HALF * fy)
        pygame.draw.line(surface, tuple(c // 2 for c in colour), centre, nose, max(2, round(4 * s)))
        pygame.draw.line(surface, (240, 244, 250), centre, view.along(r.x, r.y, r.gun_heading, GUN_LENGTH),
                         max(2, round(4 * s)))
        pygame.draw.circle(surface, (240, 244, 250), centre, max(3, 7 * s))
        bar_w, bar_h, bar_y = 2 * HALF * s, max(3, 4 * s), view.point(r.x, r.y + HALF + 12)[1]
        left = centre[0] - bar_w / 2
        pygame.draw.rect(surface, (60, 20, 20), (left, bar_y, bar_w, bar_h))
        pygame.draw.rect(surface, (90, 220, 110), (left, bar_y, bar_w * min(r.energy, 100.0) / 100.0, bar_h))
        heat_y = bar_y + bar_h + 1
        if r.gun_heat > 0:
            pygame.draw.rect(surface, GUN_HOT, (left, heat_y, bar_w * min(r.gun_heat / rules.START_GUN_HEAT, 1.0),
                                                max(2, bar_h * 0.6)))
        else:
            pygame.draw.rect(surface, GUN_READY, (left, heat_y, max(2, bar_h * 0.6), max(2, bar_h * 0.6)))
        _text(surface, names[i], (centre[0], label_y), colour, size, anchor)


def _strip(surface, lay: Layout, frame: Frame) -> None:
    """The shooter's aiming density over GF -1..1 at its last shot, with the recent hit windows, and a
    surfing target's danger over the same GFs."""
    import pygame
    box, px = lay.strip, lay.px
    pygame.draw.rect(surface, FIELD, box.tuple())
    pygame.draw.rect(surface, BORDER, box.tuple(), 1)
    plot = Box(box.x + px(12), box.y + px(30), box.w - px(24), box.h - px(50))

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
        anchor = {-1.0: "topleft", 1.0: "topright"}.get(gf, "midtop")
        _text(surface, f"GF {gf:+g}" if gf else "GF 0", (x_of(gf), base + 5), DIM, px(16), anchor)
    title = f"aiming density of {frame.info.gun}"
    profile = frame.profile
    if profile is None:
        _text(surface, f"{frame.info.gun} has no aiming density", (box.x + box.w / 2, plot.y + plot.h / 2), DIM,
              px(20), "center")
    else:
        title += f" at shot {profile.serial}" if profile.serial else ", before the first shot"
        top = max(profile.values)
        if top > 0:
            points = [(x_of(gf), base - v / top * plot.h) for gf, v in zip(GF_GRID, profile.values)]
            fill = pygame.Surface((round(box.w), round(box.h)), pygame.SRCALPHA)
            pygame.draw.polygon(fill, (*ROBOT_COLOURS[SHOOTER], 90),
                                [(x - box.x, y - box.y) for x, y in [(plot.x, base), *points, (plot.x + plot.w, base)]])
            surface.blit(fill, (round(box.x), round(box.y)))
            pygame.draw.lines(surface, ROBOT_COLOURS[SHOOTER], False, points, 2)
            peak = max(range(len(points)), key=lambda i: profile.values[i])
            x, y = points[peak]
            pygame.draw.polygon(surface, TEXT, [(x, y - 2), (x - 5, y - 10), (x + 5, y - 10)])
        else:
            _text(surface, "no hit windows yet", (box.x + box.w / 2, plot.y + plot.h / 2), DIM, px(20), "center")
    legend = [("recent hit windows", WINDOW)]
    if frame.surf is not None:
        danger = frame.surf.danger.values
        top = max(danger) or 1.0
        points = [(x_of(gf), base - v / top * plot.h) for gf, v in zip(GF_GRID, danger)]
        pygame.draw.lines(surface, DANGER[2], False, points, 2)
        legend.insert(0, (f"{frame.info.movement}'s danger", DANGER[2]))
    right = box.x + box.w - px(8)
    for label, colour in legend:
        rect = _text(surface, label, (right, box.y + px(6)), DIM, px(18), "topright")
        pygame.draw.rect(surface, colour, (rect.x - px(10) - 5, rect.y + 2, px(10), px(10)))
        right = rect.x - px(10) - 20
    _text(surface, title, (box.x + px(8), box.y + px(6)), TEXT, px(18), max_width=right - box.x - px(16))


def _hud(surface, lay: Layout, frame: Frame, overlay: Overlay) -> None:
    """Line 1: round, tick, hit rate, bullets fired, lr | speed control. Line 2: robots, energy, gun heat."""
    import pygame
    box, px, info = lay.hud, lay.px, frame.info
    control = _speed_control(surface, lay, overlay)
    rate = frame.hit_rate
    parts = [f"round {frame.round + 1}/{info.rounds}", f"tick {frame.tick}",
             f"hit rate {rate:.1%} ({frame.hits} hits / {frame.resolved} resolved)" if rate is not None
             else "hit rate -", f"fired {frame.shots}"]
    if info.lr is not None:
        parts.append(f"lr {info.lr:g}")
    right = control.x - px(12) if control is not None else box.x + box.w
    _text(surface, "   ".join(parts), (box.x, box.y), TEXT, px(22), max_width=right - box.x)
    x, y = box.x, box.y + px(23)
    for i, name in enumerate(info.names):
        r = frame.robots[i]
        state = f"energy {r.energy:.1f}, gun {'ready' if r.gun_heat == 0 else f'heat {r.gun_heat:.1f}'}" \
            if r.alive else "dead"
        pygame.draw.rect(surface, ROBOT_COLOURS[i], (x, y + 3, px(11), px(11)))
        x = _text(surface, f"{name}: {state}", (x + px(16), y), ROBOT_COLOURS[i], px(20),
                  max_width=box.w / 2 - px(30)).right + px(20)
    if overlay.message:
        _text(surface, overlay.message, (box.x + box.w, y), TEXT, px(20), "topright", max(box.x + box.w - x, 0))


def _speed_control(surface, lay: Layout, overlay: Overlay):
    """Top right: a play or pause sign, the speed in ticks/s and PAUSED when paused; None when no speed."""
    import pygame
    if overlay.speed is None:
        return None
    box, px = lay.hud, lay.px
    label = f"PAUSED at {overlay.speed} ticks/s" if overlay.paused else f"{overlay.speed} ticks/s   -/+"
    font = _font(px(20))
    w, h = font.size(label)
    panel = pygame.Rect(0, 0, w + px(34), h + px(6))
    panel.topright = (round(box.x + box.w), round(box.y - 2))
    pygame.draw.rect(surface, PANEL, panel, border_radius=4)
    pygame.draw.rect(surface, TEXT if overlay.paused else BORDER, panel, 1, border_radius=4)
    ix, iy, ih = panel.x + px(8), panel.centery, px(10)
    if overlay.paused:
        pygame.draw.rect(surface, TEXT, (ix, iy - ih / 2, px(3), ih))
        pygame.draw.rect(surface, TEXT, (ix + px(6), iy - ih / 2, px(3), ih))
    else:
        pygame.draw.polygon(surface, WINDOW, [(ix, iy - ih / 2), (ix, iy + ih / 2), (ix + px(9), iy)])
    _text(surface, label, (panel.x + px(24), panel.centery), TEXT, px(20), "midleft")
    return panel


def _slider(surface, lay: Layout, frame: Frame, overlay: Overlay) -> None:
    """The replay timeline: round and tick at the left, round starts as labelled marks, deaths as
    coloured triangles, and the frame count (one frame per tick, plus one at each round's tick 0)."""
    import pygame
    track, px = lay.slider, lay.px
    n = max(overlay.length - 1, 1)
    mid = track.y + px(11)
    where, count = timeline_labels(frame, overlay)
    room = track.x - lay.hud.x - px(16)
    _text(surface, where, (track.x - px(14), mid), TEXT, px(20), "midright", room)
    if _font(max(px(15), MIN_TEXT)).size(count)[0] > room:
        count = count.split(" (")[0]  # a narrow window keeps the count, the README says what it counts
    _text(surface, count, (track.x - px(14), mid + px(10)), DIM, px(15), "topright", room)
    pygame.draw.rect(surface, GRID, (track.x, mid - 3, track.w, 6), border_radius=3)
    knob_x = track.x + overlay.position / n * track.w
    pygame.draw.rect(surface, ROBOT_COLOURS[SHOOTER], (track.x, mid - 3, knob_x - track.x, 6), border_radius=3)
    label_w = _font(max(px(15), MIN_TEXT)).size(f"{len(overlay.round_starts)}")[0] + px(8)
    last = -math.inf
    for number, start in enumerate(overlay.round_starts, 1):
        x = track.x + start / n * track.w
        pygame.draw.line(surface, DIM, (x, mid - 7), (x, mid + 7))
        if x - last >= label_w:  # a round number wherever it has room
            _text(surface, str(number), (x, mid + px(8)), DIM, px(15), "midtop")
            last = x
    for index, robot in overlay.deaths:
        x = track.x + index / n * track.w
        pygame.draw.polygon(surface, ROBOT_COLOURS[robot % 2], [(x, mid - 5), (x - 4, mid - 12), (x + 4, mid - 12)])
    pygame.draw.circle(surface, TEXT, (knob_x, mid), px(8))


def timeline_labels(frame: Frame, overlay: Overlay) -> tuple[str, str]:
    """Where the replay is, in rounds and ticks; and which frame, a replay holding one frame per tick
    plus the tick-0 frame each round starts with (so frames = ticks + rounds)."""
    return (f"round {frame.round + 1}/{frame.info.rounds} · tick {frame.tick}",
            f"frame {overlay.position + 1}/{overlay.length} (ticks + rounds)")


def draw_results(surface, area: Box, results: Results, ui: float = 1.0) -> Box:
    """Robocode's results table on a panel centred in `area`, text sized to fit; returns the panel."""
    import pygame
    cells = results.cells()
    size = max(11, round(22 * ui))
    while size > 11 and _table_width(cells, size) > area.w - 24:
        size -= 1
    font, pad = _font(size), max(6, size // 2)
    widths = [max(font.size(row[c])[0] for row in cells) for c in range(len(cells[0]))]
    row_h = font.get_linesize() + 4
    title_h = _font(size + 4).get_linesize() + pad
    w = sum(widths) + pad * (len(widths) - 1) + 2 * pad
    h = title_h + row_h * len(cells) + 2 * pad
    panel = Box(area.x + (area.w - w) / 2, area.y + (area.h - h) / 2, w, h)
    layer = pygame.Surface((round(w), round(h)), pygame.SRCALPHA)
    layer.fill((*PANEL, 235))
    surface.blit(layer, (round(panel.x), round(panel.y)))
    pygame.draw.rect(surface, BORDER, panel.tuple(), 1)
    _text(surface, results.title(), (panel.x + pad, panel.y + pad), TEXT, size + 4)
    y = panel.y + pad + title_h
    for r, row in enumerate(cells):
        colour = DIM if r == 0 else ROBOT_COLOURS[results.rows[r - 1][1] % 2]
        x = panel.x + pad
        for c, (cell, width) in enumerate(zip(row, widths)):
            if c == 1:
                _text(surface, cell, (x, y), colour, size)
            else:
                _text(surface, cell, (x + width, y), colour, size, "topright")
            x += width + pad
        if r == 0:
            pygame.draw.line(surface, BORDER, (panel.x + pad, y + row_h - 2), (panel.x + w - pad, y + row_h - 2))
        y += row_h
    return panel


def _table_width(cells, size: int) -> float:
    """The panel width draw_results needs at this text size: columns, gaps and margins."""
    font, pad = _font(size), max(6, size // 2)
    return sum(max(font.size(row[c])[0] for row in cells) for c in range(len(cells[0]))) + pad * (len(cells[0]) + 1)
