"""Benchmark: the daily deck of a 3,000-topic site, in the real browser.

    python benchmarks/deck.py                 # 3,000 topics, 7 loads of each kind
    python benchmarks/deck.py --topics 1000 --loads 5
    python benchmarks/deck.py --keep /tmp/deck3000  # keep the built site; rerun to measure it again

A project is generated in a temporary folder (benchmarks/_sitegen.py: 8 subjects, rows
copied from the bundled sheet, ~1 topic in 10 with keywords, ~2 exam questions per 10
topics) and built with `mkdocs build` and the kbgen plugin (the repository's theme
features and extensions). The site is served on 127.0.0.1 (Python's http.server: no
compression, like opening the files locally; in a process of its own) and opened in Debian's chromium
(Playwright, headless); every request that would leave localhost fails in chromium's
host resolver (and is listed), so the figures are for the deck working offline.

Measured:
  - first card: milliseconds from navigation start to the deck's first card on screen:
    painted (the browser's Element Timing entry for the card, `elementtiming` set by
    deck.js: when the frame showing it was painted) and, beside it, drawn (the
    `kb-deck-first-card` performance mark deck.js sets right after putting the card in the
    page); median and range over --loads loads, cold (a fresh browser context: empty cache
    and storage) and warm (reload in the same context, with 20 cards' progress stored);
    beside them the deck page's DOMContentLoaded and the home page's (the theme's own
    start-up);
  - the deck's data: deck/cards.js (fronts: read before the first card) and
    deck/answers.js (backs: read after it), each one JSON document wrapped in a call,
    bytes raw and gzip-compressed (level 6, what web servers use), per card; the target
    counts both;
  - the build's part: seconds to build the cards and their JSON in Python (median of 5);
  - the machine's load average, since the figures are wall-clock times.

Targets (PASS/FAIL at the end): first card painted < 500 ms (cold median); the deck's
JSON (both files) < 2 KB per card gzip-compressed.
"""
from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
import _sitegen  # noqa: E402
from kbgen.study.cards import ANSWERS_FILE, CARDS_FILE, read_deck_file  # noqa: E402

FIRST_CARD = "performance.getEntriesByName('kb-deck-first-card')[0].startTime"
# When the first card's elements were painted (Element Timing; buffered, so entries from
# before this call count); the last of them, since the card is shown when all of it is.
PAINTED = """() => new Promise((resolve, reject) => {
  const seen = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (e.identifier === 'kb-first-card') seen.push(e.renderTime || e.loadTime);
    if (seen.length) resolve(Math.max(...seen));
  }).observe({type: 'element', buffered: true});
  setTimeout(() => reject(new Error('no element timing entry for the first card')), 5000);
})"""
DCL = "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build_site(folder: str, topics: int) -> tuple[str, float]:
    counts = _sitegen.make_project(folder, topics)
    features, extensions, _ = _sitegen.repo_theme()
    _sitegen.write_plugin_site(folder, strict=True, features=features, extensions=extensions)
    log(f"building a {counts['topics']}-topic site with mkdocs ...")
    start = time.perf_counter()
    site = os.path.join(folder, "site")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", site], cwd=folder,
                            capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        sys.exit("mkdocs build failed:\n" + result.stdout + result.stderr)
    return site, time.perf_counter() - start


def cards_build_seconds(folder: str) -> tuple[float, int]:
    from kbgen.project import load_project
    from kbgen.render.pages import topic_path
    from kbgen.study.cards import build_cards, deck_files
    project = load_project(os.path.join(folder, "kbgen.yml"))
    paths = {id(t): topic_path(t) for t in project.topics}
    times = []
    gc.disable()  # as in the build (kbgen.build._no_gc): no collector passes over the project
    try:
        for _ in range(5):
            start = time.perf_counter()
            deck_files(project, build_cards(project, paths))
            times.append(time.perf_counter() - start)
    finally:
        gc.enable()
    return statistics.median(times), len(project.topics)


@contextlib.contextmanager
def serve(site: str):
    """Python's static file server in a process of its own (in this process it would
    share the interpreter with Playwright's driver and slow every response)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
                               "--directory", site], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()


# Requests that would leave localhost fail in chromium's resolver, not in a Playwright
# route: a route sends every request through this Python process and back, which adds
# tens of milliseconds per file to the very figure being measured.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def measure(site: str, loads: int) -> dict:
    from playwright.sync_api import sync_playwright

    from browser import ARGS, CHROMIUM

    cold, drawn, warm, dcl, home, blocked = [], [], [], [], [], []

    def offline(request):
        if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            blocked.append(request.url)

    with serve(site) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*ARGS, OFFLINE])
        for k in range(loads + 1):  # the first load warms the server and the disk: not counted
            context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
            page = context.new_page()
            page.on("request", offline)
            page.goto(url + "deck/")
            page.wait_for_selector("#kb-deck[data-ready='1']")
            if k:
                cold.append(page.evaluate(PAINTED))
                drawn.append(page.evaluate(FIRST_CARD))
                dcl.append(page.evaluate(DCL))
            # Some progress, as a user would have it, then reload.
            for _ in range(20):
                page.keyboard.press(" ")
                page.keyboard.press("3")
            page.reload()
            page.wait_for_selector("#kb-deck[data-ready='1']")
            if k:
                warm.append(page.evaluate(PAINTED))
                page.goto(url)  # the home page, for comparison: the theme's own start-up
                page.wait_for_load_state("load")
                home.append(page.evaluate(DCL))
            context.close()
        browser.close()
    return {"cold": cold, "drawn": drawn, "warm": warm, "dcl": dcl, "home": home, "blocked": sorted(set(blocked))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--topics", type=int, default=3000)
    parser.add_argument("--loads", type=int, default=7)
    parser.add_argument("--keep", metavar="DIR", help="generate and build the project in DIR (an empty or new "
                        "folder) and keep it; a later run with the same DIR reuses the built site")
    args = parser.parse_args()
    with contextlib.ExitStack() as stack:
        if args.keep:
            folder = os.path.abspath(args.keep)
            os.makedirs(folder, exist_ok=True)
        else:
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="kbgen-deck-"))
        if args.keep and os.path.exists(os.path.join(folder, "site", *CARDS_FILE.split("/"))):
            site, build_s = os.path.join(folder, "site"), float("nan")
            log(f"reusing the site built in {folder}")
        else:
            site, build_s = build_site(folder, args.topics)
        cards_s, topics = cards_build_seconds(folder)
        sizes = {}  # name -> (raw bytes, gzip bytes)
        for name in (CARDS_FILE, ANSWERS_FILE):
            with open(os.path.join(site, *name.split("/")), "rb") as fh:
                data = fh.read()
            sizes[name.rsplit("/", 1)[-1]] = (len(data), len(gzip.compress(data, compresslevel=6, mtime=0)))
            if name == CARDS_FILE:
                count = len(read_deck_file(name, data)["c"])
        raw, packed = sum(r for r, _ in sizes.values()), sum(g for _, g in sizes.values())
        log(f"measuring {args.loads} loads in chromium ...")
        figures = measure(site, args.loads)

    def ms(values: list[float]) -> str:
        return f"{statistics.median(values):7.0f} ms  (min {min(values):.0f}, max {max(values):.0f}, n={len(values)})"

    print(f"deck of a {topics}-topic site ({count} cards); site built in {build_s:.1f} s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"  first card painted, cold (fresh context)    {ms(figures['cold'])}")
    print(f"  first card drawn, cold (performance mark)   {ms(figures['drawn'])}")
    print(f"  first card painted, warm (reload, progress) {ms(figures['warm'])}")
    print(f"  deck page DOMContentLoaded (cold)           {ms(figures['dcl'])}")
    print(f"  home page DOMContentLoaded (warm)           {ms(figures['home'])}   (the theme alone, for comparison)")
    for name, (r, g) in sizes.items():
        print(f"  {name:<15} raw {r / 1024:7.0f} KB ({r / count:4.0f} B per card), gzip -6 {g / 1024:5.0f} KB "
              f"({g / count:.0f} B per card)")
    print(f"  both, gzip -6                      {packed / 1024:7.0f} KB  ({packed / count:.0f} B per card, "
          f"ratio {raw / packed:.1f})")
    print(f"  cards + JSON built in Python       {cards_s * 1000:7.0f} ms  (median of 5)")
    if figures["blocked"]:
        print(f"  requests that tried to leave localhost (failed offline): {', '.join(figures['blocked'])}")
    first = statistics.median(figures["cold"])
    print("targets:")
    print(f"  {'PASS' if first < 500 else 'FAIL'}  first card painted < 500 ms: {first:.0f} ms "
          f"({first / 500:.2f} of the budget)")
    print(f"  {'PASS' if packed / count < 2048 else 'FAIL'}  deck JSON < 2 KB per card gzip: "
          f"{packed / count:.0f} B ({packed / count / 2048:.2f} of the budget)")


if __name__ == "__main__":
    main()
