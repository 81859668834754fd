"""Subcommands of the `arena` command line, one module each."""
from . import compare, conform, experiment, render, replay, run, tune, watch

SUBCOMMANDS = [run, conform, tune, compare, experiment, watch, replay, render]
