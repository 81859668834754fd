"""Robocode 1.9.3.9's score for one round (its RobotStatistics), written once.

The rules are small pure functions over a stats array, one row per robot. The reference battle calls
them as plain Python (Scorer, fed with the engine's events); the compiled battle loop
(arena/fast/scoring.py) calls the very same functions compiled: arena/jit.py's `jit` marks them, as it
does the physics, and the fast path has numba compile them.

A row holds the six score components, firsts and seconds, the robot's shot counts (for the hit rate)
and its tally of the damage it has dealt to each other robot: bullet damage and 0.6 per ram alike.
Both kill bonuses are taken from that one tally, as Robocode does.
"""
from __future__ import annotations

import numpy as np

from . import rules
from .events import (BulletFired, BulletHitBullet, BulletHitRobot, BulletHitWall, Event, RobotDied,
                     RobotRammed)
from .jit import jit

SURVIVAL_SCORE = 50.0  # to every robot alive, for each robot that dies
LAST_SURVIVOR_BONUS = 10.0  # per enemy, to the one robot left at the end of the round
BULLET_KILL_BONUS = 0.2  # x the killer's tally on its victim
RAM_SCORE = 2.0 * rules.RAM_DAMAGE  # 1.2 per ram, to the robot at fault (Robocode's ROBOT_HIT_BONUS)
RAM_KILL_BONUS = 0.3  # x the rammer's tally on its victim

# columns of a robot's row; the first eight are the components Robocode reports, in the traces' names
SURVIVAL, LAST_SURVIVOR, BULLET_DAMAGE, BULLET_KILL, RAM_DAMAGE, RAM_KILL, FIRSTS, SECONDS = range(8)
COMPONENTS = ("survival", "last_survivor_bonus", "bullet_damage", "bullet_kill_bonus", "ram_damage",
              "ram_kill_bonus", "firsts", "seconds")
SHOTS, RESOLVED, HITS = 8, 9, 10  # bullets fired, bullets that hit or missed, hits
TALLY = 11  # column TALLY + victim: damage dealt to that robot


def new_stats(robots: int = 2) -> np.ndarray:
    return np.zeros((robots, TALLY + robots))


@jit
def bullet_fired(stats, owner):
    stats[owner, SHOTS] += 1.0


@jit
def bullet_missed(stats, owner):
    """A bullet that hit a wall or another bullet."""
    stats[owner, RESOLVED] += 1.0


@jit
def bullet_hit(stats, owner, victim, scored, killed):
    """A hit scores `scored` (the damage capped at the victim's energy before the hit), also for a shooter
    that is already dead; a kill adds 20% of the shooter's whole tally on the victim (rams included)."""
    row = stats[owner]
    row[RESOLVED] += 1.0
    row[HITS] += 1.0
    row[BULLET_DAMAGE] += scored
    row[TALLY + victim] += scored
    if killed:
        row[BULLET_KILL] += BULLET_KILL_BONUS * row[TALLY + victim]


@jit
def rammed(stats, rammer, victim, killed):
    """A ram scores 1.2 for the robot at fault and puts 0.6 on its tally; a kill adds 30% of the tally
    (bullet damage included)."""
    row = stats[rammer]
    row[RAM_DAMAGE] += RAM_SCORE
    row[TALLY + victim] += rules.RAM_DAMAGE
    if killed:
        row[RAM_KILL] += RAM_KILL_BONUS * row[TALLY + victim]


@jit
def deaths(stats, died, alive):
    """End of a turn. For each robot that died in it (died[i] != 0) every robot still alive (alive[i] != 0)
    gets the survival score; the dead robot is second if one enemy is left, first if none is (all died)."""
    n = stats.shape[0]
    left = 0
    for i in range(n):
        if alive[i]:
            left += 1
    for dead in range(n):
        if not died[dead]:
            continue
        for i in range(n):
            if alive[i]:
                stats[i, SURVIVAL] += SURVIVAL_SCORE
        if left == 0:
            stats[dead, FIRSTS] += 1.0
        elif left == 1:
            stats[dead, SECONDS] += 1.0


@jit
def round_end(stats, alive):
    """The round is over: a lone survivor gets its bonus and a first; returns it, or -1 if none is left."""
    n = stats.shape[0]
    winner = -1
    left = 0
    for i in range(n):
        if alive[i]:
            winner = i
            left += 1
    if left != 1:
        return -1
    stats[winner, LAST_SURVIVOR] += LAST_SURVIVOR_BONUS * (n - 1)
    stats[winner, FIRSTS] += 1.0
    return winner


def total(row):
    """RobotStatistics.getTotalScore, in its order of addition (firsts and seconds are counted, not added)."""
    return (row[BULLET_DAMAGE] + row[RAM_DAMAGE] + row[SURVIVAL] + row[RAM_KILL] + row[BULLET_KILL]
            + row[LAST_SURVIVOR])


def components(row) -> dict[str, float]:
    """A row's score as Robocode reports it: the eight components and the total."""
    out = {name: float(row[k]) for k, name in enumerate(COMPONENTS)}
    out["total"] = float(total(row))
    return out


def round_numbers(stats: np.ndarray) -> dict[str, list]:
    """The per-robot lists a RoundResult holds, from a round's final stats."""
    return {"shots": [int(r[SHOTS]) for r in stats], "resolved": [int(r[RESOLVED]) for r in stats],
            "hits": [int(r[HITS]) for r in stats], "bullet_damage": [float(r[BULLET_DAMAGE]) for r in stats],
            "score": [float(total(r)) for r in stats], "components": [components(r) for r in stats]}


def kills_victim(events: list[Event], k: int) -> bool:
    """Did the bullet hit events[k] kill its victim? The engine reports a death with RobotDied at the
    moment it happens: right after the hit that caused it, and for a ram kill right before the
    RobotRammed that caused it (killed=True), which can be the next event after a hit that did not kill."""
    victim = events[k].victim
    died = k + 1 < len(events) and isinstance(events[k + 1], RobotDied) and events[k + 1].robot == victim
    ram = events[k + 2] if k + 2 < len(events) else None
    return died and not (isinstance(ram, RobotRammed) and ram.killed and ram.other == victim)


class Scorer:
    """One round's score in the reference battle and in conformance replays, fed with each turn's events."""

    def __init__(self, robots: int = 2):
        self.stats = new_stats(robots)

    def record(self, events: list[Event], alive: list[bool]) -> None:
        """One turn's events, and which robots are alive after it."""
        died = np.zeros(len(alive))
        for k, ev in enumerate(events):
            if isinstance(ev, BulletFired):
                bullet_fired(self.stats, ev.owner)
            elif isinstance(ev, BulletHitWall):
                bullet_missed(self.stats, ev.owner)
            elif isinstance(ev, BulletHitBullet):
                bullet_missed(self.stats, ev.owner)
                bullet_missed(self.stats, ev.other_owner)
            elif isinstance(ev, BulletHitRobot):
                bullet_hit(self.stats, ev.owner, ev.victim, ev.damage, kills_victim(events, k))
            elif isinstance(ev, RobotRammed):
                rammed(self.stats, ev.robot, ev.other, ev.killed)
            elif isinstance(ev, RobotDied):
                died[ev.robot] = 1.0
        deaths(self.stats, died, np.array(alive, dtype=np.float64))

    def finish(self, alive: list[bool]) -> int | None:
        """Close the round; returns the winner, None if no robot is left."""
        winner = round_end(self.stats, np.array(alive, dtype=np.float64))
        return None if winner < 0 else int(winner)

    def numbers(self) -> dict[str, list]:
        return round_numbers(self.stats)
