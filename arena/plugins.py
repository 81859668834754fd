"""Guns, movements and bots from outside the package: `PATH.py:Class`, `package.module:Class`, or the name of
an `arena.strategies` entry point of an installed package.

A plugin is named by its spec string everywhere (BattleConfig, battles.csv, process-pool jobs), so a worker
process loads it itself from the same string. Loaded classes are wrapped so that an exception raised inside
the plugin's code becomes one PluginError naming the plugin; plugins run on the reference path only (the
compiled loop cannot run Python strategies).
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import importlib
import importlib.util
import math
import numbers
import sys
import sysconfig
from importlib.metadata import entry_points
from pathlib import Path

from .errors import ArenaError
from .state import Commands
from .strategies.base import Gun, Movement

GROUP = "arena.strategies"
KINDS = {"gun": Gun, "movement": Movement}
COMMAND_FIELDS = tuple(f.name for f in dataclasses.fields(Commands))
GUARDED = {"gun": ("start_round", "act", "profile"), "movement": ("start_round", "act")}


class PluginError(ArenaError):
    """A plugin that cannot be imported, lacks the Gun/Movement interface, or raised while it ran."""


def is_spec(name: str) -> bool:
    """`PATH.py:Class` or `package.module:Class` (a built-in name never holds a colon)."""
    return ":" in name


def installed() -> dict[str, object]:
    """The `arena.strategies` entry points of installed packages, by name."""
    return {ep.name: ep for ep in entry_points(group=GROUP)}


def find(name: str) -> bool:
    """Whether `name` names a plugin: a spec, or an installed entry point."""
    return is_spec(name) or name in installed()


@functools.lru_cache(maxsize=None)
def load_object(spec: str):
    """The object a spec or entry-point name points at (cached per process)."""
    if not is_spec(spec):
        ep = installed().get(spec)
        if ep is None:
            raise PluginError(f"plugin {spec!r}: no such {GROUP} entry point")
        try:
            return ep.load()
        except Exception as exc:  # noqa: BLE001  (any import-time failure of foreign code)
            raise PluginError(f"plugin {spec!r} ({ep.value}) failed to import: {type(exc).__name__}: {exc}") from None
    where, _, attr = spec.rpartition(":")
    if not where or not attr:
        raise PluginError(f"plugin {spec!r}: write PATH.py:Class or package.module:Class")
    module = _import(spec, where)
    obj = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise PluginError(f"plugin {spec!r}: {where} has no {attr!r}")
        obj = getattr(obj, part)
    return obj


def _import(spec: str, where: str):
    try:
        if where.endswith(".py"):
            path = Path(where).resolve()
            if not path.is_file():
                raise PluginError(f"plugin {spec!r}: no such file {where}")
            name = f"arena_plugin_{path.stem}_{hashlib.sha1(str(path).encode()).hexdigest()[:8]}"
            if name in sys.modules:
                return sys.modules[name]
            module_spec = importlib.util.spec_from_file_location(name, path)
            module = importlib.util.module_from_spec(module_spec)
            sys.modules[name] = module  # dataclasses and pickling look classes up here
            try:
                module_spec.loader.exec_module(module)
            except BaseException:
                del sys.modules[name]
                raise
            return module
        return importlib.import_module(where)
    except PluginError:
        raise
    except Exception as exc:  # noqa: BLE001  (a syntax error, a missing import, anything the plugin raises)
        raise PluginError(f"plugin {spec!r} failed to import: {type(exc).__name__}: {exc}") from None


@functools.lru_cache(maxsize=None)
def load_strategy(kind: str, spec: str) -> type:
    """The plugin's Gun or Movement subclass, wrapped so that its errors name it."""
    cls = load_object(spec)
    base = KINDS[kind]
    if not (isinstance(cls, type) and issubclass(cls, base)):
        raise PluginError(f"plugin {spec!r} is not a {kind}: expected a subclass of arena.strategies.base."
                          f"{base.__name__}, got {type(cls).__name__ if not isinstance(cls, type) else cls.__name__}")
    keywords = [p for p in inspect.signature(cls.__init__).parameters if p not in ("self", "rng")]
    undeclared = [p for p in keywords if p not in cls.PARAMS]
    if undeclared:
        raise PluginError(f"plugin {spec!r} declares no spec for parameter {', '.join(undeclared)}: give the class "
                          f"PARAMS = {{name: arena.params.Spec(...)}} for every keyword of __init__")
    methods = {m: _guard(getattr(cls, m), spec, m) for m in GUARDED[kind]}
    methods["act"] = _returns_commands(methods["act"], spec)
    return type(cls.__name__, (cls,), {"__init__": _guard(cls.__init__, spec, "__init__", TypeError),
                                       "name": spec, **methods, "__module__": cls.__module__,
                                       "__qualname__": cls.__qualname__})


def _returns_commands(act, spec: str):
    """`act`, checked to return Commands whose settings are None or finite numbers (the engine trusts them)."""
    @functools.wraps(act)
    def checked(self, obs):
        commands = act(self, obs)
        if not isinstance(commands, Commands):
            raise PluginError(f"plugin {spec!r}: act returned {type(commands).__name__}, not arena.state.Commands")
        for name in COMMAND_FIELDS:
            value = getattr(commands, name)
            if value is not None and not (isinstance(value, numbers.Real) and math.isfinite(value)):
                raise PluginError(f"plugin {spec!r}: act returned {name}={value!r}; expected a finite number or None")
        return commands
    return checked


def _guard(method, spec: str, where: str, passes: type[BaseException] | tuple = ()):
    """`method`, raising PluginError (naming the plugin and the method) for whatever it raises."""
    @functools.wraps(method)
    def guarded(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except PluginError:
            raise
        except passes:
            raise
        except Exception as exc:  # noqa: BLE001  (the plugin's own failure, reported as the plugin's)
            raise PluginError(f"plugin {spec!r} raised in {where}: {type(exc).__name__}: {exc}") from None
    return guarded


def spec_of(cls: type) -> str:
    """The spec that loads `cls` again in another process: `module:Class` for a class of an installed package
    (or of arena), `PATH.py:Class` for any other (a plugin file, a module found through a sys.path edit)."""
    module = sys.modules.get(cls.__module__)
    path = getattr(module, "__file__", None)
    installed_dirs = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")} | {str(Path(__file__).parent)}
    if path and not any(str(Path(path).resolve()).startswith(str(Path(d).resolve())) for d in installed_dirs):
        return f"{path}:{cls.__qualname__}"
    return f"{cls.__module__}:{cls.__qualname__}"
