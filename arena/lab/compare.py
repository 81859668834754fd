"""`arena compare`: the targeting x movement matrix, each cell a mean over seeded battles with 95% CIs."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from . import plots
from ..battle import BattleConfig
from ..errors import ArenaError
from ..strategies import GUNS, MOVEMENTS, StrategyError, check_params, parameters
from .settings import plural
from .sweep import SUMMARY_COLUMNS, Job, markdown_table, num_ci, pct_ci, run_jobs, summarize, write_csv, write_text

AXES = ["gun", "movement"]


class MatrixError(ArenaError):
    """A matrix that cannot be built: unknown strategies, misaddressed parameters."""


def check_names(guns: list[str], movements: list[str]) -> None:
    for kind, names, table in (("gun", guns, GUNS), ("movement", movements, MOVEMENTS)):
        for name in names:
            if name not in table:
                raise StrategyError(f"unknown {kind} {name!r}; valid: {', '.join(sorted(table))}")
        if len(set(names)) != len(names):
            raise MatrixError(f"a {kind} is listed twice in {', '.join(names)}")


def scoped_params(specs: dict[str, str], guns: list[str], movements: list[str], parse_value) -> dict:
    """{'kde-learned.lr': '0.1'} -> {'kde-learned': {'lr': 0.1}}: parameters for one strategy of the matrix."""
    out: dict[str, dict] = {}
    for name, spec in specs.items():
        owner, dot, key = name.partition(".")
        if not dot or owner not in guns + movements:
            raise MatrixError(f"parameter {name!r}: write STRATEGY.NAME=VALUE with a gun or movement of the "
                              f"matrix ({', '.join(guns + movements)})")
        kind = "gun" if owner in guns else "movement"
        valid = [p for p in parameters(kind, owner) if p != "power"]
        if key not in valid:
            raise StrategyError(f"{kind} {owner!r} has no parameter {key}; valid: {', '.join(valid) or 'none'}")
        out.setdefault(owner, {})[key] = parse_value(spec)
    return {owner: check_params("gun" if owner in guns else "movement", owner, values)  # checked, canonical
            for owner, values in out.items()}


def matrix_jobs(base: BattleConfig, guns: list[str], movements: list[str], seeds: list[int],
                params: dict) -> list[Job]:
    return [Job((("gun", g), ("movement", m)),
                replace(base, seed=s, shooter=replace(base.shooter, gun=g, gun_params=params.get(g, {})),
                        target=replace(base.target, movement=m, movement_params=params.get(m, {}))))
            for g in guns for m in movements for s in seeds]


@dataclass
class MatrixResult:
    base: BattleConfig
    guns: list[str]
    movements: list[str]
    seeds: list[int]
    summary: list[dict]
    played: int
    params: dict = field(default_factory=dict)  # {strategy: {name: value}} set with --param


def compare(folder: str | Path, base: BattleConfig, guns: list[str], movements: list[str], seeds: list[int],
            params: dict | None = None, workers: int | None = None, scheduler: str | None = None,
            run: dict | None = None, reference: bool = False) -> MatrixResult:
    """Play every gun against every movement on the same seeds (resuming what the folder has)."""
    check_names(guns, movements)
    params = params or {}
    fixed = {"shooter_movement": base.shooter.movement, "enemy_gun": base.target.gun, "rounds": base.rounds,
             "power": base.power, "width": base.width, "height": base.height, "params": params}
    rows, played = run_jobs(folder, "compare", fixed, AXES, matrix_jobs(base, guns, movements, seeds, params),
                            workers, scheduler, run, reference)
    return MatrixResult(base, guns, movements, seeds, summarize(rows, AXES), played, params)


def matrix_markdown(result: MatrixResult) -> str:
    cells = {(s["gun"], s["movement"]): s for s in result.summary}
    hit = [[g] + [pct_ci(*(cells[g, m][k] for k in ("hit_rate", "hit_rate_lo", "hit_rate_hi", "battles")))
                  for m in result.movements] for g in result.guns]
    dmg = [[g] + [num_ci(*(cells[g, m][k] for k in ("damage_per_round", "damage_lo", "damage_hi", "battles")))
                  for m in result.movements] for g in result.guns]
    header = ["gun \\ movement"] + result.movements
    b = result.base
    return (f"# arena compare\n\n{plural(len(result.seeds), 'seed')} (battles) per cell, {plural(b.rounds, 'round')} each, "
            f"{b.width:g}x{b.height:g} field, bullet power {b.power:g}; mean over seeds with 95% Student-t "
            f"intervals.\n\n## Hit rate\n\n" + markdown_table(header, hit)
            + "\n## Bullet damage per round\n\n" + markdown_table(header, dmg))


def matrix_subtitle(result: MatrixResult) -> str:
    """Seeds, rounds and every setting the cells share, including the parameters set with --param."""
    b = result.base
    params = [f"{owner}.{k}={v:g}" if isinstance(v, float) else f"{owner}.{k}={v}"
              for owner, values in result.params.items() for k, v in values.items()]
    seeds = f"{len(result.seeds)} seed{'s' if len(result.seeds) != 1 else ''}"
    return (f"{seeds} x {plural(b.rounds, 'round')} per cell; shooter movement {b.shooter.movement}, enemy gun {b.target.gun}, "
            f"power {b.power:g}, {b.width:g}x{b.height:g}" + (f"; {', '.join(params)}" if params else ""))


def write_reports(folder: str | Path, result: MatrixResult) -> list[Path]:
    """matrix.csv (one row per cell), matrix.md (two tables) and matrix.png (heatmaps)."""
    folder = Path(folder)
    paths = [folder / "matrix.csv", folder / "matrix.md", folder / "matrix.png"]
    write_csv(paths[0], AXES + SUMMARY_COLUMNS, result.summary)
    write_text(paths[1], matrix_markdown(result))
    plots.save_png(plots.matrix_figure(result.summary, result.guns, result.movements, matrix_subtitle(result)),
                   paths[2])
    return paths
