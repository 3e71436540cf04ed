"""Benchmark: how many snippets a rebuild runs.

    python benchmarks/snippet_rebuild.py

Builds the bundled site's pages (`kbgen build`) into a scratch folder three times with an
empty snippet cache of its own: a cold build (every snippet runs), a rebuild with no
change (the manifest answers: nothing loaded, 0 snippets), and a rebuild after a data
change that leaves the snippets alone (pages regenerate, 0 snippets run). Prints seconds
and snippet counts for each.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def kbgen(*args: str, cwd: str, env: dict) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, env=env, capture_output=True,
                         text=True, check=True).stdout
    return time.perf_counter() - start, out.strip().splitlines()[-1]


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        for name in ("kbgen.yml",):
            shutil.copy(os.path.join(ROOT, name), work)
        for name in ("data", "snippets"):
            shutil.copytree(os.path.join(ROOT, name), os.path.join(work, name))
        env = {**os.environ, "KBGEN_SNIPPET_CACHE": os.path.join(work, "cache")}
        rows = []
        rows.append(("cold (empty snippet cache)", *kbgen("build", "--out", "out", cwd=work, env=env)))
        rows.append(("rebuild, no change", *kbgen("build", "--out", "out", cwd=work, env=env)))
        topic = os.path.join(work, "data", "ai", "topics", "gru.yml")
        with open(topic, "a", encoding="utf-8") as fh:
            fh.write("label: 게이트 2개\n")
        rows.append(("rebuild, data changed", *kbgen("build", "--out", "out", cwd=work, env=env)))
    print(f"{'build':<28} {'seconds':>8}  snippets run  kbgen's summary")
    for label, seconds, line in rows:
        m = re.search(r"\((\d+) snippets? (?:\(s\) )?run\)|\((\d+) snippet\(s\) run\)", line)
        ran = next((g for g in (m.groups() if m else ()) if g is not None), "?")
        print(f"{label:<28} {seconds:>8.2f}  {ran:>12}  {line}")


if __name__ == "__main__":
    main()
