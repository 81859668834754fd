"""Command settings from a TOML file (--config) and flags: defaults < file < flags.

File keys are the long flag names (`shooter-movement` or `shooter_movement`); parameters go in a
`[param]` table whose keys and values read like --param (dotted keys nest: `movement.flip = [0.02, 0.1]`).
An unknown key, a renamed one (`guns`) or a value of the wrong type is one clear error naming the file and
the key. This module also holds the vocabulary every subcommand shares: `--seeds N` or `A..B` and the
scopes of `--param SCOPE.NAME=VALUE`.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

from ..battle import BATTLE_PARAMS
from ..errors import ArenaError
from ..params import ParamError, Spec
from .sweep import WORKERS, format_value

# Setting kinds: int, float, str, bool, NAMES (list of strings or "a,b,c"), PARAMS (NAME -> spec text),
# SEEDS (N for seeds 1..N, or "A..B"; held as the list of seeds).
NAMES = "names"
PARAMS = "params"
SEEDS = "seeds"

# Where a --param goes: SCOPE.NAME. The shooter is robot 0 (--gun, --shooter-movement), the target robot 1
# (--movement, --enemy-gun); each flag's name is the scope of its parameters.
SCOPES = ("gun", "movement", "shooter-movement", "enemy-gun")
# Old spellings, refused with the new one: flag or file key -> what to write instead.
RENAMED = {"guns": "--gun (a comma list in tune and compare; file key gun)",
           "movements": "--movement (a comma list in tune and compare; file key movement)",
           "movement-param": "--param movement.NAME=VALUE"}


class SettingsError(ArenaError):
    """An unreadable config file, an unknown key, or a value of the wrong type."""


def load_config(path: str | Path) -> dict:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise SettingsError(f"no such config file: {path}") from None
    except OSError as exc:
        raise SettingsError(f"cannot read config file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SettingsError(f"{path} is not valid TOML: not UTF-8 text") from None
    except RecursionError:
        raise SettingsError(f"{path} is not valid TOML: nested too deeply") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML: {exc}") from None


def _flatten(table: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in table.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _spec_text(value, where: str) -> str:
    """A TOML parameter value as --param text: a list joins with commas, a string is kept as written."""
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(v, (str, int, float, bool)) for v in items):
        raise SettingsError(f"{where} must be a value, a list of values, or a range string like '0.001:1:log'")
    return ",".join(format_value(v) for v in items)


def _check(kind, value, where: str):
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind is NAMES:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise SettingsError(f"{where} must be a list of names, like [\"a\", \"b\"]")
        return value
    if kind is SEEDS:
        return parse_seeds(value, where)
    if kind is PARAMS:
        if not isinstance(value, dict):
            raise SettingsError(f"{where} must be a table, like [param] lr = [0.01, 0.1]")
        return {name: _spec_text(v, f"{where}.{name}") for name, v in _flatten(value).items()}
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise SettingsError(f"{where} must be {'an integer' if kind is int else kind.__name__}, got {value!r}")
    return value


def parse_seeds(value, where: str = "--seeds") -> list[int]:
    """N -> seeds 1..N; "A..B" -> seeds A..B (both included): which battles a sweep plays, so a result
    found on some seeds can be checked on fresh ones."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise SettingsError(f"{where} must be a count N or a range A..B, got {value!r}")
    text = str(value).strip()
    first, dots, last = text.partition("..")
    try:
        low, high = (int(first), int(last)) if dots else (1, int(text))
    except ValueError:
        raise SettingsError(f"{where} must be a count N or a range A..B, like 10 or 1001..1030, got {value!r}") from None
    if dots and not 0 <= low <= high:
        raise SettingsError(f"{where} range {text} needs 0 <= A <= B")
    try:
        RUN_PARAMS["seeds"].check("seeds", high - low + 1)
        BATTLE_PARAMS["seed"].check("seed", high)
    except ParamError as exc:
        raise SettingsError(str(exc)) from None
    return list(range(low, high + 1))


def plural(n: int, word: str) -> str:
    """'1 round', '2 rounds'."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def scoped(name: str) -> tuple[str, str]:
    """'gun.lr' -> ('gun', 'lr'); a name without one of the SCOPES is refused with the spelling to use."""
    scope, dot, key = name.partition(".")
    if scope in SCOPES and key:
        return scope, key
    hint = f"gun.{name}" if not dot else f"gun.{key} or movement.{key}"
    raise SettingsError(f"parameter {name!r} needs a scope: write {hint} "
                        f"(scopes: {', '.join(s + '.' for s in SCOPES)})")


def by_scope(params: dict) -> dict[str, dict]:
    """{'gun.lr': v, 'movement.flip': w} -> {'gun': {'lr': v}, 'movement': {'flip': w}, ...} (every scope)."""
    out: dict[str, dict] = {scope: {} for scope in SCOPES}
    for name, value in params.items():
        scope, key = scoped(name)
        out[scope][key] = value
    return out


def split_params(items: list[str] | None, form: str = "NAME=VALUES") -> dict:
    """--param NAME=SPEC flags -> {NAME: SPEC}; a later flag for the same name wins; `form` names the
    expected shape in the error."""
    out = {}
    for item in items or []:
        name, sep, spec = item.partition("=")
        if not sep or not name.strip():
            raise SettingsError(f"parameter {item!r} is not of the form {form}")
        out[name.strip()] = spec.strip()
    return out


def resolve(schema: dict[str, tuple], flags: dict, config_path: str | Path | None = None) -> dict:
    """Merge defaults, the config file and the flags that were given (not None) into one settings dict.

    schema: name -> (kind, default); flags: the same names, None where the flag was not given (for a
    PARAMS setting: the --param list). PARAMS settings merge per parameter name.
    """
    settings = {name: default for name, (_kind, default) in schema.items()}
    if config_path is not None:
        for key, value in load_config(config_path).items():
            name = key.replace("-", "_")
            if key.replace("_", "-") in RENAMED:
                raise SettingsError(f"{config_path}: setting {key!r} was renamed: use {RENAMED[key.replace('_', '-')]}")
            if name not in schema:
                valid = ", ".join(n.replace("_", "-") for n in schema)
                raise SettingsError(f"{config_path}: unknown setting {key!r}; valid: {valid}")
            settings[name] = _check(schema[name][0], value, f"{config_path}: {key}")
    for name, (kind, _default) in schema.items():
        value = flags.get(name)
        if kind is PARAMS:
            settings[name] = {**(settings[name] or {}), **split_params(value)}
        elif value is not None:
            settings[name] = _check(kind, value, f"--{name.replace('_', '-')}")
        if kind is SEEDS and not isinstance(settings[name], list):  # the default count
            settings[name] = parse_seeds(settings[name])
    return settings


# Settings of every command that runs battle jobs into a results folder.
RUN_SCHEMA = {
    "seeds": (SEEDS, 10), "rounds": (int, 35), "workers": (int, None), "scheduler": (str, None), "out": (str, None),
}
# Ranges of the run settings that are not battle settings (those have BATTLE_PARAMS).
RUN_PARAMS = {"seeds": Spec(int, 1, 100_000), "workers": WORKERS, "trials": Spec(int, 1, 100_000)}


def add_run_args(parser, seeds: int, rounds: int, out: str) -> None:
    """--seeds/--rounds/--workers/--scheduler/--out/--config; defaults are applied by resolve()."""
    g = parser.add_argument_group("running")
    g.add_argument("--seeds", metavar="N|A..B", help=f"the seeds every setting is played on, one battle each: N "
                   f"plays seeds 1..N, A..B plays seeds A to B, e.g. fresh ones to check a result (default: {seeds})")
    g.add_argument("--rounds", type=int, help=f"rounds per battle (default: {rounds})")
    g.add_argument("--workers", type=int, help="local worker processes (default: all cores; 1 runs in-process)")
    g.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask scheduler instead "
                                                                  "(default: local workers)")
    g.add_argument("--out", metavar="DIR", help=f"results folder; re-running into it resumes (default: {out})")
    g.add_argument("--config", metavar="FILE.toml", help="read settings from a TOML file, keys named like the "
                                                         "flags (flags override it)")


def check_run(settings: dict) -> None:
    """Every run and battle setting in range (before any folder is made), and a results folder named."""
    for name, spec in {**BATTLE_PARAMS, **RUN_PARAMS}.items():
        if settings.get(name) is not None and name != "seeds":  # seeds: checked as they were read
            try:
                settings[name] = spec.check(name, settings[name])
            except ParamError as exc:
                raise SettingsError(str(exc)) from None
    if not settings["out"]:
        raise SettingsError("no results folder: give --out DIR (or out = \"DIR\" in the config file)")
