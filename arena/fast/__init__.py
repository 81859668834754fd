"""Compiled (numba) fast paths: the engine step and whole battles, bit-identical to the plain reference.

arena/engine.py and arena/battle.py stay the reference; tests compare these against them. Importing this
package loads numba and the compiled functions (from the cache; the first use compiles for ~2 minutes), so the
rest of arena imports it only when a battle is about to run (arena/play.py).
"""
from pathlib import Path

import numba

from .cache import keyed_cache_dir

with keyed_cache_dir():
    CACHE_DIR = Path(numba.config.CACHE_DIR)
    from . import battle, engine, pilots, pymath, scoring, waves  # noqa: F401  (compiled under the keyed cache)


def supports(config) -> tuple[bool, str]:
    """(True, "") if the compiled battle loop reproduces this battle exactly, else (False, why not)."""
    try:
        battle.check_supported(config)
    except battle.UnsupportedConfig as exc:
        return False, str(exc)
    return True, ""


def compiled() -> bool:
    """Whether the battle loop's machine code is already in the cache (else the next battle compiles it)."""
    return any(CACHE_DIR.rglob("battle._advance-*.nbi"))
