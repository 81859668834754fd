"""What both environments share: one seeded one-round battle per episode, an agent strategy whose commands
the env sets, feature scaling, and rendering through arena/render (rgb_array or a pygame window)."""
from __future__ import annotations

import math
import os
from dataclasses import replace

import gymnasium
import numpy as np

from ..battle import Battle, BattleConfig, Side
from ..state import Commands
from ..strategies.base import Gun, Movement


class AgentMovement(Movement):
    """A movement whose commands the environment sets before each tick."""
    name = "agent"

    def __init__(self):
        super().__init__(np.random.default_rng(0))
        self.commands = Commands()

    def act(self, obs) -> Commands:
        return self.commands


class AgentGun(Gun):
    """A gun that aims at the guess factor the environment sets (0: head-on, +-1: the widest escape)."""
    name = "agent"

    def __init__(self, power: float):
        super().__init__(np.random.default_rng(0), power)
        self.gf = 0.0
        self.direction = 1

    def aim(self, obs) -> float:
        from ..strategies.aiming import shot_frame
        frame = shot_frame(obs, self.power, self.direction)
        self.direction = frame.direction
        return frame.angle(self.gf)


def unit(value: float, scale: float) -> float:
    """value / scale clipped to [-1, 1]: every feature of an observation lies in the Box."""
    return max(-1.0, min(1.0, value / scale))


class BattleEnv(gymnasium.Env):
    """One round of a 1v1 battle per episode; subclasses say which robot the agent plays and what a step is."""
    metadata = {"render_modes": ["rgb_array", "human"], "render_fps": 30}

    def __init__(self, shooter: Side, target: Side, power: float = 2.0, width: float = 800.0,
                 height: float = 600.0, render_mode: str | None = None, size: tuple[int, int] = (640, 560)):
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}, got {render_mode!r}")
        self.template = BattleConfig(shooter=shooter, target=target, rounds=1, power=power, width=width,
                                     height=height).validate()
        Battle(self.template)  # a bad strategy name or parameter fails here, not at the first reset
        self.render_mode, self.size = render_mode, size
        self.diag = math.hypot(width, height)
        self.battle: Battle | None = None
        self._builder = self._frame = self._window = None

    def _new_battle(self, seed: int | None) -> Battle:
        """Seeds the env's np_random (gymnasium's rule) and draws the battle seed from it."""
        gymnasium.Env.reset(self, seed=seed)
        battle_seed = int(self.np_random.integers(0, 2**31 - 1))
        self.battle = Battle(replace(self.template, seed=battle_seed))
        return self.battle

    def _start(self) -> None:
        self.battle.start_round()
        self._builder = self._frame = None
        self._draw_state()

    def _tick(self) -> list:
        """One engine tick; the frame builder sees every tick when rendering (it counts shots as they happen)."""
        _state, events = self.battle.tick()
        self._draw_state()
        return events

    def _draw_state(self) -> None:
        if self.render_mode is None:
            return
        from ..render.frame import FrameBuilder
        if self._builder is None:
            self._builder = FrameBuilder(self.battle)
        self._frame = self._builder(self.battle)

    def _enemy_features(self, obs) -> list[float]:
        me, e = obs.me, obs.enemy
        if e is None:
            return [0.0, 0.0, 1.0, 0.0]
        relative = e.bearing - me.heading
        return [math.sin(relative), math.cos(relative), unit(e.distance, self.diag), unit(e.energy, 100.0)]

    def _self_features(self, obs) -> list[float]:
        me = obs.me
        return [unit(2 * me.x - obs.width, obs.width), unit(2 * me.y - obs.height, obs.height), math.sin(me.heading),
                math.cos(me.heading), unit(me.velocity, 8.0), unit(me.energy, 100.0)]

    def render(self):
        """rgb_array: the viewer's picture of the current tick as an (H, W, 3) uint8 array; human: show it."""
        if self.render_mode is None or self._frame is None:
            return None
        if "SDL_VIDEODRIVER" not in os.environ and not os.environ.get("DISPLAY") and self.render_mode == "rgb_array":
            os.environ["SDL_VIDEODRIVER"] = "dummy"
        import pygame
        from ..render.draw import draw_frame
        frame = self._frame
        if self.render_mode == "rgb_array":
            surface = pygame.Surface(self.size)
            draw_frame(surface, frame)
            return np.transpose(pygame.surfarray.array3d(surface), (1, 0, 2)).copy()
        if self._window is None:
            pygame.display.init()
            self._window = pygame.display.set_mode(self.size)
            pygame.display.set_caption(f"arena gym: {type(self).__name__}")
            self._clock = pygame.time.Clock()
        pygame.event.pump()
        draw_frame(self._window, frame)
        pygame.display.flip()
        self._clock.tick(self.metadata["render_fps"])
        return None

    def close(self):
        if self._window is not None:
            import pygame
            pygame.display.quit()
            self._window = None

