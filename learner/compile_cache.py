"""The learner's compiled-code cache lives in a directory keyed on a hash of all its sources.

numba re-validates a cached function only against its own file, so an edit to
cross_entropy.py would leave state.observe (which calls into it) running the
old code. A key over every learner module makes any edit start a fresh cache.
Compiled callers outside the package that call learner.state functions must
key their own cache on these sources too (see source_files).
"""

from __future__ import annotations

import hashlib
import os
from contextlib import contextmanager
from pathlib import Path

import numba

PACKAGE = Path(__file__).resolve().parent


def source_files() -> list[Path]:
    return sorted(PACKAGE.glob("*.py"))


@contextmanager
def keyed_cache():
    """Functions defined with cache=True inside this block cache under the source-keyed directory."""
    digest = hashlib.sha256(b"".join(path.read_bytes() for path in source_files())).hexdigest()[:16]
    if numba.config.CACHE_DIR:
        base = Path(numba.config.CACHE_DIR)
    elif os.access(PACKAGE, os.W_OK):
        base = PACKAGE / "__pycache__"
    else:
        base = Path.home() / ".cache" / "learner-numba"
    previous = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = str(base / f"numba-{digest}")
    try:
        yield
    finally:
        numba.config.CACHE_DIR = previous
