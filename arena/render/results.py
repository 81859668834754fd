"""The end-of-battle results table, with Robocode's columns, from whatever a battle result exposes.

`round_components` is the one adapter between the scorer and the table: it reads each component by
its conformance-README name from a round's result, either from `components` (one dict per robot, the
total under "total") or from an attribute holding one value per robot. A component the scorer does
not expose is NaN and shows as "-"; firsts and seconds fall back to the round's winner.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Score components in table order; `score` is the total (their sum, firsts and seconds excluded).
COMPONENTS = ("score", "survival", "last_survivor_bonus", "bullet_damage", "bullet_kill_bonus", "ram_damage",
              "ram_kill_bonus", "firsts", "seconds")
COLUMNS = ("Rank", "Robot", "Total Score", "Survival", "Surv Bonus", "Bullet Dmg", "Bullet Bonus", "Ram Dmg * 2",
           "Ram Bonus", "1sts", "2nds", "3rds")
ROBOTS = 2


def round_components(round_result) -> np.ndarray:
    """(robots, components) for one round; NaN where the result does not say."""
    out = np.full((ROBOTS, len(COMPONENTS)), np.nan)
    per_robot = getattr(round_result, "components", None)
    for k, name in enumerate(COMPONENTS):
        if per_robot is not None and (name if name != "score" else "total") in per_robot[0]:
            out[:, k] = [float(robot[name if name != "score" else "total"]) for robot in per_robot]
        elif (values := getattr(round_result, name, None)) is not None:
            out[:, k] = [float(v) for v in values]
    winner = getattr(round_result, "winner", None)
    for k, place in ((COMPONENTS.index("firsts"), 0), (COMPONENTS.index("seconds"), 1)):
        if math.isnan(out[0, k]):
            out[:, k] = [float(winner is not None and (i == winner) == (place == 0)) for i in range(ROBOTS)]
    return out


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
        order = sorted(range(ROBOTS), key=lambda i: (-np.nan_to_num(total[i], nan=-np.inf), i))
        return [(rank + 1, i, self.totals[i]) for rank, i in enumerate(order)]

    def cells(self) -> list[list[str]]:
        """The table as text cells, header first: Robocode's columns, total score with its share."""
        grand = np.nansum(self.totals[:, 0])
        table = [list(COLUMNS)]
        for rank, i, values in self.rows:
            total = _number(values[0])
            if grand > 0 and not math.isnan(values[0]):
                total += f" ({values[0] / grand:.0%})"
            table.append([_ordinal(rank), self.names[i], total, *(_number(v) for v in values[1:7]),
                          *(_number(v) for v in values[7:9]), "0"])
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
        note = self.missing_note()
        return "\n".join(lines + ([note] if note else []))

    def missing_note(self) -> str:
        """Which columns show "-" because the battle result does not report them ("" if none)."""
        missing = [COLUMNS[k + 2] for k in range(1, 7) if np.isnan(self.totals[:, k]).all()]
        return f"- : not reported by this scorer: {', '.join(missing)}" if missing else ""


def _number(v: float) -> str:
    return "-" if math.isnan(v) else f"{v:.0f}"


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
