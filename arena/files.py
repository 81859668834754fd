"""Atomic file writing: a user's file is either the old one or the complete new one, never half.

Only a regular file (or nothing) is ever replaced: a symlink, device, pipe or folder at the path is
refused, not swapped for a file. The temp file is locked while it is written, so a later write to the
same path can tell the leftover of a killed writer (unlocked) from a live one and delete it.
"""
from __future__ import annotations

import fcntl
import glob
import os
import stat
import tempfile
from pathlib import Path
from typing import IO, Callable

from .errors import ArenaError

KINDS = ((stat.S_ISLNK, "a symlink"), (stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"),
         (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a pipe"), (stat.S_ISSOCK, "a socket"))


class OutputError(ArenaError):
    """An output path that must not be replaced."""


def check_replaceable(path: Path) -> None:
    """OutputError unless `path` is missing or a regular file."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in KINDS if test(mode)), "not a regular file")
        raise OutputError(f"refusing to replace {path}: it is {kind}, not a regular file")


def write_atomic(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Write via a locked temp file in the same folder, fsync, os.replace, then fsync the folder."""
    path = Path(path)
    check_replaceable(path)
    clean_leftovers(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released by the kernel if this process dies
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; a user's file gets the usual mode
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
            check_replaceable(path)
            os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # say which file could not be written
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    fsync_dir(path.parent)


def clean_leftovers(path: Path) -> None:
    """Delete the temp files killed writes of `path` left behind (live writers hold a lock on theirs)."""
    for name in glob.glob(glob.escape(str(path.parent / f".{path.name}.")) + "*.tmp"):
        try:
            fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode):
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                os.unlink(name)
        except OSError:
            pass  # a live writer's, or already gone
        finally:
            os.close(fd)


def write_bytes(path: Path, data: bytes) -> None:
    write_atomic(path, lambda f: f.write(data))


def write_text(path: Path, text: str) -> None:
    write_bytes(path, text.encode())


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
