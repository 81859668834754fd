"""Which engine plays a battle: the compiled fast path whenever it reproduces the battle exactly, else the
reference engine. `arena run` and the lab's sweeps both play through here, so a strategy the compiled loop
learns to run (arena.fast.battle.check_supported accepting it) is used everywhere at once.

numba is imported on the first battle played, not when arena is imported.
"""
from __future__ import annotations

from dataclasses import dataclass

from .battle import Battle, BattleConfig, BattleResult, run_battle

FAST, REFERENCE = "fast", "reference"


@dataclass(frozen=True)
class BattlePath:
    """The engine chosen for a battle, and why (for the `path:` line and the sweep CSV's `path` column)."""
    name: str  # FAST or REFERENCE
    reason: str

    def describe(self) -> str:
        return f"{self.name} ({self.reason})"


def choose(config: BattleConfig, reference: bool = False) -> BattlePath:
    """The fast path if it supports `config` (and the reference was not asked for), else the reference.
    A config whose strategies cannot be built raises their error here, before any path is named."""
    Battle(config)
    if reference:
        return BattlePath(REFERENCE, "asked for")
    from . import fast  # numba: loaded only when a battle is about to run
    ok, why_not = fast.supports(config)
    return BattlePath(FAST, "compiled") if ok else BattlePath(REFERENCE, why_not)


def run_on(path: BattlePath, config: BattleConfig) -> BattleResult:
    """Play one battle on `path` (as choose() gave it); the result is the same on either path."""
    if path.name == FAST:
        from .fast.battle import run_fast_battle
        return run_fast_battle(config)
    return run_battle(config)


def play(config: BattleConfig, reference: bool = False) -> tuple[BattleResult, BattlePath]:
    """Play one battle on the path choose() picks; the result, and the path it ran on."""
    path = choose(config, reference)
    return run_on(path, config), path
