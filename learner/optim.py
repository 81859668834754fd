"""SGD (with momentum) and Adam that update a parameter array in place.

With FreeLogits the parameter array grows when a point is stored and shrinks
when one is evicted, so optimiser state is per element and re-aligned by
`grow(count)` (new elements get zero state) and `keep(index)` (the same index
array the memory applies to its points). A step on an array whose length no
longer matches the state raises instead of silently mixing up points.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def sgd_step(params, grad, velocity, m, lr, momentum):
    """velocity = momentum * velocity + grad; params -= lr * velocity (first m entries)."""
    for i in range(m):
        velocity[i] = momentum * velocity[i] + grad[i]
        params[i] -= lr * velocity[i]


@njit(cache=True)
def adam_step(params, grad, mean, var, steps, m, lr, beta1, beta2, eps):
    """One Adam step on the first m entries, each with its own step count."""
    for i in range(m):
        mean[i] = beta1 * mean[i] + (1.0 - beta1) * grad[i]
        var[i] = beta2 * var[i] + (1.0 - beta2) * grad[i] * grad[i]
        steps[i] += 1.0
        m_hat = mean[i] / (1.0 - beta1 ** steps[i])
        v_hat = var[i] / (1.0 - beta2 ** steps[i])
        params[i] -= lr * m_hat / (np.sqrt(v_hat) + eps)


class _ElementwiseOptimizer:
    """Holds named state arrays aligned element-for-element with the parameters."""

    _state_names: tuple[str, ...] = ()

    def __init__(self, lr: float) -> None:
        if not (np.isfinite(lr) and lr > 0):
            raise ValueError(f"lr must be > 0, got {lr!r}")
        self.lr = float(lr)
        self.state: dict[str, np.ndarray] = {}

    def _aligned_state(self, params: np.ndarray) -> dict[str, np.ndarray]:
        if not self.state:
            self.state = {name: np.zeros(params.shape) for name in self._state_names}
        elif next(iter(self.state.values())).shape != params.shape:
            raise ValueError(
                f"optimizer state has shape {next(iter(self.state.values())).shape} but params "
                f"have shape {params.shape}; call grow()/keep() when points are added/evicted"
            )
        return self.state

    def grow(self, count: int) -> None:
        """New parameters were appended: give them fresh (zero) state."""
        for name, arr in self.state.items():
            self.state[name] = np.concatenate([arr, np.zeros(count)])

    def keep(self, index) -> None:
        """Parameters were re-indexed as params[index]: do the same to the state."""
        for name, arr in self.state.items():
            self.state[name] = arr[index]


class SGD(_ElementwiseOptimizer):
    """velocity = momentum * velocity + grad; params -= lr * velocity."""

    _state_names = ("velocity",)

    def __init__(self, lr: float, momentum: float = 0.0) -> None:
        super().__init__(lr)
        if not 0.0 <= momentum < 1.0:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum = float(momentum)

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        state = self._aligned_state(params)
        sgd_step(params, np.asarray(grad, dtype=float), state["velocity"], params.size, self.lr, self.momentum)


class Adam(_ElementwiseOptimizer):
    """Adam with a step count per element, so late-added points get full bias correction."""

    _state_names = ("m", "v", "steps")

    def __init__(self, lr: float, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> None:
        super().__init__(lr)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"{name} must be in [0, 1), got {beta!r}")
        if not eps > 0:
            raise ValueError(f"eps must be > 0, got {eps!r}")
        self.beta1, self.beta2, self.eps = float(beta1), float(beta2), float(eps)

    def step(self, params: np.ndarray, grad: np.ndarray) -> None:
        state = self._aligned_state(params)
        adam_step(params, np.asarray(grad, dtype=float), state["m"], state["v"], state["steps"], params.size,
                  self.lr, self.beta1, self.beta2, self.eps)
