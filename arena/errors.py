"""The one error type the command line turns into a one-line message and exit code 2."""


class ArenaError(Exception):
    """Bad input from a user: a wrong parameter, a missing or corrupt file."""
