"""Student-t intervals over seeds, and the paired comparison a "best" setting must pass (scipy is
imported only when an interval is computed)."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation of two or more values."""
    n = len(values)
    mean = math.fsum(values) / n
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (n - 1))


def t_quantile(level: float, dof: int) -> float:
    """The two-sided Student-t quantile for a `level` interval."""
    from scipy import stats

    return stats.t.ppf(0.5 + level / 2, dof)


def mean_ci(values: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean with a Student-t interval; with one value the interval is that value."""
    n = len(values)
    if n == 0:
        return math.nan, math.nan, math.nan
    if n == 1:
        return (float(values[0]),) * 3
    mean, sd = _mean_sd(values)
    half = t_quantile(level, n - 1) * sd / math.sqrt(n)
    return mean, mean - half, mean + half


def seeds_to_separate(diffs: Sequence[float], level: float = 0.95, cap: int = 100_000) -> int | None:
    """Paired seeds needed for a t-interval of this spread to exclude 0 if the mean difference stayed as
    observed: the least n with t(n-1) * sd / sqrt(n) < |mean|. None when it cannot be told (fewer than
    two seeds, or a mean difference of exactly 0)."""
    n = len(diffs)
    if n < 2:
        return None
    mean, sd = _mean_sd(diffs)
    if mean == 0:
        return None
    if sd == 0:
        return 2
    need = 2
    while need < cap and t_quantile(level, need - 1) * sd / math.sqrt(need) >= abs(mean):
        need = max(need + 1, int(need * 1.05))
    return need


@dataclass(frozen=True)
class PairedComparison:
    """The leading setting against one other, on their shared seeds: mean difference (leader - other)
    in the direction sought, with its 95% t-interval (None with fewer than two seeds)."""
    other: object
    seeds: int
    mean: float
    lo: float | None
    hi: float | None
    needed: int | None  # seeds a separation would take at this spread (see seeds_to_separate)

    @property
    def separated(self) -> bool:
        return self.lo is not None and self.lo > 0


@dataclass(frozen=True)
class PairedBest:
    """`leader` has the best mean; it is `best` only when it is separated from every other setting."""
    leader: object
    comparisons: tuple[PairedComparison, ...]

    @property
    def best(self):
        return self.leader if self.comparisons and all(c.separated for c in self.comparisons) else None

    @property
    def closest(self) -> PairedComparison | None:
        """The comparison hardest to win: not separated first, then the smallest lower bound."""
        if not self.comparisons:
            return None
        return min(self.comparisons, key=lambda c: (c.separated, -math.inf if c.lo is None else c.lo))


def paired_best(values: dict, maximize: bool = True) -> PairedBest:
    """values: setting -> {seed: value}. The setting with the best mean is compared, seed by seed, with
    every other; a difference counts only on seeds both settings have."""
    sign = 1.0 if maximize else -1.0
    means = {k: math.fsum(v.values()) / len(v) for k, v in values.items() if v}
    leader = max(means, key=lambda k: sign * means[k])
    comparisons = []
    for other in means:
        if other == leader:
            continue
        shared = sorted(set(values[leader]) & set(values[other]))
        diffs = [sign * (values[leader][s] - values[other][s]) for s in shared]
        mean, lo, hi = mean_ci(diffs)
        if len(diffs) < 2:
            lo = hi = None
        comparisons.append(PairedComparison(other, len(diffs), mean, lo, hi, seeds_to_separate(diffs)))
    return PairedBest(leader, tuple(comparisons))
