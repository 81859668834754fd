"""Subcommands of the `arena` command line, one module each."""
from . import conform, run

SUBCOMMANDS = [run, conform]
