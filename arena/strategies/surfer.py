"""Wave surfing: for the nearest enemy waves, predict where each option (orbit clockwise, counter-
clockwise, stop) takes us, and pick the one whose GF window carries the least learned danger.

The danger model is the same learner as the KDE gun, turned around: a KDE over the GFs at which enemy
bullets hit us (learned weights, equal weights, or 47 bins). Before any hit it assumes a head-on shot.
"""
from __future__ import annotations

import math

from .. import rules
from ..events import BulletHitRobot
from ..observation import Observation
from ..prediction import predict_path, predicted_window, robot_from_view, ticks_to_pass
from ..state import Commands
from ..waves import Wave, gf_of_angle
from ..params import Spec
from .base import BANDWIDTH, DISTANCE, LR, Movement
from .orbiting import orbit_command

OPTIONS = (1, -1, 0)  # orbit clockwise, counter-clockwise, stop
SURFED_WAVES = 2
REPLAN = Spec(int, 1, 1000)  # ticks between re-plans while the surfed waves stay the same


class Surfer(Movement):
    name = "surfer"
    model = "kde-learned"
    PARAMS = {"lr": LR, "bandwidth": BANDWIDTH, "distance": DISTANCE, "replan": REPLAN}

    def __init__(self, rng, lr: float = 0.1, bandwidth: float = 0.1, distance: float = 400.0, replan: int = 4):
        """replan: ticks between re-plans while the surfed waves stay the same (a new wave re-plans at once)."""
        super().__init__(rng)
        self.preferred = float(distance)
        self.replan = int(replan)
        from .danger import BinsDanger, KDEDanger  # (loads the learner, and numba, when a surfer is built)
        if self.model == "bins":
            self.danger = BinsDanger()
        else:
            self.danger = KDEDanger(self.model == "kde-learned", bandwidth=float(bandwidth), lr=float(lr))
        self.danger.add(-0.05, 0.05)  # prior: an unseen gun is assumed to fire head-on
        self.direction = 1
        self.plan: tuple[tuple[int, ...], int] = ((), -self.replan)  # (surfed waves, tick planned)

    def start_round(self) -> None:
        self.plan = ((), -self.replan)

    def act(self, obs: Observation) -> Commands:
        self.learn(obs)
        if obs.enemy is None:
            return Commands(ahead=0.0)
        incoming = sorted((t, i, w) for i, w in enumerate(obs.enemy_waves)
                          if (t := self._time_to_impact(w, obs)) > 0)
        waves = [w for _, _, w in incoming[:SURFED_WAVES]]
        surfed = tuple(w.fire_time for w in waves)
        if waves and (surfed != self.plan[0] or obs.time - self.plan[1] >= self.replan):
            self.direction = min(OPTIONS, key=lambda option: self.option_danger(obs, waves, option))
            self.plan = (surfed, obs.time)
        return self.command(obs, self.direction, obs.me)

    def command(self, obs: Observation, option: int, me) -> Commands:
        if option == 0:
            return Commands(ahead=0.0, turn=0.0)
        return orbit_command(me, obs.enemy.x, obs.enemy.y, option, obs.width, obs.height, self.preferred)

    def option_danger(self, obs: Observation, waves: list[Wave], option: int) -> float:
        """Danger of following `option` through the surfed waves, nearer waves weighing more."""
        robot = robot_from_view(obs.me)
        horizon = max(ticks_to_pass(w, obs.time, obs.me.x, obs.me.y) for w in waves)
        path = predict_path(robot, lambda r: self.command(obs, option, r), horizon, obs.width, obs.height)
        total = 0.0
        for wave in waves:
            window = predicted_window(wave, obs.time, (obs.me.x, obs.me.y), path)
            if window is not None:
                total += self.danger.mass(*window, wave) / max(1.0, self._time_to_impact(wave, obs))
        return total

    def learn(self, obs: Observation) -> None:
        """An enemy bullet that hit us shows the GF it was fired at, on the wave it belongs to."""
        for ev in obs.events:
            if isinstance(ev, BulletHitRobot) and ev.victim == obs.index:
                wave = self._wave_of(obs, ev)
                if wave is not None:
                    gf = gf_of_angle(wave, ev.heading)
                    half = math.atan2(rules.HALF_SIZE, math.hypot(ev.x - wave.source_x, ev.y - wave.source_y)) / wave.mea
                    self.danger.add(gf - half, gf + half, wave)

    @staticmethod
    def _wave_of(obs: Observation, ev: BulletHitRobot) -> Wave | None:
        candidates = list(obs.enemy_waves) + [b.wave for b in obs.enemy_breaks]
        def mismatch(w: Wave) -> float:
            return abs(w.radius(obs.time) - math.hypot(ev.x - w.source_x, ev.y - w.source_y))
        speed = rules.bullet_speed(ev.power)
        matching = [w for w in candidates if abs(w.speed - speed) < 1e-6 and mismatch(w) < 1.0]
        return min(matching, key=mismatch) if matching else None

    @staticmethod
    def _time_to_impact(wave: Wave, obs: Observation) -> float:
        gap = math.hypot(obs.me.x - wave.source_x, obs.me.y - wave.source_y) - wave.radius(obs.time)
        return gap / wave.speed


class EqualWeightSurfer(Surfer):
    name = "surfer-kde"
    model = "kde"


class BinsSurfer(Surfer):
    name = "surfer-bins"
    model = "bins"
