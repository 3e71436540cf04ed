"""Benchmark: from a sheet edit to the reloaded page under `mkdocs serve`, plain and `--dirty`.

    python benchmarks/serve_edit.py                    # 800 generated topics (8 subjects x 100), 5 edits each
    python benchmarks/serve_edit.py --topics 300 --edits 3
    python benchmarks/serve_edit.py --topics 0         # the bundled data

Two copies of one project (see _sitegen.py; --topics 0: the bundled data) are served at
once by real `python -m mkdocs serve` processes: one plain, one `--dirty --no-strict` (the
command README.md gives for large sites). Then, --edits times and for each server in turn
(the order alternates, and the other server is idle meanwhile, so both meet the same
machine): the first row's definition gets a new ending (serve_memory.py's edit), the
benchmark waits for the server's "Reloading browsers" line, fetches the subject's overview
page over HTTP and checks that it shows the edit. Printed: when each server was up, and
the median edit-to-reload seconds (the server's change detection and debounce included),
and plain / dirty.
"""
from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
from serve_memory import FIRST_BUILT, RELOADED, edit_definition, first_sheet, free_port, make_site  # noqa: E402


class Server:
    def __init__(self, folder: str, extra: list[str], timeout: float):
        self.port, self.timeout, self.log = free_port(), timeout, []
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1",
                   PYTHONPATH=os.pathsep.join(p for p in (ROOT, os.environ.get("PYTHONPATH")) if p))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", *extra, "-a", f"127.0.0.1:{self.port}"], cwd=folder, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.process.stderr:
            self.log.append(line)
            self.lines.put(line)

    def wait_for(self, marker: str) -> float:
        """Seconds until the server logs `marker`."""
        start = time.monotonic()
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, start + self.timeout - time.monotonic()))
            except queue.Empty:
                raise SystemExit("no build finished in time; server log:\n" + "".join(self.log[-40:])) from None
            if marker in line:
                return time.monotonic() - start
            if "An error happened during the rebuild" in line or "Aborted" in line:
                raise SystemExit("a build failed:\n" + "".join(self.log[-40:]))

    def page(self, path: str) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/{path}", timeout=30) as r:
            return r.read().decode("utf-8")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", type=int, default=800, help="0: the bundled data; else a generated project")
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait for one build")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kbgen-serve-edit-") as base:
        plain_dir, dirty_dir = os.path.join(base, "plain"), os.path.join(base, "dirty")
        os.makedirs(plain_dir)
        make_site(plain_dir, args.topics)
        shutil.copytree(plain_dir, dirty_dir)
        t0 = time.monotonic()
        servers = {"plain": Server(plain_dir, [], args.timeout),
                   "--dirty": Server(dirty_dir, ["--dirty", "--no-strict"], args.timeout)}
        folders = {"plain": plain_dir, "--dirty": dirty_dir}
        times: dict[str, list[float]] = {name: [] for name in servers}
        try:
            for name, server in servers.items():  # both start at once: the two first builds overlap
                server.wait_for(FIRST_BUILT)
                print(f"{name:8s} serving {time.monotonic() - t0:.1f} s after the start", flush=True)
            order = list(servers)
            for k in range(1, args.edits + 1):
                for name in order:
                    server = servers[name]
                    sheet, subject = first_sheet(folders[name])
                    edit_definition(sheet, f"rebuild {k}")
                    times[name].append(server.wait_for(RELOADED))
                    if f"rebuild {k}" not in server.page(f"{subject}/"):
                        raise SystemExit(f"{name}: edit {k} is not on the overview page after the reload")
                    print(f"  edit {k}: {name:8s} {times[name][-1]:.2f} s", flush=True)
                order.reverse()
        finally:
            for server in servers.values():
                server.stop()
    plain, dirty = statistics.median(times["plain"]), statistics.median(times["--dirty"])
    what = "bundled data" if not args.topics else f"{args.topics} generated topics"
    print(f"{what}, {args.edits} edits each, every one seen on the page: edit to reload, median "
          f"plain {plain:.2f} s, --dirty {dirty:.2f} s; plain / dirty = {plain / dirty:.1f}x")


if __name__ == "__main__":
    main()
