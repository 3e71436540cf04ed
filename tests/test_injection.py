"""No script from the data runs in the site. Every payload of tests/fixtures/payloads.py goes
into every field of a topic that reaches a page (title, aliases, label, definition,
mnemonics, keywords, background, differentiator, sections and items, related, exam
questions, diagram, equations, checklist, notes, and the sheet's cells); the site is built
with `mkdocs build --strict` and every page is loaded in chromium with a hook that records
any call; the Jekyll output goes through a real Jekyll and its HTML is searched for
scripts, handlers and script URLs. Escaped fields show the payload as the text typed;
notes keep only the allow-listed HTML (kbgen.render.safe)."""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, mkdocs_build, run_kbgen

sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))
from payloads import BAD_SLUGS, DIAGRAM_CLICKS, PAYLOADS  # noqa: E402

SHEET = os.path.join("data", "ai", "기술사_기본필수노트_AI - AI.csv")
HOOK = """
window.__pwnedCalls = [];
window.__pwned = (n) => window.__pwnedCalls.push(String(n));
for (const name of ["alert", "confirm", "prompt", "print"]) {
  const original = window[name];
  window[name] = function (...args) { window.__pwnedCalls.push(name + ":" + args.join(",")); };
}
"""
# Elements and attributes no page may carry in its content.
DANGEROUS_TAGS = {"script", "iframe", "object", "embed", "base", "meta", "form", "style", "link", "svg", "math",
                  "input", "textarea", "noscript", "body"}
SCRIPT_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.I)


def topic_file(i: int, payload: str) -> dict:
    return {
        "title": f"페이로드 {i} {payload}",
        "slug": f"payload-{i}",
        "category": "dl",
        "aliases": [payload],
        "label": payload,
        "definition": payload,
        "mnemonics": [{"token": payload, "expansion": [payload, payload]}],
        "keywords": [{"term": payload, "description": payload, "example": payload}],
        "background": {"problem": payload, "uses": [payload]},
        "differentiator": payload,
        "sections": [{"name": f"섹션 {payload}", "items": [
            {"term": payload, "description": payload, "children": [{"description": payload}]},
            {"description": payload}]}],
        "related": [payload, "LSTM"],
        "exams": [{"round": 130, "session": 1, "number": i % 13 + 1, "question": payload}],
        "diagram": f"flowchart LR\n  A[\"{payload}\"] --> B\n  %% {payload}",
        "equations": [payload, f"x = {payload}"],
        "checklist": [payload],
        "notes": f"메모 {i}\n\n{payload}\n\n- 목록 {payload}\n",
    }


def payload_project(dest) -> None:
    copy_project(str(dest))
    topics = dest / "data" / "ai" / "topics"
    for i, payload in enumerate(PAYLOADS, 1):
        with open(topics / f"payload-{i}.yml", "w", encoding="utf-8") as fh:
            yaml.safe_dump(topic_file(i, payload), fh, allow_unicode=True, sort_keys=False)
    # The sheet: payloads in the title, the mnemonic cell and both text cells.
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    for i, payload in enumerate(PAYLOADS, 1):
        writer.writerow([900 + i, "딥러닝", f"시트 페이로드 {i} {payload}", payload,
                         f"{payload}\n[구성요소] {payload}\n> {payload}\n항목: {payload}", payload])
    with open(dest / SHEET, "a", encoding="utf-8", newline="") as fh:
        fh.write("\n" + rows.getvalue())
    rows = io.StringIO()
    writer = csv.writer(rows, lineterminator="\n")
    for i, payload in enumerate(PAYLOADS, 1):
        writer.writerow([131, 2, i, payload, "LSTM"])
    with open(dest / "data" / "exams.csv", "a", encoding="utf-8", newline="") as fh:
        fh.write(rows.getvalue())


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    work = tmp_path_factory.mktemp("payloads")
    payload_project(work)
    lint = run_kbgen("lint", cwd=str(work))
    assert lint.returncode in (0, 1), lint.stdout + lint.stderr  # warnings (unknown related topics) are fine
    return work


@pytest.fixture(scope="module")
def payload_site(project):
    result = mkdocs_build(str(project), str(project / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_payload_corpus_is_large_enough():
    assert len(PAYLOADS) >= 30 and len(set(PAYLOADS)) == len(PAYLOADS)


def test_no_payload_runs_in_the_browser(payload_site, browser):
    from browser import serve, watch
    pages = sorted(os.path.relpath(os.path.join(b, n), payload_site) for b, _, names in os.walk(payload_site)
                   for n in names if n == "index.html" and "assets" not in b)
    assert len(pages) > len(PAYLOADS) * 2
    context = browser.new_context(service_workers="block")
    context.add_init_script(HOOK)
    page = context.new_page()
    w = watch(page)
    ran, tried, typeset = [], 0, 0
    with serve(str(payload_site)) as url:
        for rel in pages:
            page.goto(url + rel.replace(os.sep, "/").removesuffix("index.html"), wait_until="load")
            # Let the vendored MathJax typeset the equations (`\\href{javascript:…}` payloads).
            page.evaluate("""async () => {
              if (!document.querySelector(".arithmatex")) return;
              for (let i = 0; i < 200 && !(window.MathJax && MathJax.startup && MathJax.startup.promise); i++)
                await new Promise(r => setTimeout(r, 25));
              if (window.MathJax && MathJax.startup) await MathJax.startup.promise;
            }""")
            page.wait_for_timeout(30)
            found = page.evaluate("""() => {
              const bad = [];
              const root = document.querySelector("article") || document.body;
              for (const el of root.querySelectorAll("*")) {
                for (const a of el.attributes) {
                  if (a.name.startsWith("on")) bad.push(el.tagName + " " + a.name);
                  if (["href", "src", "action", "data", "formaction"].includes(a.name)
                      && /^\\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(el.tagName + " " + a.name + "=" + a.value);
                }
                // The scripts kbgen puts in the content, from this site: the vendored Mermaid,
                // and on the deck page the deck's script and its cards.
                const script = el.tagName.toLowerCase() === "script";
                const ours = script && (el.src.startsWith(location.origin + "/assets/kbgen/vendor/mermaid/")
                  || el.src === location.origin + "/assets/kbgen/deck.js" || el.src === location.origin + "/deck/cards.js");
                if (script && !(ours && !el.textContent))
                  bad.push("script in the content: " + (el.src || el.textContent.slice(0, 80)));
              }
              return {calls: window.__pwnedCalls, bad, math: document.querySelectorAll("mjx-container").length};
            }""")
            ran += [f"{rel}: ran {c}" for c in found["calls"]] + [f"{rel}: {b}" for b in found["bad"]]
            if "/payload-" in "/" + rel.replace(os.sep, "/"):
                tried += 1
                typeset += found["math"] > 0
    context.close()
    assert not w.dialogs, w.dialogs
    assert not ran, "\n".join(ran)
    # A payload inside a diagram's node label is often not valid Mermaid: Mermaid reports
    # it (a page error) and draws nothing. Any other error fails.
    errors = [e for e in w.page_errors if not re.match(r"(Parse|Lexical) error on line \d+", e)]
    assert not errors, errors
    assert not w.blocked, w.blocked  # MathJax and Mermaid are vendored: anything outside was injected
    assert typeset == tried, f"MathJax typeset {typeset} of {tried} payload pages: the equations were not tested"
    print(f"{len(PAYLOADS)} payloads in {tried} topic pages ({len(pages)} pages loaded): 0 ran")


def visible(soup: BeautifulSoup, selector: str) -> str:
    return squash(" ".join(el.get_text() for el in soup.select(selector)))


@pytest.mark.parametrize("i", range(1, len(PAYLOADS) + 1))
def test_escaped_fields_show_the_payload_as_typed(payload_site, i):
    payload = PAYLOADS[i - 1]
    with open(payload_site / "ai" / "dl" / f"payload-{i}" / "index.html", encoding="utf-8") as fh:
        soup = BeautifulSoup(fh.read(), "html.parser")
    want = squash(payload)
    article = soup.select_one("article")
    assert want in visible(article, "h1"), "title"
    core = visible(article, ".admonition")
    assert core.count(want) >= 4, "definition, mnemonic, keyword, differentiator"
    for anchor in ("#keywords", "#background", "#related", "#exams", "#checklist"):
        heading = article.select_one(anchor)
        assert heading is not None, anchor
        block = []
        level = int(heading.name[1])  # the block runs to the next heading of its level or above
        for sib in heading.find_next_siblings():
            if sib.name in {f"h{n}" for n in range(1, level + 1)}:
                break
            block.append(squash(sib.get_text()))
        assert want in "".join(block), f"{anchor} does not show the payload as typed"
    tables = squash(" ".join(t.get_text() for t in article.select("table")))
    assert tables.count(want) >= 3, "keyword table and section table"
    # Notes: cleaned HTML, so at most the text of the allowed tags shows; never a script.
    notes = article.select_one("div.kb-notes")
    assert notes is not None and f"메모{i}" in squash(notes.get_text())
    assert not notes.select(",".join(DANGEROUS_TAGS))
    for el in notes.find_all(True):
        assert not [a for a in el.attrs if a.startswith("on") or a in ("style", "class")], el
        for a in ("href", "src"):
            assert not SCRIPT_URL.match(el.get(a, "")), el


def build_with_topic(tmp_path, name: str, data: dict):
    """`kbgen build` of the bundled project plus one topic file `name`."""
    copy_project(str(tmp_path))
    with open(tmp_path / "data" / "ai" / "topics" / name, "w", encoding="utf-8") as fh:
        yaml.safe_dump(data, fh, allow_unicode=True)
    return run_kbgen("build", "--out", "docs", cwd=str(tmp_path))


@pytest.mark.parametrize("diagram", DIAGRAM_CLICKS)
def test_diagram_click_lines_are_refused(tmp_path, diagram):
    result = build_with_topic(tmp_path, "clicky.yml", {"title": "클릭 도표", "category": "dl", "diagram": diagram})
    assert result.returncode == 2
    line = diagram.split("\n").index(next(ln for ln in diagram.split("\n") if ln.strip().lower().startswith(("click", "callback"))))
    assert re.search(rf"^data/ai/topics/clicky.yml, line \d+, column \d+, field 'diagram', text line {line + 1}: "
                     r"error: the diagram's '\w+' line binds a click", result.stdout, re.M), result.stdout
    assert not (tmp_path / "docs" / "ai").exists()


@pytest.mark.parametrize("slug", BAD_SLUGS)
def test_payload_slugs_are_refused(tmp_path, slug):
    result = build_with_topic(tmp_path, "bad.yml", {"title": "나쁜 주소", "category": "dl", "slug": slug})
    assert result.returncode == 2 and "data/ai/topics/bad.yml" in result.stdout and "'slug'" in result.stdout, \
        result.stdout
    assert not (tmp_path / "docs" / "ai").exists()


def test_titles_made_of_payloads_give_plain_slugs(project):
    for i in range(1, len(PAYLOADS) + 1):
        assert (project / "data" / "ai" / "topics" / f"payload-{i}.yml").exists()
    docs = project / "written"
    assert run_kbgen("build", "--out", str(docs), cwd=str(project)).returncode == 0
    for base, _, names in os.walk(docs):
        for name in names:
            rel = os.path.relpath(os.path.join(base, name), docs)
            assert re.fullmatch(r"[0-9a-z\uac00-\ud7a3._/-]+", rel.replace(os.sep, "/")), rel


LAYOUT = """<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head>
<body><main>
{{ content }}
</main></body></html>
"""


def test_jekyll_output_carries_no_script(project):
    assert shutil.which("jekyll"), "Jekyll is missing: run `bash .ci/deps`"
    source = project / "jekyll"
    result = run_kbgen("build", "--format", "jekyll", "--out", str(source), cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    (source / "_layouts").mkdir(exist_ok=True)
    (source / "_layouts" / "default.html").write_text(LAYOUT, encoding="utf-8")
    (source / "_config.yml").write_text("title: 사이트제목\nmarkdown: kramdown\n", encoding="utf-8")
    built = subprocess.run(["jekyll", "build", "--quiet", "-s", str(source), "-d", str(project / "_site")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stdout + built.stderr
    checked = 0
    for i, payload in enumerate(PAYLOADS, 1):
        with open(project / "_site" / "ai" / "dl" / f"payload-{i}.html", encoding="utf-8") as fh:
            html = fh.read()
        main = BeautifulSoup(html, "html.parser").find("main")
        # kramdown makes the checklist's task boxes: disabled checkboxes, nothing else.
        bad = [el.name for el in main.find_all(DANGEROUS_TAGS - {"math"})
               if not (el.name == "input" and el.get("type") == "checkbox" and el.has_attr("disabled"))]
        bad += [f"{el.name} {a}" for el in main.find_all(True) for a in el.attrs if a.startswith("on")]
        bad += [f"{el.name} {a}={el[a]}" for el in main.find_all(True) for a in ("href", "src", "action", "data")
                if el.get(a) and SCRIPT_URL.match(el[a])]
        assert not bad, f"payload {i}: {bad}"
        text = squash(main.get_text())
        assert "사이트제목" not in text and "49과" not in text, f"payload {i}: Liquid ran on the data"
        # kramdown's typographic conversions (quotes, `--`, `...`) are a fidelity issue, not
        # a safety one, left for the Jekyll output's own work: compared without them.
        title = squash(main.find("h1").get_text()).translate(str.maketrans("“”‘’", "\"\"''"))
        title = title.replace("—", "---").replace("–", "--").replace("…", "...").replace("«", "<<").replace("»", ">>")
        assert squash(payload) in title, f"payload {i}: title not as typed"
        checked += 1
    assert checked == len(PAYLOADS)
