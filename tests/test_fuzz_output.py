"""Output safety (issue 16.3-4): nothing but a regular file is replaced, write failures are one line and a
non-zero status, a results folder resumes from any kill point, killed writes leave nothing behind for
long, and a --scheduler that is not a Dask scheduler is one line within seconds."""
import errno
import fcntl
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from dataclasses import replace

import pytest

from arena.battle import BattleConfig, Side
from arena.cli import main
from arena.files import OutputError, write_text
from arena.lab import sweep
from arena.lab.compare import scoped_params
from arena.lab.sweep import BATTLES, MANIFEST, ResultStore, SweepError
from arena.lab.tuning import Param, jobs_for
from arena.replay import Recorder
from arena.battle import Battle
from arena.commands.common import parse_value

ARENA = [sys.executable, "-m", "arena.cli"]


@pytest.fixture(scope="module")
def replay_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("replay") / "short.arena"
    recorder = Recorder()
    Battle(BattleConfig(shooter=Side("head-on", "duck"), target=Side("none", "oscillator"), rounds=1)).run(recorder)
    recorder.save(path)
    return path


def make(kind: str, path):
    if kind == "symlink":
        (path.parent / "target").write_text("keep")
        path.symlink_to(path.parent / "target")
    elif kind == "folder":
        path.mkdir()
    elif kind == "pipe":
        os.mkfifo(path)
    elif kind == "device":
        if os.geteuid() != 0:
            pytest.skip("making a device node needs root")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))


def unchanged(kind: str, path) -> bool:
    mode = os.lstat(path).st_mode
    return {"symlink": stat.S_ISLNK(mode) and (path.parent / "target").read_text() == "keep",
            "folder": stat.S_ISDIR(mode), "pipe": stat.S_ISFIFO(mode), "device": stat.S_ISCHR(mode)}[kind]


@pytest.mark.parametrize("kind", ["symlink", "folder", "pipe", "device"])
def test_render_never_replaces_what_is_not_a_regular_file(replay_file, tmp_path, capsys, kind):
    out = tmp_path / "frame.png"
    make(kind, out)
    assert main(["render", str(replay_file), "--tick", "3", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"refusing to replace {out}" in err
    assert unchanged(kind, out)


def test_write_text_refuses_a_symlink_and_keeps_its_target(tmp_path):
    make("symlink", tmp_path / "summary.md")
    with pytest.raises(OutputError, match="it is a symlink"):
        write_text(tmp_path / "summary.md", "new")
    assert unchanged("symlink", tmp_path / "summary.md")


def test_a_killed_writers_temp_file_is_removed_by_the_next_write_and_a_live_ones_is_not(tmp_path):
    dead = tmp_path / ".summary.md.k1ll3d.tmp"
    dead.write_text("half")
    live = tmp_path / ".summary.md.al1ve0.tmp"
    live.write_text("being written")
    other = tmp_path / ".notes.md.k1ll3d.tmp"  # another file's temp: not ours to judge
    other.write_text("x")
    with open(live, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # a writer that is still running holds its lock
        write_text(tmp_path / "summary.md", "done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, "summary.md"])


def test_a_kill_during_an_atomic_write_leaves_a_temp_the_next_run_cleans(tmp_path):
    code = ("import os, sys\nfrom arena.files import write_atomic\n"
            "write_atomic(sys.argv[1], lambda f: (f.write(b'half'), f.flush(), os.kill(os.getpid(), 9)))\n")
    target = tmp_path / "out.arena"
    subprocess.run([sys.executable, "-c", code, str(target)], check=False)
    assert [p.name.startswith(".out.arena.") for p in tmp_path.iterdir()] == [True]
    write_text(target, "whole\n")
    assert [p.name for p in tmp_path.iterdir()] == ["out.arena"]


FIXED = {"gun": "gf-bins"}


@pytest.mark.parametrize("left", ["", "bins,seed,gun", "bins,seed,gun,movement,rounds,shots,resolved,hits,hit_rate"])
def test_a_folder_killed_before_its_manifest_resumes(tmp_path, left):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / BATTLES).write_text(left)  # created, maybe with part of a header, before manifest.json
    store = ResultStore(folder, "tune", FIXED, ["bins"])
    store.close()
    assert (folder / MANIFEST).exists() and (folder / BATTLES).read_text().startswith("bins,seed,gun,")


def test_a_folder_with_battles_but_no_manifest_is_refused(tmp_path):
    folder = tmp_path / "t"
    store = ResultStore(folder, "tune", FIXED, ["bins"])
    store._append(["5", "1"] + ["0"] * (len(store.columns) - 2))
    store.close()
    (folder / MANIFEST).unlink()
    with pytest.raises(SweepError, match="has battles but .* is missing"):
        ResultStore(folder, "tune", FIXED, ["bins"])


def test_a_refused_folder_is_left_as_it_was(tmp_path):
    ResultStore(tmp_path, "compare", FIXED, ["bins"]).close()
    (tmp_path / BATTLES).unlink()
    with pytest.raises(SweepError, match="holds `arena compare` results"):
        ResultStore(tmp_path, "tune", FIXED, ["bins"])
    assert [p.name for p in tmp_path.iterdir()] == [MANIFEST]


@pytest.mark.parametrize("junk", [b"\xff\xfe\x00bins", b"bins,seed\n1,\x002\n"])
def test_a_battles_file_that_is_not_csv_is_one_error(tmp_path, junk):
    ResultStore(tmp_path, "tune", FIXED, ["bins"]).close()
    (tmp_path / BATTLES).write_bytes(junk)
    with pytest.raises(SweepError):
        ResultStore(tmp_path, "tune", FIXED, ["bins"])


BASE = BattleConfig(shooter=Side("kde-learned", "duck"), target=Side("none", "oscillator"), rounds=1)


@pytest.mark.parametrize("name, same", [("lr", ("1", "1.0", "1e0")), ("capacity", ("3", "3.0")),
                                        ("movement.period", ("24", "24.0")), ("power", ("2", "2.0"))])
def test_values_that_mean_the_same_are_one_setting(name, same):
    target, key = ("movement", "period") if name == "movement.period" else (
        ("battle", "power") if name == "power" else ("gun", name))
    keys = {jobs_for(BASE, [Param(name, target, key, values=(parse_value(v),))], {name: parse_value(v)}, [1])[0].key
            for v in same}
    assert len(keys) == 1


def test_compare_parameters_are_canonical():
    assert scoped_params({"kde.lr": "1", "oscillator.period": "24.0"}, ["kde"], ["oscillator"], parse_value) == \
        {"kde": {"lr": 1.0}, "oscillator": {"period": 24}}


class Full:
    """A stdout on a full disk, or on a pipe whose reader is gone."""

    def __init__(self, err: int):
        self.err = err

    def write(self, text):
        raise OSError(self.err, os.strerror(self.err))

    def flush(self):
        pass

    def fileno(self):
        raise OSError(errno.EBADF, "no descriptor")


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EPIPE])
def test_stdout_that_cannot_be_written_is_one_line_and_exit_1(monkeypatch, capsys, err):
    monkeypatch.setattr(sys, "stdout", Full(err))
    assert main(["experiment", "--list"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines == [f"arena: error: cannot write the output: {os.strerror(err)}"]


def test_a_read_only_output_is_one_line(replay_file, tmp_path, capsys, monkeypatch):
    def denied(*_):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(os, "replace", denied)
    assert main(["render", str(replay_file), "--tick", "3", "--out", str(tmp_path / "f.png")]) == 2
    assert capsys.readouterr().err == f"arena: error: cannot write {tmp_path / 'f.png'}: Permission denied\n"
    assert list(tmp_path.iterdir()) == []


def test_help_into_a_full_device_fails(tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = subprocess.run(ARENA + ["--help"], stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == "arena: error: cannot write the output: No space left on device\n"


def test_a_closed_pipe_is_at_most_one_line(tmp_path):
    p = subprocess.Popen(ARENA + ["conform", "--help"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    p.stdout.close()  # the reader is gone before anything is written
    err = p.stderr.read().decode()
    assert p.wait() == 1 and err == "arena: error: cannot write the output: Broken pipe\n"


def hold(server, held: list) -> None:
    try:
        held.append(server.accept())
    except OSError:
        pass  # nobody came before the server closed


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never says a word."""
    server, held = socket.socket(), []
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    server.settimeout(10)
    threading.Thread(target=hold, args=(server, held), daemon=True).start()
    yield server.getsockname()[1]
    server.close()


@pytest.mark.parametrize("address, words", [("foo", "missing port"), ("http://localhost:1", "unknown address scheme"),
                                            ("tcp://127.0.0.1:{port}", "no answer within")])
def test_a_scheduler_that_is_not_dask_is_one_line_within_seconds(monkeypatch, silent_server, address, words):
    import distributed  # noqa: F401  (imported before the clock starts)
    monkeypatch.setattr(sweep, "SCHEDULER_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(SweepError, match=f"cannot reach a Dask scheduler.*{words}"):
        sweep._dask_client(address.format(port=silent_server))
    assert time.monotonic() - started < 3


def wait_for_handler(pid: int, signum: int, timeout: float = 20.0) -> None:
    """Until process `pid` catches `signum` (the viewer is up), per Linux's /proc/PID/status SigCgt mask."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(f"/proc/{pid}/status") as f:
            caught = next(int(line.split()[1], 16) for line in f if line.startswith("SigCgt:"))
        if caught >> (signum - 1) & 1:
            return
        time.sleep(0.05)
    raise AssertionError("the viewer never started")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_viewer_ends_on_sigterm(replay_file, tmp_path):
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    p = subprocess.Popen(ARENA + ["replay", str(replay_file), "--speed", "1"], stderr=subprocess.PIPE, text=True,
                         env=env, cwd=tmp_path)
    wait_for_handler(p.pid, signal.SIGTERM)
    p.send_signal(signal.SIGTERM)
    try:
        assert p.wait(timeout=5) == 128 + signal.SIGTERM
    finally:
        p.kill()
    assert p.stderr.read() == "arena: terminated\n"


def test_optuna_search_spaces_are_written_canonically():
    from arena.lab.tuning import canonical_params, parse_param
    given_ints = canonical_params(BASE, [parse_param("lr", "1,2", parse_value), parse_param("capacity", "2:9:int",
                                                                                          parse_value)])
    given_floats = canonical_params(BASE, [parse_param("lr", "1.0,2.0", parse_value),
                                           parse_param("capacity", "2.0:9.0:int", parse_value)])
    assert [p.describe() for p in given_ints] == [p.describe() for p in given_floats] == ["1.0,2.0", "2:9:int"]
