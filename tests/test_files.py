"""Atomic writes: the old file or the whole new one, with the usual mode."""
import os

import pytest

from arena.files import write_atomic, write_text


def test_an_atomic_write_that_fails_keeps_the_old_file(tmp_path):
    path = tmp_path / "summary.md"
    write_text(path, "old\n")

    def explode(f):
        f.write(b"half")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        write_atomic(path, explode)
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["summary.md"]


def test_atomic_writes_get_the_usual_file_mode(tmp_path):
    path = tmp_path / "out.md"
    write_text(path, "x\n")
    mask = os.umask(0)
    os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask
