"""exp as a compiled scalar function that LLVM inlines and vectorises in callers' loops.

numba's math.exp is one libm call per value, which blocks vectorisation; this
exp_fast is plain arithmetic: Cody-Waite reduction x = k ln2 + r, |r| <= ln2/2,
a degree-13 Taylor polynomial for exp(r) (truncation < 1e-17) and 2^k written
straight into the exponent bits: within 1 ulp of math.exp. Arguments are
clamped to [-700, 700], so a result never underflows to a denormal: callers
only exponentiate shifted log terms, where e^-700 and 0 are the same thing.

The polynomial uses explicit fused multiply-adds (fma). No fastmath flags here or
in the loops that inline exp_fast: they let LLVM choose contraction and summation
order per inlining site, and the reference path and the compiled battle loop
(inlining the same function into different callers) then disagreed in the last
bit. Sums are written as LANES interleaved partial sums instead (vector_sum): a
fixed order. (LLVM no longer vectorises those sums; that is the price of the
fixed order, see issue 11's note.)
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
LANES = 4  # interleaved partial sums of vector_sum
_C = tuple(1.0 / math.factorial(k) for k in range(14))
C2, C3, C4, C5, C6, C7, C8, C9, C10, C11, C12, C13 = _C[2:]


@intrinsic
def bits_as_float(typingctx, bits):
    """The float64 whose IEEE bit pattern is the int64 `bits` (a register move, vectorisable)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())
    return types.float64(types.int64), codegen


@intrinsic
def float_bits(typingctx, x):
    """The int64 IEEE bit pattern of the float64 `x` (bits_as_float's inverse)."""
    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))
    return types.int64(types.float64), codegen


@intrinsic
def fma(typingctx, a, b, c):
    """a * b + c rounded once (llvm.fma: the FMA instruction), written out so that no compiled copy differs."""
    def codegen(context, builder, signature, args):
        return builder.fma(*args)
    return types.float64(types.float64, types.float64, types.float64), codegen


@njit(cache=True)
def exp_fast(x):
    """e^x for x in [-700, 700] (clamped outside), within 1 ulp."""
    t = min(max(x, -CLAMP), CLAMP)
    k = math.floor(t * LOG2E + 0.5)
    r = (t - k * LN2_HI) - k * LN2_LO
    p = fma(C13, r, C12)
    p = fma(p, r, C11)
    p = fma(p, r, C10)
    p = fma(p, r, C9)
    p = fma(p, r, C8)
    p = fma(p, r, C7)
    p = fma(p, r, C6)
    p = fma(p, r, C5)
    p = fma(p, r, C4)
    p = fma(p, r, C3)
    p = fma(p, r, C2)
    p = fma(p, r, 1.0)
    p = fma(p, r, 1.0)
    return p * bits_as_float((np.int64(k) + 1023) << 52)


@njit(cache=True)
def vector_sum(x, n):
    """sum(x[:n]) as LANES interleaved partial sums, added pairwise at the end.

    The order is written out, so every compiled copy gives the same bits (fastmath reassociation let LLVM
    pick an order per inlining site: the reference and the compiled loop then disagreed in the last bit).
    The independent partial sums also keep the adds from waiting on each other."""
    s0 = s1 = s2 = s3 = 0.0
    j = 0
    while j + LANES <= n:
        s0 += x[j]
        s1 += x[j + 1]
        s2 += x[j + 2]
        s3 += x[j + 3]
        j += LANES
    while j < n:
        s0 += x[j]
        j += 1
    return (s0 + s1) + (s2 + s3)


@njit(cache=True)
def exp_inplace(x, n, shift):
    """x[:n] = exp(x[:n] - shift) (a loop with no sum: LLVM vectorises it)."""
    for i in range(n):
        x[i] = exp_fast(x[i] - shift)


@njit(cache=True)
def exp_sum_inplace(x, n, shift):
    """x[:n] = exp(x[:n] - shift); returns their sum (vector_sum's order)."""
    exp_inplace(x, n, shift)
    return vector_sum(x, n)
