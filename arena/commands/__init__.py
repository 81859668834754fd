"""Subcommands of the `arena` command line, one module each."""
from . import compare, conform, experiment, render, replay, rumble, run, tune, watch

SUBCOMMANDS = [run, conform, tune, compare, rumble, experiment, watch, replay, render]
