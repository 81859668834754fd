"""KDE guns: aim at the peak of a kernel density over past hit windows.

`kde` weights every data point equally; `kde-learned` keeps softmax logits over the points and takes a
gradient step on the cross-entropy between each new hit window and the density (learner.KDELearner).
The learner (and with it numba) is imported when a gun is built, not when its parameters are checked.
"""
from __future__ import annotations

import numpy as np

from ..observation import Observation
from ..params import Spec
from .aiming import shot_frame
from .base import BANDWIDTH, LR, Gun

# learner.KERNELS, learner.online.LOSSES and OPTIMIZERS, named here so that checking a gun's parameters
# loads no numba (tests/test_strategies.py checks that the names agree)
KERNEL_NAMES = ("box", "epanechnikov", "gaussian", "laplace")
LOSSES = ("ce", "hard", "squared")
OPTIMIZERS = ("sgd", "adam")


def hit_point(a: float, b: float) -> float:
    """The data point a hit window [a, b] stores: its centre, clipped to the GF range."""
    x = 0.5 * (a + b)
    return -1.0 if x < -1.0 else (1.0 if x > 1.0 else x)


class KDEGun(Gun):
    """lr defaults to 1.0, the best SGD rate against random-orbit over 20 seeds (lr sweep 0.1..10);
    an adapting target (surfer) rewards higher rates (10 was best there)."""
    name = "kde"
    learned = False
    PARAMS = {**Gun.PARAMS, "bandwidth": BANDWIDTH, "kernel": Spec(str, choices=KERNEL_NAMES), "lr": LR,
              "loss": Spec(str, choices=LOSSES), "optimizer": Spec(str, choices=OPTIMIZERS),
              "momentum": Spec(float, 0.0, 0.999), "capacity": Spec(int, 1, 100_000), "virtual": Spec(bool)}

    def __init__(self, rng, power: float = 2.0, bandwidth: float = 0.1, kernel: str = "gaussian",
                 lr: float = 1.0, loss: str = "ce", optimizer: str = "sgd", momentum: float = 0.0,
                 capacity: int = 200, virtual: bool = False):
        super().__init__(rng, power)
        from learner import KDELearner
        self.learner = KDELearner(kernel=kernel, bandwidth=float(bandwidth), loss=loss, optimizer=optimizer,
                                  lr=float(lr), momentum=float(momentum), capacity=int(capacity),
                                  learn=self.learned)
        self.virtual_waves = bool(virtual)
        self.direction = 1
        self.peak = 0.0  # cached: the density only changes when a window arrives

    def learn(self, obs: Observation) -> None:
        for brk in obs.my_breaks:
            self.learner.observe(brk.a, brk.b, hit_point(brk.a, brk.b))
        if obs.my_breaks:
            self.peak = self.learner.peak(-1.0, 1.0)

    def profile(self, gfs: np.ndarray) -> np.ndarray:
        return self.learner.density(gfs)

    def aim(self, obs: Observation) -> float:
        frame = shot_frame(obs, self.power, self.direction)
        self.direction = frame.direction
        return frame.angle(self.peak)


class LearnedKDEGun(KDEGun):
    name = "kde-learned"
    learned = True
