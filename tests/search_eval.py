"""Search quality in the real browser: type each query of tests/search_queries.yml into
Material's search box on a served site, read the result list, score recall@5 and MRR.
Used by tests/test_search.py and benchmarks/search_quality.py."""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import yaml

QUERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "search_queries.yml")
TOP = 5
INPUT = "input.md-search__input"
META = ".md-search-result__meta"
ITEM_LINKS = ("els => els.map(li => li.querySelector('a.md-search-result__link'))"
              ".filter(a => a).map(a => a.href)")  # a page's first link; its sections follow


@dataclass
class Query:
    cls: str
    text: str
    expect: list[str]


def load_queries(path: str = QUERIES) -> list[Query]:
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return [Query(cls, q["q"], list(q["expect"])) for cls, items in data.items() for q in items]


def open_search(page, base_url: str, timeout: float = 30_000) -> None:
    """The home page with the search box focused and the index loaded by the worker
    (`timeout` ms: a large site's index takes long to build in the worker)."""
    page.goto(base_url)
    page.click(INPUT)  # in the header at desktop width
    placeholder = page.evaluate("() => JSON.parse(document.getElementById('__config').textContent)"
                                ".translations['search.result.placeholder']")
    # The meta line leaves the initialising text once the worker answered READY.
    page.wait_for_function(f"p => document.querySelector({META!r}).textContent.trim() === p", arg=placeholder,
                           timeout=timeout)
    page.placeholder = placeholder


def search(page, base_url: str, text: str) -> list[str]:
    """Put `text` into an empty search box and release a key, as a reader's last keystroke
    does (Material searches on keyup; Playwright types Hangul as text input without key
    events); the site paths of the result pages, best first."""
    page.fill(INPUT, "")
    page.press(INPUT, "End")  # the empty query: back to the placeholder
    page.wait_for_function(f"p => document.querySelector({META!r}).textContent.trim() === p",
                           arg=page.placeholder)
    page.fill(INPUT, text)
    page.press(INPUT, "End")  # one query, for the whole text
    page.wait_for_function(f"p => document.querySelector({META!r}).textContent.trim() !== p",
                           arg=page.placeholder)
    hrefs = page.eval_on_selector_all("li.md-search-result__item", ITEM_LINKS)
    root = urlsplit(base_url).path
    out = []
    for href in hrefs:
        path = unquote(urlsplit(href).path)
        out.append(path[len(root):] if path.startswith(root) else path)
    return out


def score(queries: list[Query], results: dict[str, list[str]]) -> dict[str, dict[str, float]]:
    """Per class and overall: recall@5 (share of expected pages in the first 5) and MRR
    (1/rank of the first expected page, 0 when none in the list)."""
    by: dict[str, list[tuple[float, float]]] = {}
    for q in queries:
        got = results[q.text]
        recall = sum(1 for e in q.expect if e in got[:TOP]) / len(q.expect)
        rank = next((i + 1 for i, p in enumerate(got) if p in q.expect), None)
        for key in (q.cls, "all"):
            by.setdefault(key, []).append((recall, 1 / rank if rank else 0.0))
    return {k: {"n": len(v), "recall@5": sum(r for r, _ in v) / len(v), "mrr": sum(m for _, m in v) / len(v)}
            for k, v in by.items()}


def run(page, base_url: str, queries: list[Query]) -> dict[str, list[str]]:
    open_search(page, base_url)
    return {q.text: search(page, base_url, q.text) for q in queries}
