"""One definition of each rule for both paths: plain Python here, compiled inside arena/fast.

`@jit` marks a pure function (of floats, or of arrays) and returns it unchanged, so the reference engine
runs it as plain Python and never imports numba. Importing arena.fast calls `compile_marked`, which
registers every marked function with numba as register_jitable does: compiled code calls the same source.
Shared code calls `ceil`, `hypot`, `reaches` and `within` below instead of math's, whose numba forms differ from
CPython's (arena/fast/pymath.py gives hypot a compiled stand-in with CPython's bits, and teaches numba math.fmod).
"""
from __future__ import annotations

import math
from typing import Callable

SQUARES_MARGIN = 1e-12  # relative: far above the rounding of dx^2 + dy^2 and of hypot (a few ulps, ~1e-15)
_marked: list[Callable] = []
_stand_ins: dict[Callable, Callable] | None = None  # set once compile_marked has run


def jit(fn: Callable) -> Callable:
    """Mark `fn` to be compiled wherever compiled code calls it."""
    _marked.append(fn)
    if _stand_ins is not None:
        _register(fn)
    return fn


def compile_marked(stand_ins: dict[Callable, Callable]) -> None:
    """Let numba compile every marked function (and the ones marked later), `stand_ins[f]` in place of f."""
    global _stand_ins
    if _stand_ins is not None:
        return
    _stand_ins = stand_ins
    for fn in _marked:
        _register(fn)


def _register(fn: Callable) -> None:
    from numba.extending import overload

    impl = _stand_ins.get(fn, fn)
    overload(fn, strict=False, inline="never")(lambda *args: impl)


@jit
def ceil(x: float) -> float:
    """math.ceil as a float (numba's returns an int, which overflows past 2**63); inf stays inf."""
    return x if not abs(x) < 4503599627370496.0 else float(math.ceil(x))  # from 2**52 on, x is whole


@jit
def hypot(x: float, y: float) -> float:
    """math.hypot (compiled: CPython's own algorithm, not libm's, which differs by an ulp now and then)."""
    return math.hypot(x, y)


@jit
def reaches(r: float, dx: float, dy: float) -> bool:
    """r >= hypot(dx, dy) (compiled: decided from the squares where they are clearly apart, the same answer)."""
    return r >= hypot(dx, dy)


@jit
def within(r: float, dx: float, dy: float) -> bool:
    """r <= hypot(dx, dy) (compiled: decided from the squares where they are clearly apart, the same answer)."""
    return r <= hypot(dx, dy)
