"""The Jekyll (just-the-docs) output, built by a real Jekyll (Debian's package, installed by
.ci/deps) with a minimal layout standing in for the theme: attribute lists became classes,
`markdown="1"` blocks were rendered, tables are tables, every source line is there, and no
kramdown or Markdown syntax leaked into the text."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project, run_kbgen

LAYOUT = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ page.title }}</title></head>
<body><main>
{{ content }}
</main></body></html>
"""


def norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def jekyll_site(tmp_path_factory, bundled):
    assert shutil.which("jekyll"), "Jekyll is missing: run `bash .ci/deps` (the README's test command does)"
    work = tmp_path_factory.mktemp("jekyll")
    copy_project(str(work))
    source = work / "jekyll"
    result = run_kbgen("build", "--format", "jekyll", "--out", str(source), cwd=str(work))
    assert result.returncode == 0, result.stdout + result.stderr
    (source / "_layouts").mkdir()
    (source / "_layouts" / "default.html").write_text(LAYOUT, encoding="utf-8")
    (source / "_config.yml").write_text("title: kbgen test\nmarkdown: kramdown\n", encoding="utf-8")
    built = subprocess.run(["jekyll", "build", "--quiet", "-s", str(source), "-d", str(work / "_site")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    return work


def page(site, topic) -> BeautifulSoup:
    folder = topic.subject if topic.category is None else f"{topic.subject}/{topic.category}"
    with open(os.path.join(site, "_site", folder, f"{topic.slug}.html"), encoding="utf-8") as fh:
        return BeautifulSoup(fh.read(), "html.parser")


def test_front_matter_places_topics_like_the_seed(jekyll_site, bundled):
    lstm = next(t for t in bundled.topics if t.slug == "lstm")
    text = (jekyll_site / "jekyll" / "ai" / "dl" / "lstm.md").read_text(encoding="utf-8")
    head = text.split("---\n")[1]
    assert 'layout: "default"' in head and 'title: "LSTM"' in head
    assert 'parent: "2. 딥러닝"' in head and 'grand_parent: "AI (인공지능)"' in head and "nav_order: " in head
    assert (f"<!-- CSV_APPLIED: 기술사_기본필수노트_AI - AI.csv | NO=15 | 중토픽={lstm.title} -->") in text
    category = (jekyll_site / "jekyll" / "ai" / "dl" / "index.md").read_text(encoding="utf-8")
    assert 'has_children: true' in category and 'parent: "AI (인공지능)"' in category


def test_kramdown_classes_blocks_and_tables(jekyll_site, bundled):
    for topic in bundled.topics:
        soup = page(jekyll_site, topic)
        main = soup.find("main")
        assert "fs-8" in main.find("h1")["class"], topic.slug
        assert main.find("blockquote", class_="highlight"), topic.slug
        concept = main.find("div", class_="exam-concept-block")
        assert concept.find("h2") and "## " not in concept.get_text(), f"{topic.slug}: markdown=1 not rendered"
        if topic.sections:
            tech = main.find("div", class_="exam-tech-block")
            assert tech.find("h2") and len(tech.find_all("table")) >= 1, topic.slug
            for h in tech.find_all("h3"):
                if h.find_next_sibling() and h.find_next_sibling().name == "table":
                    assert "highlight-purple" in h.get("class", []), topic.slug
        if topic.category:
            assert main.find("p", class_="label-purple"), topic.slug
        for code in main.select("pre, code, .language-mermaid"):
            code.decompose()
        text = main.get_text(" ")
        for leftover in ("{:", "**", "{%", "{{", "markdown=", "&#", "&amp;"):
            assert leftover not in text, (topic.slug, leftover)


def test_every_source_line_is_in_the_details_block(jekyll_site, bundled):
    checked = 0
    for topic in bundled.topics:
        if not topic.cells:
            continue
        details = page(jekyll_site, topic).find("details")
        assert details and details.find("summary") and details.find("li"), topic.slug
        text = norm(details.get_text(" "))
        at = 0
        for cell in topic.cells:
            for line, _, piece in cell.pieces():
                piece = norm(piece)
                if piece:
                    found = text.find(piece, at)
                    assert found >= 0, f"{topic.slug} {cell.column} line {line}: {piece!r}"
                    at = found + len(piece)
                    checked += 1
    assert checked > 300


def test_snippet_code_and_math_survive_liquid(jekyll_site, bundled):
    lstm = next(t for t in bundled.topics if t.slug == "lstm")
    soup = page(jekyll_site, lstm)
    code = "\n".join(c.get_text() for c in soup.select("pre code"))
    assert "def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):" in code
    assert "h_{t-1}" in soup.get_text()  # Liquid left `{…}` alone
    figure = soup.find("img")
    assert figure and (jekyll_site / "_site" / "ai" / "dl" / figure["src"]).resolve().exists()
