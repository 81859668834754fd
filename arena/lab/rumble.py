"""`arena rumble`: every pairing of a field of bots on the same seeds, ranked as RoboRumble ranks them.

Per battle, a bot's APS share is its Robocode score over both bots' scores. Per pairing: mean APS share,
survival (rounds won), bullet damage per round and hit rate of each side. Per bot: APS and survival
averaged over its opponents, with 95% Student-t intervals over seeds (each seed is one independent
replication of the whole round robin), and a Bradley-Terry rating fitted to the pairwise APS.

Why Bradley-Terry and not Glicko-2: a rumble here is one complete round robin played all at once, not
a sequence of rating periods, so Glicko's order-dependent updates and volatility model have nothing to
track; Bradley-Terry is the maximum-likelihood strength model for complete paired comparisons, uses
every pairing at once, is independent of play order, and takes fractional outcomes (APS shares) as
they are. Ratings are on the Elo scale (mean 1500; a 400-point gap means an expected APS of 10/11) with
95% jackknife intervals over seeds (Student-t, like the APS intervals; a percentile bootstrap over a few
seeds has too few distinct resamples and comes out far too narrow).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from ..battle import BattleConfig
from ..bots import Bot, pairing_config, swapped
from ..errors import ArenaError
from ..play import play
from .plots import save_png
from .stats import mean_ci, t_quantile
from .sweep import Job, markdown_table, run_jobs, write_csv, write_text

AXES = ["a", "b"]  # the two bots' definitions (arena.bots.Bot.definition)
SIDES = ("a", "b")
# Each row after its pairing and seed: per side score, rounds won, bullet damage, shots, hits, resolved.
RUMBLE_COLUMNS = {"rounds": int, **{f"{k}_{s}": t for k, t in (("score", float), ("wins", int),
                                                                ("damage", float), ("shots", int), ("hits", int),
                                                                ("resolved", int)) for s in SIDES},
                  "ticks": int, "seconds": float, "path": str, "error": str}
PRIOR = 0.1  # virtual battles at APS 0.5 per pairing, so a bot that takes every point keeps a finite rating


class RumbleError(ArenaError):
    """A field that cannot be played: fewer than two bots, a bot listed twice."""


def rumble_row(config: BattleConfig, reference: bool = False) -> dict:
    """One battle as a row from bot a's and bot b's side (runs in pool and Dask workers). A battle that a
    strategy breaks (a plugin raising, say) becomes a row holding the error, so the sweep goes on."""
    try:
        result, path = play(config, reference)
    except ArenaError as exc:
        return {**{c: kind() for c, kind in RUMBLE_COLUMNS.items()}, "rounds": config.rounds,
                "path": "reference", "error": str(exc)}
    robot = {"a": 1, "b": 0} if swapped(config.seed) else {"a": 0, "b": 1}
    totals = {k: result.total(name) for k, name in (("score", "score"), ("damage", "bullet_damage"),
                                                     ("shots", "shots"), ("hits", "hits"), ("resolved", "resolved"))}
    wins = [sum(r.winner == i for r in result.rounds) for i in range(2)]
    row = {"rounds": len(result.rounds), "ticks": result.ticks, "seconds": result.seconds, "path": path.name,
           "error": ""}
    for side, i in robot.items():
        row.update({f"{k}_{side}": v[i] for k, v in totals.items()})
        row[f"wins_{side}"] = wins[i]
    return row


def rumble_jobs(bots: list[Bot], seeds: list[int], rounds: int, **battle) -> list[Job]:
    return [Job((("a", a.definition), ("b", b.definition)), pairing_config(a, b, seed, rounds, **battle))
            for a, b in itertools.combinations(bots, 2) for seed in seeds]


def interval(values: list[float]) -> tuple[float, float, float]:
    """Mean and 95% Student-t interval clipped to [0, 1]; no interval (NaN ends) from fewer than two values."""
    m, lo, hi = mean_ci(values)
    return (m, math.nan, math.nan) if len(values) < 2 else (m, max(0.0, lo), min(1.0, hi))


def aps_share(mine: float, theirs: float) -> float:
    """A bot's share of the pairing's total score (0.5 when neither scored)."""
    return mine / (mine + theirs) if mine + theirs > 0 else 0.5


def bradley_terry(wins: np.ndarray, games: np.ndarray, prior: float = PRIOR, iterations: int = 10_000) -> np.ndarray:
    """Strengths p (geometric mean 1) maximising prod (p_i/(p_i+p_j))^w_ij, w_ij the (fractional) wins of i
    over j in games_ij games; Hunter's (2004) MM updates p_i <- W_i / sum_j n_ij/(p_i+p_j). `prior`
    virtual games at one half per pair keep every strength finite."""
    n = len(wins)
    off = 1.0 - np.eye(n)
    w = wins + prior * 0.5 * off
    g = games + prior * off
    p = np.ones(n)
    for _ in range(iterations):
        new = w.sum(axis=1) / (g / (p[:, None] + p[None, :])).sum(axis=1)
        new /= math.exp(np.log(new).mean())
        if np.max(np.abs(new - p)) < 1e-12:
            return new
        p = new
    return p


def elo(p: np.ndarray) -> np.ndarray:
    """Strengths on the Elo scale, mean 1500: a gap D means an expected share of 1/(1+10^(-D/400))."""
    r = 400.0 * np.log10(p)
    return 1500.0 + r - r.mean()


@dataclass
class RumbleResult:
    """The rows of a finished rumble; the tables derived from them are computed once, on first use."""
    bots: list[Bot]
    seeds: list[int]
    rounds: int
    rows: list[dict]
    played: int

    def __post_init__(self):
        self.index = {b.definition: i for i, b in enumerate(self.bots)}
        self.ok = [r for r in self.rows if not r["error"]]
        self.failed = [r for r in self.rows if r["error"]]

    @cached_property
    def per_seed(self) -> dict[int, dict[tuple[int, int], dict]]:
        """seed -> (i, j) -> i's APS share, rounds won share, damage per round, hits, resolved against j."""
        out: dict[int, dict] = {}
        for r in self.ok:
            for me, them in (("a", "b"), ("b", "a")):
                i, j = self.index[r[me]], self.index[r[them]]
                out.setdefault(r["seed"], {})[i, j] = {
                    "aps": aps_share(r[f"score_{me}"], r[f"score_{them}"]),
                    "survival": r[f"wins_{me}"] / r["rounds"], "damage": r[f"damage_{me}"] / r["rounds"],
                    "hits": r[f"hits_{me}"], "resolved": r[f"resolved_{me}"]}
        return out

    @cached_property
    def pairings(self) -> dict[tuple[int, int], dict]:
        """(i, j) -> i's mean APS share (95% CI over seeds), survival, damage per round and hit rate vs j."""
        cells: dict[tuple[int, int], list[dict]] = {}
        for by_pair in self.per_seed.values():
            for pair, v in by_pair.items():
                cells.setdefault(pair, []).append(v)
        out = {}
        for pair, vs in cells.items():
            aps, lo, hi = interval([v["aps"] for v in vs])
            resolved = sum(v["resolved"] for v in vs)
            out[pair] = {"battles": len(vs), "aps": aps, "aps_lo": lo, "aps_hi": hi,
                         "survival": float(np.mean([v["survival"] for v in vs])),
                         "damage": float(np.mean([v["damage"] for v in vs])),
                         "hit_rate": sum(v["hits"] for v in vs) / resolved if resolved else math.nan}
        return out

    def ratings(self, seeds: list[int] | None = None) -> np.ndarray:
        """Bradley-Terry ratings (Elo scale) from the pairwise APS shares of the given seeds (with repeats)."""
        per_seed = self.per_seed
        n = len(self.bots)
        wins, games = np.zeros((n, n)), np.zeros((n, n))
        for s in seeds if seeds is not None else list(per_seed):
            for (i, j), v in per_seed.get(s, {}).items():
                wins[i, j] += v["aps"]
                games[i, j] += 1
        return elo(bradley_terry(wins, games))

    def rating_halfwidths(self, seeds: list[int]) -> np.ndarray:
        """Half-widths of 95% intervals of the ratings: the jackknife over seeds (refit leaving each seed out)
        times Student-t with seeds-1 degrees of freedom, as the APS intervals; NaN from fewer than two seeds."""
        n = len(seeds)
        if n < 2:
            return np.full(len(self.bots), math.nan)
        jack = np.array([self.ratings([s for s in seeds if s != left]) for left in seeds])
        se = np.sqrt((n - 1) / n * ((jack - jack.mean(axis=0)) ** 2).sum(axis=0))
        return t_quantile(0.95, n - 1) * se

    @cached_property
    def ranking(self) -> list[dict]:
        """One row per bot, best rating first: APS and survival over opponents and the rating, each with a 95%
        interval over seeds; battles played and failed."""
        per_seed = self.per_seed
        seeds = sorted(per_seed)
        rating = self.ratings()
        half = self.rating_halfwidths(seeds)
        out = []
        for i, bot in enumerate(self.bots):
            stats = {}
            for key in ("aps", "survival"):
                values = [float(np.mean(v)) for v in ([c[key] for (a, _), c in per_seed[s].items() if a == i]
                                                      for s in seeds) if v]
                m, lo, hi = interval(values)
                stats.update({key: m, f"{key}_lo": lo, f"{key}_hi": hi})
            lo, hi = rating[i] - half[i], rating[i] + half[i]  # NaN from one seed: no interval
            failed = sum(1 for r in self.failed if bot.definition in (r["a"], r["b"]))
            out.append({"bot": bot.name, "definition": bot.definition, **stats, "rating": float(rating[i]),
                        "rating_lo": float(lo), "rating_hi": float(hi),
                        "battles": sum(1 for r in self.ok if bot.definition in (r["a"], r["b"])), "failed": failed})
        return sorted(out, key=lambda r: -r["rating"])


def rumble(folder: str | Path, bots: list[Bot], seeds: list[int], rounds: int, workers: int | None = None,
           scheduler: str | None = None, run: dict | None = None, **battle) -> RumbleResult:
    """Play every pairing of `bots` on `seeds` into `folder` (resuming what it has)."""
    if len(bots) < 2:
        raise RumbleError("a rumble needs at least two bots")
    if len({b.name for b in bots}) < len(bots):  # e.g. two plugin files with a class of the same name
        bots = [replace(b, name=b.definition) for b in bots]
    seen: dict[str, str] = {}
    for bot in bots:
        if bot.definition in seen:
            raise RumbleError(f"bots {seen[bot.definition]!r} and {bot.name!r} are the same bot ({bot.definition})")
        seen[bot.definition] = bot.name
        bot.check()
    fixed = {"rounds": rounds, **battle}
    rows, played = run_jobs(folder, "rumble", fixed, AXES, rumble_jobs(bots, seeds, rounds, **battle), workers,
                            scheduler, run, result_columns=RUMBLE_COLUMNS, row=rumble_row)
    return RumbleResult(bots, seeds, rounds, rows, played)


def _with_ci(m: float, lo: float, hi: float, fmt: str) -> str:
    return format(m, fmt) + ("" if math.isnan(lo) else f" [{lo:{fmt}}, {hi:{fmt}}]")


def _pct(m: float, lo: float, hi: float) -> str:
    return _with_ci(m, lo, hi, ".1%")


def ranking_markdown(result: RumbleResult) -> str:
    rows = [[n + 1, r["bot"], _pct(r["aps"], r["aps_lo"], r["aps_hi"]),
             _pct(r["survival"], r["survival_lo"], r["survival_hi"]),
             _with_ci(r["rating"], r["rating_lo"], r["rating_hi"], ".0f"), r["battles"]]
            for n, r in enumerate(result.ranking)]
    return markdown_table(["rank", "bot", "APS (95% CI)", "survival (95% CI)", "rating (95% CI)", "battles"], rows)


def _matrix(result: RumbleResult, cells: dict, key: str, fmt) -> str:
    names = [b.name for b in result.bots]
    rows = [[names[i]] + ["—" if i == j or (i, j) not in cells else fmt(cells[i, j], key) for j in range(len(names))]
            for i in range(len(names))]
    return markdown_table(["row vs column"] + names, rows)


def report_markdown(result: RumbleResult) -> str:
    cells = result.pairings
    paths = {p: sum(1 for r in result.ok if r["path"] == p) for p in ("fast", "reference")}
    text = [
        "# arena rumble\n",
        f"{len(result.bots)} bots, every pairing on seeds {result.seeds[0]}..{result.seeds[-1]} "
        f"({len(result.seeds)} battles of {result.rounds} rounds per pairing; bot a is robot 0 on odd seeds and "
        f"robot 1 on even ones). APS: a bot's share of the pairing's total Robocode score, averaged over its "
        f"opponents; survival: rounds won; both with 95% Student-t intervals over seeds. Rating: Bradley-Terry "
        f"fitted to the pairwise APS shares, Elo scale (mean 1500, +400 = expected APS 91%), 95% jackknife "
        f"interval over seeds (none from a single seed). Battles on the fast path: {paths['fast']}, on the "
        f"reference path: {paths['reference']} (plugins, and strategies the compiled loop lacks).\n",
        "## Ranking\n", ranking_markdown(result),
        "## Bots\n", markdown_table(["bot", "definition"], [[b.name, f"`{b.definition}`"] for b in result.bots]),
        "## APS of the row bot against the column bot (95% CI)\n",
        _matrix(result, cells, "aps", lambda c, k: _pct(c["aps"], c["aps_lo"], c["aps_hi"])),
        "## Survival (rounds won by the row bot)\n", _matrix(result, cells, "survival", lambda c, k: f"{c[k]:.0%}"),
        "## Bullet damage per round dealt by the row bot\n",
        _matrix(result, cells, "damage", lambda c, k: f"{c[k]:.1f}"),
        "## Hit rate of the row bot\n", _matrix(result, cells, "hit_rate", lambda c, k: f"{c[k]:.1%}"),
    ]
    if result.failed:
        text += ["## Failed battles\n", markdown_table(["a", "b", "seed", "error"],
                                                      [[r["a"], r["b"], r["seed"], r["error"]] for r in result.failed])]
    return "\n".join(text)


def heatmap_figure(result: RumbleResult):
    """APS and survival of the row bot against the column bot, bots in ranking order."""
    from matplotlib.figure import Figure
    order = [result.index[r["definition"]] for r in result.ranking]
    names = [result.bots[i].name for i in order]
    cells = result.pairings
    fig = Figure(layout="constrained", figsize=(4 + 1.6 * len(names), 1.5 + 0.55 * len(names)))
    for ax, key, title in zip(fig.subplots(1, 2), ("aps", "survival"), ("APS (row vs column)", "survival")):
        grid = np.array([[cells[i, j][key] if (i, j) in cells else np.nan for j in order] for i in order])
        image = ax.imshow(grid, cmap="RdBu", vmin=0, vmax=1, aspect="auto")
        fig.colorbar(image, ax=ax, shrink=0.8)
        for (y, i), (x, j) in itertools.product(enumerate(order), enumerate(order)):
            if (i, j) in cells:
                value = cells[i, j][key]
                ax.text(x, y, f"{value:.0%}", ha="center", va="center", fontsize=7,
                        color="white" if abs(value - 0.5) > 0.3 else "black")  # readable on the dark ends
        ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize=7)
        ax.set_yticks(range(len(names)), names, fontsize=7)
        ax.set_title(title)
    return fig


def write_reports(folder: str | Path, result: RumbleResult) -> list[Path]:
    """ranking.csv, pairings.csv, rumble.md and rumble.png beside battles.csv."""
    folder = Path(folder)
    paths = [folder / "ranking.csv", folder / "pairings.csv", folder / "rumble.md", folder / "rumble.png"]
    ranking = result.ranking
    write_csv(paths[0], list(ranking[0]), ranking)
    cells = [{"bot": result.bots[i].name, "opponent": result.bots[j].name, **c}
             for (i, j), c in sorted(result.pairings.items())]
    write_csv(paths[1], ["bot", "opponent", "battles", "aps", "aps_lo", "aps_hi", "survival", "damage", "hit_rate"],
              cells)
    write_text(paths[2], report_markdown(result))
    save_png(heatmap_figure(result), paths[3])
    return paths
