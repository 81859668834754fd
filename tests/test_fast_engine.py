"""The compiled engine step gives bit for bit what the reference step gives, on real traces and random play."""
import dataclasses
import math
import operator

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arena import conformance, engine
from arena.fast import engine as fast
from arena.fast.layout import EVENT_FIELDS, pack_commands, pack_state
from arena.fast.pymath import hypot, reaches, within
from arena.fast.surfing import PASS_MARGIN, _short_of
from arena.state import BattleState, Commands, Robot


def bits(value):
    """A value with every float spelled out exactly (so -0.0 != 0.0 and no rounding hides a difference)."""
    if isinstance(value, float):
        return value.hex()
    if isinstance(value, (list, tuple)):
        return tuple(bits(v) for v in value)
    if dataclasses.is_dataclass(value):  # states and events are slotted dataclasses
        return (type(value).__name__,) + tuple(bits(getattr(value, f.name)) for f in dataclasses.fields(value))
    return value


def test_hypot_is_cpython_hypot_bit_for_bit():
    rng = np.random.default_rng(7)
    xs = np.concatenate([rng.uniform(-1000, 1000, 20000), rng.normal(0, 1e-3, 2000), rng.normal(0, 1e200, 100),
                         [0.0, -0.0, 5e-324, 1e-310, math.inf, -math.inf, math.nan, 3.0]])
    ys = np.concatenate([rng.uniform(-1000, 1000, 20000) * rng.choice([1.0, 1e-4, 1e4], 20000),
                         rng.normal(0, 1e-3, 2000), rng.normal(0, 1e200, 100),
                         [0.0, 2.0, 5e-324, 3e-310, math.nan, 1.0, 1.0, 4.0]])
    for x, y in zip(xs.tolist(), ys.tolist()):
        assert bits(hypot(x, y)) == bits(math.hypot(x, y)), (x, y)


@pytest.mark.parametrize("shortcut, compare", [(reaches, operator.ge), (within, operator.le)],
                         ids=["reaches", "within"])
def test_the_squares_shortcuts_are_r_compared_with_cpython_hypot(shortcut, compare):
    """The squares shortcuts give Python's `r >= math.hypot(dx, dy)` (reaches) and `r <= math.hypot(dx, dy)`
    (within), also for r within an ulp of the hypot (where only hypot can decide), negative r, zeros,
    infinities and NaN."""
    rng = np.random.default_rng(11)
    dx, dy = rng.uniform(-800, 800, 20000), rng.uniform(-600, 600, 20000)
    exact = np.array([math.hypot(x, y) for x, y in zip(dx, dy)])
    r = np.concatenate([exact * rng.uniform(0.5, 1.5, exact.size), exact, np.nextafter(exact, 0.0),
                        np.nextafter(exact, np.inf), exact * (1 + 5e-13), exact * (1 - 5e-13), -exact])
    dx, dy = np.tile(dx, 7), np.tile(dy, 7)
    specials = [(0.0, 0.0, 0.0), (-0.0, 0.0, -0.0), (math.inf, 3.0, 4.0), (5.0, math.inf, 1.0), (math.nan, 3.0, 4.0),
                (5.0, math.nan, 4.0), (1e200, 1e200, 1e200), (1e-300, 1e-300, 0.0)]
    cases = list(zip(r.tolist(), dx.tolist(), dy.tolist())) + specials
    decided_by_hypot = 0
    for a, x, y in cases:
        assert shortcut(a, x, y) == compare(a, math.hypot(x, y)), (a, x, y)
        decided_by_hypot += abs(a * a - (x * x + y * y)) <= 1e-12 * (x * x + y * y)
    assert decided_by_hypot > 20000  # the near-equal cases really reach hypot


def test_the_surfers_short_of_test_is_the_references():
    """surfing._short_of (by the squares) is prediction.predicted_window's `radius < hypot(dx, dy) - 26`,
    also for radii within an ulp of hypot - 26, where only hypot can decide."""
    rng = np.random.default_rng(12)
    dx, dy = rng.uniform(-800, 800, 20000), rng.uniform(-600, 600, 20000)
    edge = np.array([math.hypot(x, y) - PASS_MARGIN for x, y in zip(dx, dy)])
    keep = edge > 0.0
    dx, dy, edge = dx[keep], dy[keep], edge[keep]
    radii = np.concatenate([edge * rng.uniform(0.5, 1.5, edge.size), edge, np.nextafter(edge, 0.0),
                            np.nextafter(edge, np.inf), edge * (1 + 5e-13), edge * (1 - 5e-13)])
    cases = list(zip(radii.tolist(), np.tile(dx, 6).tolist(), np.tile(dy, 6).tolist()))
    short = [_short_of(r, x, y) for r, x, y in cases]
    assert short == [r < math.hypot(x, y) - PASS_MARGIN for r, x, y in cases]
    assert 0.3 * len(cases) < sum(short) < 0.7 * len(cases)


@pytest.mark.slow
def test_fast_step_replays_every_trace_identically_to_the_reference(traces, monkeypatch):
    """Each trace replayed through both steps: identical after every turn, and within Robocode's tolerance."""
    def both(state, commands, rng=None, order=None):
        want, want_events = engine.step(state, commands, rng, order)
        got, got_events = fast.step(state, commands, rng, order)
        assert bits(got) == bits(want), f"states differ after tick {want.time}"
        assert bits(got_events) == bits(want_events), f"events differ at tick {want.time}"
        return got, got_events

    monkeypatch.setattr(conformance, "step", both)
    for path in traces:
        report = conformance.check_trace(path)
        assert report.passed, (path.name, report.mismatches[:3], report.errors)


def _robot(x, y, heading, energy, gun_heat, gun_heading=None):
    return Robot(x=x, y=y, heading=heading, gun_heading=heading if gun_heading is None else gun_heading,
                 energy=energy, gun_heat=gun_heat)


finite = st.floats(-600, 600, allow_nan=False)
commands = st.one_of(st.none(), st.builds(
    Commands,
    ahead=st.one_of(st.none(), finite, st.sampled_from([math.inf, -math.inf, 0.0])),
    turn=st.one_of(st.none(), st.floats(-7, 7)),
    max_velocity=st.one_of(st.none(), st.floats(-12, 12)),
    turn_gun=st.one_of(st.none(), st.floats(-0.05, 0.05), st.floats(-7, 7)),
    fire=st.one_of(st.none(), st.floats(0.1, 3), st.floats(-1, 4)),
))


@st.composite
def battles(draw):
    """A start and a few dozen turns of random commands for both robots. Starts are often close (rams),
    guns often aimed at each other (hits, bullets meeting), energy sometimes low (disabled robots) and
    the inactivity counter sometimes at its limit (the drain)."""
    width, height = draw(st.sampled_from([(400.0, 400.0), (800.0, 600.0), (1200.0, 900.0)]))
    x0, y0 = draw(st.floats(18, width - 18)), draw(st.floats(18, height - 18))
    if draw(st.booleans()):
        x1 = min(max(x0 + draw(st.floats(-70, 70)), 18.0), width - 18)
        y1 = min(max(y0 + draw(st.floats(-70, 70)), 18.0), height - 18)
    else:
        x1, y1 = draw(st.floats(18, width - 18)), draw(st.floats(18, height - 18))
    aim = draw(st.booleans())
    robots = []
    for (x, y), (ex, ey) in (((x0, y0), (x1, y1)), ((x1, y1), (x0, y0))):
        gun = math.atan2(ex - x, ey - y) % (2 * math.pi) + draw(st.floats(-0.02, 0.02)) if aim else None
        robots.append(_robot(x, y, draw(st.floats(0, 2 * math.pi, exclude_max=True)),
                             draw(st.sampled_from([100.0, 100.0, 3.0, 0.5, 0.0])),
                             draw(st.sampled_from([0.0, 0.0, 0.3, 3.0])), gun))
    state = BattleState(width=width, height=height, robots=robots,
                        inactivity_counter=draw(st.sampled_from([0, 0, 449, 451])),
                        inactivity_energy=draw(st.sampled_from([0.0, 9.95])))
    turns = draw(st.lists(st.tuples(commands, commands), min_size=10, max_size=80))
    return state, turns, draw(st.integers(0, 2 ** 32))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(battles())
def test_random_play_gives_identical_states_events_and_draws(battle):
    state, turns, seed = battle
    want_rng, got_rng = np.random.default_rng(seed), np.random.default_rng(seed)
    want = got = state
    for cmds in turns:
        want, want_events = engine.step(want, list(cmds), want_rng)
        got, got_events = fast.step(got, list(cmds), got_rng)
        assert bits(got) == bits(want)
        assert bits(got_events) == bits(want_events)
    assert got_rng.random() == want_rng.random()  # the same number of draws taken


def test_bullets_meeting_in_a_random_update_order():
    """Two robots firing at each other along one line: their bullets meet, in shuffled order, identically."""
    robots = [_robot(200.0, 300.0, math.pi / 2, 100.0, 0.0), _robot(600.0, 300.0, 3 * math.pi / 2, 100.0, 0.0)]
    want = got = BattleState(width=800.0, height=600.0, robots=robots)
    want_rng, got_rng = np.random.default_rng(3), np.random.default_rng(3)
    kinds = []
    for tick in range(40):
        cmds = [Commands(fire=1.0 + 0.5 * (tick % 3)), Commands(fire=2.0)]
        want, want_events = engine.step(want, cmds, want_rng)
        got, got_events = fast.step(got, cmds, got_rng)
        assert bits(got) == bits(want) and bits(got_events) == bits(want_events)
        kinds += [type(e).__name__ for e in got_events]
    assert "BulletHitBullet" in kinds


def test_explicit_orders_are_followed():
    """Two robots driving into each other: the update order decides the order of the rams, as in the reference."""
    robots = [_robot(400.0, 300.0, math.pi / 2, 100.0, 0.0), _robot(440.0, 300.0, 3 * math.pi / 2, 100.0, 0.0)]
    state = BattleState(width=800.0, height=600.0, robots=robots)
    cmds = [Commands(ahead=100.0), Commands(ahead=100.0)]
    for _ in range(3):
        state, _ = engine.step(state, cmds, order=engine.Order(robots=[0, 1]))
    for first in ([0, 1], [1, 0], []):
        order = engine.Order(robots=first, bullets=[])
        want, want_events = engine.step(state, cmds, order=order)
        got, got_events = fast.step(state, cmds, order=order)
        assert bits(got) == bits(want) and bits(got_events) == bits(want_events)
    for first in ([0, 1], [1, 0]):
        _, events = fast.step(state, cmds, order=engine.Order(robots=first))
        assert [e.robot for e in events if type(e).__name__ == "RobotRammed"] == first


def test_a_full_bullet_array_is_reported_not_overrun():
    robots = [_robot(100.0, 100.0, 0.0, 100.0, 0.0), _robot(600.0, 500.0, 0.0, 100.0, 0.0)]
    packed = pack_state(BattleState(width=800.0, height=600.0, robots=robots), spare_bullets=0)
    events = np.zeros((20, EVENT_FIELDS))
    result = fast.step_arrays(*packed, pack_commands([Commands(fire=1.0), None]), np.zeros(0),
                              np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0), events)
    assert result == fast.NO_BULLET_ROOM
