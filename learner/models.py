"""Logit models: how the per-point logits z_j come from trainable parameters.

A model exposes `params` (the array the optimiser updates), `logits(features)`
(forward) and `backward(features, grad_logits)` (chain rule to dL/dparams).
`per_point` says whether params grow and shrink with the stored points, in
which case the memory calls `append` / `keep` to keep them aligned.
"""

from __future__ import annotations

import numpy as np


class FreeLogits:
    """One free logit per stored point: z = params.

    A new point starts at the current mean logit (0 for the first point), so
    it enters with the geometric-mean weight of the points already stored
    whatever the optimiser has done to the overall logit level.
    """

    per_point = True
    n_features = 0  # the logits are free parameters, not functions of features

    def __init__(self) -> None:
        self.params = np.zeros(0)

    def logits(self, features: np.ndarray) -> np.ndarray:
        return self.params

    def backward(self, features: np.ndarray, grad_logits: np.ndarray) -> np.ndarray:
        return np.asarray(grad_logits, dtype=float)  # dz/dparams = identity

    def append(self, count: int = 1) -> None:
        start = float(np.mean(self.params)) if self.params.size else 0.0
        self.params = np.concatenate([self.params, np.full(count, start)])

    def keep(self, index: np.ndarray) -> None:
        self.params = self.params[index]


class LinearLogits:
    """z_j = w . phi_j for per-point feature vectors phi_j.

    Weights are shared by all points, so what is learned about one situation
    (features) carries over to points not yet seen. dL/dw = sum_i dL/dz_i phi_i.
    """

    per_point = False

    def __init__(self, n_features: int, weights=None) -> None:
        if int(n_features) < 1:
            raise ValueError(f"n_features must be >= 1, got {n_features!r}")
        self.n_features = int(n_features)
        w = np.zeros(self.n_features) if weights is None else np.array(weights, dtype=float)
        if w.shape != (self.n_features,):
            raise ValueError(f"weights must have shape ({self.n_features},), got {w.shape}")
        self.params = w

    def logits(self, features: np.ndarray) -> np.ndarray:
        return features @ self.params

    def backward(self, features: np.ndarray, grad_logits: np.ndarray) -> np.ndarray:
        return features.T @ grad_logits
