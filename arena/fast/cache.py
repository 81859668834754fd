"""Where compiled code is cached: a directory named after a hash of the sources it is compiled from.

numba re-checks only the file a cached function is defined in, not the files of the functions it calls
nor the module constants it froze in, so an edit to pilots.py (or to the shared physics in rules.py,
geometry.py, physics.py, waves.py, or to features.py and the strategies) could leave the battle loop in
battle.py stale. Keying the directory on all of them makes any such edit start a fresh cache.
"""
from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

import numba

PACKAGE = Path(__file__).resolve().parent
SHARED = ("jit.py", "rules.py", "geometry.py", "physics.py", "waves.py", "scoring.py", "battle.py",  # compiled in
          "features.py")
STRATEGIES = PACKAGE.parent / "strategies"  # the strategies' pure rules are compiled in too
LEARNER = PACKAGE.parent.parent / "learner"  # its compiled functions are linked into the loop's machine code
SOURCES = (sorted(PACKAGE.glob("*.py")) + [PACKAGE.parent / name for name in SHARED] + sorted(STRATEGIES.glob("*.py"))
           + sorted(LEARNER.glob("*.py")))


def source_hash() -> str:
    digest = hashlib.sha256()
    for path in SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _base() -> Path:
    """numba's own setting if the user made one, else next to the sources, else in the user's cache."""
    if numba.config.CACHE_DIR:
        return Path(numba.config.CACHE_DIR)
    if os.access(PACKAGE, os.W_OK):
        return PACKAGE / "__pycache__"
    return Path.home() / ".cache" / "arena-numba"


@contextmanager
def keyed_cache_dir():
    """Functions decorated with cache=True inside this block cache under the source-keyed directory."""
    previous = numba.config.CACHE_DIR
    base = _base()
    numba.config.CACHE_DIR = str(base / f"numba-{source_hash()}")
    try:
        yield
    finally:
        numba.config.CACHE_DIR = previous
