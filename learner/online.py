"""KDELearner: the online learned-KDE gun model the arena guns drive.

Each observed hit window [a, b] first trains the weights of the points
already stored (one optimiser step on the chosen loss), then is stored itself
as a new data point. Aiming reads the density's global maximum. Everything
is deterministic. The class is a thin wrapper: the state lives in numpy
arrays and every operation is a compiled function of learner.state, which
compiled callers use directly.

Choices:
  * New point: x defaults to the window centre (a + b)/2, clipped to [-1, 1].
    With free logits it starts at the current mean logit (0 for the first
    point): the geometric-mean weight of the stored points. With linear
    logits its logit is w . phi from its features.
  * loss="ce" is kde_cross_entropy with the learner's kernel. loss="hard" is
    the hard-label baseline hit_cross_entropy: the points within one
    bandwidth of the window are the label, i.e. a box kernel of half-width h
    decides hit/miss, while aiming still uses the learner's kernel so only
    the training signal differs. loss="squared" is squared_error over N_BINS
    bins.
  * learn=False never updates the logits, so all weights stay equal: a plain
    KDE with the same kernel and memory (the baseline).
"""

from __future__ import annotations

import numpy as np

from .kernels import get_kernel
from .memory import EVICTION_POLICIES
from .softmax import softmax
from .state import (CFG_BANDWIDTH, CFG_BETA1, CFG_BETA2, CFG_CAPACITY, CFG_EPS, CFG_EVICTION, CFG_FEATURES,
                    CFG_KERNEL, CFG_LEARN, CFG_LOG_SCALE, CFG_LOSS, CFG_LR, CFG_MOMENTUM, CFG_OPTIMIZER, CFG_SIZE,
                    META_COUNT, aim, log_density, log_weights, new_state, observe)
from .validation import check_bandwidth, check_window

LOSSES = ("ce", "hard", "squared")
OPTIMIZERS = ("sgd", "adam")
ADAM_BETAS, ADAM_EPS = (0.9, 0.999), 1e-8
NO_FEATURES = np.zeros(0)  # the feature row of a free-logit point (read only)


class KDELearner:
    """Online KDE over GF data points with learned weights.

    kernel, bandwidth: the KDE used for aiming (and for loss="ce"/"squared").
    loss: "ce" | "hard" | "squared"; optimizer: "sgd" (with `momentum`) | "adam".
    capacity, eviction: memory cap and policy ("oldest" | "lowest").
    learn=False: a plain equal-weight KDE. n_features: None for one free
    logit per point, else the length of the feature vector observe() takes.
    """

    def __init__(
        self,
        kernel: str = "gaussian",
        bandwidth: float = 0.1,
        loss: str = "ce",
        optimizer: str = "sgd",
        lr: float = 0.03,
        momentum: float = 0.0,
        capacity: int = 200,
        learn: bool = True,
        eviction: str = "oldest",
        n_features: int | None = None,
    ) -> None:
        self.kernel = get_kernel(kernel)
        self.bandwidth = check_bandwidth(bandwidth)
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}; valid: {', '.join(LOSSES)}")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}; valid: {', '.join(OPTIMIZERS)}")
        if optimizer == "adam" and momentum != 0.0:
            raise ValueError("momentum applies to optimizer='sgd' only")
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be > 0, got {lr!r}")
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        if int(capacity) < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity!r}")
        if eviction not in EVICTION_POLICIES:
            raise ValueError(f"unknown eviction {eviction!r}; valid: {', '.join(EVICTION_POLICIES)}")
        if n_features is not None and int(n_features) < 1:
            raise ValueError(f"n_features must be >= 1, got {n_features!r}")
        self.loss = loss
        self.learn = bool(learn)
        self.n_features = 0 if n_features is None else int(n_features)
        cfg = np.zeros(CFG_SIZE)
        cfg[CFG_KERNEL] = self.kernel.code
        cfg[CFG_LOG_SCALE] = self.kernel.log_scale
        cfg[CFG_LOSS] = LOSSES.index(loss)
        cfg[CFG_OPTIMIZER] = OPTIMIZERS.index(optimizer)
        cfg[CFG_EVICTION] = EVICTION_POLICIES.index(eviction)
        cfg[CFG_LEARN] = float(self.learn)
        cfg[CFG_BANDWIDTH] = self.bandwidth
        cfg[CFG_LR] = float(lr)
        cfg[CFG_MOMENTUM] = float(momentum)
        cfg[CFG_BETA1], cfg[CFG_BETA2] = ADAM_BETAS
        cfg[CFG_EPS] = ADAM_EPS
        cfg[CFG_CAPACITY] = int(capacity)
        cfg[CFG_FEATURES] = self.n_features
        self.state = new_state(cfg)

    def __len__(self) -> int:
        return int(self.state[-1][META_COUNT])

    @property
    def points(self) -> np.ndarray:
        return self.state[1][: len(self)].copy()

    @property
    def features(self) -> np.ndarray:
        return self.state[2][: len(self)].copy()

    @property
    def lr(self) -> float:
        """The optimiser's step size."""
        return float(self.state[0][CFG_LR])

    @property
    def params(self) -> np.ndarray:
        """The trainable parameters: one logit per stored point, or the linear weights."""
        return self.state[3][: self.n_features or len(self)].copy()

    def weights(self) -> np.ndarray:
        """Softmax weights S of the stored points (empty with no data)."""
        out = np.empty(len(self))
        log_weights(*self.state, out)
        return softmax(out) if len(self) else out

    def _feature_row(self, features) -> np.ndarray:
        d = self.n_features
        if d == 0:
            if features is not None:
                raise ValueError("this logit model takes no features")
            return NO_FEATURES
        row = None if features is None else np.asarray(features, dtype=float).ravel()
        if row is None or row.size != d or not np.all(np.isfinite(row)):
            raise ValueError(f"features must be a finite vector of length {d}")
        return row

    def observe(self, a: float, b: float, x: float | None = None, features=None) -> float | None:
        """Learn from hit window [a, b], then store x (default: the window centre).

        Returns the loss of the window under the pre-update weights (the
        online log-loss for "ce"), or None when there were no points yet.
        """
        a, b = check_window(a, b)
        x = min(max(0.5 * (a + b), -1.0), 1.0) if x is None else float(x)  # (no numpy per window: ~5 us)
        if not -1.0 <= x <= 1.0:
            raise ValueError(f"data point must be a GF in [-1, 1], got {x!r}")
        loss = observe(*self.state, a, b, x, self._feature_row(features))
        return None if loss != loss else float(loss)

    def density(self, xs) -> np.ndarray:
        """Exact p(xs) for any array shape (zeros with no data)."""
        xs = np.asarray(xs, dtype=float)
        out = np.empty(xs.size)
        log_density(*self.state, xs.ravel(), out)
        return np.exp(out).reshape(xs.shape)

    def peak(self, lo: float = -1.0, hi: float = 1.0) -> float:
        """GF in [lo, hi] where the density is largest (0 clipped to [lo, hi] with no data)."""
        lo, hi = float(lo), float(hi)
        if not -1.0 <= lo <= hi <= 1.0:
            raise ValueError(f"need -1 <= lo <= hi <= 1, got lo={lo}, hi={hi}")
        return float(aim(*self.state, lo, hi))
