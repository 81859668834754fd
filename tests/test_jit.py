"""arena/jit.py: marked functions stay plain Python until arena.fast compiles them from the same source."""
import math
import subprocess
import sys

from numba import njit

import arena.fast  # noqa: F401  (compile_marked has run)
from arena.jit import ceil, hypot, jit


def test_the_reference_engine_never_imports_numba():
    code = "import sys, arena.engine, arena.waves, arena.prediction; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_a_function_marked_after_compilation_started_still_compiles():
    @jit
    def late(x):
        return 2.0 * x + 1.0

    assert late(1.5) == 4.0  # still the plain function
    assert njit(lambda x: late(x))(1.5) == 4.0


def test_ceil_is_a_float_plain_and_compiled_even_past_int64():
    compiled = njit(lambda x: ceil(x))
    for x, want in [(2.5, 3.0), (-2.5, -2.0), (3.0, 3.0), (1e300, 1e300), (math.inf, math.inf)]:
        assert ceil(x) == want and compiled(x) == want and isinstance(ceil(x), float)


def test_compiled_hypot_is_cpythons_where_libm_differs():
    libm = njit(lambda x, y: math.hypot(x, y))
    compiled = njit(lambda x, y: hypot(x, y))
    # found by search: numba's own math.hypot (libm) rounds these one ulp away from CPython's
    for x, y in [(57.99701805640948, 19.111027346007482), (36.09714258283508, 57.69076431162621),
                 (14.921014604930061, 8.744511746968865)]:
        assert libm(x, y) != math.hypot(x, y)
        assert compiled(x, y) == math.hypot(x, y) == hypot(x, y)
