"""Builds a project the way `mkdocs serve [--dirty]` does, for tests/test_serve_dirty.py:
one `on_startup`, then per change a freshly loaded config and `build()` into the same
temporary site (MkDocs keeps the plugins across these builds). Run in its own process, so
the plugins MkDocs keeps do not leak into other tests.

    python serve_driver.py PROJECT SITE dirty|clean STEPS_JSON

A step is ["replace", file, old, new], ["append", file, text] or ["none"]; after the
first build and after each step it prints one JSON line: the pages (site paths) whose
HTML was written by that build, the build's error, if any, and its seconds (for
benchmarks/serve_edit.py).
"""
from __future__ import annotations

import json
import os
import sys
import time

from mkdocs.commands.build import build
from mkdocs.config import load_config

SERVE_URL = "http://127.0.0.1:8000/"


def written(site: str, before: dict[str, int]) -> tuple[list[str], dict[str, int]]:
    now = {}
    for base, _, names in os.walk(site):
        for name in names:
            path = os.path.join(base, name)
            rel = os.path.relpath(path, site).replace(os.sep, "/")
            if name.endswith(".html") and rel != "404.html":  # the theme's 404 page: made every build
                now[rel] = os.stat(path).st_mtime_ns
    return sorted(p for p, t in now.items() if before.get(p) != t), now


def main() -> None:
    project, site, mode, steps = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    dirty = mode == "dirty"
    os.chdir(project)

    def get_config():
        config = load_config(config_file="mkdocs.yml", site_dir=site, strict=False)
        config.site_url = SERVE_URL
        return config

    config = get_config()
    config.plugins.on_startup(command="serve", dirty=dirty)
    stats: dict[str, int] = {}

    def run(config) -> None:
        nonlocal stats
        error = None
        start = time.perf_counter()
        try:
            build(config, serve_url=SERVE_URL, dirty=dirty)
        except Exception as exc:  # as `mkdocs serve`: report it and go on serving
            error = f"{type(exc).__name__}: {exc}"
        seconds = time.perf_counter() - start
        pages, stats = written(site, stats)
        print(json.dumps({"written": pages, "error": error, "seconds": seconds}, ensure_ascii=False), flush=True)

    run(config)
    for step in steps:
        if step[0] == "replace":
            with open(step[1], encoding="utf-8-sig") as fh:
                text = fh.read()
            assert step[2] in text, step
            with open(step[1], "w", encoding="utf-8") as fh:
                fh.write(text.replace(step[2], step[3], 1))
        elif step[0] == "append":
            with open(step[1], "a", encoding="utf-8") as fh:
                fh.write(step[2])
        run(get_config())


if __name__ == "__main__":
    main()
