"""Where the enemy fires: danger models a surfer learns from the guess factors of bullets that hit it.

Each model's arithmetic is plain functions of floats and arrays (bin_fractions, weighted_mass; kde_mass,
which reads the compiled learner through its state arrays) so that the compiled battle loop
(arena/fast/surfing.py) runs these very functions, compiled, with the same bits.
`add` and `mass` take the wave too (None for the prior); models that ignore the situation ignore it.
"""
from __future__ import annotations

import math

import numpy as np

from learner.state import log_density

from .kde import hit_point

# The KDE danger of a window [a, b] is the integral over it of the density interpolated linearly between
# nodes GRID_LO + k * h / GRID_PER_H (k < grid_size(h)): the density at a node is evaluated when a window
# first needs it and kept until the next hit changes the model, so a plan's windows cost a few node reads.
GRID_PER_H = 4
GRID_LO, GRID_HI = -2.0, 2.0  # hit GFs are in [-1, 1]; beyond these ends a window carries no danger


def grid_size(bandwidth: float) -> int:
    return int(math.ceil((GRID_HI - GRID_LO) * GRID_PER_H / bandwidth)) + 1


class KDEDanger:
    """KDE over past hit GFs; with `learned`, softmax logits follow the CE-KDE gradient after each hit."""

    def __init__(self, learned: bool, bandwidth: float = 0.1, lr: float = 0.1, kernel: str = "gaussian",
                 capacity: int = 100):
        from learner import KDELearner
        self.learner = KDELearner(kernel=kernel, bandwidth=bandwidth, lr=lr, capacity=capacity, learn=learned)
        self.grid = np.full(grid_size(self.learner.bandwidth), np.nan)  # the density at the nodes read so far

    def add(self, a: float, b: float, wave=None) -> None:
        self.learner.observe(a, b, hit_point(a, b))
        self.grid[:] = np.nan

    def mass(self, a: float, b: float, wave=None) -> float:
        return kde_mass(*self.learner.state, self.grid, a, b)


def kde_mass(cfg, points, features, params, moment1, moment2, steps, stamps, meta, grid, a, b) -> float:
    """The danger of [a, b] (clipped to the grid's ends): the integral of the linear interpolant of the
    learner's density through the grid nodes (computed into `grid` where still NaN)."""
    size = grid.size
    spacing = (GRID_HI - GRID_LO) / (size - 1)
    a = GRID_LO if a < GRID_LO else a
    b = GRID_HI if b > GRID_HI else b
    if not b > a:
        return 0.0
    first = min(int((a - GRID_LO) / spacing), size - 2)
    last = min(int((b - GRID_LO) / spacing), size - 2)
    missing = 0
    for k in range(first, last + 2):
        if grid[k] != grid[k]:
            missing += 1
    if missing:
        xs, out = np.empty(missing), np.empty(missing)
        q = 0
        for k in range(first, last + 2):
            if grid[k] != grid[k]:
                xs[q] = GRID_LO + k * spacing
                q += 1
        log_density(cfg, points, features, params, moment1, moment2, steps, stamps, meta, xs, out)
        q = 0
        for k in range(first, last + 2):
            if grid[k] != grid[k]:
                grid[k] = math.exp(out[q])
                q += 1
    total = 0.0
    for k in range(first, last + 1):
        left = GRID_LO + k * spacing
        lo = a if a > left else left
        hi = left + spacing
        hi = b if b < hi else hi
        if hi > lo:
            slope = (grid[k + 1] - grid[k]) / spacing
            total += (hi - lo) * (grid[k] + slope * (0.5 * (lo + hi) - left))
    return total


class BinsDanger:
    """The classic 47-bin histogram of hit GFs."""

    def __init__(self, bins: int = 47):
        self.counts = np.zeros(int(bins))
        self.edges = np.linspace(-1.0, 1.0, int(bins) + 1)
        self._fractions = np.zeros(int(bins))

    def add(self, a: float, b: float, wave=None) -> None:
        bin_fractions(self.edges, a, b, self._fractions)
        self.counts += self._fractions

    def mass(self, a: float, b: float, wave=None) -> float:
        bin_fractions(self.edges, a, b, self._fractions)
        return weighted_mass(self.counts, self._fractions)


def bin_fractions(edges, a, b, out) -> None:
    """out[j] = fraction of [a, b] (clipped to [-1, 1]) falling in bin j (all 0 for an empty window)."""
    a = -1.0 if a < -1.0 else a
    b = 1.0 if b > 1.0 else b
    for j in range(out.size):
        overlap = (edges[j + 1] if edges[j + 1] < b else b) - (edges[j] if edges[j] > a else a)
        out[j] = overlap / (b - a) if b > a and overlap > 0.0 else 0.0


def weighted_mass(counts, fractions) -> float:
    """Share of the counted hits that fall in the window whose bin fractions are given (0 before any)."""
    total = 0.0
    mass = 0.0
    for j in range(counts.size):
        total += counts[j]
        mass += counts[j] * fractions[j]
    return mass / total if total != 0.0 else 0.0
