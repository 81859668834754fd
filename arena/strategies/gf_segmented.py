"""Segmented GF gun (classic VCS): GF bins kept per segment of distance x lateral velocity x wall ahead.

Each segment holds its own `bins` histogram as a rolling average of depth `depth` (a new window counts
1/(depth+1), the old contents the rest), so the gun follows a mover that changes. It aims at the
fullest bin of the current segment, or of all data pooled while that segment is still empty.
"""
from __future__ import annotations

import numpy as np

from .. import rules
from ..features import SituationTracker, features
from ..jit import jit
from ..observation import Observation
from ..params import Spec
from ..waves import bullet_speed
from .aiming import shot_frame
from .base import Gun, next_position

# Segment edges on the scaled features (arena.features): flight time in ticks / 100, |lateral
# velocity| / 8, wall room ahead as a fraction of the escape angle.
FLIGHT_EDGES = (0.15, 0.3, 0.45)  # 15, 30, 45 ticks: about 300, 420, 630 px at power 2
LATERAL_EDGES = (0.125, 0.375, 0.625, 0.875)  # 1, 3, 5, 7 px/tick
WALL_EDGES = (0.35, 0.7)
FLIGHT, LATERAL, WALL_AHEAD = 0, 1, 6  # indices into the feature vector


@jit
def _edges_at_most(edges, value: float) -> int:
    n = 0
    for edge in edges:
        if edge <= value:
            n += 1
    return n


@jit
def segment_of_values(flight: float, lateral: float, wall_ahead: float) -> tuple[int, int, int]:
    """(flight, lateral, wall) segment indices of those scaled features (a value on an edge goes above it)."""
    return (_edges_at_most(FLIGHT_EDGES, flight), _edges_at_most(LATERAL_EDGES, lateral),
            _edges_at_most(WALL_EDGES, wall_ahead))


def segment_of(phi: np.ndarray) -> tuple[int, int, int]:
    """(flight, lateral, wall) segment indices of a scaled feature vector."""
    return segment_of_values(phi[FLIGHT], phi[LATERAL], phi[WALL_AHEAD])


@jit
def window_mass(a: float, b: float, lo: float, hi: float) -> float:
    """Fraction of window [a, b] (clipped to [-1, 1]) inside bin [lo, hi]; 0 for a window outside."""
    a, b = max(a, -1.0), min(b, 1.0)
    if b <= a:
        return 0.0
    overlap = min(hi, b) - max(lo, a)
    return overlap / (b - a) if overlap > 0.0 else 0.0


@jit
def roll_in(stats, pooled, edges, a: float, b: float, depth: float) -> None:
    """A window into a segment's bins and the pooled bins, as rolling averages of depth `depth`."""
    keep = depth / (depth + 1.0)
    for j in range(stats.size):
        mass = window_mass(a, b, edges[j], edges[j + 1])
        stats[j] = keep * stats[j] + (1.0 - keep) * mass
        pooled[j] = keep * pooled[j] + (1.0 - keep) * mass


@jit
def fullest_centre(bins, edges) -> float:
    """Centre of the fullest bin (the first of equals); GF 0 while all are empty."""
    best = 0
    for j in range(bins.size):
        if bins[j] > bins[best]:
            best = j
    return (edges[best] + edges[best + 1]) / 2 if bins[best] != 0.0 else 0.0


class SegmentedGFGun(Gun):
    name = "gf-segmented"
    PARAMS = {"power": Spec(float, rules.MIN_POWER, rules.MAX_POWER), "bins": Spec(int, 1, 1000),
              "depth": Spec(float, 0.0, 1e6), "virtual": Spec(bool)}

    def __init__(self, rng, power: float = 2.0, bins: int = 31, depth: float = 20.0, virtual: bool = False):
        super().__init__(rng, power)
        if int(bins) < 1:
            raise ValueError(f"bins must be at least 1, got {bins!r}")
        shape = (len(FLIGHT_EDGES) + 1, len(LATERAL_EDGES) + 1, len(WALL_EDGES) + 1, int(bins))
        self.stats = np.zeros(shape)
        self.pooled = np.zeros(int(bins))
        self.seen = np.zeros(shape[:3], dtype=np.int64)
        self.edges = np.linspace(-1.0, 1.0, int(bins) + 1)
        self.depth = float(depth)
        self.virtual_waves = bool(virtual)
        self.tracker = SituationTracker()
        self.direction = 1
        self.segment: tuple[int, int, int] | None = None

    def start_round(self) -> None:
        self.tracker.start_round()

    def learn(self, obs: Observation) -> None:
        if obs.enemy is not None:
            self.tracker.observe_enemy(obs, next_position(obs.me))
        for brk in obs.my_breaks:
            situation = self.tracker.history.get(brk.wave.fire_time)
            if situation is None:
                continue
            seg = segment_of(features(situation, brk.wave.speed, obs.width, obs.height))
            roll_in(self.stats[seg], self.pooled, self.edges, brk.a, brk.b, self.depth)
            self.seen[seg] += 1

    def _bins(self) -> np.ndarray:
        seg = self.segment
        return self.stats[seg] if seg is not None and self.seen[seg] else self.pooled

    def profile(self, gfs: np.ndarray) -> np.ndarray:
        bins = self._bins()
        index = np.clip(np.searchsorted(self.edges, gfs, side="right") - 1, 0, len(bins) - 1)
        total = bins.sum()
        return bins[index] / total if total else np.zeros(len(gfs))

    def aim(self, obs: Observation) -> float:
        frame = shot_frame(obs, self.power, self.direction)
        self.direction = frame.direction
        situation = self.tracker.history.get(obs.time)
        if situation is not None:
            self.segment = segment_of(features(situation, bullet_speed(self.power), obs.width, obs.height))
        return frame.angle(fullest_centre(self._bins(), self.edges))
