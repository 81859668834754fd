"""Headless drawing: real pixels where the frame says, and `arena render` writing a PNG."""
import math
import subprocess
import sys

import numpy as np
import pygame
import pytest

from arena.battle import Battle, BattleConfig, Side
from arena.cli import main
from arena.render.draw import FIELD, ROBOT_COLOURS, Overlay, draw_frame, layout
from arena.render.frame import GF_GRID, BattleInfo, Frame, Profile, RobotFrame, WaveFrame
from arena.replay import Recorder, load

SIZE = (960, 800)
INFO = BattleInfo("gf-bins", "random-orbit", 1, 35, 800.0, 600.0, 2.0, None)


def screen_point(lay, x, y):
    return round(lay.field.x + x * lay.scale), round(lay.field.y + (600.0 - y) * lay.scale)


def frame(robots, waves=(), profile=None, tick=30):
    return Frame(INFO, 0, tick, tuple(robots), (), tuple(waves), (), profile, 0, 0, 0)


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
