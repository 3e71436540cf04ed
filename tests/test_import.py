"""`kbgen import`: existing pages -> topic files, through the real command line; the
imported topics are rendered by kbgen's real pipeline (`kbgen build`, MkDocs and Jekyll
formats) and must show every sentence of the page they came from."""
from __future__ import annotations

import html
import os
import re
import shutil

import pytest
import yaml

from conftest import ROOT, copy_project, run_kbgen, snapshot

SEEDS = os.path.join(ROOT, "tests", "fixtures", "seeds")
CSV_SEED = os.path.join(SEEDS, "lstm_csv_page_just_the_docs.md")
BLOG_SEED = os.path.join(SEEDS, "lstm_blog_post_chirpy.md")

CONFIG = """\
subjects:
  - id: ai
    title: AI (인공지능)
    topics: topics
    categories:
      - id: dl
        title: 2. 딥러닝
        match: [딥러닝]
"""

# The seed template's own labels: headings and column names the importer reads as
# structure (they name fields), not sentences of the topic.
CHROME = {
    "🎯 기술사 수준 설명", "📌 핵심 암기 (Quick Reference)", "암기", "키워드", "🧠 개념 영역",
    "🔑 핵심 키워드 3개", "설명", "예시", "📖 등장배경", "구분", "내용", "문제/필요성", "활용/사례",
    "📝 개념 정의", "정의", "🏗️ 기술 영역", "그룹 1", "항목", "📖 상세 설명 (클릭해서 펼치기)",
    "🗂️ 기존 내용 (백업)", "핵심 키워드", "정의/개념", "학습 체크리스트",
}


def visible(markdown: str) -> str:
    """The text a reader sees: front matter, comments, Liquid, attribute lists, tags,
    escapes, emphasis and block markers removed; one line per line of text."""
    text = re.sub(r"\A---\n.*?\n---\n", "", markdown, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"\{%.*?%\}", "", text)
    text = re.sub(r"\{:[^}]*\}|\{ *[#.][^}]*\}", "", text)
    text = re.sub(r"<br\s*/?>|</(li|p|tr|td|th|summary|h\d)>|<(ul|li|tr)>", "\n", text)
    text = re.sub(r"</?[A-Za-z][^<>]*>", "", text)
    text = re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)
    text = re.sub(r"`[ \t]+`", "`\n`", text)  # `정연` `게셀피모`: separate tokens
    text = html.unescape(text).replace("**", "").replace("`", "")
    text = re.sub(r"(?<![\w*])\*(\S[^*\n]*?\S|\S)\*(?![\w*])", r"\1", text)
    lines = []
    for line in text.replace("|", "\n").split("\n"):
        line = re.sub(r"^\s*(?:(?:[#>]+|[-*+]|\d+[.)]|\[[ x]\]|!!! \w+)\s*)+", "", line)
        lines.append(" ".join(line.split()))
    return "\n".join(line for line in lines if line)


def sentences(markdown: str) -> list[str]:
    """The page's visible text cut into sentences and `용어: 설명` halves."""
    out = []
    for line in visible(markdown).split("\n"):
        for part in re.split(r"(?<=[.다])\s+|:\s+", line):
            part = part.strip().lstrip("> ").strip()
            if re.search(r"[0-9A-Za-z\uac00-\ud7a3]", part) and part not in CHROME:
                out.append(part)
    return out


@pytest.fixture
def project(tmp_path):
    (tmp_path / "kbgen.yml").write_text(CONFIG, encoding="utf-8")
    (tmp_path / "topics").mkdir()
    return tmp_path


def build(project, fmt: str) -> str:
    out = project / f"out-{fmt}"
    result = run_kbgen("build", "--out", str(out), "--format", fmt, cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    return str(out)


def rendered(out: str, slug: str) -> str:
    for base, _, names in os.walk(out):
        if f"{slug}.md" in names:
            with open(os.path.join(base, f"{slug}.md"), encoding="utf-8") as fh:
                return fh.read()
    raise AssertionError(f"no page {slug}.md in {out}")


def import_ok(project, *args: str):
    result = run_kbgen("import", *args, cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result


def load(path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh.read().replace("\nno:", "\n'no':"))


@pytest.mark.parametrize("seed", [CSV_SEED, BLOG_SEED], ids=["csv-page", "blog-post"])
def test_seed_imports_and_renders_without_losing_a_sentence(project, seed):
    import_ok(project, seed, "--subject", "ai")
    (written,) = os.listdir(project / "topics")
    lint = run_kbgen("lint", cwd=str(project))
    assert lint.returncode in (0, 1), lint.stdout + lint.stderr  # warnings (images, mnemonics) only
    assert ": error:" not in lint.stdout
    with open(seed, encoding="utf-8") as fh:
        wanted = sentences(fh.read())
    assert len(wanted) > 25
    slug = written.removesuffix(".yml")
    for fmt in ("mkdocs", "jekyll"):
        page = " ".join(visible(rendered(build(project, fmt), slug)).split("\n"))
        missing = [s for s in wanted if s not in page]
        assert not missing, f"{fmt} page of {written} lacks: {missing}"


def test_csv_page_fields(project):
    import_ok(project, CSV_SEED, "--subject", "ai")
    data = load(project / "topics" / "lstm.yml")
    assert data["no"] == 15  # from the CSV_APPLIED marker
    assert data["title"] == "LSTM (Long Shor Term Memory)"
    assert data["category"] == "dl" and data["label"] == "2.1 모델 구조"
    assert "LSTM (Long Short-Term Memory)" in data["aliases"]  # the backup's old title
    assert [m["token"] for m in data["mnemonics"]] == ["정연", "게셀피모"]
    assert {"term": "LSTM", "description": "핵심 개념/대상"} in data["keywords"]
    assert [s["name"] for s in data["sections"]] == ["특징", "구성요소", "GRU"]  # 상세 설명, sheet order
    parts = {s["name"]: s for s in data["sections"]}["구성요소"]["items"]
    assert [p["term"] for p in parts] == ["정보저장삭제", "연산처리"]
    assert {"term": "Forget Gate", "description": "Cell State에서 어떤 정보를 제거할지 결정, 시그모이드 함수로 구성"} \
        in parts[1]["children"]
    assert data["checklist"] == ["개념 이해", "핵심 키워드 암기", "실무 적용 사례 파악"]  # from the backup
    assert "*(이미지 내용 추출 후 작성)*" in data["notes"]


def test_blog_post_sections_nesting_and_images(project):
    result = import_ok(project, BLOG_SEED, "--out", "topics")
    data = load(project / "topics" / "lstm.yml")
    assert data["definition"] == "RNN의 그레디언트 소실 문제를 해결하기 위해 고안된 모델"
    assert [k["term"] for k in data["keywords"]] == ["모델", "공부", "코인", "ai"]
    sections = {s["name"]: s["items"] for s in data["sections"]}
    assert list(sections) == ["LSTM 이란", "LSTM의 구조", "LSTM의 동작 원리", "추가 사항"]
    assert {"term": "차이점", "description": "셀의 값을 얼마나 기억할지 결정하는 것이 가능한 게이트를 가지고 있어서 "
            "필요한 정보만 기억하도록 제어 가능"} in sections["LSTM의 구조"]
    gate = sections["LSTM의 동작 원리"][1]  # an h3 under the h2: an item with its paragraphs as children
    assert gate["term"] == "Forget Gate (망각 게이트)" and len(gate["children"]) == 3
    assert data["notes"].count("![image.png](https://prod-files-secure.s3") == 3
    out = result.stdout
    for line in (25, 70, 82):
        assert f"lstm_blog_post_chirpy.md, line {line}, column 1: warning: image link is a signed URL that expires" in out
    assert "front matter not imported: date, lastmod" in out


def test_nested_lists_html_and_code_are_kept(project):
    page = project / "post.md"
    page.write_text(
        "---\ntitle: 트랜스포머\ntags: [attention]\n---\n\n"
        "## 구성요소\n\n"
        "- **인코더**: 입력을 표현으로 바꿈\n"
        "  - Self-Attention: 모든 위치를 한 번에 봄\n"
        "    - Multi-Head\n"
        "- 디코더\n\n"
        "```python\n# not a heading\nprint('x')\n```\n\n"
        "<div class=\"note\">HTML 블록 문장</div>\n\n"
        "| a | b | c |\n|---|---|---|\n| 1 | 2 | 3 |\n\n"
        "{% raw %}\n{{ liquid }}\n{% endraw %}\n\n"
        "![로컬](assets/x.png) ![원격](http://example.com/y.png)\n",
        encoding="utf-8")
    result = import_ok(project, str(page), "--out", "topics")
    data = load(project / "topics" / "트랜스포머.yml")
    (section,) = data["sections"]
    first = section["items"][0]
    assert first == {"term": "인코더", "description": "입력을 표현으로 바꿈", "children": [
        {"term": "Self-Attention", "description": "모든 위치를 한 번에 봄", "children": [{"term": "Multi-Head"}]}]}
    assert section["items"][1] == {"term": "디코더"}
    for kept in ("# not a heading", '<div class="note">HTML 블록 문장</div>', "| 1 | 2 | 3 |", "{{ liquid }}",
                 "![로컬](assets/x.png)"):
        assert kept in data["notes"]
    assert "post.md, line 28, column 21: warning: image is hot-linked" in result.stdout
    assert "post.md, line 28, column 1: warning" not in result.stdout  # a local image is fine


def test_no_overwrite_without_force(project):
    import_ok(project, BLOG_SEED, "--out", "topics")
    target = project / "topics" / "lstm.yml"
    target.write_text("title: 손으로 고친 파일\n", encoding="utf-8")
    before = snapshot(project / "topics")
    result = run_kbgen("import", BLOG_SEED, CSV_SEED, "--out", "topics", cwd=str(project))
    assert result.returncode == 2
    assert "lstm.yml: error: the file already exists (pass --force" in result.stdout
    assert snapshot(project / "topics") == before  # the other page was not written either
    import_ok(project, BLOG_SEED, "--out", "topics", "--force")
    assert load(target)["title"] == "LSTM"


@pytest.mark.parametrize("content, where, what", [
    ("---\ntitle: [broken\n---\n본문\n", "bad.md, line 2", "front matter is not valid YAML"),
    ("---\ntitle: x\n본문\n", "bad.md, line 1", "never closed"),
    ("---\n- a\n- b\n---\n본문\n", "bad.md, line 2", "not a list of `key: value` lines"),
    (b"# ok\n\xff\xfe bad\n", "bad.md, line 2", "is neither UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "bad.md, line 3", "binary"),
])
def test_bad_pages_are_refused_with_file_and_line(project, content, where, what):
    path = project / "bad.md"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = run_kbgen("import", "bad.md", str(CSV_SEED), "--out", "topics", cwd=str(project))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert where in result.stdout and what in result.stdout, result.stdout
    assert os.listdir(project / "topics") == []  # nothing half-written


def test_missing_and_non_markdown_files(project):
    (project / "notes.txt").write_text("text", encoding="utf-8")
    result = run_kbgen("import", "nope.md", "notes.txt", "--out", "topics", cwd=str(project))
    assert result.returncode == 2
    assert "nope.md: error: cannot open the file" in result.stdout
    assert "notes.txt: error: not a Markdown page" in result.stdout
    result = run_kbgen("import", str(CSV_SEED), cwd=str(project))
    assert result.returncode == 2 and "--out FOLDER, or --subject ID" in result.stderr


def test_round_trip_of_a_page_kbgen_wrote(tmp_path, bundled):
    """A page kbgen's Jekyll renderer wrote for a bundled topic reads back into the same topic."""
    work = tmp_path / "bundled"
    work.mkdir()
    copy_project(str(work))
    result = run_kbgen("build", "--out", "site", "--format", "jekyll", cwd=str(work))
    assert result.returncode == 0, result.stdout + result.stderr
    import_ok(work, "site/ai/dl/lstm.md", "--out", str(tmp_path / "imported"))
    data = load(tmp_path / "imported" / "lstm.yml")
    original = bundled.find("ai", "lstm")
    from kbgen.schema import to_data
    want = to_data(original)

    def no_groups(value):  # a group label and an item with children look the same on a page
        if isinstance(value, dict):
            return {k: no_groups(v) for k, v in value.items() if not (k == "kind" and v == "group")}
        if isinstance(value, list):
            return [no_groups(v) for v in value]
        return value

    for name in ("title", "no", "label", "definition", "keywords", "background", "differentiator", "related",
                 "diagram", "equations", "checklist"):
        assert data.get(name) == want.get(name), name
    by_number = lambda e: (e["round"], e["session"], e["number"])  # noqa: E731 - the page sorts newest first
    assert sorted(data["exams"], key=by_number) == sorted(want["exams"], key=by_number)
    assert no_groups(data["sections"]) == no_groups(want["sections"])
    assert [(m["token"], m.get("section"), m.get("expansion")) for m in data["mnemonics"]] == \
        [(m["token"], m.get("section"), m.get("expansion")) for m in want["mnemonics"]]
    assert "def lstm_forward(x, h0, c0, W_ih, W_hh, b_ih, b_hh):" in data["notes"]  # 💻 실행 코드, kept


def test_round_trip_page_imports_into_a_project_and_lints(tmp_path):
    """Imported into a copy of the bundled project, the page overlays its sheet row."""
    work = tmp_path / "p"
    work.mkdir()
    copy_project(str(work))
    assert run_kbgen("build", "--out", "site", "--format", "jekyll", cwd=str(work)).returncode == 0
    shutil.rmtree(work / "data" / "ai" / "topics")
    os.makedirs(work / "data" / "ai" / "topics")
    import_ok(work, "site/ai/dl/gru.md", "--subject", "ai")
    data = load(work / "data" / "ai" / "topics" / "gru.yml")
    assert data["category"] == "dl" and isinstance(data["no"], int)
    lint = run_kbgen("lint", cwd=str(work))
    assert ": error:" not in lint.stdout, lint.stdout
