"""Wave windows against a brute-force bullet simulation, plus hand-computed geometry."""
import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from arena import waves as waves_module
from arena.geometry import bearing_offset
from arena.waves import (Wave, WaveTracker, angle_of_gf, bullet_speed, clip_window, gf_of_angle,
                         max_escape_angle, tick_angle_interval)

HALF = 18.0


def turn_hits(wave, angles, tick, centre):
    """Which bullets (one per absolute angle) hit in the turn ending at `tick`, box at `centre`.

    Segment vs closed box by slab clipping (Liang-Barsky), independent of the annulus geometry.
    """
    ux, uy = np.sin(angles), np.cos(angles)
    r0, r1 = wave.radius(tick - 1), wave.radius(tick)
    lo, hi = np.zeros_like(angles), np.ones_like(angles)
    for u, s, c in ((ux, wave.source_x, centre[0]), (uy, wave.source_y, centre[1])):
        a, d = s + r0 * u, (r1 - r0) * u
        with np.errstate(all="ignore"):
            t1, t2 = (c - HALF - a) / d, (c + HALF - a) / d
        inside = (a >= c - HALF) & (a <= c + HALF)
        flat = d == 0
        lo = np.where(flat, np.where(inside, lo, np.inf), np.maximum(lo, np.minimum(t1, t2)))
        hi = np.where(flat, hi, np.minimum(hi, np.maximum(t1, t2)))
    return lo <= hi


def bullets_hit(wave, angles, path):
    """Which bullets hit over the wave's whole flight; path[T] is the target's position at tick T."""
    angles = np.asarray(angles, dtype=float)
    hit = np.zeros(angles.shape, dtype=bool)
    tick = wave.fire_time + 1
    while True:
        cx, cy = path[tick - 1]
        if wave.radius(tick - 1) > math.hypot(cx - wave.source_x, cy - wave.source_y) + 26.0:
            return hit
        hit |= turn_hits(wave, angles, tick, (cx, cy))
        tick += 1


def random_path(rng, start, fire_time, ticks):
    """Target positions by tick: a wandering drive with |step| <= 8 px per tick."""
    x, y = start
    heading, velocity = rng.uniform(0, 2 * math.pi), rng.uniform(-8, 8)
    path = {fire_time: (x, y)}
    for tick in range(fire_time + 1, fire_time + ticks):
        if rng.random() < 0.1:
            velocity = rng.uniform(-8, 8)
        heading += rng.normal(0, 0.15)
        x, y = x + velocity * math.sin(heading), y + velocity * math.cos(heading)
        path[tick] = (x, y)
    return path, heading, velocity


def source_covered(wave, path):
    """Did the source lie in the target's box on a turn while the wave could still reach the box?"""
    tick = wave.fire_time + 1
    while True:
        dx, dy = (abs(c - s) for c, s in zip(path[tick - 1], (wave.source_x, wave.source_y)))
        if wave.radius(tick - 1) > math.hypot(dx + HALF, dy + HALF):
            return False
        if dx <= HALF and dy <= HALF:
            return True
        tick += 1


def track(wave, path):
    """Run a tracker holding only `wave` over `path` until the wave breaks."""
    tracker = WaveTracker()
    tracker.add(wave)
    tick = wave.fire_time + 1
    while tracker.waves:
        breaks = tracker.advance(tick, path[tick - 1])
        tick += 1
    return breaks


@settings(max_examples=60, deadline=None)
@given(sx=st.floats(0, 1200), sy=st.floats(0, 900), bearing=st.floats(0, 2 * math.pi),
       distance=st.floats(36, 800), power=st.floats(0.1, 3), fire_time=st.integers(0, 500),
       seed=st.integers(0, 2**32 - 1))
def test_window_matches_brute_force(sx, sy, bearing, distance, power, fire_time, seed):
    rng = np.random.default_rng(seed)
    start = (sx + distance * math.sin(bearing), sy + distance * math.cos(bearing))
    path, heading, velocity = random_path(rng, start, fire_time, 400)
    wave = Wave.aimed((sx, sy), start, heading, velocity, fire_time, power)

    breaks = track(wave, path)
    assert len(breaks) == 1 and breaks[0].wave is wave
    a, b = breaks[0].a, breaks[0].b
    assert a <= b

    def hitting_gfs(gfs):
        gfs = np.asarray(gfs)
        return gfs[bullets_hit(wave, [angle_of_gf(wave, g) for g in gfs], path)]

    # No bullet anywhere on the circle hits outside [a, b].
    coarse = np.linspace(-math.pi, math.pi, 7200, endpoint=False) / wave.mea
    hits = hitting_gfs(coarse)
    assert hits.size and hits.min() >= a - 1e-9 and hits.max() <= b + 1e-9
    if source_covered(wave, path):  # the target drove over the source: conservative by design
        assert (a, b) == (-math.pi / wave.mea, math.pi / wave.mea)
        return
    # Around each end, finely: the sampled hits reach the end to within one sample.
    step = 1e-6 / wave.mea
    for end, inward in ((a, 1), (b, -1)):
        fine = end + np.arange(-1000, 1001) * step
        hits = hitting_gfs(fine)
        assert hits.size and hits.min() >= a - 1e-9 and hits.max() <= b + 1e-9
        nearest = hits.min() if inward == 1 else hits.max()
        assert abs(nearest - end) <= step + 1e-9


def test_annulus_short_of_the_box_shortcut_changes_no_answer(monkeypatch):
    """tick_offsets returns "no hit" at once when r1 is clearly short of the box's nearest point. With that
    shortcut switched off (an infinite margin) the full fold of corners and edge crossings must agree bit for
    bit, for r1 spread around the nearest distance down to a few ulps, and for r1 well past it."""
    rng = np.random.default_rng(5)
    sx, sy = rng.uniform(0, 800, 4000), rng.uniform(0, 600, 4000)
    bx, by = sx + rng.uniform(-400, 400, 4000), sy + rng.uniform(-400, 400, 4000)
    cases = []
    for x, y, cx, cy in zip(sx.tolist(), sy.tolist(), bx.tolist(), by.tolist()):
        nx, ny = max(cx - x - HALF, 0.0, x - cx - HALF), max(cy - y - HALF, 0.0, y - cy - HALF)
        near = math.hypot(nx, ny)
        for r1 in (near * (1 - 1e-9), near * (1 - 2e-12), near * (1 - 4e-13), np.nextafter(near, 0.0), near,
                   np.nextafter(near, math.inf), near * (1 + 1e-9), near + 10.0):
            cases.append((x, y, cx, cy, max(r1 - 14.0, 0.0), float(r1)))
    shortcut = [waves_module.tick_offsets(x, y, 0.3, r0, r1, cx, cy) for x, y, cx, cy, r0, r1 in cases]
    monkeypatch.setattr(waves_module, "SQUARES_MARGIN", math.inf)  # (1 - inf) < 0: never short
    full = [waves_module.tick_offsets(x, y, 0.3, r0, r1, cx, cy) for x, y, cx, cy, r0, r1 in cases]
    assert shortcut == full
    found = sum(f[0] for f in full)
    assert 0.2 * len(cases) < found < 0.8 * len(cases)  # both answers occur, also among the near-equal radii


@pytest.mark.parametrize("distance", [60.0, 200.0, 750.0])
@pytest.mark.parametrize("power", [0.1, 1.9, 3.0])
def test_stationary_target_due_north(distance, power):
    source = (300.0, 50.0)
    target = (300.0, 50.0 + distance)
    wave = Wave.aimed(source, target, 0.0, 0.0, fire_time=7, power=power)
    (brk,) = track(wave, {tick: target for tick in range(7, 400)})
    # Over its life the wave sweeps the whole box; the widest bearings are the near corners.
    half_width = math.atan2(HALF, distance - HALF) / math.asin(8.0 / (20.0 - 3.0 * power))
    assert brk.a == pytest.approx(-half_width, abs=1e-12)
    assert brk.b == pytest.approx(half_width, abs=1e-12)
    # It breaks on the first tick whose turn starts beyond the far corners.
    far = math.hypot(HALF, distance + HALF)
    assert (brk.tick - 2 - 7) * wave.speed <= far < (brk.tick - 1 - 7) * wave.speed


def test_last_turn_touches_only_the_far_corners():
    # Box centred 102 north; the turn starts past the far edge (r0 > 120) but short of the far corners.
    wave = Wave.aimed((0.0, 0.0), (0.0, 102.0), 0.0, 0.0, fire_time=0, power=3.0)  # speed 11
    tick = 12  # r0 = 121, r1 = 132 > far corner (121.34)
    r0 = wave.radius(tick - 1)
    assert 120 < r0 < math.hypot(18, 120) < wave.radius(tick)
    lo, hi = tick_angle_interval(wave, tick, (0.0, 102.0))
    # Extremes are where the circle r0 crosses the side edges x = +-18.
    edge = math.atan2(18.0, math.sqrt(r0 * r0 - 18.0 * 18.0))
    assert (lo, hi) == pytest.approx((-edge, edge), abs=1e-12)
    # The middle bearing misses this turn: the per-turn set is two pieces; the interval is its hull.
    bearings = np.linspace(-0.2, 0.2, 4001)
    hits = bearings[turn_hits(wave, bearings, tick, (0.0, 102.0))]
    assert not turn_hits(wave, np.array([0.0]), tick, (0.0, 102.0))[0]
    assert hits.min() == pytest.approx(-edge, abs=1e-4) and hits.max() == pytest.approx(edge, abs=1e-4)
    assert tick_angle_interval(wave, tick + 1, (0.0, 102.0)) is None


def test_source_inside_box_is_conservative():
    wave = Wave.aimed((0.0, 0.0), (0.0, 100.0), 0.0, 0.0, fire_time=0, power=1.0)
    assert tick_angle_interval(wave, 1, (5.0, -10.0)) == (-math.pi, math.pi)
    assert tick_angle_interval(wave, 1, (18.0, 0.0)) == (-math.pi, math.pi)  # on the edge
    assert tick_angle_interval(wave, 4, (5.0, -10.0)) is None  # r0 = 51 > far corner (36.2)


def test_source_just_outside_box_is_exact():
    wave = Wave.aimed((0.0, 0.0), (0.0, 100.0), 0.0, 0.0, fire_time=0, power=1.0)  # speed 17
    lo, hi = tick_angle_interval(wave, 1, (0.0, 18.0 + 1e-9))  # source just below the bottom edge
    assert lo == pytest.approx(-math.pi / 2, abs=1e-6) and hi == pytest.approx(math.pi / 2, abs=1e-6)
    assert -math.pi / 2 < lo and hi < math.pi / 2


def test_tracker_timing_and_lifecycle():
    tracker = WaveTracker()
    early = Wave.aimed((0.0, 0.0), (0.0, 100.0), 0.0, 0.0, fire_time=0, power=3.0)
    late = Wave.aimed((0.0, 0.0), (0.0, 100.0), 0.0, 0.0, fire_time=5, power=3.0)
    tracker.add(early)
    tracker.add(late)
    assert tracker.advance(5, (0.0, 100.0)) == []
    assert late.gf_lo == math.inf  # not in flight until tick 6
    breaks = []
    for tick in range(6, 30):
        breaks += tracker.advance(tick, (0.0, 100.0))
    # r0 = (T-1-t)*11 > 119.37 first at T - 1 - t = 11.
    assert [(brk.wave, brk.tick) for brk in breaks] == [(early, 12), (late, 17)]
    assert tracker.waves == []
    tracker.add(Wave.aimed((0.0, 0.0), (0.0, 100.0), 0.0, 0.0, fire_time=30, power=3.0))
    tracker.clear()
    assert tracker.waves == []


def test_wave_that_never_touches_is_dropped_silently():
    wave = Wave.aimed((0.0, 0.0), (0.0, 100.0), 0.0, 0.0, fire_time=0, power=3.0)
    tracker = WaveTracker()
    tracker.add(wave)
    # The target "teleports" behind the wave, past which it has already been.
    assert tracker.advance(20, (0.0, 100.0)) == []
    assert tracker.waves == []


def test_turn_is_judged_against_previous_box():
    # Bullet fired at tick 0 straight north at a target 100 away, speed 11: the first turn
    # that reaches the box is 7 -> 8 (r 77..88 reaches the near edge at 82) against the tick-7 box.
    wave = Wave.aimed((0.0, 0.0), (0.0, 100.0), 0.0, 0.0, fire_time=0, power=3.0)
    assert tick_angle_interval(wave, 7, (0.0, 100.0)) is None  # r1 = 77 < 82
    assert tick_angle_interval(wave, 8, (0.0, 100.0)) is not None
    assert tick_angle_interval(wave, 8, (0.0, 107.0)) is None  # had the box at tick 7 been further
    assert tick_angle_interval(wave, 8, (0.0, 106.0)) is not None  # 88 touches the edge exactly


def test_speed_and_escape_angle():
    assert bullet_speed(3.0) == 11.0 and bullet_speed(5.0) == 11.0
    assert bullet_speed(0.0) == pytest.approx(19.7) and bullet_speed(1.0) == 17.0
    assert max_escape_angle(16.0) == pytest.approx(math.pi / 6)


def test_direction_sign():
    # Target due north of the source.
    def direction(heading, velocity):
        return Wave.aimed((0.0, 0.0), (0.0, 100.0), heading, velocity, 0, 2.0).direction
    assert direction(math.pi / 2, 8.0) == 1  # driving east: clockwise around the source
    assert direction(math.pi / 2, -8.0) == -1
    assert direction(3 * math.pi / 2, 8.0) == -1
    assert direction(0.0, 8.0) == 1  # straight away: no lateral motion counts as +1
    assert direction(math.pi / 2, 0.0) == 1


@given(direct=st.floats(-10, 10), gf=st.floats(-3, 3), direction=st.sampled_from([-1, 1]),
       power=st.floats(0.1, 3))
def test_gf_angle_round_trip(direct, gf, direction, power):
    speed = bullet_speed(power)
    wave = Wave(0.0, 0.0, 0, speed, direct, direction, max_escape_angle(speed))
    angle = angle_of_gf(wave, gf)
    assert 0.0 <= angle < 2 * math.pi
    if abs(gf) * wave.mea < math.pi - 1e-9:
        assert gf_of_angle(wave, angle) == pytest.approx(gf, abs=1e-9)
    assert angle_of_gf(wave, gf_of_angle(wave, direct + 0.3)) == pytest.approx(
        (direct + 0.3) % (2 * math.pi), abs=1e-9)


def test_gf_wraps_around_pi():
    # Target due south: the direct angle is pi, and bearings either side of it straddle +-pi.
    wave = Wave.aimed((400.0, 500.0), (400.0, 100.0), math.pi / 2, 8.0, 0, 2.0)
    assert wave.direct_angle == pytest.approx(math.pi)
    assert wave.direction == -1  # driving east while south of the source: counter-clockwise
    assert gf_of_angle(wave, math.pi + 0.1) == pytest.approx(-0.1 / wave.mea)
    assert gf_of_angle(wave, -math.pi + 0.1) == pytest.approx(-0.1 / wave.mea)
    assert gf_of_angle(wave, math.pi - 0.1) == pytest.approx(0.1 / wave.mea)
    assert gf_of_angle(wave, math.pi + 0.1 + 4 * math.pi) == pytest.approx(-0.1 / wave.mea)
    # The window of a target due south is continuous across +-pi, symmetric about GF 0.
    (brk,) = track(wave, {tick: (400.0, 100.0) for tick in range(0, 100)})
    assert brk.a == pytest.approx(-brk.b) and 0 < brk.b < 1
    # Exactly behind the direct bearing: the offset is +pi, never -pi.
    assert bearing_offset(-math.pi, 0.0) == math.pi
    assert gf_of_angle(wave, 0.0) == pytest.approx(-math.pi / wave.mea)


def test_clip_window():
    assert clip_window(-1.2, 0.4) == (-1.0, 0.4)
    assert clip_window(0.9, 1.3) == (0.9, 1.0)
    assert clip_window(1.1, 1.3) == (1.0, 1.0)
