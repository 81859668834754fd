"""Normalised smoothing kernels K_h(u), evaluated directly and in log space.

The learner works in log space (log S_j + log K) so that points far from a
window still give finite numbers; hence every kernel is defined by its
log-density. Compact kernels (epanechnikov, box) return log K = -inf outside
|u| <= h on purpose: callers see "no support" explicitly instead of a silent 0.

Each kernel also carries its CDF (for exact per-bin masses) and the offsets,
in units of h, where it is not smooth (quadrature splits windows there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


@dataclass(frozen=True)
class Kernel:
    """A kernel family K_h(u) = K(u/h)/h, described by its log-density and CDF."""

    name: str
    logpdf: Callable[[np.ndarray, float], np.ndarray]
    cdf: Callable[[np.ndarray, float], np.ndarray]
    kinks: tuple[float, ...]  # offsets u/h where K is not analytic
    compact: bool  # True if K = 0 for |u| > h

    def pdf(self, u, h: float) -> np.ndarray:
        """K_h(u); exp of the log-density so both paths agree bit-for-bit."""
        return np.exp(self.logpdf(np.asarray(u, dtype=float), h))

    def breakpoints(self, centres: np.ndarray, h: float) -> np.ndarray:
        """Positions where sum_j S_j K_h(x - x_j) may have a kink or jump."""
        centres = np.asarray(centres, dtype=float)
        return (centres[:, None] + h * np.asarray(self.kinks)[None, :]).ravel()


# The (nodes x points) arrays are large; in-place steps avoid a fresh
# allocation (and its page faults) per arithmetic operation.


def _gaussian_logpdf(u, h):
    t = np.divide(u, h, out=np.empty(np.shape(u)))
    np.square(t, out=t)
    t *= -0.5
    t -= np.log(h) + _LOG_SQRT_2PI
    return t


def _gaussian_cdf(u, h):
    from scipy.special import ndtr  # scipy loads only when a CDF is needed (~0.25 s)
    return ndtr(u / h)


def _laplace_logpdf(u, h):
    t = np.abs(u, out=np.empty(np.shape(u)))
    t /= -h
    t -= np.log(2.0 * h)
    return t


def _laplace_cdf(u, h):
    half_tail = 0.5 * np.exp(-np.abs(u) / h)  # never overflows
    return np.where(u < 0, half_tail, 1.0 - half_tail)


def _epanechnikov_logpdf(u, h):
    t2 = np.square(u / h)
    out = np.full(np.shape(t2), -np.inf)
    inside = t2 < 1.0
    out[inside] = np.log(0.75 / h) + np.log1p(-t2[inside])
    return out


def _epanechnikov_cdf(u, h):
    t = np.clip(u / h, -1.0, 1.0)
    return 0.5 + 0.75 * (t - t**3 / 3.0)


def _box_logpdf(u, h):
    return np.where(np.abs(u) <= h, -np.log(2.0 * h), -np.inf)


def _box_cdf(u, h):
    return np.clip(0.5 * (u / h + 1.0), 0.0, 1.0)


GAUSSIAN = Kernel("gaussian", _gaussian_logpdf, _gaussian_cdf, (), False)
LAPLACE = Kernel("laplace", _laplace_logpdf, _laplace_cdf, (0.0,), False)
EPANECHNIKOV = Kernel("epanechnikov", _epanechnikov_logpdf, _epanechnikov_cdf, (-1.0, 1.0), True)
# Uniform on [-h, h]: the 0/1 "hit or miss" kernel, scaled by 1/(2h) so it is a
# density like the others. The scale never matters for the logit gradient.
BOX = Kernel("box", _box_logpdf, _box_cdf, (-1.0, 1.0), True)

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
