"""KDELearner: the online learned-KDE gun model the arena guns drive.

Each observed hit window [a, b] first trains the weights of the points
already stored (one optimiser step on the chosen loss), then is stored itself
as a new data point. Aiming reads the density's peak. Everything is
deterministic.

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

from .binned import BINNED_RTOL, GRID_SIZE, binned_density
from .kde import default_floor, log_mixture
from .kernels import get_kernel
from .loss import N_BINS, hit_cross_entropy, kde_cross_entropy, squared_error
from .memory import PointMemory
from .models import FreeLogits, LinearLogits
from .optim import SGD, Adam
from .softmax import log_softmax, softmax
from .validation import check_bandwidth, check_window

LOSSES = ("ce", "hard", "squared")
OPTIMIZERS = ("sgd", "adam")
ZOOM_POINTS = 17  # per refinement round; each round shrinks the bracket 8x
ZOOM_ROUNDS = 5  # grid spacing 0.002 / 8^5 ~ 6e-8 GF
MAX_PEAK_CANDIDATES = 5


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
        self.loss = loss
        self.learn = bool(learn)
        model = FreeLogits() if n_features is None else LinearLogits(n_features)
        optim = SGD(lr, momentum) if optimizer == "sgd" else Adam(lr)
        self.memory = PointMemory(capacity, model, optim, eviction)

    def __len__(self) -> int:
        return len(self.memory)

    @property
    def points(self) -> np.ndarray:
        return self.memory.points.copy()

    def weights(self) -> np.ndarray:
        """Softmax weights S of the stored points (empty with no data)."""
        return softmax(self.memory.logits()) if len(self) else np.zeros(0)

    def observe(self, a: float, b: float, x: float | None = None, features=None) -> float | None:
        """Learn from hit window [a, b], then store x (default: the window centre).

        Returns the loss of the window under the pre-update weights (the
        online log-loss for "ce"), or None when there were no points yet.
        """
        a, b = check_window(a, b)
        x = float(np.clip(0.5 * (a + b), -1.0, 1.0)) if x is None else float(x)
        if not -1.0 <= x <= 1.0:
            raise ValueError(f"data point must be a GF in [-1, 1], got {x!r}")
        self.memory.feature_row(features)  # reject bad features before any update
        loss = None
        if len(self):
            mem = self.memory
            loss, grad_logits = self._loss(mem.points, mem.logits(), a, b)
            if self.learn:
                grad = mem.model.backward(mem.features, grad_logits)
                mem.optimizer.step(mem.model.params, grad)
        self.memory.add(x, features)
        return loss

    def _loss(self, points, logits, a, b):
        h = self.bandwidth
        if self.loss == "ce":
            return kde_cross_entropy(points, logits, a, b, h, self.kernel)
        if self.loss == "hard":
            return hit_cross_entropy(points, logits, a, b, h)
        return squared_error(points, logits, a, b, h, self.kernel, N_BINS)

    def _log_density_fn(self):
        """log p~(xs) for 1-D xs, with the current log-weights computed once."""
        mem, kern, h = self.memory, self.kernel, self.bandwidth
        log_w = log_softmax(mem.logits())
        floor = default_floor(kern)
        return lambda xs: log_mixture(xs, mem.points, log_w, h, kern, floor)

    def density(self, xs) -> np.ndarray:
        """Exact p(xs) for any array shape (zeros with no data)."""
        xs = np.asarray(xs, dtype=float)
        if not len(self):
            return np.zeros(xs.shape)
        return np.exp(self._log_density_fn()(xs.ravel())).reshape(xs.shape)

    def peak(self, lo: float = -1.0, hi: float = 1.0) -> float:
        """GF in [lo, hi] where the density is largest (0 clipped to [lo, hi] with no data).

        The binned density on the fixed grid picks candidate maxima in
        O(N + G log G); candidates whose exact density is within the binned
        tolerance of the best are then refined on the exact density by
        repeatedly zooming a small grid around the best node, which also
        handles the cusps of the laplace kernel.
        """
        lo, hi = float(lo), float(hi)
        if not -1.0 <= lo <= hi <= 1.0:
            raise ValueError(f"need -1 <= lo <= hi <= 1, got lo={lo}, hi={hi}")
        if not len(self):
            return float(np.clip(0.0, lo, hi))
        grid, coarse = binned_density(self.memory.points, self.weights(), self.bandwidth, self.kernel, GRID_SIZE)
        spacing = grid[1] - grid[0]
        xs = np.concatenate(([lo], grid[(grid > lo) & (grid < hi)], [hi]))
        vals = np.interp(xs, grid, coarse)
        padded = np.concatenate(([-np.inf], vals, [-np.inf]))
        is_max = (vals >= padded[:-2]) & (vals >= padded[2:])
        cand = np.flatnonzero(is_max)
        cand = cand[np.argsort(-vals[cand], kind="stable")][:MAX_PEAK_CANDIDATES]
        log_p = self._log_density_fn()
        cand_lp = log_p(xs[cand])
        slack = 2.0 * BINNED_RTOL * (spacing / self.bandwidth) ** 2
        close = cand_lp >= cand_lp.max() + np.log1p(-min(slack, 1.0 - 1e-12))
        x, lp = _zoom(log_p, xs[cand[close]], cand_lp[close], spacing, lo, hi)
        return float(x[np.argmax(lp)])


def _zoom(log_p, x0: np.ndarray, lp0: np.ndarray, radius: float, lo: float, hi: float):
    """Local maxima of log_p near each x0: re-grid +-radius around the best node, shrinking.

    Needs no derivatives, so the cusp of a laplace peak is found as well as a
    smooth one. Each round shrinks the bracket by (ZOOM_POINTS - 1) / 2; all
    starting points are refined together in one density call per round.
    """
    t = np.linspace(0.0, 1.0, ZOOM_POINTS)
    rows = np.arange(x0.size)
    radius = np.full(x0.size, radius)
    for _ in range(ZOOM_ROUNDS):
        left, right = np.maximum(lo, x0 - radius), np.minimum(hi, x0 + radius)
        xs = left[:, None] + (right - left)[:, None] * t[None, :]
        lp = log_p(xs.ravel()).reshape(xs.shape)
        i = np.argmax(lp, axis=1)
        better = lp[rows, i] >= lp0
        x0 = np.where(better, xs[rows, i], x0)
        lp0 = np.where(better, lp[rows, i], lp0)
        radius = (right - left) / (ZOOM_POINTS - 1)
    return x0, lp0
