"""A capped store of GF data points, kept aligned with logits and optimiser state.

Capping N keeps each aim and update O(N). Whenever a point is stored or
evicted, the same change is applied to the model's per-point parameters and
to the optimiser's per-element state, so index j means the same point in all
three places.

Eviction policies (when a store would exceed `capacity`):
  "oldest"  drop the earliest stored point (a sliding window over time);
  "lowest"  drop the point with the lowest logit, i.e. lowest weight S_j,
            oldest first among ties. The point just stored is a candidate too.
"""

from __future__ import annotations

import numpy as np
from numba import njit

EVICTION_POLICIES = ("oldest", "lowest")


@njit(cache=True)
def victim_index(stamps, logits, n, lowest):
    """Slot to evict among n: the oldest stamp, or (lowest=True) the lowest logit, oldest first among ties."""
    best = 0
    for j in range(1, n):
        if lowest:
            if logits[j] < logits[best] or (logits[j] == logits[best] and stamps[j] < stamps[best]):
                best = j
        elif stamps[j] < stamps[best]:
            best = j
    return best


class PointMemory:
    def __init__(self, capacity: int, model, optimizer, eviction: str = "oldest") -> None:
        if int(capacity) < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity!r}")
        if eviction not in EVICTION_POLICIES:
            raise ValueError(f"unknown eviction {eviction!r}; valid: {', '.join(EVICTION_POLICIES)}")
        self.capacity = int(capacity)
        self.eviction = eviction
        self.model = model
        self.optimizer = optimizer
        self.points = np.zeros(0)
        self.features = np.zeros((0, model.n_features))
        self.stamps = np.zeros(0, dtype=np.int64)  # insertion order, for "oldest"
        self._next_stamp = 0

    def __len__(self) -> int:
        return self.points.size

    def logits(self) -> np.ndarray:
        return self.model.logits(self.features)

    def feature_row(self, features) -> np.ndarray:
        """Check a point's features against the model; return them as a (1, d) row."""
        d = self.model.n_features
        if d == 0:
            if features is not None:
                raise ValueError("this logit model takes no features")
            return np.zeros((1, 0))
        row = None if features is None else np.asarray(features, dtype=float).reshape(1, -1)
        if row is None or row.shape[1] != d or not np.all(np.isfinite(row)):
            raise ValueError(f"features must be a finite vector of length {d}")
        return row

    def add(self, x: float, features=None) -> int | None:
        """Store point x (with its feature vector); return the evicted slot, if any."""
        x = float(x)
        if not np.isfinite(x):
            raise ValueError(f"point must be finite, got {x!r}")
        row = self.feature_row(features)
        self.points = np.append(self.points, x)
        self.features = np.vstack([self.features, row])
        self.stamps = np.append(self.stamps, self._next_stamp)
        self._next_stamp += 1
        if self.model.per_point:
            self.model.append(1)
            self.optimizer.grow(1)
        if len(self) <= self.capacity:
            return None
        victim = self._victim()
        self._keep(np.delete(np.arange(len(self)), victim))
        return victim

    def _victim(self) -> int:
        return int(victim_index(self.stamps, self.logits(), len(self), self.eviction == "lowest"))

    def _keep(self, index: np.ndarray) -> None:
        self.points = self.points[index]
        self.features = self.features[index]
        self.stamps = self.stamps[index]
        if self.model.per_point:
            self.model.keep(index)
            self.optimizer.keep(index)
