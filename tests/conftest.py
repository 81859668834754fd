import os
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

REPO = Path(__file__).resolve().parents[1]
TRACES = sorted((REPO.parent / "shared" / "conformance" / "traces").glob("*.json.gz"))


@pytest.fixture(scope="session")
def traces():
    if not TRACES:
        pytest.skip("no conformance traces next to the repository (../shared/conformance/traces)")
    return TRACES
