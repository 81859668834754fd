"""`arena conform`: replay real-Robocode traces and report the largest error per quantity."""
from __future__ import annotations

from ..conformance import ROBOT_FIELDS, SCORE_TOLERANCE, TOLERANCE, check_trace


def add_parser(sub) -> None:
    p = sub.add_parser("conform", help="replay Robocode conformance traces through the engine")
    p.add_argument("traces", nargs="+", metavar="TRACE", help="trace files (.json or .json.gz)")
    p.add_argument("--verbose", "-v", action="store_true", help="list every mismatch and each score component")
    p.set_defaults(handler=handle)


def handle(args) -> int:
    columns = ROBOT_FIELDS + ("bullet",)
    print(f"{'trace':<14}{'ticks':>6} " + " ".join(f"{c:>11}" for c in columns + ("score",)) + "  result")
    failed = 0
    for path in args.traces:
        report = check_trace(path)
        ok = report.passed
        failed += not ok
        errs = " ".join(f"{report.errors[c]:>11.1e}" for c in columns)
        score = "-" if report.score_error is None else f"{report.score_error:.1e}"
        print(f"{report.name:<14}{report.ticks:>6} {errs} {score:>11}  {'ok' if ok else 'FAIL'}")
        if report.ticks == 0:
            print("    no tick compared")
        if args.verbose and report.score_errors:
            print("    score errors: " + ", ".join(f"{k} {v:.1e}" for k, v in report.score_errors.items()))
        for line in report.mismatches[: None if args.verbose else 3]:
            print(f"    {line}")
    print(f"{len(args.traces) - failed} of {len(args.traces)} traces within tolerance {TOLERANCE:g}"
          f" (score {SCORE_TOLERANCE:g})")
    return 1 if failed else 0
