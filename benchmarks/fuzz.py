"""The long fuzz run: every target of tests/fuzz_targets.py for many examples.

    python benchmarks/fuzz.py [--scale 1.0] [--only notation,csv] [--seed N]

The default plan is 100,000 examples in all (cheap targets get more). Each target runs
until its count or its first broken property; the smallest failing example Hypothesis
finds is printed. Prints, per target: examples asked, inputs checked (generated plus
shrunk), failures, seconds; exit 1 when any target failed.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:0] = [ROOT, os.path.join(ROOT, "tests")]

from fuzz_targets import TARGETS, run  # noqa: E402

PLAN = {  # examples per target: 100,000 in all
    "notation": 35_000, "slug": 25_000, "yaml-damaged": 12_000, "yaml": 10_000,
    "csv-damaged": 8_000, "csv": 7_000, "project": 3_000,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every target's count")
    parser.add_argument("--only", default="", help="comma-separated targets")
    parser.add_argument("--seed", type=int, default=None, help="Hypothesis seed, to repeat a run")
    args = parser.parse_args()
    assert set(PLAN) == set(TARGETS), "every target needs a count"
    names = [n for n in PLAN if not args.only or n in args.only.split(",")]
    print(f"{'target':<14}{'examples':>10}{'checked':>10}{'failures':>10}{'seconds':>10}", flush=True)
    totals = [0, 0, 0, 0.0]
    failed = []
    for name in names:
        count = max(1, int(PLAN[name] * args.scale))
        start = time.perf_counter()
        checked, failures = 0, 0
        try:
            checked = run(name, count, seed=args.seed, database=None)
        except Exception as exc:  # a broken property: show it, go on with the next target
            checked, failures = getattr(exc, "checked", 0), 1
            failed.append((name, "".join(traceback.format_exception(exc))[-3000:]))
        seconds = time.perf_counter() - start
        print(f"{name:<14}{count:>10,}{checked:>10,}{failures:>10}{seconds:>10.1f}", flush=True)
        totals = [totals[0] + count, totals[1] + checked, totals[2] + failures, totals[3] + seconds]
    print(f"{'total':<14}{totals[0]:>10,}{totals[1]:>10,}{totals[2]:>10}{totals[3]:>10.1f}")
    for name, text in failed:
        print(f"\n--- {name} ---\n{text}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
