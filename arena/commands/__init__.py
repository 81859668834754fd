"""Subcommands of the `arena` command line, one module each."""
from . import conform, render, replay, run, watch

SUBCOMMANDS = [run, conform, watch, replay, render]
