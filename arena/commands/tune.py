"""`arena tune`: sweep gun (or movement) parameters over seeded battles into a resumable results folder."""
from __future__ import annotations

import sys

from ..lab.settings import PARAMS, RUN_SCHEMA, SettingsError, add_run_args, check_run, resolve
from .common import add_path_args, parse_value

SCHEMA = {
    **RUN_SCHEMA,
    "gun": (str, "kde-learned"), "movement": (str, "random-orbit"), "shooter_movement": (str, "duck"),
    "enemy_gun": (str, "none"), "param": (PARAMS, {}), "power": (float, 2.0), "width": (float, 800.0),
    "height": (float, 600.0), "optuna": (bool, False), "trials": (int, 20), "direction": (str, None),
    "reference": (bool, False),
}


def add_parser(sub) -> None:
    p = sub.add_parser("tune", help="sweep parameters over seeded battles (grid or Optuna), resumable",
                       description="One battle per (setting, seed); writes battles.csv, summary.csv/.md and "
                                   "hit_rate.png into --out. Re-running into the same folder resumes.")
    g = p.add_argument_group("battle")
    g.add_argument("--gun", help="shooter's gun (default kde-learned)")
    g.add_argument("--movement", help="target's movement (default random-orbit)")
    g.add_argument("--shooter-movement", help="the shooter's own movement (default duck)")
    g.add_argument("--enemy-gun", help="the target's gun (default none)")
    g.add_argument("--param", action="append", metavar="NAME=VALUES",
                   help="lr=0.01,0.1 (grid list), lr=0.001:1:log or n=1:9:int (Optuna range), "
                        "movement.flip=... for the target's movement, power=... for bullet power")
    g.add_argument("--power", type=float, help="bullet power (default 2)")
    g.add_argument("--width", type=float, help="field width (default 800)")
    g.add_argument("--height", type=float, help="field height (default 600)")
    add_run_args(p, seeds=SCHEMA["seeds"][1], rounds=SCHEMA["rounds"][1])
    o = p.add_argument_group("search")
    o.add_argument("--optuna", action="store_true", default=None, help="search with Optuna instead of a grid")
    o.add_argument("--trials", type=int, help="Optuna: complete trials wanted in the folder (default 20)")
    o.add_argument("--direction", choices=("maximize", "minimize"),
                   help="hit rate goal (default: maximize for gun or power params, minimize for movement only)")
    add_path_args(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from ..battle import BattleConfig, Side
    from ..lab.tuning import check_params, parse_param, summary_text, tune_grid, tune_optuna, write_reports
    s = resolve(SCHEMA, vars(args), args.config)
    check_run(s)
    if s["direction"] not in (None, "maximize", "minimize"):
        raise SettingsError(f"direction must be maximize or minimize, got {s['direction']!r}")
    params = [parse_param(name, spec, parse_value) for name, spec in s["param"].items()]
    check_params(params, s["gun"], s["movement"])
    base = BattleConfig(shooter=Side(gun=s["gun"], movement=s["shooter_movement"]),
                        target=Side(gun=s["enemy_gun"], movement=s["movement"]),
                        rounds=s["rounds"], width=s["width"], height=s["height"], power=s["power"]).validate()
    seeds = list(range(1, s["seeds"] + 1))
    run = {k: v for k, v in s.items() if k not in ("workers", "scheduler")}
    if s["optuna"]:
        result = tune_optuna(s["out"], base, params, seeds, s["trials"], s["workers"], s["scheduler"],
                             s["direction"], run, s["reference"])
    else:
        result = tune_grid(s["out"], base, params, seeds, s["workers"], s["scheduler"], s["direction"], run,
                           s["reference"])
    paths = write_reports(s["out"], result)
    print(summary_text(result))
    print(f"played {result.played} battles now; wrote {', '.join(str(p) for p in paths)}", file=sys.stderr)
    return 0
