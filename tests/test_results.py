"""The results table: Robocode's columns from a battle result's per-round components, ranked by total."""
from dataclasses import dataclass

import numpy as np
import pytest

from arena.render.results import COLUMNS, COMPONENTS, Results, round_components


@dataclass
class OldRound:
    """What the scorer exposed before it reported every component: totals, bullet damage and a winner."""
    winner: int | None
    score: list
    bullet_damage: list


@dataclass
class FullRound(OldRound):
    survival: list
    last_survivor_bonus: list
    bullet_kill_bonus: list
    ram_damage: list
    ram_kill_bonus: list
    firsts: list
    seconds: list


def test_missing_components_are_nan_and_places_come_from_the_winner():
    rows = round_components(OldRound(1, [16.0, 72.0], [16.0, 12.0]))
    k = COMPONENTS.index
    assert rows[:, k("score")].tolist() == [16.0, 72.0]
    assert rows[:, k("bullet_damage")].tolist() == [16.0, 12.0]
    assert np.isnan(rows[:, k("survival")]).all() and np.isnan(rows[:, k("ram_kill_bonus")]).all()
    assert rows[:, k("firsts")].tolist() == [0.0, 1.0] and rows[:, k("seconds")].tolist() == [1.0, 0.0]
    draw = round_components(OldRound(None, [5.0, 5.0], [5.0, 5.0]))
    assert draw[:, k("firsts")].tolist() == [0.0, 0.0] and draw[:, k("seconds")].tolist() == [0.0, 0.0]


def test_a_scorer_that_reports_every_component_is_used_as_is():
    # Robot 1 outlives robot 0 (50 survival + 10 bonus), hits for 12 and rams once (1.2); robot 0 hits for 16.
    full = FullRound(1, [16.0, 73.2], [16.0, 12.0], [0.0, 50.0], [0.0, 10.0], [0.0, 0.0], [0.0, 1.2], [0.0, 0.0],
                     [0.0, 1.0], [1.0, 0.0])
    rows = round_components(full)
    assert rows[1].tolist() == [73.2, 50.0, 10.0, 12.0, 0.0, 1.2, 0.0, 1.0, 0.0]


def test_table_ranks_by_total_and_shows_shares_and_dashes():
    rounds = [round_components(OldRound(1, [16.0, 72.0], [16.0, 12.0])),
              round_components(OldRound(0, [80.0, 32.0], [20.0, 32.0]))]
    results = Results.from_rounds(("gf-bins", "random-orbit"), rounds, 3)
    cells = results.cells()
    assert cells[0] == list(COLUMNS)
    # Totals 96 : 104 -> the target ranks first with 52% of all points.
    assert cells[1][:3] == ["1st", "random-orbit", "104 (52%)"] and cells[2][:3] == ["2nd", "gf-bins", "96 (48%)"]
    assert cells[1][COLUMNS.index("Bullet Dmg")] == "44" and cells[1][COLUMNS.index("Survival")] == "-"
    assert cells[1][COLUMNS.index("1sts")] == "1" and cells[1][COLUMNS.index("2nds")] == "1"
    assert cells[1][COLUMNS.index("3rds")] == "0"
    text = results.text()
    assert text.splitlines()[0] == "Results after 2 of 3 rounds"
    assert "not reported by this scorer: Survival" in text


@pytest.mark.parametrize("played, title", [(0, "Results after 0 of 1 round"), (1, "Results after all 1 round")])
def test_title_says_how_many_rounds_are_in(played, title):
    rounds = [round_components(OldRound(0, [1.0, 0.0], [1.0, 0.0]))] * played
    assert Results.from_rounds(("a", "b"), rounds, 1).title() == title


@dataclass
class ComponentsRound(OldRound):
    """The scorer's per-robot dicts (arena.scoring.components: the eight components and the total)."""
    components: list


def test_per_robot_component_dicts_are_read_too():
    names = ("survival", "last_survivor_bonus", "bullet_damage", "bullet_kill_bonus", "ram_damage",
             "ram_kill_bonus", "firsts", "seconds")
    robots = [dict(zip(names, [0.0, 0.0, 16.0, 0.0, 0.0, 0.0, 0.0, 1.0]), total=16.0),
              dict(zip(names, [50.0, 10.0, 12.0, 2.4, 1.2, 0.0, 1.0, 0.0]), total=75.6)]
    rows = round_components(ComponentsRound(1, [16.0, 75.6], [16.0, 12.0], robots))
    assert rows[1].tolist() == [75.6, 50.0, 10.0, 12.0, 2.4, 1.2, 0.0, 1.0, 0.0]
    assert Results.from_rounds(("a", "b"), [rows], 1).missing_note() == ""
