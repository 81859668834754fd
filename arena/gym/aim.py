"""`arena/Aim-v0`: the agent is robot 0's gun, picking the guess factor of each shot against robot 1's movement.

A step is one shot: the gun turns to the chosen GF (0 aims straight at the enemy, +1 / -1 at the widest
angle it can reach moving on / reversing its lateral direction), fires at `power` as soon as it is cool
and on target, and the battle runs until the gun is cool again. Action: Box([-1], [1]), the GF.
Observation (12 values in [-1, 1]): own position, heading, velocity and energy; the enemy's relative
bearing, distance and energy; the enemy's lateral and advancing velocity. Reward: the bullet damage our
bullets dealt during the step (a shot's hit may land a step or two later). An episode is one round: it
terminates when the round ends and is truncated after `max_shots` steps.
"""
from __future__ import annotations

import math

import numpy as np
from gymnasium import spaces

from ..battle import Side
from ..events import BulletFired, BulletHitRobot
from ..params import Spec
from .env import AgentGun, BattleEnv, unit

AGENT, ENEMY = 0, 1
STEP_TICKS = 200  # a step ends after this many ticks even if the gun never fires (a disabled robot)
MAX_SHOTS = Spec(int, 1, 1_000_000)  # steps before an episode is truncated


class AimEnv(BattleEnv):
    def __init__(self, movement: str = "random-orbit", movement_params: dict | None = None, max_shots: int = 200,
                 **kw):
        super().__init__(Side(gun="head-on"), Side(movement=movement, movement_params=dict(movement_params or {})),
                         **kw)
        self.max_shots = MAX_SHOTS.check("max_shots", max_shots)
        self.action_space = spaces.Box(-1.0, 1.0, shape=(1,), dtype=np.float32)
        self.observation_space = spaces.Box(-1.0, 1.0, shape=(12,), dtype=np.float32)
        self.agent = AgentGun(self.template.power)

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        battle = self._new_battle(seed)
        battle.pilots[AGENT].gun = self.agent  # the agent's GF replaces robot 0's gun
        self.agent.gf, self.agent.direction, self.shots = 0.0, 1, 0
        self._start()
        return self._observation(), {}

    def step(self, action):
        self.agent.gf = float(np.clip(np.asarray(action, dtype=np.float64).reshape(-1)[0], -1.0, 1.0))
        reward, fired, state = 0.0, False, self.battle.state
        for _ in range(STEP_TICKS):
            if state.round_over or (fired and state.robots[AGENT].gun_heat == 0):
                break
            for ev in self._tick():
                fired |= isinstance(ev, BulletFired) and ev.owner == AGENT
                if isinstance(ev, BulletHitRobot) and ev.owner == AGENT:
                    reward += ev.damage
            state = self.battle.state
            if self.render_mode == "human":
                self.render()
        self.shots += 1
        return (self._observation(), float(reward), bool(state.round_over),
                bool(not state.round_over and self.shots >= self.max_shots), {"fired": fired})

    def _observation(self) -> np.ndarray:
        obs = self.battle.observations[AGENT]
        features = self._self_features(obs) + self._enemy_features(obs)
        e = obs.enemy
        if e is None:
            features += [0.0, 0.0]
        else:
            features += [unit(e.velocity * math.sin(e.heading - e.bearing), 8.0),
                         unit(-e.velocity * math.cos(e.heading - e.bearing), 8.0)]
        return np.asarray(features, dtype=np.float32)
