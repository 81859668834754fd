"""Compiled (numba) fast paths: the engine step and whole battles, bit-identical to the plain reference.

arena/engine.py and arena/battle.py stay the reference; tests compare these against them.
"""
from .cache import keyed_cache_dir

with keyed_cache_dir():
    from . import battle, engine, pilots, pymath, scoring, waves  # noqa: F401  (compiled under the keyed cache)
