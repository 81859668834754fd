"""The end-of-battle results table, with Robocode's columns, from the scorer's per-round components.

`round_components` is the one adapter between the scorer and the table: every RoundResult holds each
robot's components as a dict (arena.scoring.components: the eight components and the total).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..scoring import COMPONENTS as SCORED

# Score components in table order; `score` is the total (their sum, firsts and seconds excluded).
COMPONENTS = ("score", *SCORED)
COLUMNS = ("Rank", "Robot", "Total Score", "Survival", "Surv Bonus", "Bullet Dmg", "Bullet Bonus", "Ram Dmg * 2",
           "Ram Bonus", "1sts", "2nds", "3rds")
ROBOTS = 2


def round_components(round_result) -> np.ndarray:
    """(robots, components) for one round."""
    return np.array([[robot["total"], *(robot[name] for name in SCORED)] for robot in round_result.components],
                    dtype=float)


@dataclass(frozen=True)
class Results:
    """Totals over the rounds played so far; `rows` are (rank, robot index, totals), best first."""
    names: tuple[str, ...]
    played: int
    rounds: int
    totals: np.ndarray  # (robots, components)

    @classmethod
    def from_rounds(cls, names, per_round, rounds: int) -> Results:
        per_round = np.asarray(per_round, dtype=float).reshape(-1, ROBOTS, len(COMPONENTS))
        return cls(tuple(names), len(per_round), rounds, per_round.sum(axis=0))

    @property
    def rows(self) -> list[tuple[int, int, np.ndarray]]:
        total = self.totals[:, 0]
        order = sorted(range(ROBOTS), key=lambda i: (-total[i], i))
        return [(rank + 1, i, self.totals[i]) for rank, i in enumerate(order)]

    def cells(self) -> list[list[str]]:
        """The table as text cells, header first: Robocode's columns, total score with its share."""
        grand = self.totals[:, 0].sum()
        table = [list(COLUMNS)]
        for rank, i, values in self.rows:
            total = _number(values[0])
            if grand > 0:
                total += f" ({values[0] / grand:.0%})"
            table.append([_ordinal(rank), self.names[i], total, *(_number(v) for v in values[1:9]), "0"])
        return table

    def title(self) -> str:
        done = "all" if self.played == self.rounds else f"{self.played} of"
        return f"Results after {done} {self.rounds} round{'s' if self.rounds != 1 else ''}"

    def text(self) -> str:
        """The table as aligned plain text, for the terminal."""
        cells = self.cells()
        widths = [max(len(row[c]) for row in cells) for c in range(len(COLUMNS))]
        lines = [self.title()]
        for row in cells:
            lines.append("  ".join(cell.ljust(w) if c == 1 else cell.rjust(w)
                                   for c, (cell, w) in enumerate(zip(row, widths))).rstrip())
        return "\n".join(lines)


def _number(v: float) -> str:
    return f"{v:.0f}"


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
