"""`surfer-metric`: a wave surfer whose danger weighs the enemy's past hits by the learned situation metric.

Each hit is stored with the features of the situation the enemy fired it in (our own movement as the
enemy saw it, arena.features); the danger of a wave is the KDE of the hits whose situations are nearest
to that wave's, with softmax weights from the metric of learner.metric, stepped by the CE-KDE gradient
after every hit. Before the first hit it assumes a head-on gun, as `surfer` does.
"""
from __future__ import annotations

import numpy as np

from ..features import N_FEATURES, SituationTracker, features
from ..observation import Observation
from ..params import Spec
from ..state import Commands
from ..waves import Wave
from .surfer import Surfer

MASS_POINTS = 9  # density values a window's danger averages (learner.metric.window_mass)


class MetricDanger:
    """Hit GFs with the enemy's firing situations; the prior (no wave) is a separate head-on KDE."""

    def __init__(self, tracker: SituationTracker, bandwidth: float, lr: float, k: int, weight: float):
        from learner.metric import MetricKDE  # (numba: loaded when a surfer is built, not at start-up)
        from .danger import KDEDanger
        self.tracker = tracker
        self.field = (800.0, 600.0)  # set by the surfer from each observation
        self.model = MetricKDE(N_FEATURES, bandwidth=bandwidth, k=k, capacity=500, weights=weight, lr=lr)
        self.prior = KDEDanger(False, bandwidth=bandwidth)

    def _situation(self, wave: Wave | None) -> np.ndarray | None:
        situation = None if wave is None else self.tracker.history.get(wave.fire_time)
        return None if situation is None else features(situation, wave.speed, *self.field)

    def add(self, a: float, b: float, wave: Wave | None = None) -> None:
        query = self._situation(wave)
        if query is None:
            self.prior.add(a, b)
        else:
            self.model.observe(a, b, query)

    def mass(self, a: float, b: float, wave: Wave | None = None) -> float:
        query = self._situation(wave)
        if query is None or not len(self.model):
            return self.prior.mass(a, b)
        return self.model.mass(query, a, b, MASS_POINTS)


class MetricSurfer(Surfer):
    name = "surfer-metric"
    PARAMS = {"lr": Spec(float, 1e-6, 1e3), "bandwidth": Spec(float, 1e-3, 1.0), "distance": Spec(float, 1.0, 10_000.0),
              "k": Spec(int, 0, 100_000), "weight": Spec(float, 1e-3, 1e3)}

    def __init__(self, rng, lr: float = 0.05, bandwidth: float = 0.1, distance: float = 400.0, k: int = 0,
                 weight: float = 4.0):
        super().__init__(rng, lr=lr, bandwidth=bandwidth, distance=distance)
        self.tracker = SituationTracker()
        self.danger = MetricDanger(self.tracker, float(bandwidth), float(lr), int(k), float(weight))
        self.danger.add(-0.05, 0.05)  # the head-on prior

    def start_round(self) -> None:
        super().start_round()
        self.tracker.start_round()

    def act(self, obs: Observation) -> Commands:
        self.danger.field = (obs.width, obs.height)
        self.tracker.observe_self(obs)
        return super().act(obs)

    def feature_weights(self) -> list[float]:
        return [float(w) for w in self.danger.model.weights()]
