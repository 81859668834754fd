"""exp over a whole buffer in a loop LLVM can vectorise (numba's math.exp is one libm call per value).

Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2, a degree-13 Taylor polynomial
for exp(r) (truncation < 1e-17) and 2^k written straight into the exponent
bits: within 2 ulp of math.exp. Arguments are clamped to [-700, 700], so a
result never underflows to a denormal: callers only exponentiate
max-shifted log terms, where e^-700 and 0 are the same thing.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

LOG2E = 1.4426950408889634
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
ROUND_MAGIC = 6755399441055744.0  # 1.5 * 2^52: adding and subtracting it rounds to an integer
CLAMP = 700.0
_C = tuple(1.0 / math.factorial(k) for k in range(14))
C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13 = _C[2:]


@njit(cache=True, boundscheck=False)
def exp_inplace(x, n, shift, bits):
    """x[:n] = exp(x[:n] - shift); bits is int64 scratch of length >= n (passed in: allocating here costs 4x)."""
    for i in range(n):
        t = min(max(x[i] - shift, -CLAMP), CLAMP)
        k = (t * LOG2E + ROUND_MAGIC) - ROUND_MAGIC
        r = (t - k * LN2_HI) - k * LN2_LO
        p = C13 * r + C12
        p = p * r + C11
        p = p * r + C10
        p = p * r + C9
        p = p * r + C8
        p = p * r + C7
        p = p * r + C6
        p = p * r + C5
        p = p * r + C4
        p = p * r + C3
        p = p * r + C2
        p = p * r + 1.0
        x[i] = p * r + 1.0
        bits[i] = (np.int64(k) + 1023) << 52
    scale = bits.view(np.float64)
    for i in range(n):
        x[i] *= scale[i]
