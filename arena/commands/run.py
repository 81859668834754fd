"""`arena run`: one headless battle and its summary."""
from __future__ import annotations

import json
import sys

from ..errors import ArenaError
from ..lab.settings import plural
from .common import add_battle_args, add_path_args, config_from_args, path_for, reference_per_tick, say_path


def add_parser(sub) -> None:
    p = sub.add_parser("run", help="run a headless battle and print a summary",
                       description="Runs on the compiled fast path whenever it supports the matchup (the same "
                                   "result, faster), else on the reference engine; stderr says which ran.")
    add_battle_args(p)
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--record", metavar="NAME", help="also write a replay to NAME (.arena added if it has no suffix; "
                                                    "runs the reference engine)")
    add_path_args(p, fast=True)
    p.set_defaults(handler=handle)


def format_summary(s: dict) -> str:
    lo, hi = s["hit_rate_ci95"]
    return "\n".join([
        f"{s['gun']} vs {s['movement']}, seed {s['seed']}, {plural(s['rounds'], 'round')}",
        f"  hit rate      {s['hit_rate']:.1%}  (95% CI {lo:.1%} .. {hi:.1%}; {s['hits']} hits / {s['resolved']} bullets)",
        f"  damage/round  {s['bullet_damage_per_round']:.2f}",
        f"  score         {s['score'][0]:.1f} : {s['score'][1]:.1f}  (rounds won {s['wins'][0]} : {s['wins'][1]})",
        f"  ticks         {s['ticks']}",
    ])


def json_summary(result) -> dict:
    """The summary plus each robot's Robocode score components, summed over the rounds and round by round."""
    rounds = [{"round": r.round, "ticks": r.ticks, "winner": r.winner, "score": r.components} for r in result.rounds]
    return {**result.summary(), "score_components": result.score_components(), "round_scores": rounds}


def handle(args) -> int:
    config = config_from_args(args)
    if args.record and args.fast:
        raise ArenaError("--record needs the reference path: drop --fast to record a replay")
    path = say_path(reference_per_tick("--record") if args.record else path_for(config, args))
    battle = recorder = None
    if path.name == "fast":  # played here so that the gun can be asked what it learned
        from ..fast.battle import FastBattle
        fast = FastBattle(config)
        result, gun, movement = fast.run(), fast.guns[0], fast.movements[1]
    else:  # the reference engine, played here so that a replay can be recorded and the gun asked what it learned
        from ..battle import Battle
        from ..replay import Recorder, replay_path
        battle, recorder = Battle(config), Recorder() if args.record else None
        result, gun, movement = battle.run(recorder), battle.pilots[0].gun, battle.pilots[1].movement
    summary = json_summary(result)
    from ..features import NAMES as FEATURE_NAMES
    if hasattr(gun, "feature_weights"):  # a learned-metric gun: its w_k
        summary["feature_weights"] = dict(zip(FEATURE_NAMES, gun.feature_weights()))
    if hasattr(movement, "feature_weights"):  # the target's learned-metric danger (surfer-metric): its w_k
        summary["movement_feature_weights"] = dict(zip(FEATURE_NAMES, movement.feature_weights()))
    print(json.dumps(summary, sort_keys=True) if args.json else format_summary(result.summary()))
    if recorder is not None:
        print(f"replay written to {recorder.save(replay_path(args.record))}", file=sys.stderr)
    print(f"ticks/s {result.ticks / max(result.seconds, 1e-9):.0f} ({result.seconds:.2f} s)", file=sys.stderr)
    return 0
