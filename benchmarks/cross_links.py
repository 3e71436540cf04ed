"""Benchmark: what cross-links cost when planning a 3,000-topic site.

    python benchmarks/cross_links.py [--topics 3000] [--repeat 5]

A project is generated (benchmarks/_sitegen.py), loaded once, and the planner's body pass
(every topic's prose, tables and related list, made before any page is drawn so backlinks
are known) is timed with the real linker and with a linker that links nothing, side by
side, alternating, with the cyclic GC off as in `kbgen build`. Prints medians and the
linker's share. Nothing is pinned: it measures.
"""
from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import _sitegen  # noqa: E402

from kbgen.project import load_project  # noqa: E402
from kbgen.render.pages import Planner  # noqa: E402


class _NoLinks:
    def __init__(self, here: str):
        self.here, self.targets = here, []

    def __call__(self, value):
        return value


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--topics", type=int, default=3000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        _sitegen.make_project(folder, args.topics)
        project = load_project(os.path.join(folder, "kbgen.yml"))
    gc.disable()
    real, none, links = [], [], 0
    for _ in range(args.repeat):
        planner = Planner(project)
        t = time.perf_counter()
        planner._link_all()
        real.append(time.perf_counter() - t)
        links = sum(len(b) for b in planner.backlinks.values())
        planner = Planner(project)
        planner.linker.page = lambda topic, here: _NoLinks(here)
        t = time.perf_counter()
        planner._link_all()
        none.append(time.perf_counter() - t)
    a, b = statistics.median(real), statistics.median(none)
    print(f"{len(project.topics)} topics, {links} topic-to-topic links")
    print(f"body pass with cross-links {a:.3f} s, without {b:.3f} s (median of {args.repeat})")
    print(f"linking: {a - b:.3f} s, {1000 * (a - b) / len(project.topics):.2f} ms per topic, ratio {a / b:.2f}")


if __name__ == "__main__":
    main()
