"""Argument checks shared by the losses and the density, with clear messages.

Bad windows or bandwidths otherwise surface much later as NaN losses.
"""

from __future__ import annotations

import math

import numpy as np


def check_window(a: float, b: float) -> tuple[float, float]:
    a, b = float(a), float(b)
    if not (math.isfinite(a) and math.isfinite(b)):  # (math, not numpy: this runs once per hit window)
        raise ValueError(f"window ends must be finite, got [{a}, {b}]")
    if not a < b:
        raise ValueError(f"window must have a < b, got [{a}, {b}]")
    return a, b


def check_bandwidth(bandwidth: float) -> float:
    h = float(bandwidth)
    if not (math.isfinite(h) and h > 0):
        raise ValueError(f"bandwidth must be a finite number > 0, got {bandwidth!r}")
    return h


def check_points_logits(points, logits) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(points, dtype=float)
    z = np.asarray(logits, dtype=float)
    if x.ndim != 1 or z.ndim != 1:
        raise ValueError(f"points and logits must be 1-D, got shapes {x.shape} and {z.shape}")
    if x.size != z.size:
        raise ValueError(f"points and logits differ in length: {x.size} != {z.size}")
    if x.size == 0:
        raise ValueError("need at least one point (N >= 1)")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(z))):
        raise ValueError("points and logits must be finite")
    return x, z
