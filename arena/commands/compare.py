"""`arena compare`: every gun against every movement over seeded battles, into a resumable folder."""
from __future__ import annotations

import sys

from ..lab.settings import (NAMES, PARAMS, RUN_SCHEMA, SCOPES, SettingsError, add_run_args, check_run, plural,
                            resolve)
from ..strategies import GUNS, MOVEMENTS, parameters
from .common import BATTLE_DEFAULTS, SWEEP_SEED, add_path_args, add_robot_args, parse_value, refuse

SCHEMA = {
    **RUN_SCHEMA, "out": (str, "results/compare"),
    "gun": (NAMES, ["head-on", "linear", "circular", "gf-bins", "kde", "kde-learned"]),
    "movement": (NAMES, ["oscillator", "random-orbit", "stop-and-go"]),
    "shooter_movement": (str, "duck"), "enemy_gun": (str, "none"), "param": (PARAMS, {}),
    "power": (float, 2.0), "width": (float, 800.0), "height": (float, 600.0), "reference": (bool, False),
}


def add_parser(sub) -> None:
    p = sub.add_parser("compare", help="targeting x movement matrix with 95%% intervals, resumable",
                       description="Writes battles.csv, matrix.csv, matrix.md and matrix.png into --out. "
                                   "Re-running into the same folder resumes.")
    add_robot_args(p, {**BATTLE_DEFAULTS, "gun": ",".join(SCHEMA["gun"][1]),
                       "movement": ",".join(SCHEMA["movement"][1])}, lists=True, apply=False)
    g = p.add_argument_group("battle", "--param gun.NAME=VALUE sets NAME on every gun of the matrix that has "
                                       "it; gun.STRATEGY.NAME=VALUE (e.g. gun.kde-learned.lr=3) on that one only")
    g.add_argument("--power", type=float, help="bullet power (default: 2)")
    g.add_argument("--width", type=float, help="field width (default: 800)")
    g.add_argument("--height", type=float, help="field height (default: 600)")
    add_run_args(p, seeds=SCHEMA["seeds"][1], rounds=SCHEMA["rounds"][1], out=SCHEMA["out"][1])
    refuse(p, SWEEP_SEED)
    add_path_args(p)
    p.set_defaults(handler=handle)


def matrix_params(specs: dict, guns: list[str], movements: list[str]) -> tuple[dict, dict]:
    """--param names -> ({strategy: {NAME: text}} for the matrix, {scope: {NAME: value}} for the fixed parts).

    gun.NAME goes to every gun of the matrix that has NAME, gun.STRATEGY.NAME to that gun only (the
    same for movement.); shooter-movement.NAME and enemy-gun.NAME to the fixed shooter movement and enemy gun."""
    matrix: dict[str, str] = {}
    fixed: dict[str, dict] = {"shooter-movement": {}, "enemy-gun": {}}
    for name, spec in specs.items():
        scope, dot, rest = name.partition(".")
        if scope in fixed:
            fixed[scope][rest] = parse_value(spec)
            continue
        members, table = (guns, GUNS) if scope == "gun" else (movements, MOVEMENTS)
        owner, _, key = rest.rpartition(".")
        if scope not in ("gun", "movement") or not dot or not key:
            kind = "movement" if scope in MOVEMENTS else "gun"  # STRATEGY.NAME was the old spelling
            raise SettingsError(f"parameter {name!r}: write {kind}.{name} (scopes: "
                                f"{', '.join(s + '.' for s in SCOPES)})")
        if owner and owner not in members:
            where = (f"a {scope} of the matrix ({', '.join(members)})" if owner in table
                     else f"a {scope}; valid: {', '.join(table)}")
            raise SettingsError(f"parameter {name!r}: {owner!r} is not {where}")
        owners = [owner] if owner else [m for m in members if key in parameters(scope, m)]
        if not owners:
            raise SettingsError(f"parameter {name!r}: no {scope} of the matrix ({', '.join(members)}) has {key}")
        for o in owners:
            matrix[f"{o}.{key}"] = spec
    return matrix, fixed


def handle(args) -> int:
    from ..battle import BattleConfig, Side
    from ..lab.compare import compare, matrix_markdown, scoped_params, write_reports
    s = resolve(SCHEMA, vars(args), args.config)
    check_run(s)
    matrix, fixed = matrix_params(s["param"], s["gun"], s["movement"])
    params = scoped_params(matrix, s["gun"], s["movement"], parse_value)
    base = BattleConfig(shooter=Side(movement=s["shooter_movement"], movement_params=fixed["shooter-movement"]),
                        target=Side(gun=s["enemy_gun"], gun_params=fixed["enemy-gun"]),
                        rounds=s["rounds"], width=s["width"], height=s["height"], power=s["power"]).validate()
    run = {k: v for k, v in s.items() if k not in ("workers", "scheduler")}
    result = compare(s["out"], base, s["gun"], s["movement"], s["seeds"], params, s["workers"], s["scheduler"], run,
                     s["reference"])
    paths = write_reports(s["out"], result)
    print(matrix_markdown(result))
    print(f"played {plural(result.played, 'battle')} now; wrote {', '.join(str(p) for p in paths)}",
          file=sys.stderr)
    return 0
