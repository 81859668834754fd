import pytest

from arena.lab.settings import NAMES, PARAMS, SettingsError, load_config, resolve, split_params

SCHEMA = {"seeds": (int, 10), "power": (float, 2.0), "gun": (str, "head-on"), "optuna": (bool, False),
          "bots": (NAMES, ["head-on"]), "param": (PARAMS, {}), "out": (str, None)}
NO_FLAGS = {name: None for name in SCHEMA}


def write(tmp_path, text):
    path = tmp_path / "settings.toml"
    path.write_text(text)
    return path


def test_defaults_then_file_then_flags(tmp_path):
    path = write(tmp_path, 'seeds = 3\npower = 1\ngun = "linear"\nbots = "a, b"\n')
    s = resolve(SCHEMA, {**NO_FLAGS, "seeds": 7}, path)
    assert s == {"seeds": 7, "power": 1.0, "gun": "linear", "optuna": False, "bots": ["a", "b"], "param": {},
                 "out": None}
    assert resolve(SCHEMA, NO_FLAGS) == {name: default for name, (_, default) in SCHEMA.items()}


def test_param_table_reads_like_param_flags_and_flags_win_per_name(tmp_path):
    path = write(tmp_path, '[param]\nlr = [0.003, 0.01]\nkernel = "gaussian,laplace"\nvirtual = true\n'
                           'movement.flip = "0.01:0.3:log"\n')
    s = resolve(SCHEMA, {**NO_FLAGS, "param": ["lr=0.1", "bandwidth=0.05"]}, path)
    assert s["param"] == {"lr": "0.1", "kernel": "gaussian,laplace", "virtual": "true",
                          "movement.flip": "0.01:0.3:log", "bandwidth": "0.05"}


def test_dashed_and_underscored_keys_are_the_same_setting(tmp_path):
    schema = {"shooter_movement": (str, "duck")}
    assert resolve(schema, {}, write(tmp_path, 'shooter-movement = "oscillator"\n')) == {
        "shooter_movement": "oscillator"}


@pytest.mark.parametrize("text, message", [
    ("sedes = 3\n", "unknown setting 'sedes'; valid: seeds, power"),
    ('seeds = "ten"\n', "seeds must be an integer, got 'ten'"),
    ("seeds = true\n", "seeds must be an integer"),
    ('power = "high"\n', "power must be float"),
    ("bots = [1, 2]\n", "bots must be a list of names"),
    ("param = 3\n", "param must be a table"),
    ("[param]\nlr = [[1]]\n", "param.lr must be a value"),
    ("seeds = \n", "is not valid TOML"),
])
def test_bad_files_are_one_clear_error(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(SettingsError, match=message) as err:
        resolve(SCHEMA, NO_FLAGS, path)
    assert "\n" not in str(err.value)
    assert str(path) in str(err.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(SettingsError, match="no such config file"):
        load_config(tmp_path / "nope.toml")


def test_param_flags_must_have_a_name_and_values():
    assert split_params(["lr=1", "lr=2"]) == {"lr": "2"}
    with pytest.raises(SettingsError, match="NAME=VALUES"):
        split_params(["lr"])
