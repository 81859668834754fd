"""exp as a compiled scalar function that LLVM inlines and vectorises in callers' loops.

numba's math.exp is one libm call per value, which blocks vectorisation; this
exp_fast is plain arithmetic: Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2,
a degree-13 Taylor polynomial for exp(r) (truncation < 1e-17) and 2^k written
straight into the exponent bits: within 1 ulp of math.exp. Arguments are
clamped to [-700, 700], so a result never underflows to a denormal: callers
only exponentiate shifted log terms, where e^-700 and 0 are the same thing.

exp_fast is compiled with FMA contraction only; a caller's loop may use
fastmath={"reassoc"} for its sums, since LLVM keeps each inlined instruction's
own flags (reassociation would fold the Cody-Waite steps away).
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

LOG2E = 1.4426950408889634
LN2_HI = 6.93147180369123816490e-01
LN2_LO = 1.90821492927058770002e-10
CLAMP = 700.0
_C = tuple(1.0 / math.factorial(k) for k in range(14))
C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13 = _C[2:]


@intrinsic
def bits_as_float(typingctx, bits):
    """The float64 whose IEEE bit pattern is the int64 `bits` (a register move, vectorisable)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@njit(cache=True, fastmath={"contract"})
def exp_fast(x):
    """e^x for x in [-700, 700] (clamped outside), within 1 ulp."""
    t = min(max(x, -CLAMP), CLAMP)
    k = math.floor(t * LOG2E + 0.5)
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
    p = p * r + 1.0
    return p * bits_as_float((np.int64(k) + 1023) << 52)


@njit(cache=True, fastmath={"reassoc", "nsz", "contract"})
def exp_sum_inplace(x, n, shift):
    """x[:n] = exp(x[:n] - shift); returns their sum (in a fixed vectorised order: deterministic per binary)."""
    total = 0.0
    for i in range(n):
        e = exp_fast(x[i] - shift)
        x[i] = e
        total += e
    return total
