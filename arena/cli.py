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


class _Help(argparse.ArgumentDefaultsHelpFormatter):
    """Every option's default in --help, except where there is none to show or the text already says it."""

    def _get_help_string(self, action):
        text = action.help or ""
        if action.default in (None, False, argparse.SUPPRESS) or "(default" in text or not action.option_strings:
            return text
        return super()._get_help_string(action)


class _Parser(argparse.ArgumentParser):
    """One error line; exact flag names only (no prefix matching: `--seed` never silently means `--seeds`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)

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
    parser.subcommands = sub.choices
    return parser


def _parse(argv: list[str] | None) -> argparse.Namespace:
    """Parse; an unknown flag that starts a known one is named with it (flags are never abbreviated)."""
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:
        sub = parser.subcommands[args.command]
        flags = [f for a in sub._actions if a.help != argparse.SUPPRESS for f in a.option_strings]
        word = extra[0].partition("=")[0]
        full = [f for f in flags if f.startswith(word) and word.startswith("--")]
        hint = f" (flags are not abbreviated: write {' or '.join(full)})" if full else ""
        sub.error(f"unrecognized arguments: {' '.join(extra)}{hint}")
    return args


def _run(argv: list[str] | None) -> int:
    try:
        args = _parse(argv)
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
