"""Ram score and ram kill bonus, worked out by hand from the Score section of ../shared/conformance/README.md
(Robocode 1.9.3.9's RobotStatistics): a ram scores 1.2 for the robot at fault and puts 0.6 on its tally
of damage dealt; a ram kill adds 0.3 x that tally, which holds bullet damage too.

Written against the README's rules, not read off arena/scoring.py (the scorer before it charged the
ram kill bonus on 1.2 per ram and left bullet damage off the tally: 61.56 instead of 61.38 below).
"""
import pytest

from arena import battle as battle_module
from arena.battle import Battle, BattleConfig, Side
from arena.state import Bullet, Robot


def round_score(monkeypatch, robots, bullets=(), inactivity_counter=0):
    """Play one round from hand-placed robots (and bullets) with strategies that never issue a command."""
    monkeypatch.setattr(battle_module, "start_positions", lambda rng, width, height: robots)
    battle = Battle(BattleConfig(shooter=Side("none", "duck"), target=Side("none", "duck"), rounds=1))
    battle.start_round()
    battle.state.bullets.extend(bullets)
    battle.state.inactivity_counter = inactivity_counter
    while not battle.state.round_over:
        battle.tick()
    (result,) = battle.result.rounds
    return result


def rammer_and_victim(victim_energy):
    """Robot 0 drives north at full speed from (400, 300) into robot 1 at (400, 340) (boxes overlap after
    its move); robot 1 has `victim_energy` left, so the first ram kills it (0.6 or less; see test_rules_by_hand)."""
    return [Robot(400.0, 300.0, 0.0, 0.0, velocity=8.0, distance_remaining=100.0),
            Robot(400.0, 340.0, 0.0, 0.0, energy=victim_energy)]


def test_a_ram_kill_scores_the_ram_and_30_percent_of_the_tally(monkeypatch):
    result = round_score(monkeypatch, rammer_and_victim(0.6))
    assert result.ticks == 1 and result.winner == 0
    # ram_damage 1.2 + ram_kill_bonus 0.3 * 0.6 (the tally: one ram's 0.6, not its 1.2 score)
    # + survival 50 (robot 1 died while robot 0 lived) + last_survivor_bonus 10 * (2 - 1)
    assert result.score[0] == pytest.approx(1.2 + 0.18 + 50.0 + 10.0, abs=1e-9)
    assert result.score[1] == 0.0


def test_the_ram_kill_bonus_counts_bullet_damage_on_the_tally(monkeypatch):
    # Robot 1 at 2.6 is hit first (bullet phase) by robot 0's power-0.5 bullet (20 - 1.5 = 18.5 px/tick,
    # from (400, 320) to (400, 338.5), into robot 1's box from y = 322): damage 4 * 0.5 = 2.0, leaving
    # 0.6; the ram in the robot phase of the same turn then kills it.
    # tally = 2.0 + 0.6 = 2.6 -> ram_kill_bonus 0.78; bullet_damage 2.0; ram_damage 1.2; no bullet kill
    # bonus (the bullet did not kill); survival 50; last survivor 10.
    bullet = Bullet("0-1", 0, 400.0, 320.0, 0.0, 0.5)
    result = round_score(monkeypatch, rammer_and_victim(2.6), [bullet])
    assert result.ticks == 1 and result.winner == 0 and result.hits[0] == 1
    assert result.bullet_damage[0] == pytest.approx(2.0, abs=1e-12)
    assert result.score[0] == pytest.approx(2.0 + 1.2 + 0.3 * 2.6 + 50.0 + 10.0, abs=1e-9)


def test_a_ram_that_does_not_kill_scores_1_2_and_no_kill_bonus(monkeypatch):
    # Robot 1 at 0.7 survives the ram at 0.0999...; with the inactivity counter past 450 the drain then
    # takes it to 0 in the same turn (< 0.1 -> 0) and kills it in the next (at 0 -> killed).
    # Robot 0: ram_damage 1.2, no ram kill bonus (the drain killed, not the ram), survival 50, last survivor 10.
    result = round_score(monkeypatch, rammer_and_victim(0.7), inactivity_counter=451)
    assert result.winner == 0 and result.ticks == 2
    assert result.score[0] == pytest.approx(1.2 + 50.0 + 10.0, abs=1e-9)
    assert result.score[1] == 0.0
