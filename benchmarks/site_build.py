"""Benchmark: building the MkDocs Material site of 300, 1,000 and 3,000 topics, and `kbgen build`.

    python benchmarks/site_build.py                  # everything (stock Material at 3,000 pages takes minutes)
    python benchmarks/site_build.py --quick          # sizes 300,1000, one run each, no 5,000-topic kbgen build
    python benchmarks/site_build.py --sizes 300,1000 --repeat 2

What it measures. For each size a project is generated in a temporary folder
(benchmarks/_sitegen.py: 8 subjects, ceil(topics/15) categories each, sheet rows copied
from the bundled sheet, ~1 topic in 10 with a YAML overlay giving keywords/tags and a
related topic, ~2 exam questions per 10 topics). It is checked once with `kbgen lint`
(smallest size). Then three sites are built, every build a fresh
`python -m mkdocs build -q -d SITE` process (NO_MKDOCS_2_WARNING=1, cwd = the project):

  plugin       mkdocs.yml with the `kbgen` plugin, the repository's theme, features and
               extensions; the plugin's cache (.cache/kbgen) is deleted before each run so
               the plugin does its full work. From 200 pages the plugin builds the pages in
               two processes (kbgen/parallel.py). One extra run keeps the cache: "plugin, warm".
  one process  the same with `workers: 1` (mkdocs-one.yml): the plugin's own share, target (v).
  pre-written  the same pages written beforehand by `kbgen build --out docs`, built without
               the plugin, same theme/features/extensions, the full nav from the manifest
               (`docs/.kbgen-manifest.json`) and every file the plugin adds to a site copied
               in and listed as the plugin lists them: its CSS and scripts (kbgen.css,
               deck.css, mathjax.js, exams.js; deck.js, which the deck page loads) and the vendored MathJax,
               Mermaid and iframe-worker. What it does not have is the plugin's own work:
               generating the pages, Korean search (segmented index, kbgen's worker) and
               squeezed HTML.
  stock        the same pages and nav with Material's features navigation.tabs and
               navigation.sections only (no prune, no indexes): Material without kbgen's
               navigation design. Run once per size.

Plugin, one-process and pre-written runs alternate (A B C A B C ...) so machine noise hits both alike; the
figures are medians. Per build: wall seconds (and CPU seconds of the build process),
seconds per 1,000 pages (.md pages), peak memory (max RSS of the build process, read with
getrusage(RUSAGE_CHILDREN) by a small wrapper), site size (all files under SITE), median
and max HTML size of the topic pages (docs/<subject>/<category>/<slug>.md ->
SITE/<subject>/<category>/<slug>/index.html).

kbgen is imported from a copy of kbgen/ taken at the start (`--live`: the working tree), so
edits made while the benchmark runs cannot mix into its figures; the theme features and
`markdown_extensions` come from the repository's mkdocs.yml.

Finally `kbgen build` of a 5,000-topic project into an empty folder (median of repeats,
each into a new folder; none is deleted until the end), and a no-change rerun, which must write nothing (its output line and the mtimes of all
files are checked).

Targets (PASS/FAIL printed at the end):
  (i)   plugin build of 3,000 topics < 30 s
  (ii)  3,000-topic site < 150 MB
  (iii) median topic page HTML < 60 KB
  (iv)  plugin's seconds per 1,000 pages at 3,000 / at 300 <= 1.3
  (v)   plugin build in one process / pre-written build <= 1.15, at each size
  (vi)  kbgen build of 5,000 topics into an empty folder < 3 s; no-change rerun < 0.5 s, 0 files written
Stock Material's figures are printed alongside for comparison. Nothing is pinned: it measures.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _sitegen

PY = sys.executable
KBGEN = os.path.join(os.path.dirname(PY), "kbgen")
KBGEN_CMD = [KBGEN] if os.path.exists(KBGEN) else [PY, "-m", "kbgen"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

# Runs a command, then reports its wall time and the max RSS of the child (the build itself,
# not this wrapper) as one JSON line.
WRAPPER = r"""
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
p = subprocess.run(sys.argv[1:], capture_output=True, text=True)
seconds = time.perf_counter() - t0
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "rc": p.returncode, "maxrss_kb": ru.ru_maxrss,
                  "cpu": ru.ru_utime + ru.ru_stime, "stdout": p.stdout[-6000:], "stderr": p.stderr[-6000:]}))
"""

VARIANTS = {"plugin": "kbgen plugin", "one": "plugin, one process", "warm": "plugin, warm cache",
            "pre": "pre-written", "stock": "stock Material, full nav"}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def measured(cmd: list[str], cwd: str) -> dict:
    out = subprocess.run([PY, "-c", WRAPPER, *cmd], cwd=cwd, env=ENV, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- what a built site holds -------------------------------------------------------------

def md_pages(docs: str) -> list[str]:
    """The .md pages under a docs folder, POSIX paths relative to it (dot folders skipped)."""
    out = []
    for base, dirs, names in os.walk(docs):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        rel = os.path.relpath(base, docs)
        for n in names:
            if n.endswith(".md"):
                out.append(n if rel == "." else f"{rel.replace(os.sep, '/')}/{n}")
    return sorted(out)


def topic_pages(pages: list[str]) -> list[str]:
    return [p for p in pages if p.count("/") == 2 and not p.endswith("/index.md")]


def tree_bytes(folder: str) -> tuple[int, int]:
    total = files = 0
    for base, _, names in os.walk(folder):
        for n in names:
            total += os.path.getsize(os.path.join(base, n))
            files += 1
    return total, files


def inspect_site(site: str, pages: list[str]) -> dict:
    total, files = tree_bytes(site)
    sizes, missing = [], []
    for p in topic_pages(pages):
        html = os.path.join(site, *p[:-3].split("/"), "index.html")
        try:
            sizes.append(os.path.getsize(html))
        except OSError:
            missing.append(p)
    html_pages = 0
    for base, _, names in os.walk(site):
        html_pages += sum(1 for n in names if n.endswith(".html"))
    return {"site_bytes": total, "site_files": files, "html_pages": html_pages, "topics": len(sizes),
            "topic_median": statistics.median(sizes) if sizes else 0, "topic_max": max(sizes) if sizes else 0,
            "missing_html": missing}


# --- one size ------------------------------------------------------------------------------

def build_once(project: str, site: str, config: str | None, pages_from: str, clear_cache: bool) -> dict:
    if clear_cache:
        shutil.rmtree(os.path.join(project, ".cache", "kbgen"), ignore_errors=True)
    shutil.rmtree(site, ignore_errors=True)
    cmd = [PY, "-m", "mkdocs", "build", "-q", "-d", site] + (["-f", config] if config else [])
    r = measured(cmd, project)
    if r["rc"] == 0:
        pages = md_pages(pages_from)
        r.update(inspect_site(site, pages), pages=len(pages))
    shutil.rmtree(site, ignore_errors=True)
    return r


def bench_size(root: str, topics: int, repeat: int, strict: bool, lint: bool, problems: list[str],
               theme: tuple[list[str], str], package: str, stock: bool = True) -> dict:
    plugin_dir = os.path.join(root, f"plugin-{topics}")
    pre_dir = os.path.join(root, f"pre-{topics}")
    site = os.path.join(root, f"site-{topics}")
    counts = _sitegen.make_project(plugin_dir, topics)
    _sitegen.write_plugin_site(plugin_dir, strict, *theme)
    log(f"{topics} topics: generated ({counts['categories']} categories, {counts['overlays']} overlays, "
        f"{counts['questions']} exam questions)")
    if lint:
        out = subprocess.run([*KBGEN_CMD, "lint", "--config", os.path.join(plugin_dir, "kbgen.yml")],
                             capture_output=True, text=True, env=ENV, check=False)
        last = (out.stdout.strip().splitlines() or ["(no output)"])[-1]
        print(f"kbgen lint of the {topics}-topic project (exit {out.returncode}): {last}")
        if out.returncode == 2:
            problems.append(f"kbgen lint found errors in the {topics}-topic data:\n{out.stdout[-3000:]}")
    out = subprocess.run([*KBGEN_CMD, "build", "--config", os.path.join(plugin_dir, "kbgen.yml"),
                          "--out", os.path.join(pre_dir, "docs")], capture_output=True, text=True, env=ENV, check=False)
    if out.returncode != 0:
        raise SystemExit(f"kbgen build failed for {topics} topics:\n{out.stdout}\n{out.stderr}")
    _sitegen.write_prewritten_sites(pre_dir, strict, *theme, package=package)
    pre_docs = os.path.join(pre_dir, "docs")

    runs: dict[str, list[dict]] = {k: [] for k in VARIANTS}
    for i in range(repeat):
        for key in ("plugin", "one", "pre"):
            log(f"{topics} topics: {VARIANTS[key]} run {i + 1}/{repeat}")
            if key == "plugin":
                r = build_once(plugin_dir, site, None, pre_docs, clear_cache=True)
            elif key == "one":
                r = build_once(plugin_dir, site, "mkdocs-one.yml", pre_docs, clear_cache=True)
            else:
                r = build_once(pre_dir, site, None, pre_docs, clear_cache=False)
            runs[key].append(r)
            log(f"  {r['seconds']:.1f} s, rc {r['rc']}")
    log(f"{topics} topics: {VARIANTS['warm']}")
    runs["warm"].append(build_once(plugin_dir, site, None, pre_docs, clear_cache=False))
    log(f"  {runs['warm'][-1]['seconds']:.1f} s")
    if stock:
        log(f"{topics} topics: {VARIANTS['stock']} (once)")
        runs["stock"].append(build_once(pre_dir, site, "mkdocs-stock.yml", pre_docs, clear_cache=False))
        log(f"  {runs['stock'][-1]['seconds']:.1f} s")

    expected = len(md_pages(pre_docs))
    result = {"topics": topics, "expected_pages": expected}
    for key, rs in runs.items():
        if not rs:  # not run (--no-stock)
            continue
        failed = [r for r in rs if r["rc"] != 0]
        for r in failed:
            problems.append(f"{topics} topics, {VARIANTS[key]}: mkdocs exited {r['rc']}:\n{r['stderr'].strip()[-3000:]}")
        ok = [r for r in rs if r["rc"] == 0]
        noise = sorted({line for r in ok for line in (r["stderr"] + r["stdout"]).strip().splitlines() if line.strip()})
        if noise:
            problems.append(f"{topics} topics, {VARIANTS[key]}: mkdocs printed {len(noise)} distinct line(s), e.g.:\n  "
                            + "\n  ".join(noise[:8]))
        if not ok:
            result[key] = None
            continue
        last = ok[-1]
        if last["pages"] != expected:
            problems.append(f"{topics} topics, {VARIANTS[key]}: {last['pages']} .md pages, expected {expected}")
        if last["html_pages"] != last["pages"] + 1:  # + 404.html
            problems.append(f"{topics} topics, {VARIANTS[key]}: {last['html_pages']} HTML files for "
                            f"{last['pages']} pages (expected pages + 404.html)")
        if last["missing_html"]:
            problems.append(f"{topics} topics, {VARIANTS[key]}: {len(last['missing_html'])} topic page(s) without "
                            f"HTML, e.g. {last['missing_html'][:3]}")
        secs = [r["seconds"] for r in ok]
        result[key] = {
            "runs": len(ok), "seconds": statistics.median(secs), "min": min(secs), "max": max(secs),
            "cpu": statistics.median(r["cpu"] for r in ok),
            "rss_mb": statistics.median(r["maxrss_kb"] for r in ok) / 1024,
            "pages": last["pages"], "site_mb": last["site_bytes"] / 1e6, "site_files": last["site_files"],
            "topic_median_kb": last["topic_median"] / 1e3, "topic_max_kb": last["topic_max"] / 1e3,
            "topic_pages": last["topics"],
        }
        result[key]["per_1k"] = result[key]["seconds"] / last["pages"] * 1000
    shutil.rmtree(plugin_dir, ignore_errors=True)
    shutil.rmtree(pre_dir, ignore_errors=True)
    return result


# --- kbgen build at 5,000 topics -------------------------------------------------------------

def snapshot(folder: str) -> dict[str, tuple[int, int]]:
    out = {}
    for base, _, names in os.walk(folder):
        for n in names:
            st = os.stat(os.path.join(base, n))
            out[os.path.join(base, n)] = (st.st_size, st.st_mtime_ns)
    return out


def bench_kbgen_build(root: str, topics: int, repeat: int, problems: list[str]) -> dict:
    project = os.path.join(root, f"cli-{topics}")
    _sitegen.make_project(project, topics)
    config = os.path.join(project, "kbgen.yml")
    fresh, outs = [], []
    out_dir = ""
    for i in range(repeat):
        out_dir = os.path.join(root, f"cli-out-{i}")
        log(f"kbgen build {topics} topics into an empty folder, run {i + 1}/{repeat}")
        r = measured([*KBGEN_CMD, "build", "--config", config, "--out", out_dir], root)
        if r["rc"] != 0:
            problems.append(f"kbgen build of {topics} topics exited {r['rc']}:\n{r['stdout'][-2000:]}{r['stderr'][-2000:]}")
            return {}
        fresh.append(r)
        outs.append(r["stdout"].strip().splitlines()[-1])
        # The runs' folders stay until the end: deleting 5,000 files just before the next
        # run would time the filesystem's cleanup too (ext4 without a journal skips
        # recently freed inodes one by one when it creates files).
    reruns = []
    for i in range(repeat):
        log(f"kbgen build {topics} topics, no-change rerun {i + 1}/{repeat}")
        before = snapshot(out_dir)
        r = measured([*KBGEN_CMD, "build", "--config", config, "--out", out_dir], root)
        after = snapshot(out_dir)
        line = (r["stdout"].strip().splitlines() or [""])[-1]
        changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
        m = re.match(r"no change: 0 written, (\d+) unchanged", line)
        reruns.append({**r, "line": line, "changed": changed, "no_change_line": bool(m)})
    written = re.match(r"(\d+) written", outs[-1])
    return {
        "topics": topics, "pages": len(md_pages(out_dir)), "written": int(written.group(1)) if written else None,
        "fresh": statistics.median(r["seconds"] for r in fresh), "fresh_all": [r["seconds"] for r in fresh],
        "fresh_rss_mb": statistics.median(r["maxrss_kb"] for r in fresh) / 1024, "fresh_line": outs[-1],
        "rerun": statistics.median(r["seconds"] for r in reruns), "rerun_all": [r["seconds"] for r in reruns],
        "rerun_line": reruns[-1]["line"], "rerun_ok_line": all(r["no_change_line"] for r in reruns),
        "rerun_changed": sorted({p for r in reruns for p in r["changed"]}),
    }


# --- report ------------------------------------------------------------------------------------

def git_state() -> str:
    def git(*a: str) -> str:
        try:
            return subprocess.run(["git", "-C", _sitegen.ROOT, *a], capture_output=True, text=True,
                                  check=False).stdout.strip()
        except OSError:
            return ""
    head = git("log", "-1", "--format=%h %s")
    dirty = git("status", "--porcelain", "--", "kbgen", "mkdocs.yml").splitlines()
    return (head[:90] or "unknown commit") + (f"; uncommitted changes in {len(dirty)} file(s) of kbgen/ or mkdocs.yml"
                                              if dirty else "; kbgen/ and mkdocs.yml clean")


def versions() -> str:
    from importlib.metadata import PackageNotFoundError, version
    parts = [f"Python {platform.python_version()}"]
    for dist in ("mkdocs", "mkdocs-material", "kbgen"):
        try:
            parts.append(f"{dist} {version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist} not installed")
    return ", ".join(parts)


def print_table(results: list[dict]) -> None:
    head = (f"{'topics':>6}  {'build':<26}{'pages':>6}{'runs':>5}{'wall s':>8}{'(min-max)':>14}{'cpu s':>7}"
            f"{'s/1k pg':>8}{'RSS MB':>8}{'site MB':>9}{'files':>7}{'topic KB med':>13}{'max':>7}")
    print(head)
    print("-" * len(head))
    for res in results:
        for key, label in VARIANTS.items():
            if key not in res:
                continue
            v = res.get(key)
            if v is None:
                print(f"{res['topics']:>6}  {label:<26}  FAILED (see problems)")
                continue
            rng = f"{v['min']:.1f}-{v['max']:.1f}" if v["runs"] > 1 else ""
            print(f"{res['topics']:>6}  {label:<26}{v['pages']:>6}{v['runs']:>5}{v['seconds']:>8.1f}{rng:>14}"
                  f"{v['cpu']:>7.1f}{v['per_1k']:>8.1f}{v['rss_mb']:>8.0f}{v['site_mb']:>9.1f}{v['site_files']:>7}"
                  f"{v['topic_median_kb']:>13.1f}{v['topic_max_kb']:>7.1f}")
        print()


def verdict(ok: bool | None) -> str:
    return "n/a " if ok is None else ("PASS" if ok else "FAIL")


def print_targets(results: list[dict], cli: dict | None) -> None:
    by = {r["topics"]: r for r in results}

    def get(n: int, k: str) -> dict | None:
        return (by.get(n) or {}).get(k)

    big = max(by)
    small = min(by)
    print("Targets")
    p = get(3000, "plugin")
    print("  (i)   plugin build, 3,000 topics < 30 s:            "
          + (f"{p['seconds']:.1f} s  -> {verdict(p['seconds'] < 30)}" if p else "not measured -> n/a"))
    print("  (ii)  3,000-topic site < 150 MB:                    "
          + (f"{p['site_mb']:.1f} MB -> {verdict(p['site_mb'] < 150)}" if p else "not measured -> n/a"))
    for n in sorted(by):
        v = get(n, "plugin")
        if v:
            print(f"  (iii) median topic page HTML < 60 KB, {n:>5,}:      {v['topic_median_kb']:.1f} KB (max "
                  f"{v['topic_max_kb']:.1f}) -> {verdict(v['topic_median_kb'] < 60)}")
    a, b = get(big, "plugin"), get(small, "plugin")
    if a and b and big != small:
        ratio = a["per_1k"] / b["per_1k"]
        note = "" if (big, small) == (3000, 300) else f"  [sizes {big}/{small}, not 3000/300]"
        print(f"  (iv)  s/1k pages at {big:,} / at {small:,} <= 1.3:      {a['per_1k']:.1f} / {b['per_1k']:.1f} = "
              f"{ratio:.2f} -> {verdict(ratio <= 1.3)}{note}")
    else:
        print("  (iv)  s/1k pages scaling: needs two sizes -> n/a")
    # The plugin's own share: both builds in one process (the two-process build is faster
    # than the pre-written one, which says nothing of what the plugin itself costs).
    for n in sorted(by):
        a, b, two = get(n, "one"), get(n, "pre"), get(n, "plugin")
        if a and b:
            ratio = a["seconds"] / b["seconds"]
            print(f"  (v)   plugin (one process) / pre-written <= 1.15, {n:>5,}: {a['seconds']:.1f} / {b['seconds']:.1f} = "
                  f"{ratio:.2f} -> {verdict(ratio <= 1.15)}  (CPU {a['cpu'] / b['cpu']:.2f})"
                  + (f";  two processes / one: {two['seconds'] / a['seconds']:.2f}" if two else ""))
    if cli:
        print(f"  (vi)  kbgen build {cli['topics']:,} topics, empty folder < 3 s: {cli['fresh']:.2f} s -> "
              f"{verdict(cli['fresh'] < 3)}")
        zero = cli["rerun_ok_line"] and not cli["rerun_changed"]
        print(f"  (vi)  no-change rerun < 0.5 s, 0 files written:     {cli['rerun']:.2f} s, "
              f"{len(cli['rerun_changed'])} file(s) changed -> {verdict(cli['rerun'] < 0.5 and zero)}")
    print()
    print("For comparison: stock Material (tabs + sections, full nav on every page)")
    for n in sorted(by):
        s, p, w = get(n, "stock"), get(n, "plugin"), get(n, "warm")
        if s and p:
            print(f"  {n:>5,} topics: stock {s['seconds']:.1f} s ({s['per_1k']:.1f} s/1k pages), {s['site_mb']:.1f} MB, "
                  f"topic page median {s['topic_median_kb']:.1f} KB, RSS {s['rss_mb']:.0f} MB;  "
                  f"stock / plugin = {s['seconds'] / p['seconds']:.1f}x time, {s['site_mb'] / p['site_mb']:.1f}x size"
                  + (f";  warm-cache plugin {w['seconds']:.1f} s" if w else ""))
    if len(by) > 1:
        s_big, s_small = get(big, "stock"), get(small, "stock")
        if s_big and s_small:
            print(f"  stock s/1k pages at {big:,} / at {small:,}: {s_big['per_1k'] / s_small['per_1k']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="300,1000,3000", help="topic counts, comma separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of plugin and pre-written builds (stock: 1)")
    parser.add_argument("--quick", action="store_true", help="sizes 300,1000, repeat 1, skip the 5,000 kbgen build")
    parser.add_argument("--cli-topics", type=int, default=5000, help="topics for the kbgen build benchmark (0: skip it)")
    parser.add_argument("--no-stock", action="store_true",
                        help="skip stock Material (12 minutes at 3,000 topics; kbgen's code does not change it)")
    parser.add_argument("--no-strict", action="store_true", help="build without strict: true in mkdocs.yml")
    parser.add_argument("--live", action="store_true",
                        help="import kbgen from the working tree during the runs (default: a copy taken at the start, "
                             "so edits made while the benchmark runs do not mix into its figures)")
    args = parser.parse_args()
    sizes = [300, 1000] if args.quick else sorted({int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()})
    repeat = 1 if args.quick else max(1, args.repeat)
    strict = not args.no_strict

    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    print("kbgen site build benchmark")
    print(f"  {versions()}")
    print(f"  {platform.platform()}; os.cpu_count() = {os.cpu_count()}, usable {affinity}; load average {load}")
    print(f"  sizes {', '.join(f'{s:,}' for s in sizes)} topics; plugin, one-process plugin and pre-written x{repeat} (alternating), "
          f"warm-cache plugin x1, {'no stock' if args.no_stock else 'stock x1'}; mkdocs strict: {strict}")
    features, extensions, source = _sitegen.repo_theme()
    names = re.findall(r"^  - ([\w.]+)", extensions, re.MULTILINE)
    print(f"  theme features and markdown_extensions from {source}: {', '.join(features)}; "
          f"extensions: {', '.join(names)}")
    print(f"  code: {git_state()}")

    problems: list[str] = []
    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="kbgen-site-bench-") as root:
        package = _sitegen.PACKAGE
        if not args.live:
            code = os.path.join(root, "code")
            shutil.copytree(os.path.join(_sitegen.ROOT, "kbgen"), os.path.join(code, "kbgen"),
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            ENV["PYTHONPATH"] = os.pathsep.join(p for p in (code, ENV.get("PYTHONPATH")) if p)
            package = os.path.join(code, "kbgen")
        where = subprocess.run([PY, "-c", "import kbgen; print(kbgen.__file__)"], env=ENV, capture_output=True,
                               text=True, cwd=root, check=False).stdout.strip()
        print(f"  kbgen imported from: {where}" + ("" if args.live else " (a copy of kbgen/ taken at the start)"))
        print()
        sys.stdout.flush()
        for i, n in enumerate(sizes):
            results.append(bench_size(root, n, repeat, strict, lint=i == 0, problems=problems,
                                      theme=(features, extensions), package=package, stock=not args.no_stock))
        cli = None
        if not args.quick and args.cli_topics > 0:
            cli = bench_kbgen_build(root, args.cli_topics, max(3, repeat), problems) or None

    print()
    print("MkDocs builds (wall/cpu/RSS: median of runs; site and page sizes: last run)")
    print_table(results)
    if cli:
        print(f"kbgen build, {cli['topics']:,} topics ({cli['pages']:,} pages):")
        print(f"  into an empty folder: median {cli['fresh']:.2f} s of "
              f"{', '.join(f'{s:.2f}' for s in cli['fresh_all'])}; RSS {cli['fresh_rss_mb']:.0f} MB; "
              f"output: {cli['fresh_line']!r}")
        print(f"  no-change rerun:      median {cli['rerun']:.2f} s of {', '.join(f'{s:.2f}' for s in cli['rerun_all'])}; "
              f"output: {cli['rerun_line']!r}; files changed (size/mtime): {len(cli['rerun_changed'])}")
        if not cli["rerun_ok_line"]:
            problems.append(f"no-change rerun did not print 'no change: 0 written, N unchanged': {cli['rerun_line']!r}")
        if cli["rerun_changed"]:
            problems.append(f"no-change rerun changed {len(cli['rerun_changed'])} file(s), e.g. {cli['rerun_changed'][:3]}")
        print()
    print_targets(results, cli)
    print()
    if problems:
        print(f"Problems ({len(problems)}):")
        for p in problems:
            print("  - " + p.replace("\n", "\n    "))
    else:
        print("Problems: none (every build exited 0, printed nothing, and produced the expected pages)")
    print(f"\ntotal benchmark time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
