"""Every real-Robocode trace replays within tolerance, through the library and the command line."""
import gzip
import json

import pytest

from arena.cli import main
from arena.conformance import TraceError, check_trace
from conftest import TRACES


@pytest.mark.parametrize("path", TRACES, ids=[p.name for p in TRACES])
def test_trace_conforms(path):
    report = check_trace(path)
    assert report.passed, (report.errors, report.mismatches[:5])
    assert report.ticks > 100


def test_cli_conform_passes_on_all_traces(traces, capsys):
    assert main(["conform", *map(str, traces)]) == 0
    assert f"{len(traces)} of {len(traces)} traces within tolerance" in capsys.readouterr().out


def test_a_perturbed_trace_fails(traces, tmp_path):
    trace = json.load(gzip.open(traces[0]))
    row = trace["rounds"][0]["ticks"][50]["robots"][0]
    row[0] += 1e-3
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(trace))
    report = check_trace(bad)
    assert not report.passed and report.errors["x"] >= 1e-3 - 1e-12


def test_foreign_file_is_refused(tmp_path, capsys):
    junk = tmp_path / "junk.json.gz"
    junk.write_bytes(b"not gzip")
    with pytest.raises(TraceError):
        check_trace(junk)
    assert main(["conform", str(junk)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("arena: error:") and len(err.strip().splitlines()) == 1
