"""Nothing hand-written is lost. kbgen owns a written page's front matter (tagged) and the
region between its markers; an applied Jekyll page's front matter is the user's. Edits
inside the region are overwritten on the next run (the begin marker says so, and `kbgen
check` reports the page as out of date until then); every byte outside it survives any
sequence of hand edits, data changes and regenerations. Damaged markers stop the run for
that page and leave it untouched."""
from __future__ import annotations

import os

import pytest
from hypothesis import given, settings, strategies as st

from conftest import copy_project, run_kbgen
from kbgen.apply import adopt, update
from kbgen.build import generate
from kbgen.project import load_project
from kbgen.regions import merge, split, split_front_matter

CSV = os.path.join("data", "ai", "기술사_기본필수노트_AI - AI.csv")
PAGE = "ai/dl/lstm.md"
VERSIONS = ["해결한 순환 신경망", "해결한 순환 신경망 (개정 1)", "해결한 RNN 변형 <b>&</b> {{ x }}"]
NOTES = [None, "메모 *하나*", "메모 둘\n\n- 항목"]


class Versions(dict):
    def __repr__(self) -> str:  # Hypothesis prints the arguments of a failing example
        return f"<{len(self)} generated pages>"


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict[tuple[int, int, str], str]:
    """The LSTM page as kbgen makes it for each data version (sheet text x YAML notes) and
    format: {(sheet, notes, format): page}."""
    work = tmp_path_factory.mktemp("versions")
    copy_project(str(work))
    sheet = (work / CSV).read_bytes().decode("utf-8")
    lstm = (work / "data" / "ai" / "topics" / "lstm.yml").read_text(encoding="utf-8")
    out = Versions()
    for s, text in enumerate(VERSIONS):
        (work / CSV).write_bytes(sheet.replace(VERSIONS[0], text, 1).encode("utf-8"))
        for n, notes in enumerate(NOTES):
            extra = "" if notes is None else "notes: |\n" + "".join(f"  {ln}\n" for ln in notes.split("\n"))
            (work / "data" / "ai" / "topics" / "lstm.yml").write_text(lstm + extra, encoding="utf-8")
            project = load_project(str(work / "kbgen.yml"))
            assert not project.report.errors
            for fmt in ("mkdocs", "jekyll"):
                out[(s, n, fmt)] = generate(project, fmt)[1][PAGE]
    assert len({v for k, v in out.items() if k[2] == "mkdocs"}) == len(VERSIONS) * len(NOTES)
    return out


# What a person types: Markdown, Korean, HTML, CRLF, things that look like front matter
# or comments; never kbgen's marker names (that is the tamper case, tested below).
_typed = st.lists(st.sampled_from(list("ab 가나-#*>|<{}\n\t`$%") + ["---", "<!--", "-->", "\r\n", "{% raw %}",
                                                                      "## 메모\n", "title: x\n", "kbgen"]),
                  min_size=1, max_size=12).map("".join).filter(lambda s: "kbgen:" not in s)

_step = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(["head", "tail", "front", "region"]), st.floats(0, 1), _typed),
    st.tuples(st.just("data"), st.integers(0, len(VERSIONS) - 1), st.integers(0, len(NOTES) - 1)),
    st.tuples(st.just("regenerate")),
)


def insert(text: str, at: float, value: str) -> str:
    i = int(at * len(text))
    return text[:i] + value + text[i:]


@settings(max_examples=500, deadline=None)
@given(steps=st.lists(_step, min_size=1, max_size=12), fmt=st.sampled_from(["mkdocs", "jekyll", "applied"]))
def test_every_hand_written_byte_survives_edits_data_changes_and_regenerations(generated, steps, fmt):
    """A page's life: random hand edits (before, after and inside the region, in the front
    matter), data changes and regenerations, through the same functions `kbgen build`,
    the plugin and `kbgen apply` use. After every regeneration the user's bytes are all
    there, in order, and the region is the fresh one."""
    version = (0, 0)
    kind = "jekyll" if fmt == "applied" else fmt
    if fmt == "applied":  # a hand-made Jekyll page kbgen was applied to once
        page = adopt("---\ntitle: 내 LSTM\n---\n손으로 만든 본문\n", split(generated[(*version, kind)]).region)
    else:
        page = generated[(*version, kind)]
    parts = split(page, user_front=fmt == "applied")
    head, tail = parts.head, parts.tail
    lost = 0
    for step in steps:
        if step[0] == "edit":
            _, where, at, value = step
            parts = split(page, user_front=fmt == "applied")
            if where == "head":
                head = insert(parts.head, at, value)
            elif where == "tail":
                tail = insert(parts.tail, at, value)
            elif where == "front" and fmt == "applied":  # the user's front matter: part of the head
                front, body = split_front_matter(parts.head)
                head = front[:4] + insert(front[4:-4], at, value.replace("---", "")) + front[-4:] + body
            elif where == "front":  # kbgen's front matter: overwritten by the next run
                # (inside it: its closing `---` line edited is a tamper case, tested below)
                tag, fields = parts.front[len("---\n"):-len("\n---\n")].split("\n", 1)
                page = "---\n" + tag + "\n" + insert(fields, at, value.replace("-", "")) + "\n---\n" \
                    + parts.head + parts.region + parts.tail
                continue
            else:  # inside the region: kbgen's, overwritten by the next run
                lines = parts.region.split("\n")
                k = 1 + int(at * (len(lines) - 3))
                lines.insert(k, value.replace("\r", ""))
                page = parts.front + parts.head + "\n".join(lines) + parts.tail
                continue
            page = parts.front + head + parts.region + tail
        elif step[0] == "data":
            version = (step[1], step[2])
        else:
            fresh = generated[(*version, kind)]
            page = update(page, split(fresh).region) if fmt == "applied" else merge(page, fresh)
            after = split(page, user_front=fmt == "applied")
            lost += (after.head != head) + (after.tail != tail)
            assert after.head == head and after.tail == tail, "hand-written bytes changed"
            assert after.region == split(fresh).region
            if fmt != "applied":
                assert after.front == split(fresh).front
    assert lost == 0


# --- tampered markers: a clear error, the file untouched (the real command line) ------

TAMPER = {
    "begin deleted": lambda t: t.replace(t[t.index("<!-- kbgen:begin"):t.index("-->", t.index("<!-- kbgen:begin")) + 4], ""),
    "begin duplicated": lambda t: t.replace("<!-- kbgen:end -->", "<!-- kbgen:begin x -->\n<!-- kbgen:end -->"),
    "end moved above begin": lambda t: t.replace("<!-- kbgen:end -->\n", "").replace("<!-- kbgen:begin", "<!-- kbgen:end -->\n<!-- kbgen:begin"),
    "marker named in a note": lambda t: t + "\n메모: 여기 kbgen:end 를 지우면 안 된다\n",
    "end marker edited": lambda t: t.replace("<!-- kbgen:end -->", "<!-- kbgen:end-->"),
    "front matter left open": lambda t: t.replace("\n---\n", "\n메모---\n", 1),
    "both markers deleted": lambda t: t.replace("<!-- kbgen:end -->", "").replace(
        t[t.index("<!-- kbgen:begin"):t.index("-->", t.index("<!-- kbgen:begin")) + 3], ""),
}


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


@pytest.mark.parametrize("case", list(TAMPER))
def test_tampered_markers_stop_build_and_leave_the_page(project, case):
    assert run_kbgen("build", "--out", "docs", cwd=str(project)).returncode == 0
    page = project / "docs" / PAGE
    damaged = TAMPER[case](page.read_text(encoding="utf-8")) + "\n손으로 쓴 메모\n"
    page.write_bytes(damaged.encode("utf-8"))
    before = page.stat().st_mtime_ns
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 2, result.stdout
    line = next(ln for ln in result.stdout.splitlines() if "lstm.md" in ln)
    assert line.startswith(os.path.join("docs", "ai", "dl", "lstm.md") + ": error: left untouched because "), line
    assert ("marker" in line or "front matter" in line) and "restore the markers" in line, line
    assert page.read_bytes() == damaged.encode("utf-8") and page.stat().st_mtime_ns == before
    check = run_kbgen("check", "--out", "docs", cwd=str(project))
    assert check.returncode == 1 and "cannot be updated" in check.stdout


def test_region_moved_below_the_notes_keeps_the_notes(project):
    """Moving the whole region is allowed: what was around it stays where it is."""
    assert run_kbgen("build", "--out", "docs", cwd=str(project)).returncode == 0
    page = project / "docs" / PAGE
    parts = split(page.read_text(encoding="utf-8"))
    moved = parts.front + "위 메모\n" + parts.tail + "가운데 메모\n" + parts.region + "아래 메모\n"
    page.write_text(moved, encoding="utf-8")
    csv = project / CSV
    csv.write_bytes(csv.read_bytes().replace(VERSIONS[0].encode(), VERSIONS[1].encode(), 1))
    assert run_kbgen("build", "--out", "docs", cwd=str(project)).returncode == 0
    after = split(page.read_text(encoding="utf-8"))
    assert after.head == "위 메모\n" + parts.tail + "가운데 메모\n" and after.tail == "아래 메모\n"
    assert "(개정 1)" in after.region


def test_tampered_applied_page_is_left_alone(project):
    (project / "site" / "docs").mkdir(parents=True)
    with open(project / "kbgen.yml", "a", encoding="utf-8") as fh:
        fh.write("jekyll:\n  site: site\n  folder: docs\n  pages:\n    - {topic: ai/15, page: docs/lstm.md}\n")
    page = project / "site" / "docs" / "lstm.md"
    page.write_text("---\ntitle: 내 페이지\n---\n본문\n", encoding="utf-8")
    assert run_kbgen("apply", cwd=str(project)).returncode == 0
    good = page.read_text(encoding="utf-8")
    for case in ("begin duplicated", "end moved above begin", "marker named in a note", "begin deleted"):
        damaged = TAMPER[case](good)
        page.write_text(damaged, encoding="utf-8")
        result = run_kbgen("apply", cwd=str(project))
        assert result.returncode == 2 and "docs/lstm.md: error: left untouched because" in result.stdout, case
        assert page.read_text(encoding="utf-8") == damaged, case
