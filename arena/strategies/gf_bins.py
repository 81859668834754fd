"""GF-bins gun: the classic baseline, a 47-bin histogram of past hit windows; aims at the fullest bin."""
from __future__ import annotations

import numpy as np

from ..observation import Observation
from .aiming import shot_frame
from ..params import Spec
from .base import Gun


class GFBinsGun(Gun):
    name = "gf-bins"
    PARAMS = {**Gun.PARAMS, "bins": Spec(int, 1, 10_000), "virtual": Spec(bool)}

    def __init__(self, rng, power: float = 2.0, bins: int = 47, virtual: bool = False):
        super().__init__(rng, power)
        self.bins = np.zeros(bins)
        self.edges = np.linspace(-1.0, 1.0, bins + 1)
        self.virtual_waves = bool(virtual)
        self.direction = 1

    def learn(self, obs: Observation) -> None:
        """Spread one unit of weight over the bins the window [a, b] covers, by overlap."""
        for brk in obs.my_breaks:
            a, b = max(brk.a, -1.0), min(brk.b, 1.0)
            if b <= a:
                continue
            overlap = np.clip(np.minimum(self.edges[1:], b) - np.maximum(self.edges[:-1], a), 0.0, None)
            self.bins += overlap / (b - a)

    def profile(self, gfs: np.ndarray) -> np.ndarray:
        index = np.clip(np.searchsorted(self.edges, gfs, side="right") - 1, 0, len(self.bins) - 1)
        total = self.bins.sum()
        return self.bins[index] / total if total else np.zeros(len(gfs))

    def aim(self, obs: Observation) -> float:
        frame = shot_frame(obs, self.power, self.direction)
        self.direction = frame.direction
        centres = (self.edges[:-1] + self.edges[1:]) / 2
        gf = centres[int(np.argmax(self.bins))] if self.bins.any() else 0.0
        return frame.angle(gf)
