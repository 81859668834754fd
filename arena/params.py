"""Parameter specs: each strategy, battle or run setting declares its type and range once, beside it.

Every way in (a --param flag, a TOML file, a tune grid or Optuna range, the Python API) goes through
`Spec.check`, which refuses a bad value with one message naming the parameter and its valid range, and
returns the canonical value: a float parameter given 1 becomes 1.0 (so `lr=1` and `lr=1.0` are one
setting in a results folder), a whole 3.0 given to an integer parameter becomes 3. NaN and infinities
are never valid. Every range has an upper end, so no value can ask for unbounded memory or time.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from .errors import ArenaError


BOOLS = (bool, np.bool_)


class ParamError(ArenaError, ValueError):
    """A parameter value of the wrong type or out of its range."""


@dataclass(frozen=True)
class Spec:
    """kind: float, int, bool or str; low..high (inclusive) for numbers; choices for strings."""
    kind: type
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()

    def __post_init__(self):
        if self.kind in (int, float) and (self.low is None or self.high is None):
            raise TypeError("a number parameter needs both bounds")

    def describe(self) -> str:
        if self.kind is bool:
            return "true or false"
        if self.kind is str:
            return f"one of {', '.join(self.choices)}"
        whole = "a whole number " if self.kind is int else ""
        low, high = (self.low, self.high) if self.kind is int else (f"{self.low:g}", f"{self.high:g}")
        return f"{whole}within {low}..{high}"

    def check(self, name: str, value):
        """The canonical form of `value`, or ParamError naming `name` and what it must be."""
        if self.kind is bool:
            if isinstance(value, BOOLS):
                return bool(value)
        elif self.kind is str:
            if isinstance(value, str) and value in self.choices:
                return value
        elif isinstance(value, numbers.Real) and not isinstance(value, BOOLS):
            number = float(value)
            if math.isfinite(number) and self.low <= number <= self.high:
                if self.kind is float:
                    return number
                if number == int(number):
                    return int(value) if isinstance(value, numbers.Integral) else int(number)
        raise ParamError(f"{name} must be {self.describe()}, got {value!r}")


def check_all(specs: dict[str, Spec], values: dict, owner: str = "") -> dict:
    """Every value checked against its spec, canonical; an unknown name is refused, listing the valid ones.

    `owner` ("gun 'kde'") starts each message when given."""
    unknown = sorted(set(values) - set(specs))
    if unknown:
        raise ParamError(f"{owner or 'it'} has no parameter {', '.join(unknown)}; "
                         f"valid: {', '.join(specs) or 'none'}")
    try:
        return {name: specs[name].check(name, value) for name, value in values.items()}
    except ParamError as exc:
        raise ParamError(f"{owner}: {exc}" if owner else str(exc)) from None
