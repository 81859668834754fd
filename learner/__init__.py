"""Learned-weight KDE for guess-factor targeting: pure math (numpy, numba), no arena imports.

A KDE gun aims at the peak of p(x) = sum_j S_j K(x - x_j), S = softmax(z).
This package learns the logits z online from hit windows [a, b]. Its hot
path is compiled; learner.state documents the nopython API (state arrays and
@njit operations) that compiled callers use.
"""

from .compile_cache import keyed_cache

with keyed_cache():  # every compiled module is first imported here, under the source-keyed cache
    from .kde import density, log_density
    from .kernels import KERNELS, Kernel, get_kernel
    from .loss import hit_cross_entropy, kde_cross_entropy, softmax_cross_entropy, squared_error
    from .memory import PointMemory
    from .models import FreeLogits, LinearLogits
    from .online import KDELearner
    from .optim import SGD, Adam
    from .softmax import log_softmax, logsumexp, softmax

__all__ = [
    "KDELearner",
    "kde_cross_entropy",
    "hit_cross_entropy",
    "softmax_cross_entropy",
    "squared_error",
    "density",
    "log_density",
    "KERNELS",
    "Kernel",
    "get_kernel",
    "FreeLogits",
    "LinearLogits",
    "SGD",
    "Adam",
    "PointMemory",
    "softmax",
    "log_softmax",
    "logsumexp",
]
