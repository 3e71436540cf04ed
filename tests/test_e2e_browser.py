"""The built site in a real browser (Debian's chromium), with every request that would
leave localhost aborted: each page type loads with no failed request and no console
error, its diagram is drawn as SVG, its equations are typeset, its blocks are visible,
and nothing is wider than a 390-pixel phone screen. Screenshots go to test-artifacts/.

A new page type is one line in PAGE_TYPES."""
from __future__ import annotations

import os
import pathlib
import re
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass

import pytest

from browser import screenshot

ANATOMY = ("📌 핵심 암기", "🧠 개념 영역", "🏗️ 기술 영역")


@dataclass(frozen=True)
class PageType:
    name: str
    path: str  # below the site root
    headings: tuple[str, ...] = ()  # h1/h2 texts that must be visible, each with visible content after it
    diagram: bool = False  # a Mermaid diagram, drawn as SVG
    math: bool = False  # equations, typeset by MathJax
    files: bool = True  # works from files too (Material's offline plugin, file://)


PAGE_TYPES = [
    PageType("home", "", ("기술사 기본필수노트", "과목", "이렇게 쓰세요")),
    PageType("subject", "ai/", ("AI (인공지능)",)),
    PageType("lstm", "ai/dl/lstm/", (*ANATOMY, "💻 실행 코드", "📖 상세 설명", "🔗 연계 토픽", "📝 기출",
                                     "✅ 학습 체크리스트"), diagram=True, math=True),
    PageType("yaml-topic", "ai/training/transfer-learning/", (*ANATOMY, "🔗 연계 토픽", "📝 기출")),
    PageType("deck", "deck/", ("🃏 오늘의 카드", "사용법")),
    PageType("exam-index", "ai/exams/", ("📝 기출문제",)),
]
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}

# Everything wider than the viewport, and each table that neither fits nor scrolls inside
# itself or inside the scroll wrapper Material puts around tables.
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth, out = [];
  if (document.documentElement.scrollWidth > vw) out.push(`page scrollWidth ${document.documentElement.scrollWidth} > ${vw}`);
  const scrolls = el => el && ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
  document.querySelectorAll("article table").forEach((t, i) => {
    const wrap = t.closest(".md-typeset__scrollwrap");
    const box = scrolls(wrap) ? wrap : t;  // what the reader sees: the table or its scrolling wrapper
    const r = box.getBoundingClientRect();
    if (r.left < -0.5 || r.right > vw + 0.5) out.push(`table ${i}: ${box.className || "table"} spans ${r.left}..${r.right}`);
    if (box === t && !scrolls(t) && t.scrollWidth > t.clientWidth + 1) out.push(`table ${i} is cut off`);
  });
  return out;
}"""

HEADINGS_JS = """(texts) => texts.map(text => {
  const h = [...document.querySelectorAll("article h1, article h2")].find(h => h.textContent.replace("¶", "").trim() === text);
  if (!h) return `${text}: no such heading`;
  const shown = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== "hidden"; };
  if (!shown(h)) return `${text}: heading not visible`;
  if (h.tagName === "H2" && !(h.nextElementSibling && shown(h.nextElementSibling))) return `${text}: nothing visible below it`;
  return null;
}).filter(Boolean)"""


def mermaid_svgs(page) -> list[int]:
    """The node count of each SVG Material drew for a diagram. Material puts them in closed
    shadow roots, which page scripts cannot see; the DevTools protocol can."""
    cdp = page.context.new_cdp_session(page)
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
    cdp.detach()
    found = []

    def walk(node, host_is_mermaid=False):
        attrs = node.get("attributes", [])
        cls = dict(zip(attrs[::2], attrs[1::2])).get("class", "")
        if host_is_mermaid and node.get("nodeName") == "svg":
            found.append(sum(1 for _ in _descendants(node, lambda n: "node" in _cls(n).split())))
        for shadow in node.get("shadowRoots", []):
            walk(shadow, host_is_mermaid or "mermaid" in cls.split())
        for child in node.get("children", []):
            walk(child, host_is_mermaid)

    walk(root)
    return found


def _cls(node) -> str:
    attrs = node.get("attributes", [])
    return dict(zip(attrs[::2], attrs[1::2])).get("class", "")


def _descendants(node, keep):
    for child in node.get("children", []):
        if keep(child):
            yield child
        yield from _descendants(child, keep)


def wait_ready(page, kind: PageType) -> None:
    if kind.diagram:  # Material swaps each <pre class="mermaid"> for a <div> once drawn
        page.wait_for_function("document.querySelector('pre.mermaid') === null && "
                               "document.querySelectorAll('div.mermaid').length > 0", timeout=30_000)
    if kind.math:
        page.wait_for_function("""() => { const m = document.querySelectorAll('.arithmatex');
            return m.length > 0 && [...m].every(e => e.querySelector('mjx-container')); }""", timeout=30_000)
        page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_load_state("networkidle")


def check_page(page, kind: PageType) -> None:
    if kind.diagram:
        nodes = mermaid_svgs(page)
        assert nodes and all(n >= 3 for n in nodes), f"Mermaid SVGs with node counts {nodes}"
    if kind.math:
        text = page.inner_text("article")
        raw = [s for s in ("\\(", "\\[", "$$", "\\begin") if s in text]
        assert not raw, f"untypeset TeX left in the page: {raw}"
        fonts = page.evaluate("[...document.fonts].filter(f => f.family.startsWith('MJX') && f.status === 'loaded').length")
        assert fonts > 0, "no MathJax font was loaded"
    missing = page.evaluate(HEADINGS_JS, list(kind.headings))
    assert not missing, missing
    overflow = page.evaluate(OVERFLOW_JS)
    assert not overflow, overflow


def visit(page, url: str, kind: PageType, shot: str) -> None:
    page.goto(url)
    wait_ready(page, kind)
    check_page(page, kind)
    screenshot(page, shot)
    page.watch.assert_clean()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("kind", PAGE_TYPES, ids=lambda k: k.name)
def test_page_type(page, site_url, kind, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    visit(page, site_url + kind.path, kind, f"{kind.name}-{viewport}")


@pytest.fixture(scope="module")
def file_site(tmp_path_factory) -> str:
    """The bundled site built with Material's offline plugin on (`OFFLINE=true`), to be
    opened from files."""
    from conftest import copy_project, mkdocs_build
    work = tmp_path_factory.mktemp("offline-project")
    copy_project(str(work))
    result = mkdocs_build(str(work), str(work / "site"), OFFLINE="true")
    assert result.returncode == 0, result.stdout + result.stderr
    return str(work / "site")


def file_url(site: str, path: str) -> str:
    """The offline plugin turns off directory URLs: ai/dl/lstm/ is ai/dl/lstm.html."""
    name = path + "index.html" if os.path.isfile(os.path.join(site, path, "index.html")) else path.rstrip("/") + ".html"
    assert os.path.isfile(os.path.join(site, name)), name
    return pathlib.Path(site, name).as_uri()


@pytest.mark.parametrize("kind", [k for k in PAGE_TYPES if k.files], ids=lambda k: k.name)
def test_page_type_from_files(page, file_site, kind):
    visit(page, file_url(file_site, kind.path), kind, f"{kind.name}-files")


def test_deck_from_files(page, file_site):
    """From files the deck reads its cards and answers with script tags (a browser refuses
    fetch() on file://) and links each card to the page's .html file."""
    page.goto(file_url(file_site, "deck/"))
    page.wait_for_selector("#kb-deck[data-ready='1'][data-answered='1']")
    title = page.inner_text(".kb-card-title")
    page.keyboard.press(" ")
    href = page.get_attribute(".kb-card-link", "href")
    assert href.startswith("file://") and href.endswith(".html"), href
    assert os.path.isfile(urllib.request.url2pathname(urllib.parse.urlsplit(href).path)), href
    page.click(".kb-card-link")
    page.wait_for_load_state("load")
    assert title and title in page.inner_text("article h1")
    page.watch.assert_clean()


def search(page, query: str):
    """Type into Material's search box (opening it first on a phone); the result links."""
    box = page.locator("input.md-search__input")
    button = page.locator("label.md-header__button[for='__search']")
    if not button.is_visible():
        box.click()
    else:  # the phone layout: the header's search button opens the search overlay
        button.click()
        page.wait_for_function("document.getElementById('__search').checked")
        box.focus()
    box.press_sequentially(query, delay=30)
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(a => a.href)")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_search_finds_pages(page, site_url, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(site_url)
    links = search(page, "LSTM")
    assert any(href.startswith(site_url + "ai/dl/lstm/") for href in links), links
    screenshot(page, f"search-{viewport}")
    page.watch.assert_clean()


def test_search_from_files(page, file_site):
    """From files the search worker runs in an iframe (the vendored iframe-worker) and
    reads the index from search_index.js."""
    page.goto(file_url(file_site, ""))
    links = search(page, "LSTM")
    assert any(href.startswith(file_url(file_site, "ai/dl/lstm/")) for href in links), links
    screenshot(page, "search-files")
    page.watch.assert_clean()


# Links that name a page rather than load it.
_NOT_LOADED = {"canonical", "alternate", "prev", "next", "author", "license", "me"}
_CSS_URL = re.compile(r"""@import\s+["']((?:https?:)?//[^"']+)|url\(\s*["']?((?:https?:)?//[^"')\s]+)""", re.I)
_REMOTE = re.compile(r"(https?:)?//", re.I)


def external_references(site: str) -> list[str]:
    """Every script, style sheet, font, image or frame a built page or style sheet would
    load from outside the site."""
    from bs4 import BeautifulSoup
    out = []
    for base, _, names in os.walk(site):
        for name in names:
            if not name.endswith((".html", ".css")):
                continue
            path = os.path.join(base, name)
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
            hits = [a or b for a, b in _CSS_URL.findall(text)]  # style sheets and <style> blocks
            if name.endswith(".html"):
                soup = BeautifulSoup(text, "html.parser")
                for el in soup.find_all(["script", "img", "iframe", "source", "audio", "video", "embed"], src=True):
                    hits.append(el["src"])
                for el in soup.find_all("link", href=True):
                    if not _NOT_LOADED & set(el.get("rel") or []):
                        hits.append(el["href"])
            rel = os.path.relpath(path, site)
            out += [f"{rel}: {url}" for url in hits if _REMOTE.match(url)]
    return out


@pytest.mark.parametrize("build", ["served", "files"])
def test_no_page_loads_anything_from_outside_the_site(request, build):
    site = request.getfixturevalue("built_site" if build == "served" else "file_site")
    assert not external_references(site)
    pages = sum(len([n for n in names if n.endswith(".html")]) for _, _, names in os.walk(site))
    assert pages > 30


def test_the_static_check_sees_a_cdn_script(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="preconnect" href="https://fonts.gstatic.com"><script src="https://unpkg.com/x.js"></script>'
        '<link rel="canonical" href="https://example.com/"><a href="https://example.com/">a link is fine</a><svg xmlns="http://www.w3.org/2000/svg"></svg>',
        encoding="utf-8")
    (tmp_path / "a.css").write_text('@import "https://fonts.googleapis.com/css"; b{background:url(//cdn.x/y.png)}',
                                    encoding="utf-8")
    assert sorted(external_references(str(tmp_path))) == sorted([
        "index.html: https://fonts.gstatic.com", "index.html: https://unpkg.com/x.js",
        "a.css: https://fonts.googleapis.com/css", "a.css: //cdn.x/y.png"])


def korean_font_families() -> set[str]:
    out = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True).stdout
    return {name.strip() for line in out.splitlines() for name in line.split(",")}


def test_hangul_is_drawn_with_a_korean_font(page, site_url):
    """The site loads no web font: Hangul falls back to a Korean system font (kbgen.css's
    stack), never to boxes. .ci/deps installs one (fonts-nanum) where there is none."""
    page.goto(site_url)
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    used = {}
    for selector in ("article h2", "article p", "nav.md-tabs"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]:
            used[font["familyName"]] = used.get(font["familyName"], 0) + font["glyphCount"]
    korean = korean_font_families()
    assert korean, "no Korean font installed (run .ci/deps)"
    assert any(name in korean for name in used), f"fonts used: {used}; Korean fonts: {sorted(korean)[:5]}…"
    page.watch.assert_clean()


def test_korean_search_from_files(page, file_site):
    """kbgen's search worker (Korean analysis in front of Material's) also runs inside the
    iframe-worker: a particle and a compound in the query still find the LSTM page."""
    from search_eval import open_search, search as korean_search
    open_search(page, file_url(file_site, ""))
    lstm = file_url(file_site, "ai/dl/lstm/")
    hrefs = korean_search(page, file_url(file_site, ""), "망각게이트를")
    assert any(lstm.endswith(h) for h in hrefs[:5]), hrefs
    page.watch.assert_clean()
