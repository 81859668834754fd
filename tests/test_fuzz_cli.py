"""Hostile command lines and config files (issue 16): each bad one is one `arena: error:` line, exit 2,
no traceback and nothing written; values that mean the same thing are one setting."""
import json
import math

import pytest
from hypothesis import given, settings, strategies as st

from arena.cli import build_parser, main
from arena.commands.common import config_from_args
from arena.errors import ArenaError
from arena.lab.settings import resolve, check_run
from arena.commands import tune as tune_command

FAST = settings(derandomize=True, max_examples=150, deadline=None)
RUN = ["run", "--rounds", "1"]
TUNE = ["tune", "--rounds", "1", "--seeds", "1", "--workers", "1"]
COMPARE = ["compare", "--rounds", "1", "--seeds", "1", "--workers", "1", "--gun", "kde", "--movement", "oscillator"]

# (argv, words the one error line must contain); every example of the issue is a row.
BAD_COMMANDS = [
    (RUN + ["--gun", "kde-learned", "--param", "gun.capacity=inf"], "capacity must be a whole number within 1..100000"),
    (RUN + ["--gun", "gf-bins", "--param", "gun.bins=inf"], "bins must be a whole number within"),
    (RUN + ["--movement", "oscillator", "--param", "movement.period=inf"], "period must be a whole number"),
    (RUN + ["--width", "nan"], "width must be within 400..5000, got nan"),
    (RUN + ["--height", "inf"], "height must be within"),
    (RUN + ["--param", "movement.min_speed=nan"], "min_speed must be within 0..8"),
    (RUN + ["--param", "movement.min_speed=9"], "min_speed must be within 0..8"),
    (RUN + ["--movement", "stop-and-go", "--param", "movement.step=nan"], "step must be within"),
    (RUN + ["--gun", "kde", "--param", "gun.bandwidth=1e-300"], "bandwidth must be within 0.001..1"),
    (RUN + ["--movement", "surfer", "--param", "movement.bandwidth=1e-300"], "bandwidth must be within 0.001..1"),
    (RUN + ["--param", "movement.flip=nan"], "flip must be within 0..1"),
    (RUN + ["--param", "movement.flip=5"], "flip must be within 0..1"),
    (RUN + ["--param", "movement.distance=nan"], "distance must be within"),
    (RUN + ["--gun", "kde-learned", "--param", "gun.capacity=2.7"], "capacity must be a whole number"),
    (RUN + ["--movement", "oscillator", "--param", "movement.period=0"], "period must be a whole number within 1"),
    (RUN + ["--gun", "gf-bins", "--param", "gun.virtual=abc"], "virtual must be true or false, got 'abc'"),
    (RUN + ["--gun", "kde", "--param", "gun.virtual=5"], "virtual must be true or false"),
    (RUN + ["--gun", "gf-bins", "--param", "gun.bins=1e12"], "bins must be a whole number within 1..10000"),
    (RUN + ["--gun", "kde-learned", "--param", "gun.lr=nan"], "lr must be within"),
    (RUN + ["--gun", "kde-learned", "--param", "gun.momentum=1"], "momentum must be within 0..0.999"),
    (RUN + ["--gun", "kde", "--param", "gun.kernel=3"], "kernel must be one of box, epanechnikov, gaussian, laplace"),
    (RUN + ["--param", "gun.power=true"], "power must be within 0.1..3, got True"),
    (RUN + ["--power", "nan"], "power must be within 0.1..3, got nan"),
    (RUN + ["--rounds", "1000000000000"], "rounds must be a whole number within 1..100000"),
    (RUN + ["--seed", "-1"], "seed must be a whole number within 0.."),
    (RUN + ["--fast", "--gun", "kde-learned", "--param", "gun.capacity=2.7"], "capacity must be a whole number"),
    (["tune", "--seeds", "1000000000000", "--param", "gun.lr=0.1"], "seeds must be a whole number within 1..100000"),
    (["compare", "--seeds", "1000000000000"], "seeds must be a whole number within 1..100000"),
    (TUNE + ["--param", "gun.lr=0.1,nan"], "lr must be within"),
    (TUNE + ["--param", "gun.capacity=2.7"], "capacity must be a whole number"),
    (TUNE + ["--param", "gun.lr=0.1", "--width", "nan"], "width must be within"),
    (TUNE + ["--optuna", "--trials", "2", "--param", "gun.capacity=1:1000000000000:int"], "capacity must be a whole"),
    (TUNE + ["--optuna", "--trials", "2", "--param", "gun.lr=0.1,nan"], "lr must be within"),
    (TUNE + ["--optuna", "--trials", "0", "--param", "gun.lr=0.1:1"], "trials must be a whole number within 1"),
    (TUNE[:-2] + ["--workers", "1000000000", "--param", "gun.lr=0.1"], "workers must be a whole number within 1..1024"),
    (COMPARE + ["--param", "gun.kde.bandwidth=1e-300"], "bandwidth must be within 0.001..1"),
    (COMPARE + ["--param", "movement.period=0"], "period must be a whole number"),
    (["experiment", "losses", "--seeds", "1000000000000"], "seeds must be a whole number within 1..100000"),
    (["experiment", "losses", "--workers", "0"], "workers must be a whole number within 1..1024"),
    (RUN + ["--rounds", "1e3"], "run: argument --rounds: invalid int value: '1e3'"),
    (["render", "r.arena", "--tick", "1", "--size", "100000x100000", "--out", "f.png"], "from 200x200 to 8192x8192"),
    (["warp"], "invalid choice: 'warp'"),
]

# (config file bytes, words); the file goes to a tune that would otherwise run.
BAD_CONFIGS = [
    (b"width = nan\n", "width must be within 400..5000, got nan"),
    (b"height = inf\n", "height must be within"),
    (b"power = nan\n", "power must be within"),
    (b"seeds = 1000000000000\n", "seeds must be a whole number within 1..100000"),
    (b"rounds = 1000000000000\n", "rounds must be a whole number within 1..100000"),
    (b"[param]\ngun.capacity = inf\n", "capacity must be a whole number"),
    (b"[param]\nmovement.flip = nan\n", "flip must be within 0..1"),
    (b"width = \"\xff\xfe\"\n", "not UTF-8 text"),
    (b"\x00\x01\x02\xff", "not UTF-8 text"),
    (b"[param]\nx = " + b"[" * 5000 + b"]" * 5000 + b"\n", "nested too deeply"),
]


def one_error_line(capsys, words: str) -> str:
    out = capsys.readouterr()
    assert out.err.count("\n") == 1 and out.err.startswith("arena: error: "), out.err
    assert "Traceback" not in out.err and words in out.err, out.err
    return out.err


def outs(tmp_path, argv):
    return [a.replace("OUT", str(tmp_path / "out")) for a in argv] + (
        ["--out", str(tmp_path / "out")] if argv[0] in ("tune", "compare", "experiment") else [])


@pytest.mark.parametrize("argv, words", BAD_COMMANDS, ids=[" ".join(a[:1] + a[-2:]) for a, _ in BAD_COMMANDS])
def test_every_bad_command_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, monkeypatch, argv, words):
    monkeypatch.chdir(tmp_path)
    assert main(outs(tmp_path, argv)) == 2
    one_error_line(capsys, words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text, words", BAD_CONFIGS, ids=[repr(t[:20]) for t, _ in BAD_CONFIGS])
def test_every_bad_config_file_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, text, words):
    config = tmp_path / "c.toml"
    config.write_bytes(text)
    assert main(["tune", "--workers", "1", "--param", "gun.lr=0.1", "--config", str(config),
                 "--out", str(tmp_path / "out")]) == 2
    one_error_line(capsys, words)
    assert list(tmp_path.iterdir()) == [config]


# Parameter values as a hostile user types them: numbers of every size, specials, words, empty.
VALUE_TEXT = st.one_of(
    st.sampled_from(["nan", "-nan", "inf", "-inf", "1e308", "1e-300", "1e12", "-0", "0", "2.7", "true", "no", "",
                     "abc", "1,2", "0x10", "1_000", "gaussian", " 3 "]),
    st.integers(-10**15, 10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.text(max_size=8),
)
STRATEGY_PARAMS = [("gun", g, p) for g, p in [
    ("kde-learned", "capacity"), ("kde-learned", "lr"), ("kde-learned", "momentum"), ("kde", "bandwidth"),
    ("kde", "kernel"), ("kde", "virtual"), ("gf-bins", "bins"), ("head-on", "power")]] + [
    ("movement", m, p) for m, p in [
        ("oscillator", "period"), ("random-orbit", "flip"), ("random-orbit", "min_speed"), ("stop-and-go", "step"),
        ("surfer", "distance")]]


PARSER = build_parser()


@FAST
@given(which=st.sampled_from(STRATEGY_PARAMS), text=VALUE_TEXT)
def test_any_parameter_text_is_a_valid_canonical_config_or_an_arena_error(which, text):
    kind, name, param = which
    argv = ["run", f"--{kind}", name, "--param", f"{kind}.{param}={text}"]
    args = PARSER.parse_args(argv)
    try:
        config = config_from_args(args)
    except ArenaError:
        return
    params = config.shooter.gun_params if kind == "gun" else config.target.movement_params
    value = params[param]
    assert config.validate() == config  # canonical: validating again changes nothing
    if isinstance(value, float):
        assert math.isfinite(value)


@FAST
@given(key=st.sampled_from(["width", "height", "power", "seeds", "rounds", "workers"]),
       value=st.one_of(st.floats(), st.integers(-2**70, 2**70), st.booleans(), st.text(max_size=5)))
def test_any_config_file_value_is_refused_or_in_range(tmp_path_factory, key, value):
    path = tmp_path_factory.mktemp("toml") / "c.toml"
    literal = json.dumps(value) if not isinstance(value, float) or math.isfinite(value) else (
        "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf"))
    path.write_text(f"{key} = {'true' if value is True else 'false' if value is False else literal}\n")
    try:
        s = resolve(tune_command.SCHEMA, {"param": None}, path)
        check_run({**s, "out": "x"})
    except ArenaError:
        return
    got = len(s[key]) if key == "seeds" else s[key]  # seeds: the list of seeds N or A..B names
    assert math.isfinite(got) and not isinstance(got, bool)
    low, high = {"width": (400, 5000), "height": (400, 5000), "power": (0.1, 3), "seeds": (1, 100_000),
                 "rounds": (1, 100_000), "workers": (1, 1024)}[key]
    assert low <= got <= high
