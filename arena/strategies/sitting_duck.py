"""Sitting duck: never moves."""
from __future__ import annotations

from .base import Movement


class SittingDuck(Movement):
    name = "duck"
