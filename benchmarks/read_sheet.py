"""Benchmark: read, parse and validate a generated 10,000-row sheet (as `kbgen lint` does:
the project loaded, then the cross-topic checks).

    python benchmarks/read_sheet.py [--rows 10000] [--runs 5]

Each run is a fresh process pinned to one core, so imports and caches are counted the way
a user meets them. Prints the median time, rows per second, and peak memory (the process's
max RSS and, inside it, Python's own allocations). Target: under 1 s and 200 MB.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLED = os.path.join(ROOT, "data", "ai", "기술사_기본필수노트_AI - AI.csv")

CHILD = r"""
import json, os, resource, sys, time, tracemalloc
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
sys.path.insert(0, sys.argv[2])
t0 = time.perf_counter()
from kbgen.checks import run_checks
from kbgen.project import load_project
t_import = time.perf_counter() - t0
if sys.argv[3] == "phases":  # where the time goes: the sheet read alone, its cells parsed alone
    import gc
    from kbgen.diagnostics import Report
    from kbgen.notation import parse_cell
    from kbgen.sources.sheet import read_sheet
    gc.disable()  # as load_project does
    t0 = time.perf_counter()
    sheet = read_sheet(os.path.join(os.path.dirname(sys.argv[1]), "sheet.csv"), Report())
    t_read = time.perf_counter() - t0
    cells = []  # kept, as the topics keep them: memory grows as it does in a real read
    t0 = time.perf_counter()
    for row in sheet.rows:
        cells.append(parse_cell(row.body, "기술요소"))
        if row.mechanism.strip():
            cells.append(parse_cell(row.mechanism, "매커니즘"))
    print(json.dumps({"read": t_read, "parse": time.perf_counter() - t0}))
    sys.exit()
trace = sys.argv[3] == "trace"
if trace:
    tracemalloc.start()
t0 = time.perf_counter()
project = load_project(sys.argv[1])
t_load = time.perf_counter() - t0
run_checks(project)  # the cross-topic checks, as `kbgen lint` runs them
seconds = time.perf_counter() - t0
peak = tracemalloc.get_traced_memory()[1] if trace else 0
print(json.dumps({"seconds": seconds, "checks": seconds - t_load, "import": t_import, "topics": len(project.topics),
                  "errors": len(project.report.errors), "warnings": len(project.report.warnings),
                  "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "traced": peak}))
"""


def generate(folder: str, rows: int, seed: int = 7) -> str:
    """A sheet of `rows` rows, each a copy of a randomly drawn bundled row (cells as written,
    title numbered), so the notation mix (headers, children, pairs, formulas) matches real
    notes. kbgen caches nothing between rows, so repeats cost the same as new text."""
    with open(BUNDLED, encoding="utf-8-sig", newline="") as fh:
        source = list(csv.DictReader(fh))
    source = [r for r in source if r["NO"].strip()]
    rng = random.Random(seed)
    path = os.path.join(folder, "sheet.csv")
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["NO", "토픽", "중토픽", "암기법", "기술요소", "매커니즘"])
        for no in range(1, rows + 1):
            base = rng.choice(source)
            writer.writerow([no, base["토픽"], f"{base['중토픽']} {no}", base["암기법"], base["기술요소"], base["매커니즘"]])
    with open(os.path.join(folder, "kbgen.yml"), "w", encoding="utf-8") as fh:
        fh.write("subjects:\n  - id: ai\n    title: AI\n    csv: sheet.csv\n    categories:\n"
                 "      - {id: ml, title: 머신러닝, match: [머신러닝]}\n      - {id: dl, title: 딥러닝, match: [딥러닝]}\n"
                 "      - {id: nlp, title: 자연어처리, match: [자연어처리]}\n"
                 "      - {id: tr, title: 학습기법, match: [학습기법]}\n      - {id: ev, title: 모델평가, match: [모델평가]}\n")
    return path


def run_once(config: str, mode: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, config, ROOT, mode],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        sheet = generate(folder, args.rows)
        config = os.path.join(folder, "kbgen.yml")
        size = os.path.getsize(sheet)
        with open(sheet, encoding="utf-8-sig") as fh:
            lines = sum(1 for _ in fh)
        timed, phases = [], []
        for _ in range(args.runs):  # side by side, so both see the same machine
            timed.append(run_once(config, "time"))
            phases.append(run_once(config, "phases"))
        traced = run_once(config, "trace")
    seconds = statistics.median(r["seconds"] for r in timed)
    rss_mb = max(r["rss_kb"] for r in timed) / 1024
    print(f"sheet: {args.rows:,} rows, {lines:,} lines, {size / 1e6:.1f} MB; topics read: {timed[0]['topics']:,}; "
          f"errors {timed[0]['errors']}, warnings {timed[0]['warnings']}")
    print(f"read+parse+validate, median of {args.runs} runs on one core: {seconds:.3f} s "
          f"(min {min(r['seconds'] for r in timed):.3f}, max {max(r['seconds'] for r in timed):.3f}); "
          f"import of kbgen {statistics.median(r['import'] for r in timed):.3f} s, not counted")
    read = statistics.median(r["read"] for r in phases)
    parse = statistics.median(r["parse"] for r in phases)
    checks = statistics.median(r["checks"] for r in timed)
    print(f"where it goes (medians of separate runs): CSV read {read:.3f} s, cells parsed {parse:.3f} s, "
          f"cross-topic checks {checks:.3f} s, the rest (topics built, mnemonics matched, row checks) "
          f"about {max(seconds - read - parse - checks, 0):.3f} s")
    print(f"rows per second: {args.rows / seconds:,.0f}")
    print(f"peak memory: {rss_mb:.0f} MB max RSS of the process; {traced['traced'] / 1e6:.0f} MB peak Python allocations")
    print(f"target: < 1 s -> {seconds:.2f}x of budget; < 200 MB -> {rss_mb / 200:.2f}x of budget")


if __name__ == "__main__":
    main()
