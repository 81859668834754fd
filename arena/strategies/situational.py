"""Situation-aware guns: past waves weighed by how alike their firing situations (arena.features) are to now's.

`kde-knn` is the dynamic-clustering baseline: the k stored waves nearest by a fixed, hand-scaled metric,
equal weights. `kde-metric` learns the metric: softmax weights z_j = -sum_k w_k (phi_k - phi_k(x_j))^2
over the k nearest, w = softplus(theta) stepped by the CE-KDE gradient after every hit window
(learner.metric). Both aim at the peak of the KDE of the selected waves' GFs.
"""
from __future__ import annotations

import numpy as np

from .. import rules
from ..features import N_FEATURES, SituationTracker, features
from ..observation import Observation
from ..params import Spec
from ..waves import bullet_speed
from .aiming import shot_frame
from .base import Gun, next_position
from .kde import KERNEL_NAMES, OPTIMIZERS  # the learner's names, so that checking parameters loads no numba

# The hand-scaled metric: every feature is already scaled to a range of about 1 (see arena.features), so
# equal weights. kde-knn only selects by it, so their scale changes nothing there.
KNN_WEIGHT = 4.0
METRIC_WEIGHT = 0.5  # kde-metric's starting weights, all equal (tuned: see MetricGun)
AIM_HEAT = 3 * rules.GUN_COOLING_RATE  # re-aim only in the last ticks before the gun is cool


class SituationalGun(Gun):
    """Records each tick's situation; learns from hit windows with the situation their wave was fired in."""
    PARAMS = {"power": Spec(float, rules.MIN_POWER, rules.MAX_POWER), "bandwidth": Spec(float, 1e-3, 1.0),
              "kernel": Spec(str, choices=KERNEL_NAMES), "k": Spec(int, 0, 100_000),
              "capacity": Spec(int, 1, 100_000), "virtual": Spec(bool)}

    def __init__(self, rng, power: float, model, virtual: bool):
        """model: the learner's MetricKDE over situation features."""
        super().__init__(rng, power)
        self.model = model
        self.virtual_waves = bool(virtual)
        self.tracker = SituationTracker()
        self.direction = 1
        self.peak = 0.0
        self.query: np.ndarray | None = None

    def start_round(self) -> None:
        self.tracker.start_round()

    def feature_weights(self) -> list[float]:
        """The metric's w_k, by feature (arena.features.NAMES order)."""
        return [float(w) for w in self.model.weights()]

    def learn(self, obs: Observation) -> None:
        if obs.enemy is not None:
            self.tracker.observe_enemy(obs, next_position(obs.me))
        for brk in obs.my_breaks:
            situation = self.tracker.history.get(brk.wave.fire_time)
            if situation is not None:
                self.model.observe(brk.a, brk.b, features(situation, brk.wave.speed, obs.width, obs.height))

    def profile(self, gfs: np.ndarray) -> np.ndarray | None:
        return None if self.query is None else self.model.density(self.query, gfs)

    def aim(self, obs: Observation) -> float:
        frame = shot_frame(obs, self.power, self.direction)
        self.direction = frame.direction
        situation = self.tracker.history.get(obs.time)
        if situation is not None and (obs.me.gun_heat <= AIM_HEAT + 1e-9 or self.virtual_waves):
            self.query = features(situation, bullet_speed(self.power), obs.width, obs.height)
            self.peak = self.model.peak(self.query)
        return frame.angle(self.peak)


class KNNGun(SituationalGun):
    """k 20 had the highest mean hit rate over adaptive-orbit, random-orbit, stop-and-go and surfer on seeds
    1..10 x 35 rounds (k 5/10/20/50/100: 30.8/32.0/32.9/32.3/31.1%)."""
    name = "kde-knn"

    def __init__(self, rng, power: float = 2.0, bandwidth: float = 0.1, kernel: str = "gaussian", k: int = 20,
                 capacity: int = 2000, virtual: bool = False):
        from learner.metric import MetricKDE
        model = MetricKDE(N_FEATURES, kernel=kernel, bandwidth=float(bandwidth), k=int(k), capacity=int(capacity),
                          weights=KNN_WEIGHT, learn=False, equal=True)
        super().__init__(rng, power, model, virtual)


class MetricGun(SituationalGun):
    """Defaults tuned by mean hit rate over adaptive-orbit, random-orbit, stop-and-go and surfer on seeds
    1..10 x 35 rounds (the fast path), in three stages: lr 0.05/0.2/1 x k 20/50/200 (bandwidth 0.1, weight 4):
    lr 0.2, k 50 best, 34.4% (the others 32.8..34.0%); then bandwidth 0.05/0.1/0.2 x weight 1/4/16 x bias
    off/on: bandwidth 0.1, weight 1, no bias best, 34.6% (0.1/4/off 34.4%, biases never helped, bandwidth
    0.2 at most 32.8%); then weight 0.5/1/2 x lr 0.1/0.2/0.5: weight 0.5, lr 0.5 best, 34.9% (the others
    34.2..34.6%). The winner is not separated from the first stage's lr 0.2, weight 4 (paired over the 40
    battles +0.5 points [-0.3, +1.3])."""
    name = "kde-metric"
    PARAMS = {**SituationalGun.PARAMS, "weight": Spec(float, 1e-3, 1e3), "lr": Spec(float, 1e-6, 1e3),
              "optimizer": Spec(str, choices=OPTIMIZERS), "bias": Spec(bool)}

    def __init__(self, rng, power: float = 2.0, bandwidth: float = 0.1, kernel: str = "gaussian", k: int = 50,
                 capacity: int = 2000, weight: float = METRIC_WEIGHT, virtual: bool = False, lr: float = 0.5,
                 optimizer: str = "adam", bias: bool = False):
        from learner.metric import MetricKDE
        model = MetricKDE(N_FEATURES, kernel=kernel, bandwidth=float(bandwidth), k=int(k), capacity=int(capacity),
                          weights=float(weight), lr=float(lr), optimizer=optimizer, bias=bool(bias))
        super().__init__(rng, power, model, virtual)
