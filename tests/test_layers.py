"""The layers import only downwards: base < simulator < (lab, render/IO) < CLI; learner never imports arena.
The Gymnasium environments (arena/gym) sit beside the lab: they drive the simulator and draw through
render/IO, and nothing but the CLI may import them.

Every module's imports are read with ast (including imports inside functions), so a lazy import that
crosses a layer fails too."""

import ast
import pathlib

import pytest

import arena

ARENA = pathlib.Path(arena.__file__).parent

BASE, SIMULATOR, LAB, RENDER_IO, GYM, CLI = "base", "simulator", "lab", "render/io", "gym", "cli"
MAY_IMPORT = {
    BASE: {BASE},
    SIMULATOR: {BASE, SIMULATOR},
    LAB: {BASE, SIMULATOR, LAB},
    RENDER_IO: {BASE, SIMULATOR, RENDER_IO},
    GYM: {BASE, SIMULATOR, RENDER_IO, GYM},
    CLI: {BASE, SIMULATOR, LAB, RENDER_IO, GYM, CLI},
}
FIRST_PART_LAYER = {"errors": BASE, "files": BASE, "lab": LAB, "render": RENDER_IO, "replay": RENDER_IO,
                    "gym": GYM, "commands": CLI, "cli": CLI}


def layer_of(module: str) -> str:
    """Layer of a dotted module name inside the arena package (the package itself is the simulator)."""
    parts = module.split(".")
    return FIRST_PART_LAYER.get(parts[1], SIMULATOR) if len(parts) > 1 else SIMULATOR


def module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ARENA.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, name: str, is_package: bool) -> list[str]:
    """Absolute names of the modules `source` (module `name`) imports, relative imports resolved."""
    package = name.split(".") if is_package else name.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append(node.module or "")
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1])
            if node.module:
                found.append(f"{base}.{node.module}")
            else:  # from . import a, b: each name may be a module
                found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def crossings(source: str, name: str, is_package: bool = False) -> list[str]:
    own = layer_of(name)
    return [target for target in imported_modules(source, name, is_package)
            if target.split(".")[0] == "arena" and layer_of(target) not in MAY_IMPORT[own]]


MODULES = sorted(ARENA.rglob("*.py"))


def test_every_layer_has_modules():
    assert {layer_of(module_name(p)) for p in MODULES} == set(MAY_IMPORT)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ARENA)))
def test_imports_go_downwards(path):
    assert crossings(path.read_text(), module_name(path), path.name == "__init__.py") == []


def test_a_simulator_module_importing_the_lab_is_caught():
    source = "from .lab import sweep\nimport arena.render.draw\ndef f():\n    from .commands import run\n"
    assert crossings(source, "arena.engine") == ["arena.lab", "arena.render.draw", "arena.commands"]
    assert crossings("from ..battle import run_battle\nfrom .. import errors\n", "arena.lab.sweep") == []
    assert crossings("from ..lab import stats\n", "arena.fast.battle") == ["arena.lab"]
    assert crossings("from ..commands import run\n", "arena.lab.sweep") == ["arena.commands"]
    assert crossings("from ..lab import rumble\nfrom ..render.draw import draw_frame\n", "arena.gym.env") == ["arena.lab"]
    assert crossings("from .gym import env\n", "arena.battle") == ["arena.gym"]
