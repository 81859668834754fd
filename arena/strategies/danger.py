"""Where the enemy fires: danger models a surfer learns from the guess factors of bullets that hit it.

The binned model's arithmetic is two plain loops over floats (bin_fractions, weighted_mass) so that the
compiled battle loop (arena/fast/surfing.py) runs these very functions, compiled, with the same bits.
`add` and `mass` take the wave too (None for the prior); models that ignore the situation ignore it.
"""
from __future__ import annotations

import numpy as np

from learner import KDELearner

MASS_POINTS = 9  # the KDE danger of a window: its mean density at this many evenly spaced GFs, times its width


class KDEDanger:
    """KDE over past hit GFs; with `learned`, softmax logits follow the CE-KDE gradient after each hit."""

    def __init__(self, learned: bool, bandwidth: float = 0.1, lr: float = 0.1, kernel: str = "gaussian",
                 capacity: int = 100):
        self.learner = KDELearner(kernel=kernel, bandwidth=bandwidth, lr=lr, capacity=capacity, learn=learned)

    def add(self, a: float, b: float, wave=None) -> None:
        self.learner.observe(a, b)

    def mass(self, a: float, b: float, wave=None) -> float:
        return self.masses([(a, b)])[0]

    def masses(self, windows: list[tuple[float, float]]) -> list[float]:
        """mass(a, b) of each window, the density evaluated once for them all (each point on its own)."""
        xs = np.array([np.linspace(a, b, MASS_POINTS) for a, b in windows])
        density = self.learner.density(xs)
        return [float(np.mean(row) * (b - a)) for row, (a, b) in zip(density, windows)]


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
