"""battle._Scorer compiled: Robocode's round score fed with the packed events of each turn."""
from __future__ import annotations

from numba import njit

from ..battle import BULLET_KILL_BONUS, LAST_SURVIVOR_BONUS, RAM_KILL_BONUS, RAM_SCORE, SURVIVAL_SCORE
from .layout import DEAD, ENERGY, EV_BULLET_HIT_WALL, EV_DIED, EV_FIRED, EV_HIT_BULLET, EV_HIT_ROBOT, EV_RAMMED, STATUS

SHOTS, RESOLVED, HITS, BULLET_DAMAGE, RAM_DAMAGE, SCORE = range(6)
SCORE_FIELDS = 6


@njit(cache=True)
def record(scores, events, nev, robots):
    """_Scorer.record for one turn's events, with the state after the turn."""
    for k in range(nev):
        ev = events[k]
        kind = ev[0]
        if kind == EV_FIRED:
            scores[int(ev[2]), SHOTS] += 1.0
        elif kind == EV_BULLET_HIT_WALL:
            scores[int(ev[3]), RESOLVED] += 1.0
        elif kind == EV_HIT_BULLET:
            scores[int(ev[4]), RESOLVED] += 1.0
            scores[int(ev[5]), RESOLVED] += 1.0
        elif kind == EV_HIT_ROBOT:
            owner, victim = int(ev[3]), int(ev[4])
            s = scores[owner]
            s[RESOLVED] += 1.0
            s[HITS] += 1.0
            s[BULLET_DAMAGE] += ev[6]
            s[SCORE] += ev[6]
            if robots[victim, ENERGY] == 0 and robots[victim, STATUS] == DEAD:
                s[SCORE] += BULLET_KILL_BONUS * s[BULLET_DAMAGE]
        elif kind == EV_RAMMED:
            s = scores[int(ev[2])]
            s[RAM_DAMAGE] += RAM_SCORE
            s[SCORE] += RAM_SCORE
            if ev[4] != 0.0:
                s[SCORE] += RAM_KILL_BONUS * s[RAM_DAMAGE]
    for k in range(nev):
        if events[k, 0] == EV_DIED:
            for i in range(robots.shape[0]):
                if robots[i, STATUS] != DEAD:
                    scores[i, SCORE] += SURVIVAL_SCORE


@njit(cache=True)
def finish(scores, robots):
    """_Scorer.finish: the last survivor's bonus; returns the winner, or -1 for a draw."""
    alive = -1
    count = 0
    for i in range(robots.shape[0]):
        if robots[i, STATUS] != DEAD:
            alive = i
            count += 1
    if count == 1:
        scores[alive, SCORE] += LAST_SURVIVOR_BONUS
        return alive
    return -1
