"""The results table: Robocode's columns from a battle result's per-round components, ranked by total."""
from dataclasses import dataclass

import pytest

from arena.render.results import COLUMNS, Results, round_components

NAMES = ("survival", "last_survivor_bonus", "bullet_damage", "bullet_kill_bonus", "ram_damage", "ram_kill_bonus",
         "firsts", "seconds")


@dataclass
class ComponentsRound:
    """The scorer's per-robot dicts (arena.scoring.components: the eight components and the total)."""
    components: list


def scored(*robots):
    """A round from each robot's eight components, in NAMES order; the total is their sum, places excluded."""
    return ComponentsRound([dict(zip(NAMES, values), total=sum(values[:6])) for values in robots])


def test_table_ranks_by_total_and_shows_shares():
    # Round 1: robot 1 outlives robot 0 (50 + 10) and hits for 12; robot 0 hits for 16. Totals 16 : 72.
    # Round 2: robot 0 outlives robot 1 (50 + 10) and hits for 20; robot 1 hits for 32. Totals 80 : 32.
    rounds = [round_components(scored([0, 0, 16, 0, 0, 0, 0, 1], [50, 10, 12, 0, 0, 0, 1, 0])),
              round_components(scored([50, 10, 20, 0, 0, 0, 1, 0], [0, 0, 32, 0, 0, 0, 0, 1]))]
    results = Results.from_rounds(("gf-bins", "random-orbit"), rounds, 3)
    cells = results.cells()
    assert cells[0] == list(COLUMNS)
    # Totals 96 : 104 -> the target ranks first with 52% of all points.
    assert cells[1][:3] == ["1st", "random-orbit", "104 (52%)"] and cells[2][:3] == ["2nd", "gf-bins", "96 (48%)"]
    assert cells[1][COLUMNS.index("Bullet Dmg")] == "44" and cells[1][COLUMNS.index("Survival")] == "50"
    assert cells[1][COLUMNS.index("1sts")] == "1" and cells[1][COLUMNS.index("2nds")] == "1"
    assert cells[1][COLUMNS.index("3rds")] == "0"
    text = results.text()
    assert text.splitlines()[0] == "Results after 2 of 3 rounds"


@pytest.mark.parametrize("played, title", [(0, "Results after 0 of 1 round"), (1, "Results after all 1 round")])
def test_title_says_how_many_rounds_are_in(played, title):
    rounds = [round_components(scored([0, 0, 1, 0, 0, 0, 1, 0], [0] * 8))] * played
    assert Results.from_rounds(("a", "b"), rounds, 1).title() == title


def test_per_robot_component_dicts_are_read_in_table_order():
    robots = [dict(zip(NAMES, [0.0, 0.0, 16.0, 0.0, 0.0, 0.0, 0.0, 1.0]), total=16.0),
              dict(zip(NAMES, [50.0, 10.0, 12.0, 2.4, 1.2, 0.0, 1.0, 0.0]), total=75.6)]
    rows = round_components(ComponentsRound(robots))
    assert rows[1].tolist() == [75.6, 50.0, 10.0, 12.0, 2.4, 1.2, 0.0, 1.0, 0.0]
    assert rows[0].tolist() == [16.0, 0.0, 0.0, 16.0, 0.0, 0.0, 0.0, 0.0, 1.0]
