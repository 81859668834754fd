"""Plugins: the examples/ gun and movement through run, watch and the registry; module specs and entry
points; every way a plugin can fail gives one line naming it."""
import math
import sys
import textwrap

import numpy as np
import pytest

from arena import rules
from arena.battle import BattleConfig, Side, run_battle
from arena.cli import main
from arena.observation import EnemyView, Observation, SelfView
from arena.plugins import PluginError, load_strategy, spec_of
from arena.strategies import make_gun, make_movement
from arena.strategies.base import Gun, Movement

from conftest import REPO

GUN = f"{REPO}/examples/lead_gun.py:LeadGun"
MOVE = f"{REPO}/examples/zigzag.py:ZigZag"


def test_the_examples_are_short_and_load_as_a_gun_and_a_movement():
    for spec in (GUN, MOVE):
        path = spec.rpartition(":")[0]
        assert len(open(path).read().splitlines()) < 60
    assert issubclass(load_strategy("gun", GUN), Gun) and issubclass(load_strategy("movement", MOVE), Movement)


def observation(enemy_velocity, enemy_heading):
    me = SelfView(x=100.0, y=100.0, heading=0.0, gun_heading=0.0, velocity=0.0, energy=100.0, gun_heat=0.0,
                  distance_remaining=0.0, turn_remaining=0.0, gun_turn_remaining=0.0)
    enemy = EnemyView(x=100.0, y=400.0, heading=enemy_heading, velocity=enemy_velocity, energy=100.0,
                      bearing=0.0, distance=300.0)
    return Observation(0, 1, 0, 800.0, 600.0, me, enemy, (), (), (), (), ())


def test_lead_gun_leads_a_crossing_enemy_by_asin_of_speed_over_bullet_speed():
    gun = make_gun(GUN, np.random.default_rng(0), power=2.0, smoothing=1.0)
    commands = gun.act(observation(8.0, math.pi / 2))  # due north of us, driving east at full speed
    # bullet speed 20 - 3*2 = 14 px/tick: the lead is asin(8/14) clockwise
    assert commands.turn_gun == pytest.approx(math.asin(8.0 / 14.0))
    assert commands.fire == 2.0
    assert make_gun(GUN, np.random.default_rng(0)).act(observation(0.0, 0.0)).turn_gun == pytest.approx(0.0)


def test_zigzag_draws_its_legs_from_its_own_generator():
    def directions(seed):
        move = make_movement(MOVE, np.random.default_rng(seed), mean_leg=5.0)
        obs = observation(0.0, 0.0)
        return [move.act(obs).ahead > 0 for _ in range(200)]
    first = directions(1)
    assert first == directions(1) and first != directions(2)
    flips = sum(a != b for a, b in zip(first, first[1:]))
    assert 15 < flips < 80  # 199 ticks / (1 + exponential mean 5) ~ 33 reversals, drawn from the rng


def test_the_examples_play_through_arena_run_deterministically(capsys):
    args = ["run", "--gun", GUN, "--movement", MOVE, "--enemy-gun", "circular", "--shooter-movement", MOVE,
            "--rounds", "2", "--width", "400", "--height", "400", "--json"]
    assert main(args) == 0
    first = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == first and '"shots": ' in first and '"shots": 0' not in first


def test_the_examples_play_through_arena_watch_headless(monkeypatch):
    from arena.render.viewer import Viewer
    played = {}
    original = Viewer.run

    def short_run(self, max_frames=None, throttle=True):
        played["frames"] = original(self, max_frames=40, throttle=False)
        played["tick"] = self.playback.frame.tick
        return played["frames"]
    monkeypatch.setattr(Viewer, "run", short_run)
    assert main(["watch", "--gun", GUN, "--movement", MOVE, "--rounds", "1", "--speed", "120"]) == 0
    assert played["frames"] == 40 and played["tick"] > 40


def test_a_module_spec_and_an_installed_entry_point_load(tmp_path, monkeypatch):
    (tmp_path / "mystrats.py").write_text(textwrap.dedent("""
        from arena.strategies.head_on import HeadOnGun
        class Copy(HeadOnGun):
            pass
    """))
    dist = tmp_path / "mystrats-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: mystrats\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[arena.strategies]\ncopycat = mystrats:Copy\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = BattleConfig(shooter=Side(gun="head-on"), target=Side(movement="oscillator"), rounds=2, seed=3)
    expected = run_battle(config).summary()
    for name in ("mystrats:Copy", "copycat"):
        got = run_battle(BattleConfig(shooter=Side(gun=name), target=Side(movement="oscillator"), rounds=2,
                                      seed=3)).summary()
        assert {**got, "gun": "head-on"} == expected  # the same aim as head-on, so the same battle


def write(tmp_path, source):
    path = tmp_path / "plug.py"
    path.write_text(textwrap.dedent(source))
    return str(path)


BROKEN = [
    ("import nothing_here_at_all\n", "failed to import: ModuleNotFoundError"),
    ("def f(:\n", "failed to import: SyntaxError"),
    ("class Thing:\n    pass\n", "is not a gun"),
    ("X = 1\n", "has no 'Thing'"),
    ("from arena.strategies.base import Gun\nclass Thing(Gun):\n    def __init__(self, rng, power=2.0, spin=1.0):\n"
     "        super().__init__(rng, power)\n", "declares no spec for parameter spin"),
]


@pytest.mark.parametrize("source, message", BROKEN)
def test_a_broken_plugin_is_one_line_naming_it_and_exit_2(tmp_path, capsys, source, message):
    path = write(tmp_path, source)
    assert main(["run", "--gun", f"{path}:Thing", "--rounds", "1"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"plugin '{path}:Thing'" in err and message in err


def test_a_missing_plugin_file_is_one_line(capsys):
    assert main(["run", "--movement", "no/such/file.py:Mover", "--rounds", "1"]) == 2
    assert capsys.readouterr().err == ("arena: error: plugin 'no/such/file.py:Mover': no such file "
                                       "no/such/file.py\n")


RAISING = """
    from arena.state import Commands
    from arena.strategies.base import Gun, Movement
    class Thing(Gun):
        def aim(self, obs):
            if obs.time > 30:
                raise ZeroDivisionError("boom")
            return 0.0
    class Wrong(Movement):
        def act(self, obs):
            return {"ahead": 10}
    class NotANumber(Movement):
        def act(self, obs):
            return Commands(ahead=float("nan"))
"""


def test_a_plugin_raising_mid_battle_is_one_line_naming_it_and_the_method(tmp_path, capsys):
    path = write(tmp_path, RAISING)
    assert main(["run", "--gun", f"{path}:Thing", "--rounds", "1"]) == 2
    err = capsys.readouterr().err  # the path line said before the battle, then the one error line
    assert err.endswith(f"\narena: error: plugin '{path}:Thing' raised in act: ZeroDivisionError: boom\n")
    assert err.count("arena: error:") == 1
    assert main(["run", "--movement", f"{path}:Wrong", "--rounds", "1"]) == 2
    assert "act returned dict, not arena.state.Commands" in capsys.readouterr().err
    assert main(["run", "--movement", f"{path}:NotANumber", "--rounds", "1"]) == 2
    assert "act returned ahead=nan; expected a finite number or None" in capsys.readouterr().err


def test_plugin_parameters_are_checked_like_built_in_ones(capsys):
    assert main(["run", "--gun", GUN, "--param", "gun.smoothing=2", "--rounds", "1"]) == 2
    assert "smoothing must be within 0.001..1" in capsys.readouterr().err
    assert main(["run", "--gun", GUN, "--param", "gun.wobble=2", "--rounds", "1"]) == 2
    assert "has no parameter wobble; valid: power, smoothing" in capsys.readouterr().err


def test_the_fast_path_refuses_a_plugin_with_one_line(capsys):
    assert main(["run", "--gun", GUN, "--fast", "--rounds", "1"]) == 2
    assert "fast path cannot run" in capsys.readouterr().err


def test_spec_of_a_plugin_class_loads_the_same_class_again():
    cls = load_strategy("gun", GUN)
    again = load_strategy("gun", spec_of(cls.__mro__[1]))
    assert again.__mro__[1] is cls.__mro__[1]
    assert spec_of(Gun) == "arena.strategies.base:Gun"
    assert sys.modules[cls.__module__].__file__ == f"{REPO}/examples/lead_gun.py"


def test_a_plugin_error_is_a_plugin_error():
    with pytest.raises(PluginError, match="write PATH.py:Class"):
        load_strategy("gun", ":Thing")
    assert rules.bullet_speed(2.0) == 14.0  # the figure the lead test above relies on
