"""The viewer loop driven headless by posted pygame events: keys, speed, seeking, slider, quitting."""
import os
import signal
import sys

import pygame
import pytest

from arena.battle import Battle, BattleConfig, Side
from arena.cli import main
from arena.render.playback import LivePlayback, ReplayPlayback
from arena.render.viewer import JUMP, SPEED_RANGE, Viewer, check_speed
from arena.replay import Recorder, decode

CONFIG = BattleConfig(shooter=Side("gf-bins", "duck"), target=Side("none", "random-orbit"), rounds=2, seed=2)


def press(*keys):
    for key in keys:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))


def mouse(kind, pos, **extra):
    pygame.event.post(pygame.event.Event(kind, pos=pos, **extra))


@pytest.fixture
def live():
    viewer = Viewer(LivePlayback(CONFIG), speed=60)
    viewer.open()  # events can only be posted once the display is up
    yield viewer
    viewer.close()


@pytest.fixture(scope="module")
def replay():
    recorder = Recorder()
    Battle(CONFIG).run(recorder)
    return decode(recorder.to_bytes())


@pytest.fixture
def player(replay):
    viewer = Viewer(ReplayPlayback(replay), speed=60)
    viewer.open()
    yield viewer
    viewer.close()


def tick(viewer):
    return viewer.playback.frame.tick


def test_live_viewer_plays_pauses_steps_and_restarts(live):
    assert live.run(max_frames=10, throttle=False) == 10
    assert tick(live) == 10  # 60 ticks/s at 60 frames/s
    press(pygame.K_SPACE)
    live.run(max_frames=5, throttle=False)
    assert live.paused and tick(live) == 10
    press(pygame.K_RIGHT, pygame.K_RIGHT)
    live.run(max_frames=3, throttle=False)
    assert tick(live) == 12
    press(pygame.K_SPACE, pygame.K_PLUS)
    live.run(max_frames=4, throttle=False)
    assert live.speed == 120 and tick(live) == 20
    press(pygame.K_r)
    live.run(max_frames=1, throttle=False)
    assert (live.playback.frame.round, tick(live)) == (0, 2)


def test_speed_steps_through_the_levels_and_q_quits(live):
    press(pygame.K_MINUS, pygame.K_MINUS, pygame.K_KP_MINUS)
    live.run(max_frames=1, throttle=False)
    assert live.speed == 10
    press(pygame.K_q)
    assert live.run(max_frames=50, throttle=False) == 0
    assert live.quit and live.screen is None


@pytest.mark.slow
def test_live_battle_runs_to_the_end_and_says_so(live):
    live.speed = 960
    live.run(max_frames=400, throttle=False)
    assert live.playback.at_end and live.overlay().message.startswith("battle over")
    assert live.playback.battle.result.rounds[-1].round == CONFIG.rounds - 1


def test_replay_keys_seek(player, replay):
    press(pygame.K_SPACE, pygame.K_END)
    player.run(max_frames=1, throttle=False)
    assert player.playback.position == len(replay) - 1
    press(pygame.K_LEFT, pygame.K_LEFT)
    player.run(max_frames=1, throttle=False)
    assert player.playback.position == len(replay) - 3
    press(pygame.K_HOME, pygame.K_PAGEDOWN)
    player.run(max_frames=1, throttle=False)
    assert player.playback.position == replay.round_starts[1]
    assert (player.playback.frame.round, tick(player)) == (1, 0)
    press(pygame.K_LEFTBRACKET, pygame.K_PAGEUP, pygame.K_RIGHTBRACKET)
    player.run(max_frames=1, throttle=False)
    assert player.playback.position == JUMP
    assert player.playback.frame == replay.frame(JUMP)


def test_slider_click_and_drag_seek(player, replay):
    press(pygame.K_SPACE)
    player.run(max_frames=1, throttle=False)
    track = player.layout.slider
    y = track.y + track.h / 2
    mouse(pygame.MOUSEBUTTONDOWN, (track.x + track.w / 2, y), button=1)
    player.run(max_frames=1, throttle=False)
    assert abs(player.playback.position - (len(replay) - 1) / 2) <= 1
    mouse(pygame.MOUSEMOTION, (track.x + track.w + 30, y + 40), rel=(0, 0), buttons=(1, 0, 0))
    mouse(pygame.MOUSEBUTTONUP, (track.x + track.w + 30, y + 40), button=1)
    mouse(pygame.MOUSEMOTION, (track.x, y), rel=(0, 0), buttons=(0, 0, 0))
    player.run(max_frames=1, throttle=False)
    assert player.playback.position == len(replay) - 1  # dragged past the end, then released
    mouse(pygame.MOUSEBUTTONDOWN, (track.x + track.w / 2, y - 200), button=1)  # on the field: no seek
    player.run(max_frames=1, throttle=False)
    assert player.playback.position == len(replay) - 1


def test_replay_plays_forward_and_stops_at_the_end(player, replay):
    player.speed = 960
    player.run(max_frames=len(replay) // 16 + 5, throttle=False)
    assert player.playback.at_end and player.overlay().message == "end of replay"


def test_resized_window_gets_a_fitted_layout(player):
    player.run(max_frames=1, throttle=False)
    pygame.display.set_mode((640, 900), pygame.RESIZABLE)
    player.run(max_frames=1, throttle=False)
    assert player.screen.get_size() == (640, 900)
    assert player.layout.field.w <= 640 and player.layout.slider.y + player.layout.slider.h <= 900


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check reads X11/Wayland variables")
def test_watch_without_a_display_is_one_clear_error(monkeypatch, capsys):
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["watch", "--gun", "head-on", "--rounds", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("arena: error: no display") and err.count("\n") == 1


@pytest.mark.slow
def test_results_table_shows_at_the_end_and_is_printed_on_quit():
    printed = []
    viewer = Viewer(LivePlayback(CONFIG), speed=960, report=printed.append)
    viewer.open()
    viewer.run(max_frames=2, throttle=False)
    assert viewer.overlay().results is None
    press(pygame.K_t)
    viewer.run(max_frames=1, throttle=False)
    assert viewer.overlay().results.played == 0  # t shows the table so far
    viewer.run(max_frames=400, throttle=False)
    results = viewer.overlay().results
    battle = viewer.playback.battle
    assert viewer.playback.at_end and results.played == CONFIG.rounds
    assert results.totals[:, 0].tolist() == pytest.approx(battle.result.total("score"))
    assert results.totals[:, 3].tolist() == pytest.approx(battle.result.total("bullet_damage"))
    press(pygame.K_q)
    viewer.run(max_frames=5, throttle=False)
    assert len(printed) == 1 and printed[0].startswith(f"Results after all {CONFIG.rounds} rounds")
    assert "gf-bins" in printed[0] and "Total Score" in printed[0]


def test_replay_results_count_only_the_rounds_finished(player, replay):
    playback = player.playback
    playback.seek(replay.round_starts[1] - 1)  # the last frame of round 1
    assert playback.results().played == 1
    playback.seek(replay.round_starts[1])
    assert playback.results().played == 1
    playback.seek(len(replay) - 1)
    assert playback.results().played == 2 and player.overlay().results is not None


def test_replay_timeline_marks_each_death_where_the_robot_stops_being_alive(replay):
    frames = [replay.frame(i) for i in range(len(replay))]
    expected = [(i, robot) for i in range(1, len(frames)) for robot in range(2)
                if frames[i].round == frames[i - 1].round
                and frames[i - 1].robots[robot].alive and not frames[i].robots[robot].alive]
    assert expected and ReplayPlayback(replay).deaths == tuple(expected)


@pytest.mark.parametrize("speed", [0, -5, SPEED_RANGE[1] + 1, 5000])
def test_speed_outside_the_range_is_refused(speed, capsys):
    with pytest.raises(ValueError, match="speed must be 1..960"):
        check_speed(speed)
    assert main(["watch", f"--speed={speed}"]) == 2
    assert capsys.readouterr().err == f"arena: error: watch: argument --speed: speed must be 1..960 ticks/s " \
                                      f"(space pauses), got {speed}\n"


def test_speed_at_the_ends_of_the_range_is_taken():
    assert check_speed(SPEED_RANGE[0]) == 1 and check_speed(SPEED_RANGE[1]) == 960


@pytest.mark.skipif(not hasattr(signal, "SIGTERM"), reason="no SIGTERM")
def test_sigterm_inside_code_that_clears_errors_still_ends_the_viewer(replay, monkeypatch, capsys):
    """pygame's set_mode calls Python (pkgdata.getResource, for its icon) and clears any error it raises; a
    SIGTERM handled there must still end the viewer with 143 and one line (it once played on forever)."""
    real_open = Viewer.open

    def open_after_a_swallowed_sigterm(viewer):
        assert callable(signal.getsignal(signal.SIGTERM))  # the viewer's handler, else the kill ends pytest
        try:
            os.kill(os.getpid(), signal.SIGTERM)  # the handler runs at the next bytecode, inside this try
            sum(range(1000))
        except BaseException:
            pass  # what set_mode does with an error from its icon loading (PyErr_Clear)
        return real_open(viewer)

    monkeypatch.setattr(Viewer, "open", open_after_a_swallowed_sigterm)
    printed, before = [], signal.getsignal(signal.SIGTERM)
    viewer = Viewer(ReplayPlayback(replay), speed=60, report=printed.append)
    with pytest.raises(SystemExit) as ended:
        viewer.run(max_frames=50, throttle=False)
    assert ended.value.code == 128 + signal.SIGTERM
    assert capsys.readouterr().err == "arena: terminated\n"
    assert viewer.screen is None and len(printed) == 1  # the window closed and the results were printed
    assert signal.getsignal(signal.SIGTERM) == before  # the previous handler is back
