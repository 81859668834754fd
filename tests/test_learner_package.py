"""The learner package is pure math: it must never depend on the arena."""

import ast
import pathlib
import subprocess
import sys

import learner

PACKAGE_DIR = pathlib.Path(learner.__file__).parent


def test_no_module_imports_arena():
    for path in PACKAGE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n == "arena" or n.startswith("arena.") for n in names), (path.name, names)


def test_importing_learner_does_not_load_arena():
    code = "import sys, learner; print('arena' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PACKAGE_DIR.parent)
    assert out.stdout.strip() == "False"


def test_public_names_resolve():
    for name in learner.__all__:
        assert getattr(learner, name) is not None
