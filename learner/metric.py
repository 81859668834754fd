"""Learned-metric logits: a stored point's weight depends on how similar its situation is to now's.

    z_j(q) = -sum_k w_k (phi_k(q) - phi_k(x_j))^2  (+ b_j),    w_k = softplus(theta_k) >= 0,

over the k stored points nearest to the query situation q by that same metric (k <= 0: all of them),
S = softmax(z) over those points, p(x) = sum_j S_j K_h(x - x_j). After every hit window [a, b] of
a wave fired in situation q, one optimiser step on theta (and the biases b) by the chain rule from
the CE-KDE gradient dL/dz = S - q (learner.loss.kde_cross_entropy, not re-derived here):

    dL/dtheta_k = -sigmoid(theta_k) sum_{j in nearest} dL/dz_j D_jk,   dL/db_j = dL/dz_j,

with D_jk = (phi_k(q) - phi_k(x_j))^2. The nearest set is piecewise constant in theta, so this is
the exact gradient wherever the k-th and (k+1)-th distances differ (almost everywhere).

The whole model is plain arrays (`MetricState`) and @njit functions over them (`observe_window`,
`peak_of`): MetricKDE, the Python wrapper the arena guns use, calls exactly these, and so does the
compiled battle loop (arena/fast/situational.py), so both paths run one copy of the arithmetic.
Points are kept in insertion order, the oldest evicted past `capacity`. A window no point's kernel
covers (only possible for a compact kernel without floor, or an underflowing one) teaches nothing.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numba import njit

from .cross_entropy import NO_COVER, window_cross_entropy
from .kde import default_floor, log_density_into
from .kde import density as mixture_density
from .kernels import get_kernel
from .loss import kde_cross_entropy
from .optim import Adam, adam_step, sgd_step

OPTIMIZERS = ("sgd", "adam")
PEAK_GRID = 201  # aiming grid over [-1, 1]: spacing 0.01 GF, a tenth of the default bandwidth
_ADAM = Adam(1.0)
BETA1, BETA2, EPS = _ADAM.beta1, _ADAM.beta2, _ADAM.eps  # Adam's defaults, read from the one place they are set
# cfg columns of a MetricState
M_K, M_BANDWIDTH, M_KERNEL, M_LOG_SCALE, M_FLOOR, M_LR, M_LEARN, M_EQUAL, M_BIAS, M_ADAM, M_CAPACITY = range(11)
M_CFG_SIZE = 11
W_LOGITS, W_CHOSEN_POINTS, W_CHOSEN_LOGITS, W_GRAD = range(4)  # rows of a MetricState's work array


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


class MetricState(NamedTuple):
    """One model as arrays (capacity C, d features); every operation below reads and writes these."""
    cfg: np.ndarray  # float64[M_CFG_SIZE], by the M_* columns
    theta: np.ndarray  # float64[d]
    opt: np.ndarray  # float64[3, d]: Adam's first and second moments and step counts (SGD: velocity in row 0)
    points: np.ndarray  # float64[C + 1]: stored GFs, oldest first
    features: np.ndarray  # float64[C + 1, d]: their situations
    bias: np.ndarray  # float64[C + 1]: their learned logit offsets
    count: np.ndarray  # int64[1]
    dist: np.ndarray  # scratch: float64[C + 1, d] squared distances to the query
    index: np.ndarray  # scratch: int64[C + 1] the selected points
    work: np.ndarray  # scratch: float64[4, C + 1] by the W_* rows


@njit(cache=True)
def window_centre(a, b):
    """The GF stored for window [a, b]: its centre, clipped to [-1, 1]."""
    return min(max(0.5 * (a + b), -1.0), 1.0)


@njit(cache=True)
def select_points(cfg, theta, points, features, bias, count, dist, index, work, query):
    """Pick the points that weigh in for `query`: index[:m], their GFs and logits in work's chosen rows.

    Returns m. Equal mode gives the chosen points logit 0 (the metric only selects).
    """
    n = count[0]
    squared_distances(query, features, n, dist)
    logits = work[W_LOGITS]
    metric_logits(dist, n, theta, bias, logits)
    m = nearest(logits, n, int(cfg[M_K]), index)
    for i in range(m):
        work[W_CHOSEN_POINTS, i] = points[index[i]]
        work[W_CHOSEN_LOGITS, i] = 0.0 if cfg[M_EQUAL] != 0.0 else logits[index[i]]
    return m


@njit(cache=True)
def learn_window(cfg, theta, opt, points, features, bias, count, dist, index, work, query, a, b):
    """One optimiser step on theta (and the biases) from the CE-KDE loss of window [a, b] for `query`.

    Returns the pre-step loss; NaN with no stored points or a window nothing covers (no step then).
    """
    if count[0] == 0:
        return np.nan
    m = select_points(cfg, theta, points, features, bias, count, dist, index, work, query)
    grad = work[W_GRAD]
    loss, status = window_cross_entropy(work[W_CHOSEN_POINTS], work[W_CHOSEN_LOGITS], m, a, b, cfg[M_BANDWIDTH],
                                        int(cfg[M_KERNEL]), cfg[M_LOG_SCALE], cfg[M_FLOOR], grad,
                                        np.zeros(1, np.int64))
    if status & NO_COVER:
        return np.nan
    if cfg[M_LEARN] != 0.0 and cfg[M_EQUAL] == 0.0:
        lr = cfg[M_LR]
        grad_theta = np.empty(theta.size)
        metric_backward(dist, index, m, grad, theta, grad_theta)
        if cfg[M_ADAM] != 0.0:
            adam_step(theta, grad_theta, opt[0], opt[1], opt[2], theta.size, lr, BETA1, BETA2, EPS)
        else:
            sgd_step(theta, grad_theta, opt[0], theta.size, lr, 0.0)
        if cfg[M_BIAS] != 0.0:
            for i in range(m):
                bias[index[i]] -= lr * grad[i]
    return loss


@njit(cache=True)
def store_point(cfg, points, features, bias, count, x, query):
    """Append (x, query) with bias 0; past capacity the oldest point goes."""
    n = count[0]
    points[n], bias[n] = x, 0.0
    for k in range(query.size):
        features[n, k] = query[k]
    if n == int(cfg[M_CAPACITY]):
        for j in range(n):
            points[j], bias[j] = points[j + 1], bias[j + 1]
            for k in range(query.size):
                features[j, k] = features[j + 1, k]
    else:
        count[0] = n + 1


@njit(cache=True)
def observe_window(cfg, theta, opt, points, features, bias, count, dist, index, work, query, a, b):
    """Learn from window [a, b] of a wave fired in situation `query`, then store its centre. Returns the loss."""
    loss = learn_window(cfg, theta, opt, points, features, bias, count, dist, index, work, query, a, b)
    store_point(cfg, points, features, bias, count, window_centre(a, b), query)
    return loss


@njit(cache=True)
def peak_of(cfg, theta, points, features, bias, count, dist, index, work, query, xs, out):
    """The xs (an ascending grid) where the density for `query` is largest (the first of equals);
    0 clipped into the grid with no data. `out` is scratch of xs' size."""
    if count[0] == 0:
        return min(max(0.0, xs[0]), xs[-1])
    m = select_points(cfg, theta, points, features, bias, count, dist, index, work, query)
    log_density_into(xs, work[W_CHOSEN_POINTS], work[W_CHOSEN_LOGITS], m, cfg[M_BANDWIDTH], int(cfg[M_KERNEL]),
                     cfg[M_LOG_SCALE], cfg[M_FLOOR], out)
    return xs[np.argmax(out)]


@njit(cache=True)
def window_mass(cfg, theta, points, features, bias, count, dist, index, work, query, a, b, xs, out):
    """The probability of window [a, b] for `query` (needs stored points), by the mean of the density at
    xs.size evenly spaced points from a to b (ends included) times b - a: a summed left to right.
    `xs` and `out` are scratch of that size (at least 2)."""
    n = xs.size
    step = (b - a) / (n - 1)
    for q in range(n - 1):
        xs[q] = q * step + a
    xs[n - 1] = b
    m = select_points(cfg, theta, points, features, bias, count, dist, index, work, query)
    log_density_into(xs, work[W_CHOSEN_POINTS], work[W_CHOSEN_LOGITS], m, cfg[M_BANDWIDTH], int(cfg[M_KERNEL]),
                     cfg[M_LOG_SCALE], cfg[M_FLOOR], out)
    total = 0.0
    for q in range(n):
        total += math.exp(out[q])
    return total / n * (b - a)


def peak_grid() -> np.ndarray:
    """The GFs MetricKDE.peak compares: PEAK_GRID points over [-1, 1]."""
    return np.linspace(-1.0, 1.0, PEAK_GRID)


def new_state(d: int, capacity: int, kernel: str, bandwidth: float, k: int, weights, lr: float, optimizer: str,
              learn: bool, equal: bool, bias: bool) -> MetricState:
    """A fresh model's arrays (arguments as MetricKDE checks them)."""
    kern = get_kernel(kernel)
    cfg = np.zeros(M_CFG_SIZE)
    cfg[[M_K, M_BANDWIDTH, M_KERNEL, M_LOG_SCALE, M_FLOOR, M_LR, M_LEARN, M_EQUAL, M_BIAS, M_ADAM, M_CAPACITY]] = (
        k, bandwidth, kern.code, kern.log_scale, default_floor(kern), lr, learn, equal, bias, optimizer == "adam",
        capacity)
    size = capacity + 1
    return MetricState(cfg, np.array([inverse_softplus(v) for v in weights]), np.zeros((3, d)), np.zeros(size),
                       np.zeros((size, d)), np.zeros(size), np.zeros(1, np.int64), np.zeros((size, d)),
                       np.zeros(size, np.int64), np.zeros((4, size)))


class MetricKDE:
    """Online KDE over GF points whose weights come from a (learned) metric on situation features.

    n_features: length of each situation vector. k: points per query (<= 0: all). weights: the
    initial w_k (a number for all, or one per feature). learn=False keeps the metric fixed; with
    equal=True the selected points get equal weight (a k-nearest-neighbour KDE: the metric only
    selects). bias=True adds a learned logit b_j per stored point (stepped by plain SGD at `lr`).
    The state is `self.state` (a MetricState); theta, points, features and bias are views of it.
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
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be > 0, got {lr!r}")
        w = np.broadcast_to(np.asarray(weights, dtype=float), (int(n_features),))
        if not np.all(np.isfinite(w) & (w > 0)):
            raise ValueError(f"initial weights must be finite and > 0, got {weights!r}")
        self.d, self.k, self.capacity = int(n_features), int(k), int(capacity)
        self.kernel, self.bandwidth = kernel, float(bandwidth)
        self.state = new_state(self.d, self.capacity, kernel, self.bandwidth, self.k, w, float(lr), optimizer,
                               bool(learn), bool(equal), bool(bias))
        self.theta, self.points, self.features, self.bias = (self.state.theta, self.state.points,
                                                             self.state.features, self.state.bias)
        self.equal = bool(equal)
        self._grid = peak_grid()

    @property
    def count(self) -> int:
        return int(self.state.count[0])

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
        s = self.state
        m = select_points(s.cfg, s.theta, s.points, s.features, s.bias, s.count, s.dist, s.index, s.work,
                          self._query(query))
        return s.index[:m].copy(), s.work[W_CHOSEN_LOGITS, :m].copy()

    def loss_and_grad(self, query, a: float, b: float) -> tuple[float, np.ndarray, np.ndarray]:
        """CE-KDE loss of window [a, b] for situation `query`, dL/dtheta and dL/dbias (all stored points),
        by learner.loss.kde_cross_entropy and metric_backward (the pieces learn_window composes)."""
        index, logits = self.select(query)
        loss, grad_z = kde_cross_entropy(self.points[index], logits, a, b, self.bandwidth, self.kernel)
        grad_theta = np.zeros(self.d)
        grad_bias = np.zeros(self.count)
        if not self.equal:
            metric_backward(self.state.dist, index, index.size, grad_z, self.theta, grad_theta)
            grad_bias[index] = grad_z
        return loss, grad_theta, grad_bias

    def observe(self, a: float, b: float, query) -> float | None:
        """Learn from hit window [a, b] of a wave fired in situation `query`, then store its centre.

        Returns the pre-step loss, or None with no stored points yet.
        """
        if not a < b:
            raise ValueError(f"window must have a < b, got [{a}, {b}]")
        loss = observe_window(*self.state, self._query(query), float(a), float(b))
        return None if math.isnan(loss) else float(loss)

    def _store(self, x: float, q) -> None:
        s = self.state
        store_point(s.cfg, s.points, s.features, s.bias, s.count, float(x), self._query(q))

    def density(self, query, xs) -> np.ndarray:
        """p(xs) for situation `query` (zeros with no data)."""
        xs = np.asarray(xs, dtype=float)
        if not self.count:
            return np.zeros(xs.shape)
        index, logits = self.select(query)
        return mixture_density(xs, self.points[index], logits, self.bandwidth, self.kernel)

    def mass(self, query, a: float, b: float, points: int) -> float:
        """P([a, b]) for situation `query` by `points` evenly spaced density values (window_mass; needs data)."""
        if not self.count:
            raise ValueError("the model has no stored points")
        if int(points) < 2:
            raise ValueError(f"points must be >= 2, got {points!r}")
        s = self.state
        return float(window_mass(s.cfg, s.theta, s.points, s.features, s.bias, s.count, s.dist, s.index, s.work,
                                 self._query(query), float(a), float(b), np.empty(int(points)), np.empty(int(points))))

    def peak(self, query) -> float:
        """GF in [-1, 1] where the density for `query` is largest, on a PEAK_GRID grid (0 with no data)."""
        s = self.state
        return float(peak_of(s.cfg, s.theta, s.points, s.features, s.bias, s.count, s.dist, s.index, s.work,
                             self._query(query), self._grid, np.empty(PEAK_GRID)))
