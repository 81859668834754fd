"""`arena` command line: one subcommand per module in arena/commands; bad input -> one line, exit 2.

Output that cannot be written (a full disk or device, a closed pipe, no permission) is one line and
exit 1, including --help into /dev/full.
"""
from __future__ import annotations

import argparse
import os
import sys

from .errors import ArenaError
from .commands import SUBCOMMANDS

OUTPUT_FAILED = 1


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line, like every other error, instead of usage + message
        command = self.prog.removeprefix("arena").strip()
        self.exit(2, f"arena: error: {command + ': ' if command else ''}{message}\n")

    def print_help(self, file=None):  # argparse ignores write errors; a --help that was not written must fail
        (file or sys.stdout).write(self.format_help())


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="arena", description="Robocode-style guess-factor targeting simulator.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in SUBCOMMANDS:
        module.add_parser(sub)
    return parser


def _run(argv: list[str] | None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.handler(args) or 0
    except SystemExit as exc:  # argparse after --help or a usage line, the viewer after SIGTERM
        return 0 if exc.code is None else exc.code if isinstance(exc.code, int) else 2
    except ArenaError as exc:
        print(f"arena: error: {exc}", file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(f"arena: error: no such file: {exc.filename}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("arena: interrupted", file=sys.stderr)
        return 130


def _os_error(exc: OSError) -> int:
    """One line for a file or the output that could not be written (a full disk, a closed pipe, no permission)."""
    if exc.filename:
        print(f"arena: error: {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return OUTPUT_FAILED
    try:  # stdout itself failed: point it at /dev/null so the exit does not try it again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    print(f"arena: error: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
    return OUTPUT_FAILED


def main(argv: list[str] | None = None) -> int:
    try:
        code = _run(argv)
        sys.stdout.flush()  # here, not at exit, so a full disk or closed pipe is reported
        return code
    except OSError as exc:
        return _os_error(exc)


if __name__ == "__main__":
    sys.exit(main())
