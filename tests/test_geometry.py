import math

from hypothesis import given, strategies as st

from arena.geometry import (bearing_offset, normal_absolute_angle, normal_near_absolute_angle, normal_relative_angle,
                            segment_touches_box, segments_intersect)

angles = st.floats(-50, 50, allow_nan=False)


@given(angles)
def test_normalisations(a):
    n = normal_absolute_angle(a)
    assert 0 <= n <= 2 * math.pi
    r = normal_relative_angle(a)
    assert -math.pi <= r < math.pi
    assert math.isclose(math.sin(n), math.sin(a), abs_tol=1e-9) and math.isclose(math.sin(r), math.sin(a), abs_tol=1e-9)


def test_near_absolute_angle_snaps_to_right_angles():
    assert normal_near_absolute_angle(math.pi / 2 + 1e-15) == math.pi / 2
    assert normal_near_absolute_angle(2 * math.pi - 1e-7) == 0.0
    assert normal_near_absolute_angle(3 * math.pi / 2 + 5e-6) == 3 * math.pi / 2
    assert normal_near_absolute_angle(1.0) == 1.0


def brute_touches(ax, ay, bx, by, x0, y0, x1, y1, n=2000):
    for k in range(n + 1):
        t = k / n
        x, y = ax + t * (bx - ax), ay + t * (by - ay)
        if x0 <= x <= x1 and y0 <= y <= y1:
            return True
    return False


coords = st.floats(-100, 100, allow_nan=False)


@given(coords, coords, coords, coords)
def test_segment_box_agrees_with_sampling_when_clear(ax, ay, bx, by):
    box = (-18.0, -18.0, 18.0, 18.0)
    exact = segment_touches_box(ax, ay, bx, by, *box)
    if brute_touches(ax, ay, bx, by, *box):
        assert exact  # sampling found a point inside: it must touch
    # a sampled miss may still be a graze; check only clear misses via a grown box
    elif not brute_touches(ax, ay, bx, by, -18.5, -18.5, 18.5, 18.5):
        assert not exact


def test_box_edges_count():
    assert segment_touches_box(-30, 18, 30, 18, -18, -18, 18, 18)  # runs along the top edge
    assert not segment_touches_box(-30, 18.001, 30, 18.001, -18, -18, 18, 18)


def test_segments_intersect():
    assert segments_intersect(0, 0, 10, 10, 0, 10, 10, 0)
    assert not segments_intersect(0, 0, 1, 1, 2, 2, 3, 1)
    assert segments_intersect(0, 0, 2, 0, 2, 0, 3, 5)  # touching end points count


def test_the_two_relative_angle_conventions_differ_only_at_the_half_turn():
    # Robocode's normalRelativeAngle is [-pi, pi): a half turn is -pi. A wave's offset is (-pi, pi]: +pi.
    assert normal_relative_angle(math.pi) == -math.pi and normal_relative_angle(-math.pi) == -math.pi
    assert bearing_offset(math.pi, 0.0) == math.pi and bearing_offset(0.0, math.pi) == math.pi
    assert normal_relative_angle(3.0) == bearing_offset(3.0, 0.0) == 3.0
    assert math.isclose(bearing_offset(0.5, 2 * math.pi + 0.25), 0.25)  # a full turn apart counts as none
