"""`arena tune`: sweep gun (or movement) parameters over seeded battles into a resumable results folder."""
from __future__ import annotations

import sys
from pathlib import Path

from ..lab.settings import (NAMES, PARAMS, RUN_SCHEMA, SettingsError, add_run_args, check_run, plural, resolve,
                            scoped)
from ..strategies import check_params as check_strategy
from .common import BATTLE_DEFAULTS, SWEEP_SEED, add_path_args, add_robot_args, parse_value, refuse

DEFAULTS = {**BATTLE_DEFAULTS, "gun": "kde-learned"}
SCHEMA = {
    **RUN_SCHEMA,
    "gun": (NAMES, [DEFAULTS["gun"]]), "movement": (NAMES, [DEFAULTS["movement"]]),
    "shooter_movement": (str, DEFAULTS["shooter-movement"]), "enemy_gun": (str, DEFAULTS["enemy-gun"]),
    "param": (PARAMS, {}), "power": (float, 2.0), "width": (float, 800.0),
    "height": (float, 600.0), "optuna": (bool, False), "trials": (int, 20), "direction": (str, None),
    "reference": (bool, False),
}
SWEPT = ("gun", "movement")  # scopes tune can sweep; the other two parts take one value


def add_parser(sub) -> None:
    p = sub.add_parser("tune", help="sweep parameters over seeded battles (grid or Optuna), resumable",
                       description="One battle per (setting, seed); writes battles.csv, summary.csv/.md and "
                                   "hit_rate.png into --out. Re-running into the same folder resumes. With several "
                                   "guns or movements, each pairing is tuned into OUT/GUN-MOVEMENT.")
    add_robot_args(p, DEFAULTS, lists=True, values="VALUES", apply=False)
    g = p.add_argument_group("battle")
    g.add_argument("--power", type=float, help="bullet power (default: 2; sweep it with --param gun.power=...)")
    g.add_argument("--width", type=float, help="field width (default: 800)")
    g.add_argument("--height", type=float, help="field height (default: 600)")
    add_run_args(p, seeds=SCHEMA["seeds"][1], rounds=SCHEMA["rounds"][1],
                 out="results/tune-GUN-MOVEMENT-PARAMS (-optuna)")
    o = p.add_argument_group("search",
                             "--param values: gun.lr=0.01,0.1 (grid list), gun.lr=0.001:1:log or gun.n=1:9:int "
                             "(Optuna range); gun.power=... sweeps the bullet power")
    o.add_argument("--optuna", action="store_true", default=None, help="search with Optuna instead of a grid")
    o.add_argument("--trials", type=int, help="Optuna: complete trials wanted in the folder (default: 20)")
    o.add_argument("--direction", choices=("maximize", "minimize"),
                   help="hit rate goal (default: maximize for gun or power params, minimize for movement only)")
    refuse(p, SWEEP_SEED)
    add_path_args(p)
    p.set_defaults(handler=handle)


def default_out(gun: str, movement: str, names: list[str], optuna: bool) -> str:
    """results/tune-kde-learned-surfer-lr: one folder per pairing and swept names (a folder sweeps one set)."""
    keys = "-".join(scoped(n)[1] for n in names)
    return f"results/tune-{gun}-{movement}{'-' + keys if keys else ''}{'-optuna' if optuna else ''}"


def tune_pair(s: dict, gun: str, movement: str, out: str, params: list, fixed: dict) -> None:
    """Tune one gun/movement pairing into `out`, printing its summary."""
    from ..battle import BattleConfig, Side
    from ..lab.tuning import summary_text, tune_grid, tune_optuna, write_reports
    base = BattleConfig(shooter=Side(gun=gun, movement=s["shooter_movement"],
                                     movement_params=fixed.get("shooter-movement", {})),
                        target=Side(gun=s["enemy_gun"], movement=movement, gun_params=fixed.get("enemy-gun", {})),
                        rounds=s["rounds"], width=s["width"], height=s["height"], power=s["power"]).validate()
    run = {k: v for k, v in s.items() if k not in ("workers", "scheduler")}
    if s["optuna"]:
        result = tune_optuna(out, base, params, s["seeds"], s["trials"], s["workers"], s["scheduler"],
                             s["direction"], run, s["reference"])
    else:
        result = tune_grid(out, base, params, s["seeds"], s["workers"], s["scheduler"], s["direction"], run,
                           s["reference"])
    paths = write_reports(out, result)
    print(summary_text(result))
    print(f"played {plural(result.played, 'battle')} now; wrote {', '.join(str(p) for p in paths)}",
          file=sys.stderr)


def handle(args) -> int:
    from ..lab.tuning import check_params, parse_param
    s = resolve(SCHEMA, vars(args), args.config)
    pairs = [(g, m) for g in s["gun"] for m in s["movement"]]
    swept, fixed = [], {}
    for name, spec in s["param"].items():  # every name scoped; the shooter's movement and enemy gun are fixed
        scope, key = scoped(name)
        if scope in SWEPT:
            swept.append(name)
        elif "," in spec or ":" in spec:
            raise SettingsError(f"parameter {name}: tune sweeps gun. and movement. parameters; give {scope}. "
                                f"parameters one value")
        else:
            fixed.setdefault(scope, {})[key] = parse_value(spec)
    if not s["out"]:
        label = pairs[0] if len(pairs) == 1 else ("+".join(s["gun"]), "+".join(s["movement"]))
        s["out"] = default_out(*label, swept, s["optuna"])
    check_run(s)
    if s["direction"] not in (None, "maximize", "minimize"):
        raise SettingsError(f"direction must be maximize or minimize, got {s['direction']!r}")
    for scope, owner in (("shooter-movement", s["shooter_movement"]), ("enemy-gun", s["enemy_gun"])):
        check_strategy(scope.split("-")[-1], owner, fixed.get(scope, {}))
    params = [parse_param(name, s["param"][name], parse_value) for name in swept]
    for gun, movement in pairs:  # every pairing's parameters checked before any battle is played
        check_params(params, gun, movement)
    for gun, movement in pairs:
        out = s["out"] if len(pairs) == 1 else str(Path(s["out"]) / f"{gun}-{movement}")
        tune_pair(s, gun, movement, out, params, fixed)
    return 0
