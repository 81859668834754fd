"""A learner's whole state as plain arrays, and its operations as nopython functions.

This is the learner. KDELearner (learner.online) only validates arguments and
calls these; compiled callers (e.g. a numba battle loop) call them directly
from their own @njit code, with no Python per hit window.

State (allocate with `new_state(cfg)`; capacity C, feature count d):
    cfg       float64[CFG_SIZE]   the configuration, by the CFG_* indices below
    points    float64[C + 1]      GF of stored point j in points[j], j < count
    features  float64[C + 1, d]   per-point features (d = 0: one free logit per point)
    params    float64[P]          trainable parameters: the logits themselves
                                  (P = C + 1, params[j] is point j's logit), or the
                                  linear weights w (P = d, logit_j = features[j] @ w)
    moment1   float64[P]          SGD velocity, or Adam's first moment
    moment2   float64[P]          Adam's second moment (unused by SGD)
    steps     float64[P]          Adam's per-parameter step counts
    stamps    int64[C + 1]        insertion order of each stored point
    meta      int64[META_SIZE]    [META_COUNT] stored points, [META_NEXT_STAMP] next stamp
Slot C is scratch: a new point is stored there before one is evicted. Points
keep insertion order (evicting shifts the later ones down), so results are
deterministic and independent of capacity until it is reached.

Config codes: cfg[CFG_KERNEL] in kernels.*_CODE; cfg[CFG_LOSS] in LOSS_*;
cfg[CFG_OPTIMIZER] in OPT_*; cfg[CFG_EVICTION] in EVICT_*; cfg[CFG_LEARN] 0/1;
cfg[CFG_FEATURES] = d; the rest are the float hyper-parameters by name.

Operations (all @njit, arguments in this order, `state` meaning the nine
arrays cfg, points, features, params, moment1, moment2, steps, stamps, meta):
    observe(*state, a, b, x, feature_row) -> loss (NaN with no stored point):
        one optimiser step on the loss of window [a, b], then store x;
    aim(*state, lo, hi) -> GF of the density's global maximum on [lo, hi];
    log_density(*state, xs, out): out[q] = log p~(xs[q]) (floored for compact kernels);
    log_weights(*state, out): out[:count] = log softmax of the logits.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .cross_entropy import window_cross_entropy
from .kde import COMPACT_FLOOR, log_density_into
from .kernels import BOX_CODE, EPANECHNIKOV_CODE
from .loss import HIT_FLOOR, N_BINS, hit_loss, squared_loss
from .memory import victim_index
from .optim import adam_step, sgd_step
from .peak import peak_of_mixture
from .fastexp import vector_sum
from .softmax import log_softmax_into

(CFG_KERNEL, CFG_LOSS, CFG_OPTIMIZER, CFG_EVICTION, CFG_LEARN, CFG_BANDWIDTH, CFG_LR, CFG_MOMENTUM, CFG_BETA1,
 CFG_BETA2, CFG_EPS, CFG_CAPACITY, CFG_LOG_SCALE, CFG_FEATURES, CFG_SIZE) = range(15)
LOSS_CE, LOSS_HARD, LOSS_SQUARED = 0, 1, 2
OPT_SGD, OPT_ADAM = 0, 1
EVICT_OLDEST, EVICT_LOWEST = 0, 1
META_COUNT, META_NEXT_STAMP, META_SIZE = 0, 1, 2


def new_state(cfg: np.ndarray) -> tuple:
    """Empty state arrays for this configuration (see the module doc)."""
    capacity, d = int(cfg[CFG_CAPACITY]), int(cfg[CFG_FEATURES])
    n_params = d if d else capacity + 1
    return (cfg, np.zeros(capacity + 1), np.zeros((capacity + 1, d)), np.zeros(n_params), np.zeros(n_params),
            np.zeros(n_params), np.zeros(n_params), np.zeros(capacity + 1, np.int64), np.zeros(META_SIZE, np.int64))


@njit(cache=True)
def logits_into(cfg, features, params, n, out):
    """out[:n] = the stored points' logits."""
    if cfg[CFG_FEATURES] == 0:
        out[:n] = params[:n]
    else:
        for j in range(n):
            out[j] = np.dot(features[j], params)


@njit(cache=True)
def log_weights(cfg, points, features, params, moment1, moment2, steps, stamps, meta, out):
    n = meta[META_COUNT]
    z = np.empty(n)
    logits_into(cfg, features, params, n, z)
    log_softmax_into(z, n, out)


@njit(cache=True)
def _floor(cfg):
    code = int(cfg[CFG_KERNEL])
    return COMPACT_FLOOR if code == EPANECHNIKOV_CODE or code == BOX_CODE else 0.0


@njit(cache=True)
def _loss(cfg, points, z, n, a, b, grad):
    h, code, loss_code = cfg[CFG_BANDWIDTH], int(cfg[CFG_KERNEL]), int(cfg[CFG_LOSS])
    if loss_code == LOSS_CE:
        return window_cross_entropy(points, z, n, a, b, h, code, cfg[CFG_LOG_SCALE], _floor(cfg), grad,
                                    np.zeros(1, np.int64))[0]
    if loss_code == LOSS_HARD:
        return hit_loss(points, z, n, a, b, h, HIT_FLOOR, grad)
    return squared_loss(points, z, n, a, b, h, code, cfg[CFG_LOG_SCALE], N_BINS, grad)


@njit(cache=True)
def _learn(cfg, points, features, params, moment1, moment2, steps, n, a, b):
    """One optimiser step on the window's loss; returns the loss before the step."""
    z = np.empty(n)
    logits_into(cfg, features, params, n, z)
    grad = np.empty(n)
    loss = _loss(cfg, points, z, n, a, b, grad)
    if cfg[CFG_LEARN] == 0.0:
        return loss
    d = int(cfg[CFG_FEATURES])
    if d:  # dL/dw = sum_j dL/dz_j phi_j
        grad_params = np.zeros(d)
        for j in range(n):
            grad_params += grad[j] * features[j]
        grad, m = grad_params, d
    else:
        m = n
    if int(cfg[CFG_OPTIMIZER]) == OPT_SGD:
        sgd_step(params, grad, moment1, m, cfg[CFG_LR], cfg[CFG_MOMENTUM])
    else:
        adam_step(params, grad, moment1, moment2, steps, m, cfg[CFG_LR], cfg[CFG_BETA1], cfg[CFG_BETA2], cfg[CFG_EPS])
    return loss


@njit(cache=True)
def _lowest(cfg, features, params, stamps, n):
    """The slot the "lowest" policy evicts ("oldest" evicts slot 0: points keep insertion order)."""
    z = np.empty(n)
    logits_into(cfg, features, params, n, z)
    return victim_index(stamps, z, n, True)


@njit(cache=True)
def shift_down(arr, victim, n):
    """arr[victim:n] = arr[victim + 1:n + 1], ascending (so the overlap is safe; LLVM makes it a memmove)."""
    for j in range(victim, n):
        arr[j] = arr[j + 1]


@njit(cache=True)
def _store(cfg, points, features, params, moment1, moment2, steps, stamps, meta, x, feature_row):
    """Append x; with free logits it starts at the mean logit (0 for the first point). Evict past capacity."""
    n = meta[META_COUNT]
    points[n] = x
    features[n, :] = feature_row
    stamps[n] = meta[META_NEXT_STAMP]
    meta[META_NEXT_STAMP] += 1
    free = cfg[CFG_FEATURES] == 0
    if free:
        params[n] = vector_sum(params, n) / n if n else 0.0
        moment1[n] = moment2[n] = steps[n] = 0.0
    n += 1
    if n > int(cfg[CFG_CAPACITY]):
        victim = _lowest(cfg, features, params, stamps, n) if int(cfg[CFG_EVICTION]) == EVICT_LOWEST else 0
        n -= 1
        shift_down(points, victim, n)
        shift_down(stamps, victim, n)
        if cfg[CFG_FEATURES]:
            features[victim:n] = features[victim + 1:n + 1]
        if free:
            for arr in (params, moment1, moment2, steps):
                shift_down(arr, victim, n)
    meta[META_COUNT] = n


@njit(cache=True)
def observe(cfg, points, features, params, moment1, moment2, steps, stamps, meta, a, b, x, feature_row):
    """Learn from hit window [a, b] (a < b), then store x (a GF in [-1, 1]). Returns the pre-step loss or NaN."""
    n = meta[META_COUNT]
    loss = np.nan
    if n:
        loss = _learn(cfg, points, features, params, moment1, moment2, steps, n, a, b)
    _store(cfg, points, features, params, moment1, moment2, steps, stamps, meta, x, feature_row)
    return loss


@njit(cache=True)
def aim(cfg, points, features, params, moment1, moment2, steps, stamps, meta, lo, hi):
    """The GF in [lo, hi] where the density is largest (0 clipped to [lo, hi] with no data)."""
    n = meta[META_COUNT]
    log_s = np.empty(n)
    log_weights(cfg, points, features, params, moment1, moment2, steps, stamps, meta, log_s)
    return peak_of_mixture(points, log_s, n, cfg[CFG_BANDWIDTH], int(cfg[CFG_KERNEL]), lo, hi)


@njit(cache=True)
def log_density(cfg, points, features, params, moment1, moment2, steps, stamps, meta, xs, out):
    """out[q] = log p~(xs[q]); -inf everywhere with no data."""
    n = meta[META_COUNT]
    if n == 0:
        out[:] = -np.inf
        return
    z = np.empty(n)
    logits_into(cfg, features, params, n, z)
    log_density_into(xs, points, z, n, cfg[CFG_BANDWIDTH], int(cfg[CFG_KERNEL]), cfg[CFG_LOG_SCALE], _floor(cfg),
                     out)
