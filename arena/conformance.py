"""Replay real-Robocode traces (../shared/conformance) through the engine and measure the differences."""
from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArenaError
from .engine import Order, next_bullet_id, step
from .events import BulletFired
from .state import BattleState, BulletStatus, Commands, Robot, RobotStatus

TOLERANCE = 1e-6
ROBOT_FIELDS = ("x", "y", "heading", "gun_heading", "velocity", "energy", "gun_heat")
ANGLE_FIELDS = {"heading", "gun_heading"}
IMPACTS = {"HIT_VICTIM", "HIT_WALL", "HIT_BULLET"}


class TraceError(ArenaError, ValueError):
    """A trace file that cannot be read as a conformance trace."""


@dataclass
class TraceReport:
    name: str
    ticks: int = 0
    errors: dict[str, float] = field(default_factory=lambda: {k: 0.0 for k in ROBOT_FIELDS + ("bullet",)})
    mismatches: list[str] = field(default_factory=list)  # deaths, impacts and bullet sets that differ
    status_mismatches: int = 0  # HIT_WALL / HIT_ROBOT flags that differ (informational)

    @property
    def passed(self) -> bool:
        return not self.mismatches and all(e <= TOLERANCE for e in self.errors.values())


def load_trace(path: str | Path) -> dict:
    try:
        with gzip.open(path, "rt") if str(path).endswith(".gz") else open(path) as fh:
            trace = json.load(fh)
    except (OSError, EOFError, ValueError, UnicodeDecodeError) as exc:
        raise TraceError(f"{path}: not a readable trace ({exc})") from None
    if not isinstance(trace, dict) or trace.get("format") != "robocode-conformance-trace":
        raise TraceError(f"{path}: not a robocode-conformance-trace file")
    if trace.get("version") != 1:
        raise TraceError(f"{path}: trace version {trace.get('version')!r} is not supported (only 1)")
    return trace


def initial_state(trace: dict, round_data: dict) -> BattleState:
    battle = trace["battle"]
    fields = trace["robot_fields"]
    robots = []
    for row in round_data["ticks"][0]["robots"]:
        r = dict(zip(fields, row))
        robots.append(Robot(x=r["x"], y=r["y"], heading=r["heading"], gun_heading=r["gun_heading"],
                            velocity=r["velocity"], energy=r["energy"], gun_heat=r["gun_heat"]))
    return BattleState(width=battle["width"], height=battle["height"], robots=robots,
                       gun_cooling_rate=battle.get("gun_cooling_rate", 0.1),
                       inactivity_time=battle.get("inactivity_time", 450))


def _commands(round_data: dict, tick: int) -> list[Commands | None]:
    out = []
    for per_robot in round_data["commands"]:
        c = per_robot.get(str(tick))
        out.append(Commands(**c) if c else None)
    return out


def _angle_error(a: float, b: float) -> float:
    d = math.fmod(a - b, 2 * math.pi)
    return min(abs(d), 2 * math.pi - abs(d))


def replay_round(trace: dict, round_data: dict, report: TraceReport) -> None:
    state = initial_state(trace, round_data)
    rf, bf = trace["robot_fields"], trace["bullet_fields"]
    ticks = round_data["ticks"]
    to_engine: dict[str, str] = {}  # trace bullet id -> engine bullet id
    seen: set[str] = set()
    impacted: set[str] = set()  # trace bullets whose impact tick is behind us (later ticks are explosion)
    hints = round_data.get("order", {})
    for t in range(len(ticks) - 1):
        expected = ticks[t + 1]
        rows = [dict(zip(bf, b)) for b in expected["bullets"]]
        rows = [b for b in rows if b["state"] != "EXPLODED" and not b["id"].endswith("-0")]
        new_ids = [b["id"] for b in rows if b["id"] not in seen]
        order = None
        if str(t) in hints:
            hint = hints[str(t)]
            pending = {b: next_bullet_id(state, int(b.split("-")[0])) for b in new_ids}
            order = Order(hint.get("robots"), [to_engine.get(b, pending.get(b, b)) for b in hint.get("bullets", [])])
        state, events = step(state, _commands(round_data, t), order=order)
        for ev in events:
            if isinstance(ev, BulletFired):
                match = [b for b in new_ids if int(b.split("-")[0]) == ev.owner]
                if len(match) != 1:
                    report.mismatches.append(f"tick {t + 1}: engine fired {ev.bullet_id}, trace shows {match}")
                    continue
                to_engine[match[0]] = ev.bullet_id
        for b in new_ids:
            seen.add(b)
            if b not in to_engine:
                report.mismatches.append(f"tick {t + 1}: trace bullet {b} was not fired by the engine")
                to_engine[b] = f"missing:{b}"
        _compare(state, expected, rows, rf, to_engine, impacted, t + 1, report)
        report.ticks += 1
        if any(r.status is RobotStatus.DEAD for r in state.robots) or len(report.mismatches) > 20:
            break


def _compare(state: BattleState, expected: dict, rows: list[dict], rf, to_engine, impacted: set[str],
             tick: int, report: TraceReport) -> None:
    for i, row in enumerate(expected["robots"]):
        want = dict(zip(rf, row))
        robot = state.robots[i]
        for name in ROBOT_FIELDS:
            got = getattr(robot, name)
            err = _angle_error(got, want[name]) if name in ANGLE_FIELDS else abs(got - want[name])
            report.errors[name] = max(report.errors[name], err)
        if (want["state"] == "DEAD") != (robot.status is RobotStatus.DEAD):
            report.mismatches.append(f"tick {tick}: robot {i} is {robot.status.value}, trace says {want['state']}")
        elif want["state"] != robot.status.value:
            report.status_mismatches += 1
    engine = {b.id: b for b in state.bullets}
    want_moving = {to_engine[b["id"]] for b in rows if b["state"] == "MOVING"}
    got_moving = {b.id for b in state.bullets if b.status is BulletStatus.MOVING}
    if want_moving != got_moving:
        report.mismatches.append(f"tick {tick}: moving bullets differ: engine-only {sorted(got_moving - want_moving)},"
                                 f" trace-only {sorted(want_moving - got_moving)}")
    for b in rows:
        eid = to_engine[b["id"]]
        if b["state"] == "MOVING" and eid in engine:
            mine = engine[eid]
            report.errors["bullet"] = max(report.errors["bullet"], abs(mine.x - b["x"]), abs(mine.y - b["y"]))
    first = [b for b in rows if b["state"] in IMPACTS and b["id"] not in impacted]
    impacted.update(b["id"] for b in first)
    want_impacts = {(to_engine[b["id"]], b["state"]) for b in first}
    got_impacts = {(b.id, b.status.value) for b in state.bullets if b.status is not BulletStatus.MOVING}
    if want_impacts != got_impacts:
        report.mismatches.append(f"tick {tick}: impacts differ: engine {sorted(got_impacts)}, trace {sorted(want_impacts)}")


def check_trace(path: str | Path) -> TraceReport:
    trace = load_trace(path)
    report = TraceReport(trace.get("name") or Path(path).name)
    try:
        for round_data in trace["rounds"]:
            replay_round(trace, round_data, report)
    except (KeyError, TypeError, IndexError, ValueError) as exc:
        raise TraceError(f"{path}: malformed trace ({type(exc).__name__}: {exc})") from None
    return report
