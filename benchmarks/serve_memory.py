"""Benchmark: the memory of a long `mkdocs serve` session, rebuild after rebuild.

    python benchmarks/serve_memory.py                      # the bundled data, 40 rebuilds
    python benchmarks/serve_memory.py --topics 300 --rebuilds 20

A copy of the site (the bundled data, or a generated project of --topics topics, see
_sitegen.py) is served by a real `python -m mkdocs serve` process. Then, --rebuilds times:
one sheet cell is edited (the first row's definition gets a new ending), the benchmark
waits for the server's "Reloading browsers" line (a rebuild that succeeded), fetches the subject's overview page over
HTTP and checks that it shows the new definition, and reads the server's resident memory
(VmRSS in /proc). Printed: the RSS after the first build and after every few rebuilds,
the growth per rebuild over the second half (least squares, MB/rebuild), and the time
from an edit to the reload. A session that keeps each rebuild's project alive grows by about a project per
rebuild; one that frees them stays flat after the first few.

Linux only (/proc). Nothing is pinned: it measures and prints.
"""
from __future__ import annotations

import argparse
import csv
import os
import queue
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import _sitegen  # noqa: E402

# After a build that succeeded the livereload server logs this (MkDocs's own "Documentation
# built in N seconds" is dropped by its duplicate filter whenever N repeats).
RELOADED = "Reloading browsers"
FIRST_BUILT = "Serving on"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_bundled(folder: str) -> None:
    for name in ("mkdocs.yml", "kbgen.yml"):
        shutil.copy(os.path.join(ROOT, name), folder)
    for name in ("docs", "data", "snippets"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(folder, name))


def make_site(folder: str, topics: int) -> None:
    """A generated project of `topics` topics with the plugin's mkdocs.yml; 0: the bundled one."""
    if topics:
        _sitegen.make_project(folder, topics)
        _sitegen.write_plugin_site(folder, True, *_sitegen.repo_theme()[:2])
    else:
        copy_bundled(folder)


def first_sheet(folder: str) -> tuple[str, str]:
    """(the first subject's sheet, its id), from kbgen.yml."""
    with open(os.path.join(folder, "kbgen.yml"), encoding="utf-8") as fh:
        config = yaml.safe_load(fh)
    subject = next(s for s in config["subjects"] if s.get("csv"))
    return os.path.join(folder, subject["csv"]), subject["id"]


def edit_definition(sheet: str, mark: str) -> str:
    """Give the first row's definition (its 기술요소's first line) a new ending; returns it."""
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("기술요소")
    lines = rows[1][col].split("\n")
    lines[0] = re.sub(r" 〔rebuild \d+〕$", "", lines[0]) + f" 〔{mark}〕"
    rows[1][col] = "\n".join(lines)
    tmp = sheet + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    os.replace(tmp, sheet)
    return lines[0]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def slope(ys: list[float]) -> float:
    n = len(ys)
    if n < 2:
        return 0.0
    mx, my = (n - 1) / 2, statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in enumerate(ys)) / sum((x - mx) ** 2 for x in range(n))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=0, help="0: the bundled data; else a generated project")
    parser.add_argument("--rebuilds", type=int, default=40)
    parser.add_argument("--timeout", type=float, default=300, help="seconds to wait for one build")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kbgen-serve-") as folder:
        make_site(folder, args.topics)
        sheet, subject = first_sheet(folder)
        port = free_port()
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
                   PYTHONPATH=os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p))
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                                  cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True, encoding="utf-8", errors="replace")
        lines: queue.Queue[str] = queue.Queue()
        log: list[str] = []

        def pump() -> None:
            for line in server.stderr:
                log.append(line)
                lines.put(line)

        threading.Thread(target=pump, daemon=True).start()

        def wait_for(marker: str) -> float:
            """Seconds until the server logs `marker`."""
            start = time.monotonic()
            deadline = start + args.timeout
            while True:
                try:
                    line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
                except queue.Empty:
                    if server.poll() is not None:
                        raise SystemExit("the server exited:\n" + "".join(log[-40:])) from None
                    raise SystemExit("no build finished in time; server log:\n" + "".join(log[-40:])) from None
                if marker in line:
                    return time.monotonic() - start
                if "An error happened during the rebuild" in line:
                    raise SystemExit("a rebuild failed:\n" + "".join(log[-40:]))

        def page() -> str:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{subject}/", timeout=30) as r:
                return r.read().decode("utf-8")

        try:
            first = wait_for(FIRST_BUILT)
            rss = [rss_mb(server.pid)]
            times = []
            print(f"project: {'bundled data' if not args.topics else f'{args.topics} generated topics'}; "
                  f"start and first build {first:.1f} s, RSS {rss[0]:.0f} MB", flush=True)
            for k in range(1, args.rebuilds + 1):
                definition = edit_definition(sheet, f"rebuild {k}")
                times.append(wait_for(RELOADED))
                # The page must show the edit: a rebuild that served stale data would measure nothing.
                shown = page()
                if f"rebuild {k}" not in shown:
                    raise SystemExit(f"rebuild {k}: the overview page does not show the edited definition "
                                     f"{definition!r}")
                rss.append(rss_mb(server.pid))
                if k % 5 == 0 or k == args.rebuilds:
                    print(f"  after rebuild {k:3d}: RSS {rss[-1]:6.1f} MB (edit to reload {times[-1]:.1f} s)", flush=True)
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
    half = rss[len(rss) // 2:]
    print(f"rebuilds: {args.rebuilds}, each showing its edit; edit to reload: median {statistics.median(times):.2f} s "
          f"(the server's change detection and debounce included)")
    print(f"RSS: first build {rss[0]:.1f} MB, max {max(rss):.1f} MB, last {rss[-1]:.1f} MB "
          f"(last / first = {rss[-1] / rss[0]:.2f})")
    print(f"growth over the second half ({len(half)} rebuilds): {slope(half):+.2f} MB per rebuild")


if __name__ == "__main__":
    main()
