import gc
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

# Property tests must not flake on a loaded machine: no per-example deadline and no timing health check
# (a hang is caught by the per-test timeout in pyproject.toml instead). In CI (env CI set, as .ci/run
# does) the examples are also derandomised, so a red run is reproducible; HYPOTHESIS_PROFILE overrides.
_STEADY = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", **_STEADY)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **_STEADY)
IN_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if IN_CI else "dev"))

# numba leaves hundreds of thousands of objects for the collector to walk, and the default thresholds ran a
# full collection so often that it took half of a `-m "not slow"` run (125 s -> 71 s with these).
gc.set_threshold(50_000, 20, 100)

REPO = Path(__file__).resolve().parents[1]
TRACES = sorted((REPO.parent / "shared" / "conformance" / "traces").glob("*.json.gz"))


@pytest.fixture(scope="session")
def traces():
    if not TRACES:
        pytest.skip("no conformance traces next to the repository (../shared/conformance/traces)")
    return TRACES
