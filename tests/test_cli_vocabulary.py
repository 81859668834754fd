"""One flag vocabulary: exact flag names only, old spellings refused with the new one, seeds N or A..B,
--param SCOPE.NAME reaching the robot part it names, and every default shown in --help."""
import argparse
import csv

import pytest

from arena.cli import build_parser, main
from arena.commands.common import config_from_args
from arena.lab.settings import SettingsError, parse_seeds

PARSER = build_parser()
# The smallest command line each subcommand parses (positionals and required flags), so a refusal is the flag's.
BASE = {"render": ["r.arena", "--tick", "1", "--out", "f.png"], "replay": ["r.arena"], "conform": ["t.json"],
        "experiment": ["lr-sweep"]}


def one_line(capsys, code: int, words: str) -> str:
    err = capsys.readouterr().err
    assert code == 2, err
    assert err.count("\n") == 1 and err.startswith("arena: error: ") and "Traceback" not in err, err
    assert words in err, err
    return err


def visible_long_flags(command: str) -> list[argparse.Action]:
    return [a for a in PARSER.subcommands[command]._actions
            if a.help != argparse.SUPPRESS and any(f.startswith("--") for f in a.option_strings)
            and "--help" not in a.option_strings]


ABBREVIATIONS = [(command, flag) for command in PARSER.subcommands for action in visible_long_flags(command)
                 for flag in action.option_strings if flag.startswith("--") and len(flag) > 4]


def test_every_subcommand_is_covered():
    assert set(PARSER.subcommands) >= {"run", "watch", "tune", "compare", "experiment", "render", "replay", "conform"}
    assert len(ABBREVIATIONS) > 40


@pytest.mark.parametrize("command, flag", ABBREVIATIONS, ids=[f"{c} {f}" for c, f in ABBREVIATIONS])
def test_a_prefix_of_any_flag_is_refused_and_named(tmp_path, monkeypatch, capsys, command, flag):
    """With argparse's prefix matching, `--mov` would silently be --movement (and `tune --seed` --seeds)."""
    monkeypatch.chdir(tmp_path)
    prefix = flag[:-1]
    if any(prefix == f for a in PARSER.subcommands[command]._actions for f in a.option_strings):
        prefix = flag[:-2]
    argv = [command, *BASE.get(command, []), prefix]
    err = one_line(capsys, main(argv), f"unrecognized arguments: {prefix}")
    assert f"write {flag}" in err or f"or {flag}" in err  # the full spellings it could have meant
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv, words", [
    (["tune", "--seed", "2"], "--seed is for one battle (run, watch): a sweep takes --seeds N or --seeds A..B"),
    (["compare", "--seed", "2"], "--seeds N or --seeds A..B"),
    (["experiment", "losses", "--seed", "2"], "--seeds N or --seeds A..B"),
    (["run", "--seeds", "3"], "one battle takes --seed S"),
    (["watch", "--seeds", "3"], "one battle takes --seed S"),
    (["run", "--mov", "duck"], "unrecognized arguments: --mov duck (flags are not abbreviated: write --movement)"),
    (["compare", "--guns", "head-on,linear"], "--guns was renamed: use --gun"),
    (["tune", "--guns", "head-on"], "--guns was renamed: use --gun"),
    (["compare", "--movements", "duck"], "--movements was renamed: use --movement"),
    (["run", "--movement-param", "flip=0.1"], "--movement-param was renamed: use --param movement.NAME=VALUE"),
    (["watch", "--movement-param", "flip=0.1"], "use --param movement.NAME=VALUE"),
    (["tune", "--movement-param", "flip=0.1"], "use --param movement.NAME=VALUE"),
    (["run", "--param", "lr=0.1"], "parameter 'lr' needs a scope: write gun.lr"),
    (["watch", "--param", "lr=0.1"], "write gun.lr"),
    (["tune", "--param", "lr=0.1,1"], "write gun.lr"),
    (["compare", "--param", "kde-learned.lr=3"], "write gun.kde-learned.lr"),
    (["compare", "--param", "oscillator.period=10"], "write movement.oscillator.period"),
    (["compare", "--param", "lr=3"], "write gun.lr"),
])
def test_old_and_misplaced_spellings_are_refused_with_the_new_one(tmp_path, monkeypatch, capsys, argv, words):
    monkeypatch.chdir(tmp_path)
    one_line(capsys, main(argv), words)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("text, words", [
    ('guns = ["head-on"]\n', "setting 'guns' was renamed: use --gun"),
    ('movements = "duck"\n', "setting 'movements' was renamed: use --movement"),
    ("[param]\nlr = 0.1\n", "parameter 'lr' needs a scope: write gun.lr"),
    ('seeds = "5..3"\n', "range 5..3 needs 0 <= A <= B"),
])
def test_old_spellings_in_a_config_file_are_refused(tmp_path, monkeypatch, capsys, text, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.toml").write_text(text)
    one_line(capsys, main(["tune", "--config", "c.toml"]), words)
    assert [p.name for p in tmp_path.iterdir()] == ["c.toml"]


@pytest.mark.parametrize("text, seeds", [(5, [1, 2, 3, 4, 5]), ("3", [1, 2, 3]), ("1001..1003", [1001, 1002, 1003]),
                                         (" 7..7 ", [7]), ("0..1", [0, 1])])
def test_seeds_are_a_count_or_a_range(text, seeds):
    assert parse_seeds(text) == seeds


@pytest.mark.parametrize("text, words", [("0", "seeds must be a whole number within 1..100000"),
                                         ("1..200000", "within 1..100000"), ("4..2", "needs 0 <= A <= B"),
                                         ("a..b", "count N or a range A..B"), ("1.5", "count N or a range A..B"),
                                         ("-3..2", "needs 0 <= A <= B"), (True, "count N or a range A..B")])
def test_bad_seeds_are_refused(text, words):
    with pytest.raises(SettingsError, match=words.replace(".", r"\.")):
        parse_seeds(text)


def seeds_played(folder) -> list[int]:
    with open(folder / "battles.csv", newline="") as f:
        return sorted({int(r["seed"]) for r in csv.DictReader(f)})


SMALL = ["--rounds", "1", "--workers", "1", "--width", "400", "--height", "400"]


def test_a_sweep_plays_exactly_the_seeds_named_by_a_range_or_a_count(tmp_path, capsys):
    assert main(["compare", "--gun", "head-on", "--movement", "duck", "--seeds", "41..43", *SMALL,
                 "--out", str(tmp_path / "c")]) == 0
    assert seeds_played(tmp_path / "c") == [41, 42, 43]
    assert main(["tune", "--gun", "head-on", "--movement", "duck", "--param", "gun.power=1,2", "--seeds", "2", *SMALL,
                 "--out", str(tmp_path / "t")]) == 0
    assert seeds_played(tmp_path / "t") == [1, 2]
    assert "played 4 battles now" in capsys.readouterr().err


def test_tune_and_compare_have_default_folders(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["tune", "--gun", "head-on", "--movement", "duck", "--param", "gun.power=2", "--seeds", "1",
                 *SMALL]) == 0
    assert main(["compare", "--gun", "head-on", "--movement", "duck", "--seeds", "1", *SMALL]) == 0
    assert "played 1 battle now" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "results").iterdir()) == ["compare", "tune-head-on-duck-power"]


def test_tune_takes_comma_lists_of_guns_and_movements_one_folder_per_pairing(tmp_path, capsys):
    assert main(["tune", "--gun", "head-on,linear", "--movement", "duck", "--param", "gun.power=1", "--seeds", "1",
                 *SMALL, "--out", str(tmp_path / "t")]) == 0
    assert sorted(p.name for p in (tmp_path / "t").iterdir()) == ["head-on-duck", "linear-duck"]


def test_each_param_scope_reaches_the_part_it_names():
    args = PARSER.parse_args(["run", "--gun", "kde", "--shooter-movement", "oscillator", "--movement", "stop-and-go",
                              "--enemy-gun", "gf-bins", "--param", "gun.capacity=7",
                              "--param", "shooter-movement.period=9", "--param", "movement.step=80",
                              "--param", "enemy-gun.bins=11"])
    config = config_from_args(args)
    assert config.shooter.gun_params["capacity"] == 7 and config.shooter.movement_params["period"] == 9
    assert config.target.movement_params["step"] == 80.0 and config.target.gun_params["bins"] == 11


def test_compare_param_goes_to_every_strategy_that_has_it_or_to_the_one_named(tmp_path):
    from arena.commands.compare import matrix_params
    guns, movements = ["head-on", "kde", "kde-learned"], ["oscillator"]
    matrix, _ = matrix_params({"gun.bandwidth": "0.2"}, guns, movements)
    assert matrix == {"kde.bandwidth": "0.2", "kde-learned.bandwidth": "0.2"}
    matrix, fixed = matrix_params({"gun.kde-learned.lr": "3", "enemy-gun.bins": "9"}, guns, movements)
    assert matrix == {"kde-learned.lr": "3"} and fixed["enemy-gun"] == {"bins": 9}
    with pytest.raises(SettingsError, match="no gun of the matrix"):
        matrix_params({"gun.lr": "3"}, ["head-on"], movements)
    with pytest.raises(SettingsError, match=r"'kde' is not a gun of the matrix \(head-on\)"):
        matrix_params({"gun.kde.lr": "3"}, ["head-on"], movements)


# Options without a default by nature: a file to write or read only when asked for.
NO_DEFAULT = {"--record", "--config", "--out", "--tick"}


@pytest.mark.parametrize("command", sorted(PARSER.subcommands))
def test_every_option_shows_its_default_in_help(command):
    parser = PARSER.subcommands[command]
    formatter = parser._get_formatter()
    for action in visible_long_flags(command):
        if action.nargs == 0 or set(action.option_strings) & NO_DEFAULT and "(default" not in (action.help or ""):
            continue  # on/off switches are off unless given
        assert "(default" in formatter._get_help_string(action), (command, action.option_strings)
