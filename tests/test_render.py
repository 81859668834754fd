"""Headless drawing: real pixels where the frame says, and `arena render` writing a PNG."""
import math
import subprocess
import sys

import numpy as np
import pygame
import pytest

from arena.battle import Battle, BattleConfig, Side
from arena.cli import main
from arena.render.draw import (BORDER, FIELD, ROBOT_COLOURS, TEXT, Overlay, bullet_radius, draw_frame, layout,
                               timeline_labels, ui_scale)
from arena.render.frame import (GF_GRID, TARGET, BattleInfo, BulletFrame, Frame, Profile, RobotFrame, SurfFrame,
                                WaveFrame)
from arena.render.results import COMPONENTS, Results
from arena.replay import Recorder, load

SIZE = (960, 800)
INFO = BattleInfo("gf-bins", "random-orbit", 1, 35, 800.0, 600.0, 2.0, None)


def screen_point(lay, x, y):
    return round(lay.field.x + x * lay.scale), round(lay.field.y + (600.0 - y) * lay.scale)


def frame(robots, waves=(), profile=None, tick=30, bullets=(), enemy_waves=(), surf=None):
    return Frame(INFO, 0, tick, tuple(robots), tuple(bullets), tuple(waves), (), profile, 0, 0, 0,
                 tuple(enemy_waves), surf)


def render(f, overlay=Overlay()):
    surface = pygame.Surface(SIZE)
    return surface, draw_frame(surface, f, overlay)


def rgb(surface, point):
    return tuple(surface.get_at(point))[:3]


def test_robots_are_drawn_where_the_state_says():
    shooter, target = RobotFrame(200.0, 150.0, 0.0, 0.0, 90.0, True), RobotFrame(620.0, 450.0, 0.0, 0.0, 50.0, True)
    surface, lay = render(frame([shooter, target]))
    # A body point off the turret and the gun (both point north, up the screen).
    assert rgb(surface, screen_point(lay, 210.0, 140.0)) == ROBOT_COLOURS[0]
    assert rgb(surface, screen_point(lay, 630.0, 440.0)) == ROBOT_COLOURS[1]
    assert rgb(surface, screen_point(lay, 50.0, 550.0)) == FIELD
    # The y axis is flipped: the shooter is low on the field, so low on the screen.
    assert screen_point(lay, 200.0, 150.0)[1] > screen_point(lay, 620.0, 450.0)[1]


def test_body_follows_the_heading_and_a_dead_robot_is_not_filled():
    turned = RobotFrame(400.0, 300.0, math.pi / 4, 0.0, 100.0, True)
    surface, lay = render(frame([turned, RobotFrame(130.0, 130.0, 0.0, 0.0, 0.0, False)]))
    # A square turned 45 degrees covers a point 23 px right of centre (inside its diagonal) ...
    assert rgb(surface, screen_point(lay, 423.0, 300.0)) == ROBOT_COLOURS[0]
    # ... but not the corner region of the unturned square.
    assert rgb(surface, screen_point(lay, 416.0, 284.0)) == FIELD
    assert rgb(surface, screen_point(lay, 130.0, 130.0)) == FIELD


def test_wave_circle_and_density_strip():
    values = tuple(float(math.exp(-((g - 0.5) / 0.1) ** 2)) for g in GF_GRID)
    profile = Profile(3, values)
    wave = WaveFrame(430.0, 330.0, 0, 10.0, 0.0, 1, 0.6, True, profile)
    robots = [RobotFrame(430.0, 330.0, 0.0, 0.0, 100.0, True), RobotFrame(730.0, 530.0, 0.0, 0.0, 100.0, True)]
    surface, lay = render(frame(robots, [wave], profile, tick=15))
    # The circle of radius 150 due south (far from its density arc, which faces north) is drawn, 2 px wide.
    x, y = screen_point(lay, 430.0, 180.0)
    assert sum(rgb(surface, (x, y + d)) != FIELD for d in range(-4, 5)) == 2
    assert rgb(surface, screen_point(lay, 430.0, 210.0)) == FIELD
    # The strip's density fill is under the peak at GF +0.5 and absent at GF -0.9.
    strip = lay.strip

    def plot_x(gf):
        return round(strip.x + 12 + (gf + 1) / 2 * (strip.w - 24))

    low = round(strip.y + strip.h - 30)
    assert rgb(surface, (plot_x(0.5), low)) != FIELD
    assert rgb(surface, (plot_x(-0.9), low)) == FIELD


def test_layout_keeps_the_field_aspect_and_fits_the_window():
    for size in [(960, 800), (500, 900), (1600, 500)]:
        lay = layout(size, 800.0, 600.0, slider=True)
        assert lay.field.w / lay.field.h == pytest.approx(800 / 600)
        assert lay.field.x >= 0 and lay.field.x + lay.field.w <= size[0]
        assert lay.slider.y + lay.slider.h <= size[1]
        assert lay.slider_index(lay.slider.x, 101) == 0 and lay.slider_index(lay.slider.x + lay.slider.w, 101) == 100


@pytest.fixture(scope="module")
def replay_file(tmp_path_factory):
    cfg = BattleConfig(shooter=Side("gf-bins", "duck"), target=Side("none", "random-orbit"), rounds=2, seed=5)
    recorder = Recorder()
    Battle(cfg).run(recorder)
    return recorder.save(tmp_path_factory.mktemp("replays") / "r.arena")


def test_render_command_writes_a_png_with_the_robots_in_place(replay_file, tmp_path, capsys):
    out = tmp_path / "frame.png"
    assert main(["render", str(replay_file), "--round", "2", "--tick", "40", "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().out
    image = pygame.image.load(str(out))
    assert image.get_size() == SIZE
    replay = load(replay_file)
    f = replay.frame(replay.index(1, 40))
    lay = layout(SIZE, 800.0, 600.0, slider=True)
    for i, r in enumerate(f.robots):
        # Points 11 px from the centre all round: inside the body, most off the turret, gun and nose lines.
        ring = [screen_point(lay, r.x + 11 * math.sin(k * math.pi / 6), r.y + 11 * math.cos(k * math.pi / 6))
                for k in range(12)]
        assert sum(rgb(image, p) == ROBOT_COLOURS[i] for p in ring) >= 8
        assert rgb(image, screen_point(lay, r.x + 60, r.y + 60)) != ROBOT_COLOURS[i]
    pixels = pygame.surfarray.array3d(image)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20  # a real picture, not a blank fill
    assert [p.name for p in tmp_path.iterdir()] == ["frame.png"]  # no temp file left behind


def test_render_command_rejects_a_bad_tick(replay_file, tmp_path, capsys):
    assert main(["render", str(replay_file), "--tick", "-1", "--out", str(tmp_path / "f.png")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("arena: error: no tick -1 in round 1") and err.count("\n") == 1
    assert not (tmp_path / "f.png").exists()


def test_importing_arena_does_not_import_pygame():
    code = ("import sys, arena, arena.cli, arena.replay, arena.render.draw, arena.render.viewer; "
            "print('pygame' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# Two robots far apart in the top corners: their radar beams run along the top, away from the test points.
PAIR = [RobotFrame(100.0, 560.0, 0.0, 0.0, 100.0, True), RobotFrame(700.0, 560.0, 0.0, 0.0, 100.0, True)]


def test_bullets_are_drawn_with_robocodes_radius_growing_with_power():
    assert bullet_radius(0.1) == pytest.approx(0.5) and bullet_radius(3.0) == pytest.approx(math.sqrt(7.5))
    covered = {}
    for power in (0.5, 1.5, 3.0):
        surface, lay = render(frame(PAIR, bullets=[BulletFrame(430.0, 230.0, 0, False, power)]))
        cx, cy = screen_point(lay, 430.0, 230.0)
        covered[power] = sum(rgb(surface, (cx + dx, cy + dy)) != FIELD for dx in range(-6, 7) for dy in range(-6, 7))
    # About pi r^2 pixels, r = sqrt(2.5 p) field px times the scale (0.96 here) rounded: 3, 2 and 1 px.
    assert 22 <= covered[3.0] <= 34 and 9 <= covered[1.5] <= 16 and covered[0.5] <= 6
    assert covered[3.0] > covered[1.5] > covered[0.5] >= 4


def test_enemy_waves_are_drawn_in_the_targets_colour():
    wave = WaveFrame(430.0, 330.0, 0, 10.0, 0.0, 1, 0.6, True, None, TARGET)
    surface, lay = render(frame(PAIR, enemy_waves=[wave], tick=15))
    x, y = screen_point(lay, 430.0, 180.0)  # due south on the radius-150 circle
    drawn = [rgb(surface, (x, y + d)) for d in range(-4, 5) if rgb(surface, (x, y + d)) != FIELD]
    assert len(drawn) == 2 and all(r > b + 40 for r, _, b in drawn)  # orange, not the shooter's blue
    empty, _ = render(frame(PAIR, tick=15))
    assert rgb(empty, (x, y)) == FIELD


def test_a_surfers_danger_arc_and_predicted_path_are_drawn():
    danger = Profile(0, tuple(1.0 for _ in GF_GRID))
    wave = WaveFrame(430.0, 330.0, 0, 10.0, math.pi, 1, 0.6, True, None)  # fired due south
    path = tuple((220.0 + k, 130.0) for k in range(0, 60, 6))
    surface, lay = render(frame(PAIR, surf=SurfFrame((wave,), danger, path), tick=15))
    x, y = screen_point(lay, 430.0, 180.0 + 7.0 / lay.scale)  # the danger arc sits 7 screen px inside
    assert rgb(surface, (round(x), round(y))) != FIELD
    px, py = screen_point(lay, 223.0, 130.0)  # inside the first dash of the path
    assert rgb(surface, (px, py)) != FIELD
    plain, _ = render(frame(PAIR, tick=15))
    assert rgb(plain, (px, py)) == FIELD and rgb(plain, (round(x), round(y))) == FIELD


def test_radar_beam_points_at_the_enemy():
    surface, lay = render(frame([RobotFrame(130.0, 330.0, 0.0, 0.0, 100.0, True),
                                 RobotFrame(730.0, 330.0, 0.0, 0.0, 100.0, True)]))
    assert rgb(surface, screen_point(lay, 430.0, 330.0)) != FIELD  # on the line between them
    assert rgb(surface, screen_point(lay, 430.0, 180.0)) == FIELD  # well off it


def test_gun_heat_bar_shows_only_while_the_gun_is_hot():
    hot = [RobotFrame(430.0, 330.0, 0.0, 0.0, 100.0, True, 3.0), RobotFrame(730.0, 130.0, 0.0, 0.0, 0.0, False)]
    cold = [RobotFrame(430.0, 330.0, 0.0, 0.0, 100.0, True, 0.0), hot[1]]
    (hot_s, lay), (cold_s, _) = render(frame(hot)), render(frame(cold))
    # Right half of the bar under the energy bar (30 px above the centre): full heat (3.0) fills it,
    # a ready gun shows only a dot at the left end.
    x = round(screen_point(lay, 440.0, 0.0)[0])
    top = round(screen_point(lay, 0.0, 330.0 + 30.0)[1])
    rows = range(top, top + 10)
    assert any(rgb(hot_s, (x, y))[0] > 200 and rgb(hot_s, (x, y))[2] < 100 for y in rows)
    assert not any(rgb(cold_s, (x, y))[0] > 200 and rgb(cold_s, (x, y))[2] < 100 for y in rows)


def results(totals):
    return Results.from_rounds(("gf-bins", "random-orbit"), [totals], 3)


def test_results_table_is_drawn_over_the_field_and_sized_to_the_window():
    totals = np.zeros((2, len(COMPONENTS)))
    totals[:, 0] = (120.0, 480.0)
    for size in [(640, 480), (960, 800), (1600, 1000)]:
        surface = pygame.Surface(size)
        lay = draw_frame(surface, frame(PAIR), Overlay(results=results(totals)))
        plain = pygame.Surface(size)
        draw_frame(plain, frame(PAIR))
        centre = (round(lay.field.x + lay.field.w / 2), round(lay.field.y + lay.field.h / 2))
        assert rgb(surface, centre) != rgb(plain, centre)
        # The panel's border fits inside the window on both sides.
        row = [rgb(surface, (x, centre[1])) == BORDER for x in range(size[0])]
        assert row.index(True) > 0 and row[::-1].index(True) > 0


def test_speed_control_shows_pause_with_a_bright_border():
    lay = None
    colours = {}
    for paused in (False, True):
        surface = pygame.Surface(SIZE)
        lay = draw_frame(surface, frame(PAIR), Overlay(speed=60, paused=paused))
        right = round(lay.hud.x + lay.hud.w) - 1
        colours[paused] = {rgb(surface, (right, y)) for y in range(0, round(lay.hud.h))}
    assert TEXT in colours[True] and TEXT not in colours[False]


def test_layout_is_stacked_without_overlap_from_640x480_and_text_scales():
    for size in [(640, 480), (960, 800), (1920, 1080)]:
        lay = layout(size, 800.0, 600.0, slider=True)
        assert lay.hud.y + lay.hud.h <= lay.field.y
        assert lay.field.y + lay.field.h <= lay.strip.y
        assert lay.strip.y + lay.strip.h <= lay.slider.y
        assert lay.slider.y + lay.slider.h <= lay.footer.y
        assert lay.footer.y + lay.footer.h <= size[1]
    assert ui_scale((640, 480)) < ui_scale((960, 800)) < ui_scale((1920, 1080))


def test_timeline_labels_name_round_tick_and_frames():
    f = Frame(INFO, 11, 431, tuple(PAIR), (), (), (), None, 0, 0, 0)
    where, count = timeline_labels(f, Overlay(position=4623, length=13904))
    assert where == "round 12/35 · tick 431"
    assert count == "frame 4624/13904 (ticks + rounds)"
