"""Where the enemy fires: danger models a surfer learns from the guess factors of bullets that hit it.

`add` and `mass` take the wave too (None for the prior); models that ignore the situation ignore it.
"""
from __future__ import annotations

import numpy as np

from learner import KDELearner


class KDEDanger:
    """KDE over past hit GFs; with `learned`, softmax logits follow the CE-KDE gradient after each hit."""

    def __init__(self, learned: bool, bandwidth: float = 0.1, lr: float = 0.1, kernel: str = "gaussian",
                 capacity: int = 100):
        self.learner = KDELearner(kernel=kernel, bandwidth=bandwidth, lr=lr, capacity=capacity, learn=learned)

    def add(self, a: float, b: float, wave=None) -> None:
        self.learner.observe(a, b)

    def mass(self, a: float, b: float, wave=None) -> float:
        xs = np.linspace(a, b, 9)
        return float(np.mean(self.learner.density(xs)) * (b - a))


class BinsDanger:
    """The classic 47-bin histogram of hit GFs."""

    def __init__(self, bins: int = 47):
        self.counts = np.zeros(int(bins))
        self.edges = np.linspace(-1.0, 1.0, int(bins) + 1)

    def add(self, a: float, b: float, wave=None) -> None:
        self.counts += self._overlap(a, b)

    def mass(self, a: float, b: float, wave=None) -> float:
        total = self.counts.sum()
        return float(self.counts @ self._overlap(a, b) / total) if total else 0.0

    def _overlap(self, a: float, b: float) -> np.ndarray:
        """Fraction of [a, b] (clipped to [-1, 1]) falling in each bin."""
        a, b = max(a, -1.0), min(b, 1.0)
        if b <= a:
            return np.zeros(len(self.counts))
        return np.clip(np.minimum(self.edges[1:], b) - np.maximum(self.edges[:-1], a), 0.0, None) / (b - a)
