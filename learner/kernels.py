"""Normalised smoothing kernels K_h(u), in log space, as compiled scalar functions.

The learner works in log space (log S_j + log K) so that points far from a
window still give finite numbers; hence every kernel is defined by its
log-density. Compact kernels (epanechnikov, box) return log K = -inf outside
|u| <= h on purpose: callers see "no support" explicitly instead of a silent 0.

Compiled code names a kernel by its integer code (GAUSSIAN_CODE, ...). The
Kernel objects are the Python handles: name, code, a constant log-scale (a
kernel times a constant, which must never change a logit gradient) and
whether the support is compact. Laplace has a kink at u = 0, the compact
kernels at u = +-h; the compiled losses cut windows there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numba import njit

GAUSSIAN_CODE, LAPLACE_CODE, EPANECHNIKOV_CODE, BOX_CODE = 0, 1, 2, 3
LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


@njit(cache=True)
def log_kernel(code, u, h):
    """log K_h(u) of the kernel with this code."""
    if code == GAUSSIAN_CODE:
        t = u / h
        return -0.5 * t * t - math.log(h) - LOG_SQRT_2PI
    if code == LAPLACE_CODE:
        return -abs(u) / h - math.log(2.0 * h)
    d = abs(u)
    if code == EPANECHNIKOV_CODE:  # 1 - (u/h)^2 as (h - |u|)(h + |u|)/h^2: exact next to the support edge
        return math.log(0.75 * (h - d) * (h + d) / (h * h * h)) if d < h else -np.inf
    return -math.log(2.0 * h) if d <= h else -np.inf


@njit(cache=True)
def kernel_cdf(code, u, h):
    """integral_{-inf}^{u} K_h."""
    t = u / h
    if code == GAUSSIAN_CODE:
        return 0.5 * math.erfc(-t / math.sqrt(2.0))
    if code == LAPLACE_CODE:
        half_tail = 0.5 * math.exp(-abs(t))  # never overflows
        return half_tail if t < 0 else 1.0 - half_tail
    t = min(max(t, -1.0), 1.0)
    if code == EPANECHNIKOV_CODE:
        return 0.5 + 0.75 * (t - t * t * t / 3.0)
    return 0.5 * (t + 1.0)


@njit(cache=True)
def _map_log_kernel(code, u, h, out):
    for i in range(u.size):
        out[i] = log_kernel(code, u[i], h)


@njit(cache=True)
def _map_cdf(code, u, h, out):
    for i in range(u.size):
        out[i] = kernel_cdf(code, u[i], h)


@dataclass(frozen=True)
class Kernel:
    """A kernel family K_h(u) = exp(log_scale) K(u/h)/h."""

    name: str
    code: int
    compact: bool  # True if K = 0 for |u| > h
    log_scale: float = 0.0

    def logpdf(self, u, h: float) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        out = np.empty(u.size)
        _map_log_kernel(self.code, u.ravel(), float(h), out)
        return out.reshape(u.shape) + self.log_scale

    def pdf(self, u, h: float) -> np.ndarray:
        """K_h(u); exp of the log-density so both agree bit-for-bit."""
        return np.exp(self.logpdf(u, h))

    def cdf(self, u, h: float) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        out = np.empty(u.size)
        _map_cdf(self.code, u.ravel(), float(h), out)
        return out.reshape(u.shape) * math.exp(self.log_scale)

    def scaled(self, factor: float) -> "Kernel":
        """This kernel times a constant: no longer a density (the logit gradient must not notice)."""
        return replace(self, name=f"{self.name} x {factor:g}", log_scale=self.log_scale + math.log(factor))


GAUSSIAN = Kernel("gaussian", GAUSSIAN_CODE, False)
LAPLACE = Kernel("laplace", LAPLACE_CODE, False)
EPANECHNIKOV = Kernel("epanechnikov", EPANECHNIKOV_CODE, True)
# Uniform on [-h, h]: the 0/1 "hit or miss" kernel, scaled by 1/(2h) so it is a
# density like the others. The scale never matters for the logit gradient.
BOX = Kernel("box", BOX_CODE, True)

KERNELS: dict[str, Kernel] = {k.name: k for k in (GAUSSIAN, LAPLACE, EPANECHNIKOV, BOX)}


def get_kernel(kernel: str | Kernel) -> Kernel:
    """Look a kernel up by name (a Kernel instance passes through)."""
    if isinstance(kernel, Kernel):
        return kernel
    try:
        return KERNELS[kernel]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown kernel {kernel!r}; valid names: {', '.join(sorted(KERNELS))}"
        ) from None
