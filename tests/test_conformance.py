"""Every real-Robocode trace replays within the README's tolerances, and the check can fail.

The traces live outside the repository (../shared/conformance, or the folder ARENA_CONFORMANCE names).
Without them these tests skip with the reason, except in CI (CI=true), where a missing trace folder fails.
"""
import gzip
import json
import math
import os
from pathlib import Path

import pytest

from arena import conformance, rules
from arena.cli import main
from arena.conformance import SCORE_TOLERANCE, TOLERANCE, TraceError, TraceReport, check_trace

REPO = Path(__file__).resolve().parents[1]
FOLDER = Path(os.environ.get("ARENA_CONFORMANCE") or REPO.parent / "shared" / "conformance")
TRACES = sorted((FOLDER / "traces").glob("*.json.gz"))
SCORED = sorted((FOLDER / "scores").glob("*.json.gz"))


def need(paths: list[Path], what: str) -> list[Path]:
    if not paths:
        reason = f"no {what} in {FOLDER} (set ARENA_CONFORMANCE to the conformance folder)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(reason)
        pytest.skip(reason)
    return paths


@pytest.fixture(scope="module")
def traces():
    return need(TRACES, "physics traces (traces/*.json.gz)")


@pytest.fixture(scope="module")
def scored():
    return need(SCORED, "score traces (scores/*.json.gz)")


def test_the_traces_are_there(traces, scored):
    assert len(traces) >= 10 and len(scored) >= 10


@pytest.mark.parametrize("path", TRACES + SCORED, ids=[f"{p.parent.name}/{p.name}" for p in TRACES + SCORED])
def test_trace_conforms(path):
    report = check_trace(path)
    assert report.passed, (report.errors, report.score_errors, report.mismatches[:5])
    assert report.ticks > 100
    assert all(e <= TOLERANCE for e in report.errors.values())
    if path in SCORED:
        assert set(report.score_errors) == set(conformance.SCORE_KEYS)
        assert report.score_error <= SCORE_TOLERANCE


def run_cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.slow
def test_cli_conform_passes_on_all_traces_and_shows_score_errors(traces, scored, capsys):
    code, out, _ = run_cli(capsys, "conform", *map(str, scored))
    assert code == 0
    assert f"{len(scored)} of {len(scored)} traces within tolerance 1e-12 (score 1e-09)" in out
    assert "score" in out.splitlines()[0]


def load(path: Path) -> dict:
    return json.load(gzip.open(path))


def write(trace: dict, tmp_path: Path, name="bad.json") -> Path:
    out = tmp_path / name
    out.write_text(json.dumps(trace))
    return out


def first_trace_with(paths, state: str) -> tuple[dict, int, int]:
    """A trace, and the tick and index of the first bullet row in `state`."""
    for path in paths:
        trace = load(path)
        for t, tick in enumerate(trace["rounds"][0]["ticks"]):
            for k, row in enumerate(tick["bullets"]):
                if row[-1] == state:
                    return trace, t, k
    raise AssertionError(f"no trace has a {state} bullet")


def test_an_error_of_1e_11_in_a_position_fails(traces, tmp_path):
    trace = load(traces[0])
    trace["rounds"][0]["ticks"][50]["robots"][0][0] += 1e-11
    report = check_trace(write(trace, tmp_path))
    assert not report.passed and 5e-12 < report.errors["x"] < 2e-11


def test_a_planted_score_error_of_1e_6_fails(scored, tmp_path, capsys):
    trace = load(scored[0])
    trace["rounds"][0]["score"][1]["bullet_damage"] += 1e-6
    bad = write(trace, tmp_path)
    report = check_trace(bad)
    assert not report.passed and report.score_errors["bullet_damage"] == pytest.approx(1e-6, rel=1e-3)
    assert report.score_errors["ram_damage"] == 0.0
    code, out, _ = run_cli(capsys, "conform", str(bad))
    assert code == 1 and "1.0e-06  FAIL" in out


@pytest.mark.parametrize("state", ["HIT_WALL", "HIT_ROBOT"])
def test_a_wrong_hit_flag_fails(traces, tmp_path, state):
    for path in traces:
        trace = load(path)
        ticks = trace["rounds"][0]["ticks"]
        where = [(t, i) for t, tick in enumerate(ticks) for i, row in enumerate(tick["robots"]) if row[-1] == state]
        if where:
            break
    t, i = where[0]
    ticks[t]["robots"][i][-1] = "ACTIVE"
    report = check_trace(write(trace, tmp_path))
    assert not report.passed and any(f"tick {t}: robot {i} is {state}" in m for m in report.mismatches)


@pytest.mark.parametrize("state", ["HIT_WALL", "HIT_BULLET"])
def test_where_a_bullet_stopped_is_compared(traces, tmp_path, state):
    trace, t, k = first_trace_with(traces, state)
    trace["rounds"][0]["ticks"][t]["bullets"][k][2] += 1e-9
    report = check_trace(write(trace, tmp_path))
    assert not report.passed and report.errors["bullet"] == pytest.approx(1e-9, rel=1e-3)


def test_the_turn_rate_in_the_wrong_order_of_operations_is_caught(traces, monkeypatch):
    """radians(10 - 0.75|v|) is Robocode's rate written in degrees first: it drifts by only ~1e-11, which
    the old tolerance of 1e-6 let through."""
    path = next(p for p in traces if p.name == "duel-11.json.gz")
    assert check_trace(path).passed
    monkeypatch.setattr(rules, "turn_rate", lambda v: min(rules.MAX_TURN_RATE, math.radians(10 - 0.75 * abs(v))))
    report = check_trace(path)
    worst = max(report.errors.values())
    assert not report.passed and TOLERANCE < worst < 1e-6


# -- the loader: one clear line for anything it cannot compare as the README says ------------------------------
def short(trace: dict, ticks=40) -> dict:
    trace["rounds"][0]["ticks"] = trace["rounds"][0]["ticks"][:ticks]
    return trace


def set_robot_values(trace, value, ticks=slice(1, None)):
    for tick in trace["rounds"][0]["ticks"][ticks]:
        for row in tick["robots"]:
            row[:7] = [value] * 7


def edit(fn):
    def apply(trace):
        fn(trace)
        return trace
    return apply


BAD_TRACES = {
    "no rounds": (edit(lambda t: t.update(rounds=[])), "no rounds"),
    "a single tick": (edit(lambda t: t["rounds"][0].update(ticks=t["rounds"][0]["ticks"][:1])), "1 tick"),
    "no ticks": (edit(lambda t: t["rounds"][0].update(ticks=[])), "0 tick"),
    "all expected values NaN": (edit(lambda t: set_robot_values(t, math.nan)), "finite number, got nan"),
    "one expected value NaN": (edit(lambda t: t["rounds"][0]["ticks"][7]["robots"][1].__setitem__(4, math.nan)),
                               "ticks[7].robots[1].velocity"),
    "an infinite value": (edit(lambda t: t["rounds"][0]["ticks"][3]["robots"][0].__setitem__(0, math.inf)),
                          "ticks[3].robots[0].x"),
    "a position as text": (edit(lambda t: t["rounds"][0]["ticks"][3]["robots"][0].__setitem__(1, "300")),
                           "ticks[3].robots[0].y: expected a finite number, got '300'"),
    "a boolean energy": (edit(lambda t: t["rounds"][0]["ticks"][2]["robots"][0].__setitem__(5, True)),
                         "robots[0].energy"),
    "a short robot row": (edit(lambda t: t["rounds"][0]["ticks"][2]["robots"][0].pop()), "expected 8 entries"),
    "robots not a list": (edit(lambda t: t["rounds"][0]["ticks"][2].update(robots={"0": 1})), "expected a list"),
    "an unknown robot state": (edit(lambda t: t["rounds"][0]["ticks"][2]["robots"][0].__setitem__(7, "ASLEEP")),
                               "unknown robot state"),
    "width as text": (edit(lambda t: t["battle"].update(width="800")), "battle.width"),
    "zero height": (edit(lambda t: t["battle"].update(height=0)), "battle.height: expected a positive"),
    "missing robot field": (edit(lambda t: t["robot_fields"].remove("energy")), "robot_fields: missing energy"),
    "rounds not a list": (edit(lambda t: t.update(rounds="all")), "rounds: expected a list"),
    "a command as text": (edit(lambda t: t["rounds"][0]["commands"][0].update({"1": {"ahead": "far"}})),
                          "commands[0]['1'].ahead"),
    "an unknown command": (edit(lambda t: t["rounds"][0]["commands"][0].update({"1": {"jump": 1.0}})),
                           "unknown command 'jump'"),
    "a bad bullet id": (edit(lambda t: t["rounds"][0]["ticks"][1].update(bullets=[[7, 0, 1.0, 1.0, 1.0, "MOVING"]])),
                        "expected an id like"),
    "a score component as text": (edit(lambda t: t["rounds"][0].update(
        score=[dict.fromkeys(conformance.SCORE_KEYS, 0.0), dict.fromkeys(conformance.SCORE_KEYS, "0")])),
        "score[1].survival"),
    "a missing score component": (edit(lambda t: t["rounds"][0].update(score=[{"total": 1.0}, {"total": 1.0}])),
                                  "score[0].survival"),
    "an order naming a robot twice": (edit(lambda t: t["rounds"][0].update(order={"3": {"robots": [0, 0]}})),
                                      "order of robots"),
}


@pytest.mark.parametrize("case", BAD_TRACES, ids=list(BAD_TRACES))
def test_a_trace_that_cannot_be_compared_is_refused_with_one_line(traces, tmp_path, capsys, case):
    mutate, words = BAD_TRACES[case]
    bad = write(mutate(short(load(traces[0]))), tmp_path)
    with pytest.raises(TraceError, match=None) as caught:
        check_trace(bad)
    assert words in str(caught.value)
    code, out, err = run_cli(capsys, "conform", str(bad))
    assert code == 2 and " ok" not in out
    assert err.startswith("arena: error:") and len(err.strip().splitlines()) == 1 and words in err


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -6], ids=["start", "middle", "end", "trailer"])
def test_a_flipped_byte_in_the_gzip_body_is_one_line(traces, tmp_path, capsys, where):
    data = bytearray(traces[0].read_bytes())
    at = int(len(data) * where) if where > 0 else len(data) + where
    data[at] ^= 0x55
    bad = tmp_path / "flipped.json.gz"
    bad.write_bytes(bytes(data))
    with pytest.raises(TraceError):
        check_trace(bad)
    code, out, err = run_cli(capsys, "conform", str(bad))
    assert code == 2 and err.startswith("arena: error:") and len(err.strip().splitlines()) == 1


def test_foreign_file_is_refused(tmp_path, capsys):
    junk = tmp_path / "junk.json.gz"
    junk.write_bytes(b"not gzip")
    with pytest.raises(TraceError):
        check_trace(junk)
    code, _, err = run_cli(capsys, "conform", str(junk))
    assert code == 2 and err.startswith("arena: error:") and len(err.strip().splitlines()) == 1


def test_nan_never_compares_as_ok_even_past_the_loader(traces, tmp_path, monkeypatch):
    trace = short(load(traces[0]))
    set_robot_values(trace, math.nan)
    monkeypatch.setattr(conformance, "validate_trace", lambda trace, path="": None)
    report = check_trace(write(trace, tmp_path))
    assert not report.passed and all(math.isnan(report.errors[k]) for k in conformance.ROBOT_FIELDS)


@pytest.mark.parametrize("errors, ticks", [({"x": math.nan}, 5), ({"x": 0.0}, 0), ({"x": 2e-12}, 5)],
                         ids=["nan", "no tick", "over"])
def test_a_report_passes_only_on_compared_ticks_within_tolerance(errors, ticks):
    report = TraceReport("t", ticks=ticks)
    report.errors.update(errors)
    assert not report.passed
    assert TraceReport("t", ticks=ticks or 1).passed
