"""`arena/Dodge-v0`: the agent is robot 1's movement against robot 0's gun (which fires; the agent does not).

Action: Box([-1, -1], [1, 1]): speed and direction (drive at 8*|a0| px/tick, backwards when a0 < 0) and
turn rate (a1 times 10 degrees per tick; the engine caps it at speed). Observation (16 values in [-1, 1]):
own position, heading (sin, cos), velocity and energy; the enemy's bearing relative to our heading (sin,
cos), distance and energy; for the two enemy waves (shots detected from the enemy's energy drops) that
arrive first: present, distance still to travel, and our current guess factor on it. Reward: damage
avoided, i.e. the damage each enemy bullet would have dealt, for every enemy bullet that misses (hits a
wall or another bullet). An episode is one round: it terminates when the round ends and is truncated
after `max_ticks`.
"""
from __future__ import annotations

import math

import numpy as np
from gymnasium import spaces

from .. import rules
from ..battle import Side
from ..events import BulletFired, BulletHitBullet, BulletHitWall
from ..params import Spec
from ..state import Commands
from ..strategies.base import bearing
from .env import AgentMovement, BattleEnv, unit

AGENT, ENEMY = 1, 0
WAVES = 2
MAX_TICKS = Spec(int, 1, 10_000_000)  # ticks before an episode is truncated


class DodgeEnv(BattleEnv):
    def __init__(self, gun: str = "circular", gun_params: dict | None = None, max_ticks: int = 2000, **kw):
        super().__init__(Side(gun=gun, movement="duck", gun_params=dict(gun_params or {})), Side(), **kw)
        self.max_ticks = MAX_TICKS.check("max_ticks", max_ticks)
        self.action_space = spaces.Box(-1.0, 1.0, shape=(2,), dtype=np.float32)
        self.observation_space = spaces.Box(-1.0, 1.0, shape=(10 + 3 * WAVES,), dtype=np.float32)
        self.agent = AgentMovement()

    def reset(self, *, seed: int | None = None, options: dict | None = None):
        battle = self._new_battle(seed)
        battle.pilots[AGENT].movement = self.agent  # the agent's commands replace robot 1's movement
        self.agent.commands = Commands()
        self.powers: dict[str, float] = {}
        self._start()
        return self._observation(), {}

    def step(self, action):
        a = np.clip(np.asarray(action, dtype=np.float64), -1.0, 1.0)
        self.agent.commands = Commands(ahead=math.copysign(1000.0, a[0]), max_velocity=8.0 * abs(a[0]),
                                       turn=math.radians(10.0) * a[1])
        reward = 0.0
        for ev in self._tick():
            if isinstance(ev, BulletFired) and ev.owner == ENEMY:
                self.powers[ev.bullet_id] = ev.power
            elif isinstance(ev, BulletHitWall) and ev.owner == ENEMY:
                reward += rules.bullet_damage(self.powers.pop(ev.bullet_id))
            elif isinstance(ev, BulletHitBullet):
                for owner, bullet in ((ev.owner, ev.bullet_id), (ev.other_owner, ev.other_id)):
                    if owner == ENEMY:
                        reward += rules.bullet_damage(self.powers.pop(bullet))
        state = self.battle.state
        if self.render_mode == "human":
            self.render()
        return (self._observation(), float(reward), bool(state.round_over),
                bool(not state.round_over and state.time >= self.max_ticks), {"energy": state.robots[AGENT].energy})

    def _observation(self) -> np.ndarray:
        obs = self.battle.observations[AGENT]
        features = self._self_features(obs) + self._enemy_features(obs)
        me = obs.me
        waves = sorted(obs.enemy_waves, key=lambda w: math.hypot(me.x - w.source_x, me.y - w.source_y)
                       - w.radius(obs.time))[:WAVES]
        for w in waves:
            left = math.hypot(me.x - w.source_x, me.y - w.source_y) - w.radius(obs.time)
            offset = (bearing(w.source_x, w.source_y, me.x, me.y) - w.direct_angle + math.pi) % (2 * math.pi) - math.pi
            features += [1.0, unit(left, self.diag), unit(offset * w.direction, w.mea)]
        features += [0.0, 0.0, 0.0] * (WAVES - len(waves))
        return np.asarray(features, dtype=np.float32)
