"""`arena rumble`: a round robin of complete bots (gun + movement, both firing), ranked by APS, survival
and a Bradley-Terry rating, into a resumable results folder."""
from __future__ import annotations

import sys

from ..bots import Bot, BotError, bot_from_table, parse_bot
from ..lab.rumble import ranking_markdown, rumble, write_reports
from ..lab.settings import NAMES, RUN_SCHEMA, SettingsError, add_run_args, check_run, plural, resolve
from .common import SWEEP_SEED, refuse

# The default field: every classic gun on one movement (random-orbit) and every movement under one gun
# (gf-bins), so the ranking compares guns on equal footing and movements on equal footing, plus the
# learned KDE gun with the surfer. Surfers and learning guns cost the most per battle, so each appears
# in few bots (README "Rumble" has the costs).
DEFAULT_FIELD = [
    "head-on+random-orbit", "linear+random-orbit", "circular+random-orbit", "gf-bins+random-orbit",
    "kde+random-orbit", "kde-learned+random-orbit", "gf-bins+duck", "gf-bins+oscillator", "gf-bins+stop-and-go",
    "gf-bins+surfer", "kde-learned+surfer",
]
SCHEMA = {
    **RUN_SCHEMA, "out": (str, "results/rumble"), "field": (NAMES, None), "bots": (object, None),
    "power": (float, 2.0), "width": (float, 800.0), "height": (float, 600.0),
}


def add_parser(sub) -> None:
    p = sub.add_parser("rumble", help="round robin of bots (gun+movement, both fire): APS, survival, rating",
                       description="Every pairing of the field on the same seeds (sides swapped on even seeds); "
                                   "writes battles.csv, ranking.csv, pairings.csv, rumble.md and rumble.png into "
                                   "--out (default results/rumble). Re-running into the same folder resumes. Plugin "
                                   "strategies run on the reference path, the rest on the fast path where it can.")
    g = p.add_argument_group("field")
    g.add_argument("--bots", dest="field", metavar="A,B,...",
                   help="comma-separated bots: GUN+MOVEMENT (e.g. kde-learned+surfer; a gun or movement may be a "
                        "plugin PATH.py:Class or module:Class), a bot plugin, or a [bots.NAME] of --config "
                        f"(default: {', '.join(DEFAULT_FIELD)})")
    g.add_argument("--power", type=float, help="bullet power of guns without their own (default: 2)")
    g.add_argument("--width", type=float, help="field width (default: 800)")
    g.add_argument("--height", type=float, help="field height (default: 600)")
    add_run_args(p, seeds=SCHEMA["seeds"][1], rounds=SCHEMA["rounds"][1], out=SCHEMA["out"][1])
    refuse(p, SWEEP_SEED)
    p.set_defaults(handler=handle)


def field_from_settings(s: dict, where: str) -> list[Bot]:
    """The bots to play: --bots / `field = [...]`, else the config's `bots` (a list, or [bots.NAME] tables:
    all of them), else the default field."""
    bots, defined = s["bots"], {}
    if isinstance(bots, dict):
        for name, table in bots.items():
            if not isinstance(table, dict):
                raise BotError(f"{where}: bots.{name} must be a table with gun and movement")
            defined[name] = bot_from_table(name, table, f"{where}: bots.{name}")
    elif bots is not None and not (isinstance(bots, list) and all(isinstance(b, str) for b in bots)):
        raise SettingsError(f"{where}: bots must be a list of bots or [bots.NAME] tables")
    field = s["field"] or (bots if isinstance(bots, list) else list(defined) or DEFAULT_FIELD)
    return [parse_bot(text, defined) for text in field]


def handle(args) -> int:
    s = resolve(SCHEMA, vars(args), args.config)
    check_run(s)
    if s["rounds"] < 1:
        raise SettingsError(f"rounds must be at least 1, got {s['rounds']}")
    bots = field_from_settings(s, args.config or "--bots")
    run = {k: v for k, v in s.items() if k not in ("workers", "scheduler")}
    plugins = [b.name for b in bots if b.plugin]
    if plugins:
        print(f"plugin bots run on the reference path: {', '.join(plugins)}", file=sys.stderr)
    result = rumble(s["out"], bots, s["seeds"], s["rounds"], s["workers"], s["scheduler"], run,
                    width=s["width"], height=s["height"], power=s["power"])
    paths = write_reports(s["out"], result)
    print(ranking_markdown(result))
    if result.failed:
        print(f"{plural(len(result.failed), 'battle')} failed (listed in rumble.md); first: {result.failed[0]['error']}",
              file=sys.stderr)
    print(f"played {plural(result.played, 'battle')} now; wrote {', '.join(str(p) for p in paths)}", file=sys.stderr)
    return 0
