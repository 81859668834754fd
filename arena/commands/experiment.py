"""`arena experiment`: reproduce one of the project's observations as a figure and a short summary."""
from __future__ import annotations

from ..lab.experiments import DEFAULT_ROUNDS, DEFAULT_SEEDS, EXPERIMENTS, ExperimentError, run_experiment
from ..lab.settings import parse_seeds
from .common import SWEEP_SEED, add_path_args, refuse


def add_parser(sub) -> None:
    p = sub.add_parser("experiment", help="reproduce an observation as a PNG and a Markdown summary",
                       description="Writes results/NAME/NAME.png and summary.md (battle experiments also keep "
                                   "their resumable battles.csv there).")
    p.add_argument("name", nargs="?", help=f"one of: {', '.join(EXPERIMENTS)}")
    p.add_argument("--list", action="store_true", help="list the experiments")
    p.add_argument("--out", default="results", metavar="DIR", help="parent folder: writes DIR/NAME/")
    p.add_argument("--seeds", metavar="N|A..B", help="battle experiments: the seeds every setting is played on, "
                   f"N for seeds 1..N or A..B (default: {DEFAULT_SEEDS})")
    p.add_argument("--rounds", type=int, help=f"rounds per battle, battle experiments (default: {DEFAULT_ROUNDS})")
    p.add_argument("--workers", type=int, help="local worker processes (default: all cores)")
    p.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run the battles on this Dask scheduler "
                                                                  "(default: local workers)")
    refuse(p, SWEEP_SEED)
    add_path_args(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    if args.list:
        for e in EXPERIMENTS.values():
            print(f"{e.name:<14} {e.about}")
        return 0
    if not args.name:
        raise ExperimentError("name an experiment; `arena experiment --list` lists them")
    seeds = parse_seeds(args.seeds if args.seeds is not None else DEFAULT_SEEDS)
    summary = run_experiment(args.name, args.out, len(seeds), args.rounds, args.workers, args.scheduler,
                             bool(args.reference), seeds[0])
    print(summary)
    return 0
