"""`arena watch --record`: the watched battle becomes a replay, the same file `arena run --record` writes."""
import pytest

from arena.cli import main
from arena.replay import load

BATTLE = ["--gun", "circular", "--movement", "oscillator", "--rounds", "2", "--seed", "5", "--width", "400",
          "--height", "400"]


@pytest.fixture
def headless(monkeypatch):
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")


def test_a_watched_battle_records_the_same_replay_as_run(tmp_path, monkeypatch, headless, capsys):
    monkeypatch.setenv("ARENA_MAX_FRAMES", "100000")  # at 960 ticks/s, 16 ticks a frame; stops at the end
    assert main(["watch", *BATTLE, "--speed", "960", "--record", str(tmp_path / "watched")]) == 0
    assert main(["run", *BATTLE, "--record", str(tmp_path / "ran")]) == 0
    err = capsys.readouterr().err
    assert f"replay written to {tmp_path / 'watched.arena'}" in err
    watched, ran = (tmp_path / "watched.arena").read_bytes(), (tmp_path / "ran.arena").read_bytes()
    assert watched == ran
    assert len(load(tmp_path / "watched.arena").round_starts) == 2


def test_quitting_early_keeps_what_was_watched(tmp_path, monkeypatch, headless, capsys):
    monkeypatch.setenv("ARENA_MAX_FRAMES", "30")  # 1 tick a frame at 60 ticks/s: 30 ticks of round 1
    assert main(["watch", *BATTLE, "--record", str(tmp_path / "part.arena")]) == 0
    replay = load(tmp_path / "part.arena")
    assert len(replay) == 31 and replay.round_starts == [0]  # the tick-0 frame and 30 ticks
    assert "Results after 0 of 2 rounds" in capsys.readouterr().out


def test_no_display_writes_no_replay(tmp_path, monkeypatch, capsys):
    for name in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    assert main(["watch", *BATTLE, "--record", str(tmp_path / "r")]) == 2
    assert capsys.readouterr().err.startswith("arena: error: ")
    assert list(tmp_path.iterdir()) == []
