"""The scorer of arena/scoring.py inside the compiled loop: its own rule functions, compiled, fed with
the packed events of each turn (the same dispatch as scoring.Scorer.record, over rows instead of objects)."""
from __future__ import annotations

import numpy as np
from numba import njit

from ..scoring import TALLY, bullet_fired, bullet_hit, bullet_missed, deaths, rammed, round_end
from . import pymath  # noqa: F401  (importing it lets numba compile the shared rules, scoring's among them)
from .borrowing import borrowing, owning
from .layout import DEAD, EV_BULLET_HIT_WALL, EV_DIED, EV_FIRED, EV_HIT_BULLET, EV_HIT_ROBOT, EV_RAMMED, STATUS

SCORE_FIELDS = TALLY + 2  # a stats row of a two-robot battle


@njit(cache=True)
def _alive(robots):
    alive = np.zeros(robots.shape[0])
    for i in range(robots.shape[0]):
        alive[i] = robots[i, STATUS] != DEAD
    return alive


@owning
def record(scores, events, nev, robots):
    """Scorer.record for one turn's packed events, with the robots after the turn."""
    anyone_died = False
    for k in range(nev):
        ev = events[k]
        kind = ev[0]
        if kind == EV_FIRED:
            bullet_fired(scores, int(ev[2]))
        elif kind == EV_BULLET_HIT_WALL:
            bullet_missed(scores, int(ev[3]))
        elif kind == EV_HIT_BULLET:
            bullet_missed(scores, int(ev[4]))
            bullet_missed(scores, int(ev[5]))
        elif kind == EV_HIT_ROBOT:
            victim = int(ev[4])
            killed = k + 1 < nev and events[k + 1, 0] == EV_DIED and int(events[k + 1, 2]) == victim
            if killed and k + 2 < nev and events[k + 2, 0] == EV_RAMMED and events[k + 2, 4] != 0.0 \
                    and int(events[k + 2, 3]) == victim:
                killed = False  # the death was the next ram's (see scoring.kills_victim)
            bullet_hit(scores, int(ev[3]), victim, ev[6], killed)
        elif kind == EV_RAMMED:
            rammed(scores, int(ev[2]), int(ev[3]), ev[4] != 0.0)
        elif kind == EV_DIED:
            anyone_died = True
    if anyone_died:  # (the died flags are allocated only in a turn that has a death)
        died = np.zeros(robots.shape[0])
        for k in range(nev):
            if events[k, 0] == EV_DIED:
                died[int(events[k, 2])] = 1.0
        deaths(scores, died, _alive(robots))


@borrowing
def finish(scores, robots):
    """Scorer.finish: closes the round; returns the winner, or -1 if no robot is left."""
    return round_end(scores, _alive(robots))
