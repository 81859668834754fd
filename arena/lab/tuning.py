"""`arena tune`: one gun/movement pairing, parameters swept on a grid or searched by Optuna.

Parameter specs (--param or the [param] table of a config file):
  lr=0.01,0.1,1        a list (grid values; a categorical choice for Optuna)
  lr=0.001:1:log       a range (Optuna only): low:high, then optional flags `log` and `int`
  movement.flip=...    a movement parameter; `gun.lr` is the same as `lr`; `power` is the bullet power
Every parameter becomes a column of battles.csv, so one folder always sweeps the same names.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, replace
from pathlib import Path

from . import plots
from .settings import plural
from .stats import PairedBest, paired_best
from ..battle import Battle, BattleConfig
from ..errors import ArenaError
from ..strategies import GUNS, MOVEMENTS, StrategyError, parameters
from .sweep import (SUMMARY_COLUMNS, Job, ResultStore, Runner, display_value, format_value, pct_ci, run_jobs,
                    setting_key, summarize, summary_markdown, write_csv, write_text)

RANGE_FLAGS = ("log", "int")
OPTUNA_SAMPLER_SEED = 1  # plus the trials already in the study: the same command proposes the same trials


class TuneError(ArenaError):
    """A parameter spec that cannot be swept: malformed, unknown, or a range without --optuna."""


@dataclass(frozen=True)
class Param:
    """One swept parameter: where it goes, and its values (a list) or bounds (an Optuna range)."""
    name: str  # column name: "lr", "movement.flip", "power"
    target: str  # "gun", "movement" or "battle"
    key: str  # the strategy's (or BattleConfig's) own name for it
    values: tuple = ()
    low: float | None = None
    high: float | None = None
    log: bool = False
    integer: bool = False

    @property
    def is_range(self) -> bool:
        return self.low is not None

    @property
    def searched(self) -> bool:
        return self.is_range or len(self.values) > 1

    def describe(self) -> str:
        if self.is_range:
            return ":".join([format_value(self.low), format_value(self.high)] +
                            [f for f, on in zip(RANGE_FLAGS, (self.log, self.integer)) if on])
        return ",".join(format_value(v) for v in self.values)


def parse_param(name: str, spec: str, parse_value) -> Param:
    """'lr', '0.01,0.1' -> a list; 'lr', '0.001:1:log' -> a range. parse_value turns text into a value."""
    name = name.strip()
    scope, dot, key = name.partition(".")
    if not dot:
        scope, key = "gun", name
    if scope not in ("gun", "movement") or not key:
        raise TuneError(f"parameter {name!r}: write NAME (gun), gun.NAME or movement.NAME")
    target = "battle" if (scope, key) == ("gun", "power") else scope
    column = key if scope == "gun" else name
    spec = spec.strip()
    if ":" in spec:
        low, high, *flags = spec.split(":")
        bad = [f for f in flags if f not in RANGE_FLAGS]
        if bad:
            raise TuneError(f"parameter {name}: unknown range flag {bad[0]!r}; valid: {', '.join(RANGE_FLAGS)}")
        try:
            lo, hi = float(low), float(high)
        except ValueError:
            raise TuneError(f"parameter {name}: range {spec!r} needs numbers, as in 0.001:1:log") from None
        if not lo < hi:
            raise TuneError(f"parameter {name}: range {spec!r} needs low < high")
        if "log" in flags and lo <= 0:
            raise TuneError(f"parameter {name}: a log range needs low > 0, got {spec!r}")
        integer = "int" in flags
        if integer and (lo != int(lo) or hi != int(hi)):
            raise TuneError(f"parameter {name}: an int range needs whole bounds, got {spec!r}")
        return Param(column, target, key, low=int(lo) if integer else lo, high=int(hi) if integer else hi,
                     log="log" in flags, integer=integer)
    items = [v.strip() for v in spec.split(",")]
    if not all(items):
        raise TuneError(f"parameter {name}: empty value in {spec!r}")
    values = tuple(dict.fromkeys(parse_value(v) for v in items))
    return Param(column, target, key, values=values)


def check_params(params: list[Param], gun: str, movement: str) -> None:
    """Unknown strategies or parameter names are refused before anything runs."""
    if gun not in GUNS:
        raise StrategyError(f"unknown gun {gun!r}; valid: {', '.join(sorted(GUNS))}")
    if movement not in MOVEMENTS:
        raise StrategyError(f"unknown movement {movement!r}; valid: {', '.join(sorted(MOVEMENTS))}")
    if not params:
        raise TuneError("nothing to tune: give at least one --param NAME=VALUES")
    names = [p.name for p in params]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise TuneError(f"parameter {twice[0]} is given twice")
    for p in params:
        kind, owner = ("gun", gun) if p.target == "gun" else ("movement", movement)
        if p.target == "battle":
            continue
        valid = [v for v in parameters(kind, owner) if v != "power"]
        if p.key not in valid:
            raise StrategyError(f"{kind} {owner!r} has no parameter {p.key}; valid: {', '.join(valid) or 'none'}")


def configure(base: BattleConfig, params: list[Param], values: dict) -> BattleConfig:
    """The base config with one setting's values put where each parameter belongs."""
    gun = {p.key: values[p.name] for p in params if p.target == "gun"}
    movement = {p.key: values[p.name] for p in params if p.target == "movement"}
    battle = {p.key: values[p.name] for p in params if p.target == "battle"}  # checked by its spec in validate
    return replace(base, shooter=replace(base.shooter, gun_params={**base.shooter.gun_params, **gun}),
                   target=replace(base.target, movement_params={**base.target.movement_params, **movement}),
                   **battle).validate()


def _value_in(config: BattleConfig, p: Param):
    """A parameter's value as the validated config holds it: canonical, so lr=1 and lr=1.0 are one setting."""
    if p.target == "gun":
        return config.shooter.gun_params[p.key]
    return config.target.movement_params[p.key] if p.target == "movement" else config.power


def canonical_params(base: BattleConfig, params: list[Param]) -> list[Param]:
    """The params with each list value and range end as a validated config holds it (lr=1 -> 1.0, so one
    search space is written one way); a value out of its parameter's range is refused here."""
    probe = {p.name: p.low if p.is_range else p.values[0] for p in params}

    def held(p: Param, value):
        return _value_in(configure(base, params, {**probe, p.name: value}), p)
    return [replace(p, low=held(p, p.low), high=held(p, p.high)) if p.is_range
            else replace(p, values=tuple(dict.fromkeys(held(p, v) for v in p.values))) for p in params]


def jobs_for(base: BattleConfig, params: list[Param], values: dict, seeds: list[int]) -> list[Job]:
    config = configure(base, params, values)
    setting = tuple((p.name, _value_in(config, p)) for p in params)
    return [Job(setting, replace(config, seed=s)) for s in seeds]


def fixed_settings(base: BattleConfig, params: list[Param]) -> dict:
    """What every battle in a tune folder shares (the manifest checks it on resume)."""
    fixed = {"gun": base.shooter.gun, "shooter_movement": base.shooter.movement, "movement": base.target.movement,
             "enemy_gun": base.target.gun, "rounds": base.rounds, "width": base.width, "height": base.height}
    if not any(p.target == "battle" for p in params):
        fixed["power"] = base.power
    return fixed


@dataclass
class TuneResult:
    """What the reports need: the summary rows (one per setting or trial), their key columns, the
    setting with the best mean (`best`) and the paired verdict on whether it really is best."""
    mode: str
    base: BattleConfig
    params: list[Param]
    seeds: list[int]
    axes: list[str]
    summary: list[dict]
    best: dict
    direction: str
    played: int
    paired: PairedBest | None = None


def judge(summary: list[dict], rows: list[dict], axes: list[str], direction: str) -> tuple[dict, PairedBest]:
    """The summary row with the best mean, and its paired comparison with every other setting."""
    by_setting: dict[tuple, dict] = {}
    for r in rows:
        by_setting.setdefault(setting_key(r, axes), {})[r["seed"]] = r["hit_rate"]
    paired = paired_best(by_setting, direction == "maximize")
    return next(s for s in summary if setting_key(s, axes) == paired.leader), paired


def auto_direction(params: list[Param]) -> str:
    """Tuning a gun (or the power) seeks hits; tuning only the target's movement avoids them."""
    searched = [p for p in params if p.searched]
    return "minimize" if searched and all(p.target == "movement" for p in searched) else "maximize"


def tune_grid(folder: str | Path, base: BattleConfig, params: list[Param], seeds: list[int],
              workers: int | None = None, scheduler: str | None = None, direction: str | None = None,
              run: dict | None = None, reference: bool = False) -> TuneResult:
    """Every combination of the list values, one battle per seed each."""
    ranges = [p.name for p in params if p.is_range]
    if ranges:
        raise TuneError(f"parameter {ranges[0]} is a range; ranges need --optuna (a grid takes lists: a,b,c)")
    names = [p.name for p in params]
    jobs = [job for combo in itertools.product(*(p.values for p in params))
            for job in jobs_for(base, params, dict(zip(names, combo)), seeds)]
    fixed = {**fixed_settings(base, params), "mode": "grid"}
    rows, played = run_jobs(folder, "tune", fixed, names, jobs, workers, scheduler, run, reference)
    summary = summarize(rows, names)
    direction = direction or auto_direction(params)
    best, paired = judge(summary, rows, names, direction)
    return TuneResult("grid", base, params, seeds, names, summary, best, direction, played, paired)


def _distribution(p: Param):
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution
    if p.is_range:
        return (IntDistribution if p.integer else FloatDistribution)(p.low, p.high, log=p.log)
    return CategoricalDistribution(list(p.values))


def tune_optuna(folder: str | Path, base: BattleConfig, params: list[Param], seeds: list[int], trials: int,
                workers: int | None = None, scheduler: str | None = None, direction: str | None = None,
                run: dict | None = None, reference: bool = False) -> TuneResult:
    """Optuna's TPE proposes settings; each trial's value is the mean hit rate over the seeds.

    Trials run in batches of (parallel slots // seeds), at least one, so small seed counts still use
    every worker. The study lives in the folder (optuna.journal), so a re-run continues it up to
    `trials` complete trials; a trial cut short by a kill is proposed again first, and its finished
    battles are reused.
    """
    import optuna
    from optuna.storages import JournalStorage
    from optuna.storages.journal import JournalFileBackend
    from optuna.trial import TrialState

    if trials < 1:
        raise TuneError(f"trials must be at least 1, got {trials}")
    params = canonical_params(base, params)  # a bad list value or range end fails before the study exists
    space = {p.name: _distribution(p) for p in params if p.searched}
    if not space:
        raise TuneError("--optuna needs a parameter to search: a range (lo:hi) or a list of several values")
    fixed_values = {p.name: p.values[0] for p in params if not p.searched}
    names = [p.name for p in params]
    direction = direction or auto_direction(params)
    fixed = {**fixed_settings(base, params), "mode": "optuna", "seeds": seeds, "direction": direction,
             "space": {p.name: p.describe() for p in params}}
    probe = {**fixed_values, **{p.name: p.low if p.is_range else p.values[0] for p in params if p.searched}}
    Battle(configure(base, params, probe))  # a value the strategy itself refuses fails here, before the study
    runner = Runner(workers, scheduler, desc="trial battles", reference=reference)
    store = ResultStore(folder, "tune", fixed, names, run)
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    try:
        study = optuna.create_study(
            study_name="tune", direction=direction, load_if_exists=True,
            storage=JournalStorage(JournalFileBackend(str(Path(folder) / "optuna.journal"))))
        # A resumed study needs fresh random draws, or its first proposals would repeat the first run's.
        study.sampler = optuna.samplers.TPESampler(seed=OPTUNA_SAMPLER_SEED + len(study.trials))
        for stale in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
            study.enqueue_trial(stale.params)
            study.tell(stale.number, state=TrialState.FAIL)
        done = len(study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)))
        runner.total = max(0, trials - done) * len(seeds)
        with runner:
            while done < trials:  # enough trials at once to keep every worker busy
                batch = [study.ask(space) for _ in range(min(trials - done, max(1, runner.slots // len(seeds))))]
                jobs = [job for t in batch for job in jobs_for(base, params, {**fixed_values, **t.params}, seeds)]
                try:
                    rows = runner.run(store, jobs)
                except Exception:
                    for t in batch:
                        study.tell(t, state=TrialState.FAIL)
                    raise
                for i, t in enumerate(batch):
                    mine = rows[i * len(seeds):(i + 1) * len(seeds)]
                    study.tell(t, sum(r["hit_rate"] for r in mine) / len(mine))
                done += len(batch)
            summary, trial_rows = [], []
            for t in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)):
                rows = runner.run(store, jobs_for(base, params, {**fixed_values, **t.params}, seeds))
                summary += [{"trial": t.number, **s} for s in summarize(rows, names)]
                trial_rows += [{"trial": t.number, **r} for r in rows]
            played = runner.played
    finally:
        store.close()
    axes = ["trial"] + names
    best, paired = judge(summary, trial_rows, axes, direction)
    return TuneResult("optuna", base, params, seeds, axes, summary, best, direction, played, paired)


def describe_battles(base: BattleConfig, seeds: list[int]) -> str:
    return (f"{base.shooter.gun} gun vs {base.target.movement} movement; {plural(base.rounds, 'round')} per battle, "
            f"{plural(len(seeds), 'seed')} (battles) per setting, {base.width:g}x{base.height:g} field")


def summary_text(result: TuneResult) -> str:
    return (f"# arena tune ({result.mode})\n\n{describe_battles(result.base, result.seeds)}. Hit rate = hits over "
            f"bullets that hit or missed, per battle, averaged over seeds with 95% Student-t intervals.\n\n"
            + summary_markdown(result.summary, result.axes) + "\n" + verdict(result) + "\n")


def verdict(result: TuneResult) -> str:
    return paired_verdict(result.summary, result.paired, result.axes, result.direction)


def paired_verdict(summary: list[dict], paired: PairedBest, axes: list[str], direction: str = "maximize") -> str:
    """"Best" only for a setting that a paired comparison on the same seeds separates from every other
    setting; otherwise say that none is distinguishable, and about how many seeds it would take.
    `paired` (from judge) compares the summary rows, keyed by `axes`."""
    rows = {setting_key(s, axes): s for s in summary}

    def name_of(key: tuple) -> str:
        return ", ".join(f"{a}={display_value(rows[key][a])}" for a in axes)

    goal = "highest" if direction == "maximize" else "lowest"
    leader = rows[paired.leader]
    mean = pct_ci(leader["hit_rate"], leader["hit_rate_lo"], leader["hit_rate_hi"], leader["battles"])
    if not paired.comparisons:
        return f"Only one setting ({name_of(paired.leader)}: {mean}): nothing to compare."
    close = paired.closest
    other, label = name_of(close.other), name_of(paired.leader)
    if close.lo is None:
        return (f"No setting is distinguishable: n={close.seeds} shared seed{'s' if close.seeds != 1 else ''}, "
                f"no interval. The {goal} mean is {label}: {mean}. Paired differences need at least 2 seeds "
                f"(--seeds 2 or more).")
    diff = f"{close.mean * 100:+.1f} points [{close.lo * 100:+.1f}, {close.hi * 100:+.1f}]"
    if paired.best is not None:
        return (f"Best ({goal} hit rate): {label}: {mean}. It beats every other setting on the same {close.seeds} "
                f"seeds (paired differences by seed, 95% t-interval above 0); its narrowest margin is {diff} "
                f"over {other}.")
    if close.needed is None:
        need = "no difference was seen, so more seeds would not be expected to separate them"
    elif close.needed >= 100_000:
        need = "at the observed spread it would take more than 100,000 seeds to separate them"
    else:
        need = (f"at the observed spread, about {close.needed} seeds would be needed to separate them "
                f"(if the mean difference held)")
    return (f"No setting is distinguishable: the {goal} mean, {label} ({mean}), is not separated from {other} "
            f"(paired margin over {close.seeds} seeds {diff}, 95% t-interval includes 0); {need}.")


def log_axis(p: Param) -> bool:
    """A log axis for a `:log` range or values spanning plots.LOG_SPAN or more: the parameter's range
    decides, not the number of values run."""
    return p.log or plots.log_spaced((p.low, p.high) if p.is_range else p.values)


def figure_titles(result: TuneResult) -> tuple[str, str]:
    """Title: the pairing and what was searched; subtitle: seeds, rounds and everything held fixed."""
    b = result.base
    searched = [p.name for p in result.params if p.searched]
    fixed = [f"{p.name}={p.describe()}" for p in result.params if not p.searched]
    fixed += [f"shooter movement {b.shooter.movement}", f"enemy gun {b.target.gun}"]
    if not any(p.target == "battle" for p in result.params):
        fixed.append(f"power {b.power:g}")
    fixed.append(f"{b.width:g}x{b.height:g}")
    what = f"{result.mode} over {', '.join(searched)}" if searched else result.mode
    seeds = f"{len(result.seeds)} seed{'s' if len(result.seeds) != 1 else ''}"
    return (f"{b.shooter.gun} gun vs {b.target.movement}: {what}",
            f"{seeds} x {plural(b.rounds, 'round')} per setting; fixed: {', '.join(fixed)}")


def write_reports(folder: str | Path, result: TuneResult) -> list[Path]:
    """summary.csv, summary.md and hit_rate.png next to battles.csv."""
    folder = Path(folder)
    paths = [folder / "summary.csv", folder / "summary.md", folder / "hit_rate.png"]
    write_csv(paths[0], result.axes + SUMMARY_COLUMNS, result.summary)
    write_text(paths[1], summary_text(result))
    title, subtitle = figure_titles(result)
    searched = [p for p in result.params if p.searched]
    if result.mode == "grid":
        varying = [p for p in searched] or [result.params[0]]
        fig = plots.sweep_figure(result.summary, varying[0].name, [p.name for p in varying[1:]], title,
                                 subtitle=subtitle, log_x=log_axis(varying[0]))
    else:
        fig = plots.trials_figure(result.summary, [p.name for p in searched], [log_axis(p) for p in searched],
                                  result.best, title, subtitle, result.direction == "maximize")
    plots.save_png(fig, paths[2])
    return paths

