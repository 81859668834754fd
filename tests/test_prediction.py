"""Precise prediction follows the engine's real path tick by tick."""
import math

import numpy as np
from hypothesis import given, settings, strategies as st

from arena.engine import step
from arena.observation import SelfView
from arena.prediction import predict_path, predicted_window, robot_from_view
from arena.state import BattleState, Robot
from arena.strategies.orbiting import orbit_command
from arena.waves import Wave, WaveTracker


@settings(max_examples=25, deadline=None)
@given(st.floats(60, 740), st.floats(60, 540), st.floats(0, 2 * math.pi), st.floats(-8, 8), st.sampled_from([1, -1]))
def test_prediction_matches_engine_path(x, y, heading, velocity, direction):
    enemy = (400.0, 300.0)
    if math.hypot(x - enemy[0], y - enemy[1]) < 80:
        return
    me = Robot(x=x, y=y, heading=heading, gun_heading=heading, velocity=velocity)
    other = Robot(x=enemy[0], y=enemy[1], heading=0.0, gun_heading=0.0)
    state = BattleState(width=800, height=600, robots=[me, other])
    policy = lambda r: orbit_command(r, enemy[0], enemy[1], direction, 800, 600, 150.0)

    view = SelfView(x, y, heading, heading, velocity, 100.0, 3.0, 0.0, 0.0, 0.0)
    predicted = predict_path(robot_from_view(view), policy, 60, 800, 600)

    actual = []
    rng = np.random.default_rng(0)
    for _ in range(60):
        state, _ = step(state, [policy(state.robots[0]), None], rng)
        actual.append((state.robots[0].x, state.robots[0].y))
        if state.robots[0].status.value == "HIT_ROBOT":
            return  # a ram is the one thing prediction cannot foresee
    assert predicted == actual


def test_predicted_window_equals_the_tracked_window():
    """Following the predicted path, the window equals what the wave tracker records on the real path."""
    wave = Wave.aimed((100.0, 100.0), (400.0, 400.0), 1.0, 8.0, 0, 2.0)
    robot = Robot(x=400.0, y=400.0, heading=1.0, gun_heading=1.0, velocity=8.0)
    policy = lambda r: orbit_command(r, 100.0, 100.0, 1, 800, 600)
    path = predict_path(robot, policy, 60, 800, 600)
    predicted = predicted_window(Wave.aimed((100.0, 100.0), (400.0, 400.0), 1.0, 8.0, 0, 2.0), 0, (400.0, 400.0), path)

    tracker = WaveTracker()
    tracker.add(wave)
    positions = [(400.0, 400.0)] + path
    breaks = []
    for t in range(1, 60):
        breaks += tracker.advance(t, positions[t - 1])
    assert len(breaks) == 1
    assert predicted == (breaks[0].a, breaks[0].b)
