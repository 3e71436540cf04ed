"""The built MkDocs site (real `mkdocs build --strict`), checked page by page against the
topic model: blocks in order, every source line present, children inside their parent's
row, text as typed, no placeholders, navigation in the configured order."""
from __future__ import annotations

import os
import re

import pytest
from bs4 import BeautifulSoup

from kbgen.model import Topic
from kbgen.project import short_title
from kbgen.render.pages import topic_path

BLOCKS = ["core", "concept", "technique", "code", "detail", "related", "exams", "checklist", "notes"]
PLACEHOLDERS = ["핵심 개념/대상", "None", "{{", "{%", "TODO", "N/A"]


def norm(text: str) -> str:
    return " ".join(text.split())


def page_of(site: str, topic: Topic) -> BeautifulSoup:
    path = os.path.join(site, topic_path(topic).removesuffix(".md"), "index.html")
    with open(path, encoding="utf-8") as fh:
        soup = BeautifulSoup(fh.read(), "html.parser")
    for a in soup.select("a.kb-xref"):  # cross-links are inline: read the text around them as one
        a.unwrap()
    soup.smooth()
    return soup


def article(soup: BeautifulSoup):
    return soup.select_one("article.md-content__inner")


def block(soup: BeautifulSoup, block_id: str) -> list:
    """The elements from h2#block_id up to the next h2."""
    h2 = soup.find("h2", id=block_id)
    out = []
    for el in h2.find_next_siblings():
        if el.name == "h2":
            break
        out.append(el)
    return out


@pytest.fixture(scope="module")
def topics(bundled):
    return bundled.topics


def test_every_topic_has_its_blocks_in_order(built_site, topics, bundled):
    from kbgen.render.pages import Planner
    linked_to = {id(p.topic) for p in Planner(bundled).plan().pages if p.topic and p.context()["backlinks"]}
    for topic in topics:
        soup = page_of(built_site, topic)
        ids = [h.get("id") for h in article(soup).find_all("h2")]
        expected = ["core", "concept"]
        expected += ["technique"] if topic.sections or topic.diagram or topic.equations else []
        expected += ["code"] if topic.snippets else []
        expected += ["detail"] if topic.cells else []
        expected += ["related"] if topic.related or id(topic) in linked_to else []
        expected += ["exams"] if topic.exams else []
        expected += ["checklist"] if topic.checklist else []
        expected += ["notes"] if topic.notes else []
        assert ids == expected, topic.slug
        assert norm(article(soup).find("h1").get_text()).removesuffix("¶") == topic.title


def test_every_source_line_is_in_the_detail_block_in_order(built_site, topics):
    checked = 0
    for topic in topics:
        if not topic.cells:
            continue
        soup = page_of(built_site, topic)
        details = [el for el in block(soup, "detail") if el.name == "details"]
        assert len(details) == 1 and "open" not in details[0].attrs, f"{topic.slug}: 상세 설명 is collapsed"
        panels = details[0].select(".tabbed-block") or [details[0]]
        assert len(panels) == len(topic.cells)
        for cell, panel in zip(topic.cells, panels):
            text = norm(panel.get_text(" "))
            at = 0
            for line, _, piece in cell.pieces():
                piece = norm(piece)
                if not piece:
                    continue
                found = text.find(piece, at)
                assert found >= 0, f"{topic.slug} {cell.column} line {line}: {piece!r} missing or out of order"
                at = found + len(piece)
                checked += 1
            # The sheet's non-blank lines, as typed, are all there (markers aside).
            assert sum(1 for ln in cell.lines if ln.strip()) <= len(panel.find_all("li"))
    assert checked > 300  # the bundled cells hold about 400 pieces


def test_detail_block_is_not_indexed_and_its_words_are_found_elsewhere_on_the_page(built_site, topics):
    """📖 상세 설명 repeats the sheet's lines the other blocks already show, so it is left
    out of the search index (a fifth of the bundled index, two fifths at 3,000 topics).
    Nothing becomes unfindable: every word of it is in the page's indexed text."""
    import json
    with open(os.path.join(built_site, "search", "search_index.json"), encoding="utf-8") as fh:
        index = json.load(fh)
    split = re.compile(index["config"]["separator"])
    assert not [d["location"] for d in index["docs"] if d["location"].endswith("#detail")]
    indexed = "".join(d["text"] for d in index["docs"])
    checked = 0
    for topic in topics:
        if not topic.cells:
            continue
        soup = page_of(built_site, topic)
        h2 = soup.find("h2", id="detail")
        assert "data-search-exclude" in h2.attrs, topic.slug
        details = block(soup, "detail")
        words = {w for el in details for li in el.find_all("li")
                 for w in split.split(li.get_text(" ").lower()) if w}
        assert any(w in indexed for w in words), topic.slug  # the data reached the index
        for el in details:
            el.decompose()
        h2.decompose()
        rest = {w for w in split.split(article(soup).get_text(" ").lower()) if w}
        assert not words - rest, f"{topic.slug}: only in 📖 상세 설명: {sorted(words - rest)}"
        checked += len(words)
    assert checked > 1000


def test_technique_tables_nest_children_in_their_parent_row(built_site, topics):
    nested = 0
    for topic in topics:
        soup = page_of(built_site, topic)
        for section in topic.sections:
            if not any(it.term or it.children for it in section.items):
                continue
            heading = next(h for h in soup.find_all("h3") if (h.get("id") or "").startswith("sec-")
                           and norm(h.get_text()).removesuffix("¶") == section.name)
            table = heading.find_next("table")
            rows = table.find("tbody").find_all("tr", recursive=False)
            assert len(rows) == len(section.items), f"{topic.slug} [{section.name}]: one row per top-level item"
            for item, row in zip(section.items, rows):
                cells = row.find_all("td", recursive=False)
                label_cell, desc_cell = cells[-2], cells[-1]
                assert norm(item.label) in norm(label_cell.get_text(" ")), (topic.slug, item.label)
                for child in item.children:
                    lis = desc_cell.select("ul.kb-children > li")
                    assert any(norm(child.label) in norm(li.get_text(" ")) for li in lis), (topic.slug, child.label)
                    nested += 1
    assert nested > 20


def test_bullets_go_and_their_nesting_stays(built_site, topics):
    """The autoencoder's 활용 is written with an exam answer's bullets (□ ○ -): the rows are
    the □ items, the ○ items their children, the - item a grandchild; no bullet is shown."""
    topic = next(t for t in topics if t.title.startswith("오토인코더"))
    soup = page_of(built_site, topic)
    heading = soup.find("h3", id="sec-활용")
    rows = heading.find_next("table").find("tbody").find_all("tr", recursive=False)
    assert [norm(r.find_all("td")[0].get_text(" ")) for r in rows] == ["표현 학습", "이상 탐지", "생성"]
    nested = rows[1].select("ul.kb-children > li > ul.kb-children > li")
    assert [norm(li.get_text(" ")) for li in nested] == ["재구성 오차가 큰 데이터를 이상으로 판정"]
    text = article(soup).get_text("\n")
    assert not re.search(r"^\s*[□○ㆍ>-]\s", text, re.M), "a bullet or hierarchy mark printed as text"


def test_no_placeholders_or_escaping_leftovers(built_site, topics):
    for topic in topics:
        art = article(page_of(built_site, topic))
        for code in art.select(".arithmatex, pre, .highlight"):  # LaTeX, Mermaid and code, raw on purpose
            code.decompose()
        text = art.get_text(" ")
        for bad in PLACEHOLDERS:
            assert bad not in text, (topic.slug, bad)
        for td in art.find_all("td"):
            assert norm(td.get_text()) not in ("-", "—", "–"), topic.slug
        for li in art.find_all("li"):
            assert norm(li.get_text()), f"{topic.slug}: an empty list item"
        # Escapes must never show: a backslash, an entity, a literal Markdown mark.
        source = "\n".join(ln for c in topic.cells for ln in c.lines)
        for leftover in ("\\", "&#", "&amp;", "&lt;", "**", "{:"):
            if leftover not in source:
                assert leftover not in text, (topic.slug, leftover)
        assert not art.find("em"), f"{topic.slug}: a `*` or `_` from the data turned into emphasis"


def test_data_characters_reach_the_page_as_typed(built_site, topics):
    """Every line of the sheet holding Markdown/HTML-significant characters shows up verbatim."""
    special = re.compile(r"[<>*_|{`$\\]")
    seen = 0
    for topic in topics:
        text = norm(article(page_of(built_site, topic)).get_text(" "))
        for cell in topic.cells:
            for _, _, piece in cell.pieces():
                if special.search(piece):
                    assert norm(piece) in text, (topic.slug, piece)
                    seen += 1
    assert seen > 30


def test_mnemonic_column_marks_each_item(built_site, topics):
    lstm = next(t for t in topics if t.slug == "lstm")
    soup = page_of(built_site, lstm)
    table = soup.find("h3", id="sec-특징").find_next("table")
    assert [norm(th.get_text()) for th in table.find_all("th")] == ["암기", "항목", "설명"]
    syllables = [norm(tr.find("td").get_text()) for tr in table.find("tbody").find_all("tr")]
    assert "".join(syllables) == "게셀피모"


def test_snippet_pages_show_code_output_and_figure(built_site, topics):
    for slug in ("lstm", "gru", "rnn", "기울기-소실"):
        topic = next(t for t in topics if t.slug == slug)
        soup = page_of(built_site, topic)
        code = block(soup, "code")
        assert any(el.select("pre code") for el in code), slug
        if slug in ("lstm", "기울기-소실"):
            imgs = [img for el in code for img in el.find_all("img")]
            assert imgs, f"{slug}: the gradient figure"
            src = imgs[0]["src"]
            target = os.path.normpath(os.path.join(built_site, topic_path(topic).removesuffix(".md"), src))
            with open(target, encoding="utf-8") as fh:
                assert fh.read().lstrip().startswith(("<?xml", "<svg"))


def test_lstm_page_draws_the_cell_and_its_equations(built_site, topics):
    lstm = next(t for t in topics if t.slug == "lstm")
    soup = page_of(built_site, lstm)
    mermaid = soup.select_one("pre.mermaid")
    assert mermaid and "Forget Gate" in mermaid.get_text() and "c_t" in mermaid.get_text()
    maths = [norm(d.get_text()) for d in soup.select("div.arithmatex")]
    assert any("c_t = f_t \\odot c_{t-1} + i_t \\odot g_t" in m for m in maths)
    assert len(maths) == len(lstm.equations)
    assert not soup.find("img", src=re.compile("amazonaws|X-Amz"))


def test_navigation_is_subject_category_topic_in_configured_order(built_site, bundled, topics):
    lstm = next(t for t in topics if t.slug == "lstm")
    soup = page_of(built_site, lstm)
    tabs = [norm(a.get_text()) for a in soup.select(".md-tabs__link")]
    assert tabs[:3] == ["홈", "🃏 오늘의 카드", "AI (인공지능)"]
    sidebar = soup.select_one(".md-nav--primary")
    text = norm(sidebar.get_text(" "))
    subject = bundled.config.subjects[0]
    positions = [text.find(c.title) for c in subject.categories]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    # The open category lists its topics in sheet order; the others are pruned to a link.
    dl = [short_title(t.title) for t in topics if t.category == "dl"]
    found = [text.find(name) for name in dl]
    assert all(f >= 0 for f in found) and found == sorted(found)
    others = [short_title(t.title) for t in topics if t.category == "ml"]
    assert not any(name in text for name in others if name not in dl)


def test_overview_home_and_tags(built_site, bundled, topics):
    with open(os.path.join(built_site, "ai", "index.html"), encoding="utf-8") as fh:
        overview = BeautifulSoup(fh.read(), "html.parser")
    rows = article(overview).find("table").find("tbody").find_all("tr")
    assert [norm(r.find("a").get_text()) for r in rows] == [t.title for t in topics]
    lstm_row = next(r for r in rows if "LSTM" in r.get_text())
    assert [c.get_text() for c in lstm_row.find_all("code")] == ["정연", "게셀피모"]
    with open(os.path.join(built_site, "index.html"), encoding="utf-8") as fh:
        home = BeautifulSoup(fh.read(), "html.parser")
    assert 'lang="ko"' in str(home.html)[:200] or home.html.get("lang") == "ko"
    assert "AI (인공지능)" in home.get_text() and str(len(topics)) in home.find("table").get_text()
    with open(os.path.join(built_site, "tags", "index.html"), encoding="utf-8") as fh:
        tags = fh.read()
    assert "셀 상태 (Cell State)" in tags and "lstm/" in tags


def test_steps_and_examples_keep_their_marker_and_hierarchy_marks_go():
    from kbgen.notation import parse_cell
    from kbgen.render.pages import _shown_marker
    cell = parse_cell("정의\n[절차]\n수집\n> ① 로그 적재\n- ex) 주가\n○ 2) 분석\n• 정리")
    items = cell.sections[0].items  # with ○ in the cell, -, ○ and • are three levels
    step = items[1].children[0]
    shown = [_shown_marker(it) for it in (items[0], items[0].children[0], items[1], step, step.children[0])]
    assert shown == ["", "①", "ex)", "2)", ""]


def test_no_stand_in_of_the_plugin_is_left_in_the_site(built_site):
    """The plugin sets kbgen's raw blocks aside from Markdown, and the 📖 block aside from
    Material's search, behind a per-build token; every one is back in place."""
    seen = 0
    for base, _, names in os.walk(built_site):
        for name in names:
            if name.endswith((".html", ".json")):
                with open(os.path.join(base, name), encoding="utf-8") as fh:
                    assert "kbgenraw" not in fh.read(), os.path.join(base, name)
                seen += 1
    assert seen > 30
