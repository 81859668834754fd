"""`arena compare`: every gun against every movement over seeded battles, into a resumable folder."""
from __future__ import annotations

import sys

from ..lab.settings import NAMES, PARAMS, RUN_SCHEMA, add_run_args, check_run, resolve
from .common import add_path_args, parse_value

SCHEMA = {
    **RUN_SCHEMA,
    "guns": (NAMES, ["head-on", "linear", "circular", "gf-bins", "kde", "kde-learned"]),
    "movements": (NAMES, ["oscillator", "random-orbit", "stop-and-go"]),
    "shooter_movement": (str, "duck"), "enemy_gun": (str, "none"), "param": (PARAMS, {}),
    "power": (float, 2.0), "width": (float, 800.0), "height": (float, 600.0), "reference": (bool, False),
}


def add_parser(sub) -> None:
    p = sub.add_parser("compare", help="targeting x movement matrix with 95%% intervals, resumable",
                       description="Writes battles.csv, matrix.csv, matrix.md and matrix.png into --out. "
                                   "Re-running into the same folder resumes.")
    g = p.add_argument_group("matrix")
    g.add_argument("--guns", help="comma-separated guns (default: all but none)")
    g.add_argument("--movements", help="comma-separated target movements (default: oscillator, random-orbit, "
                                       "stop-and-go)")
    g.add_argument("--shooter-movement", help="the shooter's own movement (default duck)")
    g.add_argument("--enemy-gun", help="the target's gun (default none)")
    g.add_argument("--param", action="append", metavar="STRATEGY.NAME=VALUE",
                   help="a parameter of one gun or movement of the matrix, e.g. kde-learned.lr=0.1")
    g.add_argument("--power", type=float, help="bullet power (default 2)")
    g.add_argument("--width", type=float, help="field width (default 800)")
    g.add_argument("--height", type=float, help="field height (default 600)")
    add_run_args(p, seeds=SCHEMA["seeds"][1], rounds=SCHEMA["rounds"][1])
    add_path_args(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from ..battle import BattleConfig, Side
    from ..lab.compare import compare, matrix_markdown, scoped_params, write_reports
    s = resolve(SCHEMA, vars(args), args.config)
    check_run(s)
    params = scoped_params(s["param"], s["guns"], s["movements"], parse_value)
    base = BattleConfig(shooter=Side(movement=s["shooter_movement"]), target=Side(gun=s["enemy_gun"]),
                        rounds=s["rounds"], width=s["width"], height=s["height"], power=s["power"]).validate()
    run = {k: v for k, v in s.items() if k not in ("workers", "scheduler")}
    result = compare(s["out"], base, s["guns"], s["movements"], list(range(1, s["seeds"] + 1)), params,
                     s["workers"], s["scheduler"], run, s["reference"])
    paths = write_reports(s["out"], result)
    print(matrix_markdown(result))
    print(f"played {result.played} battles now; wrote {', '.join(str(p) for p in paths)}", file=sys.stderr)
    return 0
