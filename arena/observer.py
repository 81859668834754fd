"""One robot's senses: builds its Observation each tick and keeps its waves.

Strategies never see engine state; everything they know comes through here, the way a real bot learns
it: a radar scan of the enemy, its own events, and enemy shots inferred from the enemy's energy drops.
"""
from __future__ import annotations

import math

from . import rules
from .events import BulletFired, BulletHitRobot, Event, RobotRammed, concerns
from .observation import EnemyView, Observation, SelfView
from .state import BattleState, Robot
from .waves import Wave, WaveTracker


def detect_enemy_fire(prev_enemy: Robot, enemy: Robot, events: list[Event], me: int) -> float | None:
    """Power of a shot the enemy fired last turn, judged from its energy drop as a real bot would.

    Known causes are taken out first: our bullet hitting it, its bullet hitting us (it gains 3p), a ram.
    A wall hit is inferred from a stop faster than braking allows, and its damage estimated from the
    speed before; an inactivity drain of 0.1 looks like a power-0.1 shot (real bots share that blind spot).
    """
    if not enemy.alive:
        return None
    drop = prev_enemy.energy - enemy.energy
    for ev in events:
        if isinstance(ev, BulletHitRobot):
            if ev.owner == me:
                drop -= ev.damage
            else:
                drop += rules.bullet_hit_bonus(ev.power)
        elif isinstance(ev, RobotRammed):
            drop -= rules.RAM_DAMAGE
    if enemy.velocity == 0 and abs(prev_enemy.velocity) > rules.DECELERATION:
        drop -= rules.wall_damage(prev_enemy.velocity)
    if rules.MIN_POWER - 1e-9 <= drop <= rules.MAX_POWER + 1e-9:
        return drop
    return None


class Observer:
    def __init__(self, index: int, virtual_power: float | None = None):
        self.index = index
        self.virtual_power = virtual_power  # a virtual wave every tick at this power, for data collection
        self.my_tracker = WaveTracker()
        self.enemy_tracker = WaveTracker()
        self.prev: BattleState | None = None
        self.round = 0

    def start_round(self, state: BattleState, round_index: int) -> Observation:
        self.my_tracker.clear()
        self.enemy_tracker.clear()
        self.prev = None
        self.round = round_index
        return self.observe(state, [])

    def observe(self, state: BattleState, events: list[Event]) -> Observation:
        i = self.index
        me, enemy = state.robots[i], state.robots[1 - i]
        mine = [e for e in events if concerns(e, i)]
        my_breaks, enemy_breaks = [], []
        if self.prev is not None:
            prev_me, prev_enemy = self.prev.robots[i], self.prev.robots[1 - i]
            fired_at = state.time - 1
            for ev in mine:
                if isinstance(ev, BulletFired) and ev.owner == i and prev_enemy.alive:
                    self.my_tracker.add(_wave((ev.x, ev.y), prev_enemy, fired_at, ev.power, real=True))
            power = detect_enemy_fire(prev_enemy, enemy, mine, i)
            if power is not None:
                self.enemy_tracker.add(_wave((prev_enemy.x, prev_enemy.y), prev_me, fired_at, power, real=True))
            if prev_enemy.alive:
                my_breaks = self.my_tracker.advance(state.time, (prev_enemy.x, prev_enemy.y))
            enemy_breaks = self.enemy_tracker.advance(state.time, (prev_me.x, prev_me.y))
        if self.virtual_power is not None and enemy.alive and me.alive:
            self.my_tracker.add(_wave((me.x, me.y), enemy, state.time, self.virtual_power, real=False))
        self.prev = state
        return Observation(
            index=i, time=state.time, round=self.round, width=state.width, height=state.height,
            me=SelfView(me.x, me.y, me.heading, me.gun_heading, me.velocity, me.energy, me.gun_heat,
                        me.distance_remaining, me.turn_remaining, me.gun_turn_remaining),
            enemy=_scan(me, enemy) if enemy.alive else None,
            my_waves=tuple(self.my_tracker.waves), enemy_waves=tuple(self.enemy_tracker.waves),
            my_breaks=tuple(my_breaks), enemy_breaks=tuple(enemy_breaks), events=tuple(mine))


def _wave(source: tuple[float, float], target: Robot, fire_time: int, power: float, real: bool) -> Wave:
    wave = Wave.aimed(source, (target.x, target.y), target.heading, target.velocity, fire_time, power)
    wave.real = real
    return wave


def _scan(me: Robot, enemy: Robot) -> EnemyView:
    dx, dy = enemy.x - me.x, enemy.y - me.y
    return EnemyView(enemy.x, enemy.y, enemy.heading, enemy.velocity, enemy.energy,
                     math.atan2(dx, dy) % (2 * math.pi), math.hypot(dx, dy))
