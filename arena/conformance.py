"""Replay real-Robocode traces (../shared/conformance) through the engine and measure the differences.

Tolerances are the conformance README's: 1e-12 for the physics (an exact replay stays below 1e-13; a
looser figure lets real rule errors through), 1e-9 for the score. A trace is validated before it is
replayed (types, finite values, at least one tick to compare), and an error that is NaN never passes.
"""
from __future__ import annotations

import dataclasses
import gzip
import json
import math
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ArenaError
from .engine import Order, next_bullet_id, step
from .events import BulletFired
from .scoring import COMPONENTS, Scorer
from .state import BattleState, BulletStatus, Commands, Robot, RobotStatus

TOLERANCE = 1e-12
SCORE_TOLERANCE = 1e-9
ROBOT_FIELDS = ("x", "y", "heading", "gun_heading", "velocity", "energy", "gun_heat")
ANGLE_FIELDS = {"heading", "gun_heading"}
BULLET_FIELDS = ("id", "owner", "x", "y", "power", "state")
ROBOT_STATES = {s.value for s in RobotStatus}
BULLET_STATES = {s.value for s in BulletStatus} | {"EXPLODED"}
IMPACTS = {"HIT_VICTIM", "HIT_WALL", "HIT_BULLET"}
# states whose recorded position is the bullet's own; a HIT_VICTIM records Robocode's explosion point (on the
# victim's box, following the victim as it moves), which the README leaves unmodelled
STOPPED_AT = {"MOVING", "HIT_WALL", "HIT_BULLET"}
COMMAND_KEYS = {f.name for f in dataclasses.fields(Commands)}  # what Commands(**command) takes
SCORE_KEYS = COMPONENTS + ("total",)
BULLET_ID = re.compile(r"\d+-\d+")


class TraceError(ArenaError, ValueError):
    """A trace file that cannot be read as a conformance trace."""


@dataclass
class TraceReport:
    name: str
    ticks: int = 0  # ticks compared
    errors: dict[str, float] = field(default_factory=lambda: {k: 0.0 for k in ROBOT_FIELDS + ("bullet",)})
    score_errors: dict[str, float] = field(default_factory=dict)  # per component; empty without a `score`
    mismatches: list[str] = field(default_factory=list)  # deaths, hit flags, impacts and bullet sets that differ

    @property
    def score_error(self) -> float | None:
        return _largest(self.score_errors.values()) if self.score_errors else None

    @property
    def passed(self) -> bool:
        return (self.ticks > 0 and not self.mismatches and all(e <= TOLERANCE for e in self.errors.values())
                and all(e <= SCORE_TOLERANCE for e in self.score_errors.values()))


def _worse(current: float, err: float) -> float:
    """The larger error; NaN wins (and stays), so that it can never compare as ok."""
    return current if err <= current or current != current else err


def _largest(errors) -> float:
    out = 0.0
    for e in errors:
        out = _worse(out, e)
    return out


# -- loading and validation ---------------------------------------------------------------------------------
def load_trace(path: str | Path) -> dict:
    try:
        with gzip.open(path, "rt") if str(path).endswith(".gz") else open(path) as fh:
            trace = json.load(fh)
    except FileNotFoundError:
        raise
    except (OSError, EOFError, ValueError, UnicodeDecodeError, zlib.error) as exc:
        raise TraceError(f"{path}: not a readable trace ({exc})") from None
    if not isinstance(trace, dict) or trace.get("format") != "robocode-conformance-trace":
        raise TraceError(f"{path}: not a robocode-conformance-trace file")
    if trace.get("version") != 1:
        raise TraceError(f"{path}: trace version {trace.get('version')!r} is not supported (only 1)")
    validate_trace(trace, path)
    return trace


def _fail(path, where: str, what: str):
    raise TraceError(f"{path}: {where}: {what}")


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _number(path, where: str, v, positive: bool = False) -> None:
    if not _is_number(v) or not math.isfinite(v):
        _fail(path, where, f"expected a finite number, got {v!r}")
    if positive and v <= 0:
        _fail(path, where, f"expected a positive number, got {v!r}")


def _list(path, where: str, v, length: int | None = None) -> list:
    if not isinstance(v, list):
        _fail(path, where, f"expected a list, got {type(v).__name__}")
    if length is not None and len(v) != length:
        _fail(path, where, f"expected {length} entries, got {len(v)}")
    return v


def _dict(path, where: str, v) -> dict:
    if not isinstance(v, dict):
        _fail(path, where, f"expected an object, got {type(v).__name__}")
    return v


def validate_trace(trace: dict, path="trace") -> None:
    """Refuse, with one line naming the place, anything the replay could not compare as the README says:
    wrong types, missing fields, values that are not finite, a trace without a tick to compare."""
    battle = _dict(path, "battle", trace.get("battle"))
    for key in ("width", "height"):
        _number(path, f"battle.{key}", battle.get(key), positive=True)
    for key in ("gun_cooling_rate", "inactivity_time"):
        if key in battle:
            _number(path, f"battle.{key}", battle[key], positive=True)
    rf = _list(path, "robot_fields", trace.get("robot_fields"))
    bf = _list(path, "bullet_fields", trace.get("bullet_fields"))
    for name, fields, needed in (("robot_fields", rf, ROBOT_FIELDS + ("state",)), ("bullet_fields", bf, BULLET_FIELDS)):
        missing = [k for k in needed if k not in fields]
        if missing:
            _fail(path, name, f"missing {', '.join(missing)}")
    rounds = _list(path, "rounds", trace.get("rounds"))
    if not rounds:
        _fail(path, "rounds", "no rounds: a trace must have a tick to compare")
    for r, round_data in enumerate(rounds):
        _validate_round(path, f"rounds[{r}]", _dict(path, f"rounds[{r}]", round_data), rf, bf)


def _validate_round(path, where: str, round_data: dict, rf: list, bf: list) -> None:
    ticks = _list(path, f"{where}.ticks", round_data.get("ticks"))
    if len(ticks) < 2:
        _fail(path, f"{where}.ticks", f"{len(ticks)} tick(s): a round needs its start and at least one tick to compare")
    n = len(_list(path, f"{where}.ticks[0].robots", _dict(path, f"{where}.ticks[0]", ticks[0]).get("robots")))
    if n < 2:
        _fail(path, f"{where}.ticks[0].robots", f"expected at least 2 robots, got {n}")
    for t, tick in enumerate(ticks):
        at = f"{where}.ticks[{t}]"
        tick = _dict(path, at, tick)
        for i, row in enumerate(_list(path, f"{at}.robots", tick.get("robots"), n)):
            values = dict(zip(rf, _list(path, f"{at}.robots[{i}]", row, len(rf))))
            for name in ROBOT_FIELDS:
                _number(path, f"{at}.robots[{i}].{name}", values[name])
            if values["state"] not in ROBOT_STATES:
                _fail(path, f"{at}.robots[{i}].state", f"unknown robot state {values['state']!r}")
        for k, row in enumerate(_list(path, f"{at}.bullets", tick.get("bullets", []))):
            values = dict(zip(bf, _list(path, f"{at}.bullets[{k}]", row, len(bf))))
            if not isinstance(values["id"], str) or not BULLET_ID.fullmatch(values["id"]):
                _fail(path, f"{at}.bullets[{k}].id", f"expected an id like '0-2', got {values['id']!r}")
            if int(values["id"].split("-")[0]) >= n:
                _fail(path, f"{at}.bullets[{k}].id", f"owner of {values['id']!r} is not a robot of this trace")
            for name in ("x", "y", "power"):
                _number(path, f"{at}.bullets[{k}].{name}", values[name])
            if values["state"] not in BULLET_STATES:
                _fail(path, f"{at}.bullets[{k}].state", f"unknown bullet state {values['state']!r}")
    for i, per_robot in enumerate(_list(path, f"{where}.commands", round_data.get("commands"), n)):
        for t, cmd in _dict(path, f"{where}.commands[{i}]", per_robot).items():
            at = f"{where}.commands[{i}][{t!r}]"
            if not t.isdigit():
                _fail(path, at, "expected a tick number as the key")
            for key, value in _dict(path, at, cmd).items():
                if key not in COMMAND_KEYS:
                    _fail(path, at, f"unknown command {key!r}")
                _number(path, f"{at}.{key}", value)
    for t, hint in _dict(path, f"{where}.order", round_data.get("order", {})).items():
        at = f"{where}.order[{t!r}]"
        hint = _dict(path, at, hint)
        robots = _list(path, f"{at}.robots", hint.get("robots", list(range(n))))
        if sorted(robots) != list(range(n)):
            _fail(path, f"{at}.robots", f"expected an order of robots 0..{n - 1}, got {robots!r}")
        if not all(isinstance(b, str) for b in _list(path, f"{at}.bullets", hint.get("bullets", []))):
            _fail(path, f"{at}.bullets", "expected bullet ids")
    if "score" in round_data:
        for i, score in enumerate(_list(path, f"{where}.score", round_data["score"], n)):
            score = _dict(path, f"{where}.score[{i}]", score)
            for key in SCORE_KEYS:
                _number(path, f"{where}.score[{i}].{key}", score.get(key))


# -- replay ------------------------------------------------------------------------------------------------
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
    scorer = Scorer(len(state.robots))
    rf, bf = trace["robot_fields"], trace["bullet_fields"]
    ticks = round_data["ticks"]
    to_engine: dict[str, str] = {}  # trace bullet id -> engine bullet id
    seen: set[str] = set()
    impacted: set[str] = set()  # trace bullets whose impact tick is behind us (later ticks are explosion)
    hints = round_data.get("order", {})
    for t in range(len(ticks) - 1):
        expected = ticks[t + 1]
        rows = [dict(zip(bf, b)) for b in expected.get("bullets", [])]
        rows = [b for b in rows if b["state"] != "EXPLODED" and not b["id"].endswith("-0")]
        new_ids = [b["id"] for b in rows if b["id"] not in seen]
        order = None
        if str(t) in hints:
            hint = hints[str(t)]
            pending = {b: next_bullet_id(state, int(b.split("-")[0])) for b in new_ids}
            order = Order(hint.get("robots"), [to_engine.get(b, pending.get(b, b)) for b in hint.get("bullets", [])])
        state, events = step(state, _commands(round_data, t), order=order)
        scorer.record(events, [r.alive for r in state.robots])
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
    if "score" in round_data:
        if state.round_over:
            scorer.finish([r.alive for r in state.robots])
        _compare_score(scorer, round_data["score"], report)


def _compare_score(scorer: Scorer, expected: list[dict], report: TraceReport) -> None:
    for i, want in enumerate(expected):
        got = scorer.numbers()["components"][i]
        for key in SCORE_KEYS:
            report.score_errors[key] = _worse(report.score_errors.get(key, 0.0), abs(got[key] - want[key]))


def _compare(state: BattleState, expected: dict, rows: list[dict], rf, to_engine, impacted: set[str],
             tick: int, report: TraceReport) -> None:
    for i, row in enumerate(expected["robots"]):
        want = dict(zip(rf, row))
        robot = state.robots[i]
        for name in ROBOT_FIELDS:
            got = getattr(robot, name)
            err = _angle_error(got, want[name]) if name in ANGLE_FIELDS else abs(got - want[name])
            report.errors[name] = _worse(report.errors[name], err)
        if want["state"] != robot.status.value:
            report.mismatches.append(f"tick {tick}: robot {i} is {robot.status.value}, trace says {want['state']}")
    engine = {b.id: b for b in state.bullets}
    want_moving = {to_engine[b["id"]] for b in rows if b["state"] == "MOVING"}
    got_moving = {b.id for b in state.bullets if b.status is BulletStatus.MOVING}
    if want_moving != got_moving:
        report.mismatches.append(f"tick {tick}: moving bullets differ: engine-only {sorted(got_moving - want_moving)},"
                                 f" trace-only {sorted(want_moving - got_moving)}")
    first = [b for b in rows if b["state"] in IMPACTS and b["id"] not in impacted]
    impacted.update(b["id"] for b in first)
    for b in rows:  # positions while moving, and where a bullet stopped on a wall or a bullet
        mine = engine.get(to_engine[b["id"]])
        if mine is not None and b["state"] in STOPPED_AT and (b["state"] == "MOVING" or b in first):
            report.errors["bullet"] = _largest((report.errors["bullet"], abs(mine.x - b["x"]), abs(mine.y - b["y"])))
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
