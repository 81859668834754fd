"""Learned-weight KDE for guess-factor targeting: pure numpy math, no arena imports.

A KDE gun aims at the peak of p(x) = sum_j S_j K(x - x_j), S = softmax(z).
This package learns the logits z online from hit windows [a, b].
"""

from .binned import binned_density
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
    "binned_density",
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
