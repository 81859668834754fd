"""`borrowing`: how the per-tick functions are compiled, without numba's reference counting.

numba counts a reference each time an array (or a view of one) is bound to a name and un-counts it when
the name dies; its pruning pass removes only the simplest pairs. In the battle loop nearly every such
pair was kept: ~900 counter calls a tick in a surfer battle, a chain of dependent increments on a few
counters, about a fifth of the tick. A function compiled `borrowing` only reads and writes arrays its
caller owns and keeps alive for the whole call, and allocates none, so no count is needed. numba refuses
to compile an allocation without its runtime, so a function that needs one cannot be marked by mistake.
(`_nrt=False` is numba's own switch for this, used by its test suite; it changes no arithmetic.)

numba hands a caller's choice on to each callee that does not state its own, so a function that does
allocate and is called from borrowing code is compiled `owning`: reference counting on, stated.
"""
from numba import njit

borrowing = njit(cache=True, _nrt=False)
owning = njit(cache=True, _nrt=True)
