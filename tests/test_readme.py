"""README.md's examples run in order as written.

Every ```sh block is read in order; each `arena ...` line (backslash continuations joined, a trailing
`# comment` dropped) runs as a subprocess in one temporary folder, so later commands see what earlier
ones wrote (results/, replays/, the tune.toml of the ```toml block named `# tune.toml`), with a copy of
the repo's examples/ (the plugins the README names, as from the repo root). Only sizes are
changed, by appending overrides (argparse keeps the last value of a flag): SMALL below. `../shared/`
becomes the conformance traces' real folder and globs are expanded, as a shell would. `watch` and
`replay` run headless (SDL_VIDEODRIVER=dummy) with ARENA_MAX_FRAMES (read by arena/commands/watch.py:
draw at most that many frames, then quit as q does). Lines that are not `arena` commands are skipped
only for a reason listed in SKIP; the two set-up lines at the top are checked, not run (they make venvs).
"""
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
SETUP = ["python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && .venv/bin/arena run",
         "python3 -m venv .venv && .venv/bin/pip install -q -e '.[dev]' && .venv/bin/python -m pytest -q"]
SWEEP = ["--seeds", "1", "--rounds", "1", "--workers", "1"]
SMALL = {  # appended per subcommand: sizes only
    "run": ["--rounds", "1"], "watch": ["--rounds", "1"], "tune": SWEEP, "compare": SWEEP, "experiment": SWEEP,
    "rumble": SWEEP, "render": ["--round", "1"], "replay": [], "conform": [],
}
SKIP = {
    "python benchmarks/": "benchmarks measure speed for minutes; they are not usage examples",
    "apt-get ": "installs system packages (real Robocode) and needs root",
    "pip install ": "installs an optional extra into the running environment (tests/test_gym.py covers the envs)",
}
MAX_FRAMES = "20"


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block, in order."""
    return re.findall(r"^```(\w*)\n(.*?)^```", text, re.S | re.M)


def commands(body: str) -> list[str]:
    lines = re.sub(r"\\\n\s*", " ", body).splitlines()
    return [re.sub(r"\s+#.*$", "", line).strip() for line in lines if line.strip()]


TEXT = README.read_text()
BLOCKS = blocks(TEXT)
SH = [cmd for lang, body in BLOCKS[1:] if lang == "sh" for cmd in commands(body)]
RUN = [c for c in SH if c.startswith("arena ")]


def test_the_two_setup_commands_come_first_exactly_as_documented():
    lang, body = BLOCKS[0]
    assert lang == "sh" and body.splitlines() == SETUP


def test_every_sh_line_is_an_arena_command_or_skipped_for_a_listed_reason():
    others = [c for c in SH if not c.startswith("arena ")]
    assert all(any(c.startswith(prefix) for prefix in SKIP) for c in others), others
    assert len(RUN) >= 15


def test_every_toml_block_names_the_file_a_command_reads():
    for lang, body in BLOCKS:
        if lang == "toml":
            name = body.splitlines()[0].removeprefix("# ").strip()
            assert name.endswith(".toml") and any(f"--config {name}" in c for c in RUN), body


def argv(command: str) -> list[str]:
    """The command's words after `arena`, paths and globs resolved, with the size overrides appended."""
    shared = str(REPO.parent / "shared") + "/"
    out = []
    for word in shlex.split(command)[1:]:
        word = word.replace("../shared/", shared)
        out += (sorted(glob.glob(word)) or [word]) if any(ch in word for ch in "*?[") else [word]
    return out + SMALL[out[0]] + (["--trials", "2"] if "--optuna" in out else [])


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("readme")
    shutil.copytree(REPO / "examples", path / "examples")  # the README runs from the repo root: its plugins
    for lang, body in BLOCKS:
        if lang == "toml":
            (path / body.splitlines()[0].removeprefix("# ").strip()).write_text(body)
    return path


@pytest.mark.slow  # ~100 s on a loaded 2-core machine: ~20 subprocesses, each loading numba
@pytest.mark.parametrize("command", RUN, ids=[f"{i:02d} {c[:60]}" for i, c in enumerate(RUN)])
def test_readme_command_runs(folder, command):
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "ARENA_MAX_FRAMES": MAX_FRAMES, "MPLBACKEND": "Agg"}
    args = argv(command)
    if args[0] == "conform" and not (REPO.parent / "shared" / "conformance").is_dir():
        pytest.fail("the conformance traces are missing: ../shared/conformance (see DEVELOPERS.md)")
    done = subprocess.run([sys.executable, "-m", "arena.cli", *args], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, f"arena {' '.join(args)}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
