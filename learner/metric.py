"""Learned-metric logits: a stored point's weight depends on how similar its situation is to now's.

    z_j(q) = -sum_k w_k (phi_k(q) - phi_k(x_j))^2  (+ b_j),    w_k = softplus(theta_k) >= 0,

over the k stored points nearest to the query situation q by that same metric (k <= 0: all of them),
S = softmax(z) over those points, p(x) = sum_j S_j K_h(x - x_j). After every hit window [a, b] of
a wave fired in situation q, one optimiser step on theta (and the biases b) by the chain rule from
the CE-KDE gradient dL/dz = S - q (learner.loss.kde_cross_entropy, not re-derived here):

    dL/dtheta_k = -sigmoid(theta_k) sum_{j in nearest} dL/dz_j D_jk,   dL/db_j = dL/dz_j,

with D_jk = (phi_k(q) - phi_k(x_j))^2. The nearest set is piecewise constant in theta, so this is
the exact gradient wherever the k-th and (k+1)-th distances differ (almost everywhere).

The hot parts (distances, logits, nearest selection, backward) are @njit array functions over
preallocated arrays so a compiled battle loop can call them directly; MetricKDE is the Python
wrapper the arena guns and surfers use. Points are kept in insertion order, the oldest evicted
past `capacity`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .kde import density as mixture_density
from .loss import kde_cross_entropy
from .optim import SGD, Adam

OPTIMIZERS = ("sgd", "adam")
PEAK_GRID = 201  # aiming grid over [-1, 1]: spacing 0.01 GF, a tenth of the default bandwidth


@njit(cache=True)
def softplus(t):
    """log(1 + e^t) without overflow."""
    return max(t, 0.0) + math.log1p(math.exp(-abs(t)))


@njit(cache=True)
def sigmoid(t):
    """d softplus / dt."""
    if t >= 0.0:
        return 1.0 / (1.0 + math.exp(-t))
    e = math.exp(t)
    return e / (1.0 + e)


@njit(cache=True)
def inverse_softplus(w):
    """theta with softplus(theta) = w (w > 0)."""
    return w + math.log(-math.expm1(-w))


@njit(cache=True)
def squared_distances(query, features, n, out):
    """out[j, k] = (query[k] - features[j, k])^2 for the first n stored points."""
    for j in range(n):
        for k in range(query.size):
            diff = query[k] - features[j, k]
            out[j, k] = diff * diff


@njit(cache=True)
def metric_logits(dist, n, theta, bias, out):
    """out[j] = -sum_k softplus(theta_k) dist[j, k] + bias[j] for j < n."""
    d = theta.size
    w = np.empty(d)
    for k in range(d):
        w[k] = softplus(theta[k])
    for j in range(n):
        total = bias[j]
        for k in range(d):
            total -= w[k] * dist[j, k]
        out[j] = total


@njit(cache=True)
def nearest(logits, n, k, out):
    """out[:m] = indices (ascending) of the m = min(k, n) largest logits (the nearest points); returns m.

    k <= 0 selects all n. Ties at the k-th value go to the lower indices, so the choice is deterministic.
    """
    if k <= 0 or k >= n:
        for j in range(n):
            out[j] = j
        return n
    threshold = np.partition(-logits[:n], k - 1)[k - 1]  # -(k-th largest logit)
    above = 0
    for j in range(n):
        if -logits[j] < threshold:
            above += 1
    ties = k - above
    m = 0
    for j in range(n):
        v = -logits[j]
        if v < threshold or (v == threshold and ties > 0):
            if v == threshold:
                ties -= 1
            out[m] = j
            m += 1
    return m


@njit(cache=True)
def metric_backward(dist, index, m, grad_z, theta, out):
    """out[k] = dL/dtheta_k = -sigmoid(theta_k) sum_i grad_z[i] dist[index[i], k] over the selected points."""
    for k in range(theta.size):
        total = 0.0
        for i in range(m):
            total += grad_z[i] * dist[index[i], k]
        out[k] = -sigmoid(theta[k]) * total


class MetricKDE:
    """Online KDE over GF points whose weights come from a (learned) metric on situation features.

    n_features: length of each situation vector. k: points per query (<= 0: all). weights: the
    initial w_k (a number for all, or one per feature). learn=False keeps the metric fixed; with
    equal=True the selected points get equal weight (a k-nearest-neighbour KDE: the metric only
    selects). bias=True adds a learned logit b_j per stored point (stepped by plain SGD at `lr`).
    """

    def __init__(self, n_features: int, kernel: str = "gaussian", bandwidth: float = 0.1, k: int = 0,
                 capacity: int = 2000, weights=1.0, lr: float = 0.05, optimizer: str = "adam",
                 learn: bool = True, equal: bool = False, bias: bool = False) -> None:
        if int(n_features) < 1:
            raise ValueError(f"n_features must be >= 1, got {n_features!r}")
        if int(capacity) < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity!r}")
        if optimizer not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {optimizer!r}; valid: {', '.join(OPTIMIZERS)}")
        w = np.broadcast_to(np.asarray(weights, dtype=float), (int(n_features),))
        if not np.all(np.isfinite(w) & (w > 0)):
            raise ValueError(f"initial weights must be finite and > 0, got {weights!r}")
        self.d, self.k, self.capacity = int(n_features), int(k), int(capacity)
        self.kernel, self.bandwidth = kernel, float(bandwidth)
        self.learn, self.equal, self.use_bias, self.lr = bool(learn), bool(equal), bool(bias), float(lr)
        self.theta = np.array([inverse_softplus(v) for v in w])
        self.optimizer = SGD(lr) if optimizer == "sgd" else Adam(lr)
        self.points = np.zeros(self.capacity + 1)
        self.features = np.zeros((self.capacity + 1, self.d))
        self.bias = np.zeros(self.capacity + 1)
        self.count = 0
        self._dist = np.zeros((self.capacity + 1, self.d))
        self._index = np.zeros(self.capacity + 1, np.int64)
        self._logits = np.zeros(self.capacity + 1)

    def __len__(self) -> int:
        return self.count

    def weights(self) -> np.ndarray:
        """The metric's feature weights w_k = softplus(theta_k)."""
        return np.array([softplus(t) for t in self.theta])

    def _query(self, query) -> np.ndarray:
        q = np.asarray(query, dtype=float).ravel()
        if q.size != self.d or not np.all(np.isfinite(q)):
            raise ValueError(f"a situation must be a finite vector of length {self.d}")
        return q

    def select(self, query) -> tuple[np.ndarray, np.ndarray]:
        """(indices, logits) of the points that weigh in for situation `query` (needs stored points)."""
        n = self.count
        squared_distances(self._query(query), self.features, n, self._dist)
        metric_logits(self._dist, n, self.theta, self.bias, self._logits)
        m = nearest(self._logits, n, self.k, self._index)
        index = self._index[:m].copy()
        return index, (np.zeros(m) if self.equal else self._logits[index])

    def loss_and_grad(self, query, a: float, b: float) -> tuple[float, np.ndarray, np.ndarray]:
        """CE-KDE loss of window [a, b] for situation `query`, dL/dtheta and dL/dbias (all stored points)."""
        index, logits = self.select(query)
        loss, grad_z = kde_cross_entropy(self.points[index], logits, a, b, self.bandwidth, self.kernel)
        grad_theta = np.zeros(self.d)
        if not self.equal:
            metric_backward(self._dist, index, index.size, grad_z, self.theta, grad_theta)
        grad_bias = np.zeros(self.count)
        if not self.equal:
            grad_bias[index] = grad_z
        return loss, grad_theta, grad_bias

    def observe(self, a: float, b: float, query, x: float | None = None) -> float | None:
        """Learn from hit window [a, b] of a wave fired in situation `query`, then store x (default: its centre).

        Returns the pre-step loss, or None with no stored points yet.
        """
        if not a < b:
            raise ValueError(f"window must have a < b, got [{a}, {b}]")
        q = self._query(query)
        x = float(np.clip(0.5 * (a + b), -1.0, 1.0)) if x is None else float(x)
        loss = None
        if self.count:
            loss, grad_theta, grad_bias = self.loss_and_grad(q, a, b)
            if self.learn and not self.equal:
                self.optimizer.step(self.theta, grad_theta)
                if self.use_bias:
                    self.bias[: self.count] -= self.lr * grad_bias
        self._store(x, q)
        return loss

    def _store(self, x: float, q: np.ndarray) -> None:
        n = self.count
        self.points[n], self.features[n], self.bias[n] = x, q, 0.0
        if n == self.capacity:  # evict the oldest: shift everything down one slot
            self.points[:n] = self.points[1:]
            self.features[:n] = self.features[1:]
            self.bias[:n] = self.bias[1:]
        else:
            self.count += 1

    def density(self, query, xs) -> np.ndarray:
        """p(xs) for situation `query` (zeros with no data)."""
        xs = np.asarray(xs, dtype=float)
        if not self.count:
            return np.zeros(xs.shape)
        index, logits = self.select(query)
        return mixture_density(xs, self.points[index], logits, self.bandwidth, self.kernel)

    def peak(self, query, lo: float = -1.0, hi: float = 1.0) -> float:
        """GF in [lo, hi] where the density for `query` is largest, on a PEAK_GRID grid (0 with no data)."""
        if not self.count:
            return float(np.clip(0.0, lo, hi))
        xs = np.linspace(lo, hi, PEAK_GRID)
        return float(xs[np.argmax(self.density(query, xs))])
