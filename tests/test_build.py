"""`kbgen build` and `kbgen check`: written pages, hand-written parts kept byte for byte,
no rewrite without a change, only affected pages rewritten, stale pages found."""
from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import copy_project, run_kbgen, snapshot
from kbgen.build import build, generate
from kbgen.project import load_project
from kbgen.regions import RegionError, merge, split

LSTM = os.path.join("ai", "dl", "lstm.md")
CSV = os.path.join("data", "ai", "기술사_기본필수노트_AI - AI.csv")


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path




def edit_csv(project, old: str, new: str) -> None:
    path = project / CSV
    data = path.read_bytes().decode("utf-8")
    assert old in data
    path.write_bytes(data.replace(old, new, 1).encode("utf-8"))


def test_build_writes_every_page_then_nothing(project):
    first = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert first.returncode == 0, first.stdout + first.stderr
    assert (project / "docs" / LSTM).exists() and (project / "docs" / "ai" / "index.md").exists()
    before = snapshot(project / "docs")
    again = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert again.returncode == 0 and "0 written" in again.stdout
    assert snapshot(project / "docs") == before  # same bytes, same mtimes
    # Without the manifest's shortcut the answer is the same: nothing rewritten.
    os.unlink(project / "docs" / ".kbgen-manifest.json")
    third = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert "0 written" in third.stdout
    after = snapshot(project / "docs")
    after.pop(".kbgen-manifest.json")
    before.pop(".kbgen-manifest.json")
    assert after == before


def test_one_row_change_rewrites_only_the_pages_it_affects(project):
    run_kbgen("build", "--out", "docs", cwd=str(project))
    # LSTM's definition changes: its page, its category's and subject's overview tables,
    # and the deck's answers.
    edit_csv(project, "해결한 순환 신경망", "해결한 순환 신경망 (수정)")
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 0, result.stdout
    assert "4 written" in result.stdout, result.stdout
    written = build(str(project / "kbgen.yml"), str(project / "docs"))
    assert written.written == []
    edit_csv(project, "(수정)", "(다시 수정)")
    changed = build(str(project / "kbgen.yml"), str(project / "docs"))
    assert sorted(changed.written) == ["ai/dl/index.md", "ai/dl/lstm.md", "ai/index.md", "deck/answers.js"]


def test_check_lists_stale_pages_for_ci(project):
    run_kbgen("build", "--out", "docs", cwd=str(project))
    ok = run_kbgen("check", "--out", "docs", cwd=str(project))
    assert ok.returncode == 0 and "up to date" in ok.stdout
    # Notes written by hand never make a page stale.
    with open(project / "docs" / LSTM, "a", encoding="utf-8") as fh:
        fh.write("\n내 메모: 게이트 순서 i f g o\n")
    assert run_kbgen("check", "--out", "docs", cwd=str(project)).returncode == 0
    edit_csv(project, "해결한 순환 신경망", "해결한 RNN 변형")
    stale = run_kbgen("check", "--out", "docs", cwd=str(project))
    assert stale.returncode == 1
    assert f"{os.path.join('docs', LSTM)}: stale: out of date" in stale.stdout
    assert "4 stale page(s)" in stale.stdout  # with deck/answers.js (the definition is on the back)
    run_kbgen("build", "--out", "docs", cwd=str(project))
    assert run_kbgen("check", "--out", "docs", cwd=str(project)).returncode == 0
    assert "내 메모: 게이트 순서 i f g o" in (project / "docs" / LSTM).read_text(encoding="utf-8")


PERCEPTRON = os.path.join("ai", "dl", "퍼셉트론.md")  # a sheet topic without a YAML file: its slug is its title


def drop_row(project, no: int) -> None:
    import csv
    import io
    path = project / CSV
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    kept = [r for r in rows if r[0] != str(no)]
    assert len(kept) == len(rows) - 1
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(kept)
    path.write_bytes(buf.getvalue().encode("utf-8"))


def test_a_renamed_topic_takes_its_page_and_notes_along(project):
    run_kbgen("build", "--out", "docs", cwd=str(project))
    docs = project / "docs"
    with open(docs / PERCEPTRON, "a", encoding="utf-8") as fh:
        fh.write("\n## 내 메모\n가중합 → 계단 함수\n")
    edit_csv(project, "\n7,딥러닝,퍼셉트론 (Perceptron)", "\n7,딥러닝,단층 퍼셉트론 (Perceptron)")
    renamed = os.path.join("ai", "dl", "단층-퍼셉트론.md")
    stale = run_kbgen("check", "--out", "docs", cwd=str(project))
    assert stale.returncode == 1
    assert (f"{os.path.join('docs', PERCEPTRON)}: stale: its topic's page is now ai/dl/단층-퍼셉트론.md "
            "(the build moves it there, with your notes)") in stale.stdout
    assert "delete" not in stale.stdout  # the notes are not to be thrown away
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (f"{os.path.join('docs', PERCEPTRON)}: moved to {os.path.join('docs', renamed)}") in result.stdout
    assert "no longer in the data" not in result.stdout
    assert not (docs / PERCEPTRON).exists()
    page = (docs / renamed).read_text(encoding="utf-8")
    assert page.endswith("<!-- kbgen:end -->\n\n## 내 메모\n가중합 → 계단 함수\n")
    assert 'title: "단층 퍼셉트론 (Perceptron)"' in page
    assert run_kbgen("check", "--out", "docs", cwd=str(project)).returncode == 0
    # Another category: another folder, the same file.
    edit_csv(project, "\n7,딥러닝,단층 퍼셉트론", "\n7,머신러닝,단층 퍼셉트론")
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    moved = docs / "ai" / "ml" / "단층-퍼셉트론.md"
    assert f"moved to {os.path.join('docs', 'ai', 'ml', '단층-퍼셉트론.md')}" in result.stdout
    assert moved.read_text(encoding="utf-8").endswith("## 내 메모\n가중합 → 계단 함수\n")
    assert not (docs / renamed).exists()


@pytest.mark.parametrize("blocker", ["markers", "taken"])
def test_a_page_that_cannot_move_is_left_where_it_is(project, blocker):
    run_kbgen("build", "--out", "docs", cwd=str(project))
    docs = project / "docs"
    old = docs / PERCEPTRON
    if blocker == "markers":  # edited markers: kbgen does not touch the file
        old.write_text(old.read_text(encoding="utf-8").replace("<!-- kbgen:end -->", "") + "메모\n", encoding="utf-8")
    else:  # the new path holds a page kbgen did not write
        (docs / "ai" / "dl" / "단층-퍼셉트론.md").write_text("# 내 페이지\n", encoding="utf-8")
    before = old.read_bytes()
    edit_csv(project, "\n7,딥러닝,퍼셉트론 (Perceptron)", "\n7,딥러닝,단층 퍼셉트론 (Perceptron)")
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert "moved to" not in result.stdout
    assert f"{os.path.join('docs', PERCEPTRON)}: warning: its topic is no longer in the data" in result.stdout
    assert old.read_bytes() == before
    if blocker == "taken":
        assert result.returncode == 2 and "no kbgen markers" in result.stdout
        assert (docs / "ai" / "dl" / "단층-퍼셉트론.md").read_text(encoding="utf-8") == "# 내 페이지\n"


TITLES = {7: "퍼셉트론 (Perceptron)", 8: "활성화 함수 (Activation Function)", 9: "경사 하강법 (Gradient Descent)"}
DL = os.path.join("ai", "dl")


def retitle(project, titles: dict[int, str]) -> None:
    """Give rows new titles in one save (through placeholders, so titles may trade)."""
    for no in titles:
        edit_csv(project, f"\n{no},딥러닝,{TITLES[no]},", f"\n{no},딥러닝,@{no}@,")
    for no, title in titles.items():
        edit_csv(project, f"\n{no},딥러닝,@{no}@,", f"\n{no},딥러닝,{title},")


@pytest.mark.parametrize("titles, paths", [
    # two titles swapped; a chain (8 renamed, 7 takes 8's old title); three titles rotated
    ({7: TITLES[8], 8: TITLES[7]}, {7: "활성화-함수.md", 8: "퍼셉트론.md"}),
    ({7: "활성화 함수", 8: "활성 함수"}, {7: "활성화-함수.md", 8: "활성-함수.md"}),
    ({7: TITLES[8], 8: TITLES[9], 9: TITLES[7]}, {7: "활성화-함수.md", 8: "경사-하강법.md", 9: "퍼셉트론.md"}),
], ids=["swap", "chain", "rotation"])
def test_pages_that_trade_paths_keep_their_own_notes(project, titles, paths):
    run_kbgen("build", "--out", "docs", cwd=str(project))
    docs = project / "docs"
    old = {7: "퍼셉트론.md", 8: "활성화-함수.md", 9: "경사-하강법.md"}
    for no in titles:
        with open(docs / DL / old[no], "a", encoding="utf-8") as fh:
            fh.write(f"\n## 내 메모\nNO {no}의 메모\n")
    retitle(project, titles)
    stale = run_kbgen("check", "--out", "docs", cwd=str(project))
    assert stale.returncode == 1
    for no in titles:
        assert (f"{os.path.join('docs', DL, old[no])}: stale: its topic's page is now ai/dl/{paths[no]} "
                "(the build moves it there, with your notes)") in stale.stdout
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    for no in titles:
        assert f"{os.path.join('docs', DL, old[no])}: moved to {os.path.join('docs', DL, paths[no])}" in result.stdout
        page = (docs / DL / paths[no]).read_text(encoding="utf-8")
        assert page.endswith(f"<!-- kbgen:end -->\n\n## 내 메모\nNO {no}의 메모\n")
        assert f'title: "{titles[no]}"' in page
    assert "no longer in the data" not in result.stdout
    assert not [p for p in os.listdir(docs / DL) if p.startswith(".")]  # nothing held aside is left
    assert run_kbgen("check", "--out", "docs", cwd=str(project)).returncode == 0


TITLES[10] = "오차 역전파 (Backpropagation)"


@settings(max_examples=12, deadline=None)
@given(st.permutations([TITLES[7], TITLES[8], TITLES[9], TITLES[10], "새 토픽 가", "새 토픽 나"]))
def test_notes_follow_their_topic_through_any_reassignment_of_titles(order):
    """Rows 7–10 take any four of six titles, old and new, in one save: each page moves
    with its notes to its topic's new path, and no notes are lost or doubled."""
    import json
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        project = __import__("pathlib").Path(folder)
        config = copy_project(folder)
        docs = project / "docs"
        assert not build(config, str(docs)).report.errors

        def pages() -> dict[str, str]:
            owners = json.loads((docs / ".kbgen-manifest.json").read_text(encoding="utf-8"))["topics"]
            return {key: path for path, key in owners.items()}

        for no in range(7, 11):
            with open(docs / pages()[f"ai#{no}"], "a", encoding="utf-8") as fh:
                fh.write(f"\nNO {no}의 메모\n")
        retitle(project, dict(zip(range(7, 11), order)))
        result = build(config, str(docs))
        assert not result.report.errors and not result.refused
        now = pages()
        texts = [p.read_text(encoding="utf-8") for p in (docs / DL).iterdir() if p.is_file()]
        for no in range(7, 11):
            assert (docs / now[f"ai#{no}"]).read_text(encoding="utf-8").endswith(f"NO {no}의 메모\n")
            assert sum(f"NO {no}의 메모" in t for t in texts) == 1
        assert not [p for p in os.listdir(docs / DL) if p.startswith(".")]


def test_a_page_held_aside_by_a_stopped_run_is_kept_and_named(project, monkeypatch):
    """A run stopped between the renames of a swap: no notes are lost, and the next run
    names the file that holds the page held aside, and leaves it."""
    import kbgen.build as kb
    run_kbgen("build", "--out", "docs", cwd=str(project))
    docs = project / "docs"
    for no, name in ((7, "퍼셉트론.md"), (8, "활성화-함수.md")):
        with open(docs / DL / name, "a", encoding="utf-8") as fh:
            fh.write(f"\nNO {no}의 메모\n")
    retitle(project, {7: TITLES[8], 8: TITLES[7]})
    real, calls = os.replace, []

    def stop_after_one(src, dst):
        if calls:
            raise KeyboardInterrupt  # the run is stopped here
        calls.append((src, dst))
        real(src, dst)

    monkeypatch.setattr(kb.os, "replace", stop_after_one)
    with pytest.raises(KeyboardInterrupt):
        build(str(project / "kbgen.yml"), str(docs))
    monkeypatch.setattr(kb.os, "replace", real)
    aside = calls[0][1]
    assert os.path.basename(aside).startswith(".") and aside.endswith(".kbgen-move")
    texts = [p.read_text(encoding="utf-8") for p in (docs / DL).iterdir() if p.is_file()]
    assert sum("NO 7의 메모" in t for t in texts) == 1 and sum("NO 8의 메모" in t for t in texts) == 1
    for _ in range(2):
        result = run_kbgen("build", "--out", "docs", cwd=str(project))
        assert result.returncode == 0, result.stdout + result.stderr
        assert (f"{os.path.relpath(aside, project)}: warning: a run was stopped while pages traded places: this file holds a page and its "
                "notes (copy your notes from it (below the kbgen:end line) into the topic's page, then delete it)"
                ) in result.stdout
        assert os.path.exists(aside)
    stale = run_kbgen("check", "--out", "docs", cwd=str(project))
    assert stale.returncode == 1
    assert (f"{os.path.relpath(aside, project)}: stale: a page held aside by a stopped run, with its notes"
            in stale.stdout)
    assert stale.stdout.endswith("1 stale page(s): copy the notes of the 1 page(s) held aside into their topics' "
                                 "pages, then delete them\n")
    # the page that was not held aside went on to its topic's new path
    assert (docs / DL / "퍼셉트론.md").read_text(encoding="utf-8").endswith("NO 8의 메모\n")


def test_a_removed_topics_page_is_reported_until_it_is_deleted(project):
    run_kbgen("build", "--out", "docs", cwd=str(project))
    gan = project / "docs" / "ai" / "dl" / "gan.md"
    drop_row(project, 17)
    warning = f"{os.path.join('docs', 'ai', 'dl', 'gan.md')}: warning: its topic is no longer in the data"
    for _ in range(2):  # the run that removes it from the site, then a run with nothing to do
        result = run_kbgen("build", "--out", "docs", cwd=str(project))
        assert result.returncode == 0 and warning in result.stdout, result.stdout
    assert "no change" in result.stdout
    stale = run_kbgen("check", "--out", "docs", cwd=str(project))
    assert stale.returncode == 1
    assert f"{os.path.join('docs', 'ai', 'dl', 'gan.md')}: stale: its topic is no longer in the data" in stale.stdout
    assert "1 stale page(s): delete the 1 page(s) whose topic is gone" in stale.stdout
    assert "kbgen build" not in stale.stdout.split("stale page(s)")[1]  # a build does not fix it
    assert gan.exists()  # kbgen never deletes a page
    gan.unlink()
    assert run_kbgen("check", "--out", "docs", cwd=str(project)).returncode == 0
    assert "no longer in the data" not in run_kbgen("build", "--out", "docs", cwd=str(project)).stdout


def test_a_manifest_path_outside_the_folder_is_never_moved(project):
    import json
    run_kbgen("build", "--out", "docs", cwd=str(project))
    outside = project / "outside.md"
    outside.write_bytes((project / "docs" / PERCEPTRON).read_bytes())
    manifest_path = project / "docs" / ".kbgen-manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["files"]["../outside.md"] = "0"
    manifest["topics"] = {"../outside.md": manifest["topics"]["ai/dl/퍼셉트론.md"], "ai/dl/x.md": ["not", "a key"]}
    manifest["orphans"] = ["../outside.md", "/etc/passwd", 3]
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    edit_csv(project, "\n7,딥러닝,퍼셉트론 (Perceptron)", "\n7,딥러닝,단층 퍼셉트론 (Perceptron)")
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert outside.exists() and "outside.md" not in result.stdout and "passwd" not in result.stdout
    assert "outside.md" not in run_kbgen("check", "--out", "docs", cwd=str(project)).stdout


def test_fifty_regenerations_leave_an_annotated_page_byte_identical(project):
    out = str(project / "docs")
    build(str(project / "kbgen.yml"), out)
    page = project / "docs" / LSTM
    with open(page, "a", encoding="utf-8") as fh:
        fh.write("\n## 내 메모\n\n- 손으로 쓴 줄 *강조*\n")
    build(str(project / "kbgen.yml"), out)
    reference = page.read_bytes()
    for _ in range(50):
        os.unlink(os.path.join(out, ".kbgen-manifest.json"))  # no shortcut: regenerate for real
        result = build(str(project / "kbgen.yml"), out)
        assert result.written == [] and not result.refused
    assert page.read_bytes() == reference
    assert reference.count(b"kbgen:begin") == 1 and reference.count("손으로 쓴 줄".encode()) == 1


@pytest.mark.parametrize("damage, why", [
    (lambda t: t.replace("<!-- kbgen:end -->\n", ""), "1 kbgen:begin and 0 kbgen:end"),
    (lambda t: t.replace("<!-- kbgen:end -->\n", "<!-- kbgen:end -->\n<!-- kbgen:end -->\n"), "1 kbgen:begin and 2 kbgen:end"),
    (lambda t: t.replace("<!-- kbgen:begin", "<!-- kbgen:BEGIN"), "1 kbgen:begin"),
    (lambda t: t.replace("<!-- kbgen:end -->\n", "") .replace("<!-- kbgen:begin", "<!-- kbgen:end -->\n<!-- kbgen:begin"), "comes before"),
    (lambda t: t.replace("# kbgen: 이 머리말은 kbgen이 씁니다\n", ""), "front matter"),
])
def test_edited_markers_leave_the_file_untouched(project, damage, why):
    run_kbgen("build", "--out", "docs", cwd=str(project))
    page = project / "docs" / LSTM
    edit_csv(project, "해결한 순환 신경망", "해결한 RNN 변형")  # a real change is waiting
    damaged = damage(page.read_text(encoding="utf-8")) + "\n내 메모\n"
    page.write_text(damaged, encoding="utf-8")
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 2
    line = next(ln for ln in result.stdout.splitlines() if "lstm.md" in ln)
    assert "error: left untouched because" in line and (why in line or "markers" in line), line
    assert page.read_text(encoding="utf-8") == damaged
    assert "Traceback" not in result.stdout + result.stderr


def test_existing_hand_written_page_is_never_overwritten(project):
    (project / "docs" / "ai" / "dl").mkdir(parents=True)
    mine = "# 내 LSTM 정리\n\n손으로 쓴 페이지\n"
    (project / "docs" / LSTM).write_text(mine, encoding="utf-8")
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 2 and "no kbgen markers" in result.stdout
    assert (project / "docs" / LSTM).read_text(encoding="utf-8") == mine


def test_data_errors_write_nothing(project):
    edit_csv(project, "\n15,", "\n14,")  # two rows with NO 14
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 2 and "NO 14 is used twice" in result.stdout
    assert not (project / "docs" / "ai").exists()


# --- hand edits outside the region survive any number of regenerations -------------

_safe_text = st.lists(st.sampled_from(list("ab 가나-#*>|<{}\n\t`$") + ["kbgen", "---", "<!--", "-->", "\r\n"]),
                      max_size=20).map("".join).filter(lambda s: "kbgen:" not in s)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(st.tuples(st.sampled_from(["head", "tail"]), st.floats(0, 1), _safe_text), min_size=1, max_size=4),
       change=st.integers(0, 3))
def test_random_hand_edits_survive_edit_regenerate_cycles(tmp_path_factory, edits, change):
    """One cycle per example: edit outside the region by hand, maybe change the data,
    regenerate; the hand-written bytes are all still there, the region is fresh."""
    global _cycle_project
    if _cycle_project is None:
        _cycle_project = tmp_path_factory.mktemp("cycles")
        copy_project(str(_cycle_project))
        build(str(_cycle_project / "kbgen.yml"), str(_cycle_project / "docs"))
    project = _cycle_project
    page = project / "docs" / LSTM
    text = page.read_bytes().decode("utf-8")  # bytes: a typed \r\n must stay \r\n
    parts = split(text)
    head, tail = parts.head, parts.tail
    for where, at, value in edits:
        if where == "head":
            i = int(at * len(head))
            head = head[:i] + value + head[i:]
        else:
            i = int(at * len(tail))
            tail = tail[:i] + value + tail[i:]
    edited = parts.front + head + parts.region + tail
    page.write_bytes(edited.encode("utf-8"))
    if change:  # the data moves on too
        data = (project / CSV).read_bytes().decode("utf-8")
        marker = f" (개정 {random.random():.6f})"
        data = data.replace("해결한 순환 신경망", "해결한 순환 신경망" + marker, 1) if "(개정" not in data \
            else __import__("re").sub(r" \(개정 [0-9.]+\)", marker, data, count=1)
        (project / CSV).write_bytes(data.encode("utf-8"))
    result = build(str(project / "kbgen.yml"), str(project / "docs"))
    assert not result.refused and not result.report.errors
    after = split(page.read_bytes().decode("utf-8"))
    assert after.head == head and after.tail == tail  # every hand-written byte, in place
    _, pages, _ = generate(load_project(str(project / "kbgen.yml")))
    fresh = split(pages[LSTM.replace(os.sep, "/")])
    assert after.region == fresh.region and after.front == fresh.front


_cycle_project = None


def test_merge_keeps_head_and_tail():
    generated = "---\n# kbgen: 이 머리말은 kbgen이 씁니다\ntitle: A\n---\n<!-- kbgen:begin x -->\nnew\n<!-- kbgen:end -->\n"
    old = generated.replace("new", "old").replace("title: A", "title: B")
    edited = old.replace("---\n<!-- kbgen:begin", "---\n머리 메모\n<!-- kbgen:begin") + "꼬리 메모\n"
    merged = merge(edited, generated)
    assert merged == generated.replace("---\n<!-- kbgen:begin", "---\n머리 메모\n<!-- kbgen:begin") + "꼬리 메모\n"
    with pytest.raises(RegionError):
        merge("no markers at all\n", generated)


def test_notes_from_yaml_are_rendered_as_written(project):
    """The plugin's place for hand-written notes: `notes:` in a topic file, its Markdown
    rendered and cleaned (kbgen.render.safe) into one HTML block."""
    (project / "data" / "ai" / "topics" / "gru.yml").write_text(
        "no: 16\nnotes: |\n  **시험 팁**: GRU는 게이트 *2개*.\n\n  - 업데이트 게이트 = LSTM의 망각+입력\n", encoding="utf-8")
    _, pages, _ = generate(load_project(str(project / "kbgen.yml")))
    page = pages["ai/dl/gru.md"]
    notes = page[page.index("## ✍️ 메모"):page.index("<!-- kbgen:end -->")]
    assert "<p><strong>시험 팁</strong>: GRU는 게이트 <em>2개</em>.</p>" in notes
    assert "<li>업데이트 게이트 = LSTM의 망각+입력</li>" in notes
    assert page.index("## ✍️ 메모") > page.index("## 🔗 연계 토픽") if "## 🔗" in page else True


def test_a_sites_own_templates_override_kbgens_by_name(project):
    """`templates:` in kbgen.yml: a file there wins over kbgen's, like Material's custom_dir;
    data printed by an overriding template is still escaped."""
    (project / "my-templates").mkdir()
    (project / "my-templates" / "category.md.j2").write_text(
        "# {{ category.title }} (직접 만든 틀)\n\n{% for r in rows %}- {{ r.title }}\n{% endfor %}", encoding="utf-8")
    with open(project / "kbgen.yml", "a", encoding="utf-8") as fh:
        fh.write("templates: my-templates\n")
    _, pages, _ = generate(load_project(str(project / "kbgen.yml")))
    assert "# 2\\. 딥러닝 (직접 만든 틀)" in pages["ai/dl/index.md"]
    assert "- LSTM (Long Short Term Memory)" in pages["ai/dl/index.md"]
    assert "## 📌 핵심 암기" in pages["ai/dl/lstm.md"]  # the rest are still kbgen's


def _files(folder) -> dict[str, bytes]:
    out = {}
    for base, _, names in os.walk(folder):
        for name in names:
            if name != ".kbgen.lock":
                path = os.path.join(base, name)
                with open(path, "rb") as fh:
                    out[os.path.relpath(path, folder)] = fh.read()
    return out


def test_forked_shards_write_the_same_site_as_one_process(project, monkeypatch):
    """A large site is cross-linked and drawn by forked shards that swap who links to
    whom: every file, the manifest too, is the one a single process writes."""
    import kbgen.build as kb
    config = str(project / "kbgen.yml")
    monkeypatch.setattr(kb, "PARALLEL_MIN_PAGES", 10**9)
    one = build(config, str(project / "one"))
    monkeypatch.setattr(kb, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # the parent and two forked shards
    forked = build(config, str(project / "forked"))
    assert not one.report.errors and not forked.report.errors
    assert sorted(forked.written) == sorted(one.written) and len(one.written) > 10
    expected = _files(project / "one")
    assert _files(project / "forked") == expected
    # Pages of several shards carry backlinks, which need the other shards' links.
    assert sum("이 토픽을 언급하는 토픽" in data.decode("utf-8") for data in expected.values()) > 3


def test_forked_shards_generate_the_same_pages_as_one_process(project, monkeypatch):
    """`generate` (the MkDocs plugin's and `kbgen check`'s pages, as text) uses the same
    shards as `kbgen build`: the same pages, in the same order."""
    import kbgen.build as kb
    from kbgen.project import load_project
    config = str(project / "kbgen.yml")
    monkeypatch.setattr(kb, "PARALLEL_MIN_PAGES", 10**9)
    _, one, one_files = kb.generate(load_project(config))
    monkeypatch.setattr(kb, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    forks = []
    start = kb.mp.context.ForkProcess.start
    monkeypatch.setattr(kb.mp.context.ForkProcess, "start", lambda self: (forks.append(self), start(self)))
    _, forked, forked_files = kb.generate(load_project(config))
    assert len(forks) == 3  # two shards and the deck's process
    assert list(forked.items()) == list(one.items()) and len(one) > 30
    # the deck's cards, made by the deck's own process: the same files, in the same order
    assert list(forked_files.items()) == list(one_files.items())
    assert [path for path in one_files if path.startswith("deck/")] == ["deck/cards.js", "deck/answers.js"]
    assert sum("이 토픽을 언급하는 토픽" in text for text in one.values()) > 3


def test_a_failing_forked_shard_fails_the_build(project, monkeypatch):
    import kbgen.build as kb
    from kbgen.render.renderer import Renderer
    parent = os.getpid()
    render = Renderer.render

    def broken(self, page, plan):
        if os.getpid() != parent:
            raise ValueError("shard broke")
        return render(self, page, plan)

    monkeypatch.setattr(Renderer, "render", broken)
    monkeypatch.setattr(kb, "PARALLEL_MIN_PAGES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    with pytest.raises(RuntimeError, match="(?s)a build worker failed.*shard broke"):
        build(str(project / "kbgen.yml"), str(project / "out"))
    assert not (project / "out" / ".kbgen-manifest.json").exists()


def test_a_build_runs_without_the_cyclic_collector_and_restores_it(project, monkeypatch):
    """With the loaded project alive, each full collection walks all of it; the run goes
    without one, and the process gets its collector back, after a failure too."""
    import gc

    import kbgen.build as kb
    seen = []
    nav_data = kb.nav_data
    monkeypatch.setattr(kb, "nav_data", lambda entries: seen.append(gc.isenabled()) or nav_data(entries))
    assert gc.isenabled()
    build(str(project / "kbgen.yml"), str(project / "out"))
    assert seen and set(seen) == {False} and gc.isenabled()

    def broken(entries):
        raise ValueError("nav broke")

    monkeypatch.setattr(kb, "nav_data", broken)
    with pytest.raises(ValueError):
        build(str(project / "kbgen.yml"), str(project / "out2"))
    assert gc.isenabled()


def test_pages_made_by_other_kbgen_code_are_not_taken_as_current(project, tmp_path_factory, monkeypatch):
    """An editable install keeps its version while its code changes: the inputs' hash
    covers kbgen's own Python code, so a rerun after a code change renders again."""
    import shutil

    import kbgen.build as kb
    copy = tmp_path_factory.mktemp("code") / "kbgen"
    shutil.copytree(kb.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
    before = kb.code_digest(str(copy))
    assert kb.code_digest(str(copy)) == before == kb.code_digest.__wrapped__(str(copy))
    with open(copy / "render" / "text.py", "a", encoding="utf-8") as fh:
        fh.write("\n# changed\n")
    changed = kb.code_digest.__wrapped__(str(copy))
    assert changed != before
    (copy / "vendor").mkdir()  # third-party scripts the plugin serves, not page code
    (copy / "vendor" / "x.py").write_text("# not kbgen's code\n")
    assert kb.code_digest.__wrapped__(str(copy)) == changed

    config, out = str(project / "kbgen.yml"), str(project / "out")
    assert not build(config, out).cached
    assert build(config, out).cached
    monkeypatch.setattr(kb, "code_digest", lambda: "other code")
    again = build(config, out)
    assert not again.cached and again.written == [] and again.unchanged > 10


def test_objects_made_without_the_collector_leave_it_as_old_ones():
    """Left young, everything made during the pause was walked by the first collection
    after it; moved to the oldest generation, it is not, and it stays collectable."""
    import gc

    from kbgen.project import no_gc
    assert gc.isenabled()
    with no_gc():
        assert not gc.isenabled()
        made = [[i] for i in range(50_000)]
        cycle = [made]
        cycle.append(cycle)
    assert gc.isenabled() and gc.get_freeze_count() == 0
    young = {id(o) for o in gc.get_objects(generation=0)} | {id(o) for o in gc.get_objects(generation=1)}
    assert not any(id(o) in young for o in made[::997])
    assert any(o is made for o in gc.get_objects(generation=2))
    del made, cycle
    assert gc.collect() >= 2  # the cycle (and what it held) is still garbage to the collector
