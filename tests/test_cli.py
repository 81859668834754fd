"""The command line: deterministic output, and one clear line with exit 2 for bad input."""
import json

import pytest

from arena.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_run_json_is_deterministic(capsys):
    argv = ["run", "--gun", "circular", "--movement", "oscillator", "--rounds", "2", "--seed", "7", "--json"]
    code, first, _ = run(capsys, *argv)
    assert code == 0
    _, second, _ = run(capsys, *argv)
    assert first == second
    summary = json.loads(first)
    assert summary["gun"] == "circular" and summary["rounds"] == 2 and 0 <= summary["hit_rate"] <= 1


def test_run_prints_a_readable_summary(capsys):
    code, out, err = run(capsys, "run", "--movement", "duck", "--rounds", "1")
    assert code == 0
    assert "hit rate      100.0%" in out and "ticks/s" in err


@pytest.mark.parametrize("argv, words", [
    (["run", "--gun", "laser"], ["unknown gun 'laser'", "head-on", "kde-learned"]),
    (["run", "--movement", "teleport"], ["unknown movement 'teleport'", "random-orbit"]),
    (["run", "--rounds", "-3"], ["rounds"]),
    (["run", "--power", "5"], ["power", "0.1..3"]),
    (["run", "--width", "300"], ["width must be within 400..5000"]),
    (["run", "--param", "gun.lr"], ["NAME=VALUE"]),
    (["run", "--gun", "gf-bins", "--param", "gun.colour=red"], ["no parameter colour"]),
    (["run", "--rounds", "many"], ["invalid int value"]),
    (["run", "--param", "gun.power=4"], ["power", "0.1..3"]),
    (["run", "--gun", "gf-bins", "--param", "gun.bins=0"], ["bins must be a whole number within 1..10000"]),
])
def test_bad_input_gives_one_line_and_exit_2(capsys, argv, words):
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's own errors
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "error" in err
    for word in words:
        assert word in err


HEAVY = ("scipy", "matplotlib", "optuna", "dask", "tqdm", "pygame", "numba")


def test_start_up_leaves_the_heavy_libraries_unloaded():
    """`arena --help` and `arena run` up to its first battle import none of them (each costs 0.05..0.5 s);
    they load where they are used: numba when a battle plays, the rest in the lab, viewer and plots."""
    import subprocess
    import sys
    code = ("import sys\nfrom arena.cli import build_parser\nfrom arena.commands.common import config_from_args\n"
            "args = build_parser().parse_args(['run', '--gun', 'kde-learned'])\nconfig_from_args(args)\n"
            f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.split() == []
