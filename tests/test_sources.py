"""The CSV reader, the YAML overlay, mnemonics and lint warnings, on small projects."""
from __future__ import annotations

import json
import os

import pytest

from bad_inputs import HEADER
from conftest import ROOT, run_kbgen
from kbgen.diagnostics import Report
from kbgen.mnemonics import parse_mnemonic_cell
from kbgen.project import load_project, make_slug
from kbgen.sources.sheet import read_sheet
from test_bad_input import make_project

ROWS = [
    ["NO", "토픽", "중토픽", "암기법", "기술요소", "매커니즘"],
    ["15", "딥러닝", "LSTM (Long Short Term Memory)", "정연", "RNN에 게이트를 둔 모델\n[구성요소]\n정보저장삭제\n연산처리", ""],
    ["", "", "", "", "", ""],
    ["16", "딥러닝", "GRU", "", "게이트 2개의 RNN\n[특징]\n- 빠름", "z_t = σ(W_z x_t)"],
]


def write_csv(path, rows, encoding="utf-8", newline="\r\n"):
    import csv
    import io
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
@pytest.mark.parametrize("newline", ["\r\n", "\n"])
def test_encodings_and_line_endings_are_detected(tmp_path, encoding, newline):
    path = tmp_path / "s.csv"
    write_csv(path, ROWS, encoding, newline)
    report = Report()
    sheet = read_sheet(str(path), report)
    assert report.items == []
    assert sheet.encoding == ("cp949" if encoding == "cp949" else "utf-8")
    assert sheet.columns == ROWS[0]
    assert [(r.no, r.row, r.title) for r in sheet.rows] == [(15, 2, "LSTM (Long Short Term Memory)"), (16, 4, "GRU")]
    assert sheet.rows[0].body.splitlines() == ["RNN에 게이트를 둔 모델", "[구성요소]", "정보저장삭제", "연산처리"]
    assert sheet.rows[1].mechanism == "z_t = σ(W_z x_t)"


def test_row_lines_count_multiline_cells(tmp_path):
    path = tmp_path / "s.csv"
    write_csv(path, ROWS)
    sheet = read_sheet(str(path), Report())
    assert [r.line for r in sheet.rows] == [2, 7]  # row 2 spans lines 2-5, row 3 is line 6


def test_extra_columns_are_reported_once_and_ignored(tmp_path):
    path = tmp_path / "s.csv"
    write_csv(path, [ROWS[0] + ["비고", "출처"], ROWS[1] + ["메모", "책"], ROWS[3] + ["", "웹"]])
    report = Report()
    sheet = read_sheet(str(path), report)
    assert [d.format() for d in report.items] == [
        f"{path}, row 1 (line 1), column 비고: warning: unknown column(s) ignored: 비고, 출처 "
        "(kbgen reads NO, 토픽, 중토픽, 암기법, 기술요소, 매커니즘)"]
    assert len(sheet.rows) == 2


def test_header_spellings_people_type_are_read_as_kbgen_columns(tmp_path):
    # `No.`, spaces inside a name, and 메커니즘 (the dictionary spelling of 매커니즘)
    path = tmp_path / "s.csv"
    write_csv(path, [[" No. ", "토픽", "중 토픽", "암기법", "기술 요소", "메커니즘", "비고"],
                     ["16", "딥러닝", "GRU", "", "게이트 2개의 RNN", "z_t = σ(W_z x_t)", "메모"]])
    report = Report()
    sheet = read_sheet(str(path), report)
    assert sheet.columns == ["NO", "토픽", "중토픽", "암기법", "기술요소", "매커니즘", "비고"]
    assert report.codes() == ["csv-unknown-column"]  # 비고 only
    row = sheet.rows[0]
    assert (row.no, row.title, row.body, row.mechanism) == (16, "GRU", "게이트 2개의 RNN", "z_t = σ(W_z x_t)")


def test_a_tab_separated_export_is_read_as_such(tmp_path):
    path = tmp_path / "s.csv"  # saved as .tsv or pasted from the sheet, whatever its name
    rows = [ROWS[0], ["15", "딥러닝", "LSTM", "정연", "RNN에 게이트를 둔 모델\n[구성요소]\n정보저장, 삭제", ""]]
    import csv
    import io
    buf = io.StringIO()
    csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    report = Report()
    sheet = read_sheet(str(path), report)
    assert report.items == [] and sheet.columns == ROWS[0]
    assert sheet.rows[0].body.splitlines() == ["RNN에 게이트를 둔 모델", "[구성요소]", "정보저장, 삭제"]


def test_the_separator_is_the_one_the_header_line_holds(tmp_path):
    # `;`: Excel's CSV where the decimal mark is a comma; the title above the table may
    # hold other separators (its row is skipped with a warning, as for any title)
    import csv
    import io
    for title, delimiter in (("AI 노트, 2026", ";"), ("AI; 딥러닝", ","), ("메모, 정리", "\t")):
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
            [[title], ROWS[0], ["15", "딥러닝", "LSTM", "정연", "RNN에 게이트를 둔 모델\n[구성요소]\n정보저장; 삭제, 갱신", ""]])
        path = tmp_path / "s.csv"
        path.write_text(buf.getvalue(), encoding="utf-8")
        report = Report()
        sheet = read_sheet(str(path), report)
        assert report.codes() == ["csv-rows-above-header"], (delimiter, report.items)
        assert sheet.columns == ROWS[0]
        assert sheet.rows[0].body.splitlines() == ["RNN에 게이트를 둔 모델", "[구성요소]", "정보저장; 삭제, 갱신"]


def test_optional_columns_may_be_missing(tmp_path):
    path = tmp_path / "s.csv"
    write_csv(path, [["NO", "중토픽", "기술요소"], ["1", "퍼셉트론", "가장 단순한 신경망"]])
    report = Report()
    sheet = read_sheet(str(path), report)
    assert report.items == [] and sheet.rows[0].mnemonics == "" and sheet.rows[0].mechanism == ""


def test_text_pasted_into_the_next_row_joins_the_row_above(tmp_path):
    path = tmp_path / "s.csv"
    write_csv(path, [ROWS[0], ROWS[1], ["", "", "", "", "> 이어서 붙여넣은 줄", "h_t = o_t * tanh(c_t)"]])
    report = Report()
    sheet = read_sheet(str(path), report)
    assert report.codes() == ["csv-continuation-row"]
    assert report.items[0].format().endswith(
        "row 3 (line 6), column NO: warning: row has text but no NO; read as the rest of row 2 (NO 15) "
        "(merge the two rows in the sheet)")
    assert sheet.rows[0].body.endswith("연산처리\n> 이어서 붙여넣은 줄")
    assert sheet.rows[0].mechanism == "\nh_t = o_t * tanh(c_t)"


def test_a_title_above_the_header_is_skipped_and_reported(tmp_path):
    path = tmp_path / "s.csv"
    title = ["기술사 기본필수노트 - AI", "", "", "", "", ""]
    write_csv(path, [["", "", "", "", "", ""], title, ["", "", "", "", "", ""], *ROWS])
    report = Report()
    sheet = read_sheet(str(path), report)
    assert [it.format() for it in report.items] == [
        f"{path}, row 2 (line 2): warning: 1 row(s) above the header row (row 4) are not read: "
        "'기술사 기본필수노트 - AI' (delete them from the sheet if they hold more than a title)"]
    assert [(r.no, r.row) for r in sheet.rows] == [(15, 5), (16, 7)]  # rows as the spreadsheet numbers them
    # A header further down than the first rows is not searched for: the first row must be it.
    write_csv(path, [title] * 5 + ROWS)
    report = Report()
    assert read_sheet(str(path), report) is None
    assert report.codes() == ["csv-missing-column"] and "row 1 (line 1)" in report.items[0].format()


def test_no_written_as_a_float_by_excel(tmp_path):
    path = tmp_path / "s.csv"
    write_csv(path, [ROWS[0], ["15.0", "딥러닝", "LSTM", "", "정의", ""]])
    assert read_sheet(str(path), Report()).rows[0].no == 15


def test_slugs():
    assert make_slug("LSTM (Long Short Term Memory)") == "lstm"
    assert make_slug("정밀도/재현율 (Precision/Recall)") == "정밀도-재현율"
    assert make_slug("K-Means 군집화") == "k-means-군집화"
    assert make_slug("ROC 곡선/AUC (Receiver Operating Characteristic)") == "roc-곡선-auc"


def test_mnemonic_cell_tokens_and_context():
    got = [(m.token, m.context) for m in parse_mnemonic_cell("Model Free, Q 정벨큐")]
    assert got == [("정벨큐", "Model Free Q")]
    assert [m.token for m in parse_mnemonic_cell("정연 게셀피모")] == ["정연", "게셀피모"]
    assert [m.token for m in parse_mnemonic_cell("CIA, 기무가")] == ["CIA", "기무가"]


def lint(tmp_path, files, *args):
    make_project(tmp_path, files)
    result = run_kbgen("lint", *args, cwd=str(tmp_path))
    return result.returncode, [line for line in result.stdout.splitlines() if ": warning: " in line or ": error: " in line]


def row(no, title, mnemo, body, mech=""):
    cells = [str(no), "딥러닝", title, mnemo, body, mech]
    return ",".join('"' + c.replace('"', '""') + '"' for c in cells) + "\r\n"


def test_mnemonics_match_sections_and_children(tmp_path):
    body = "RNN에 게이트를 둔 모델\n[구성요소]\n정보저장삭제\n> 게이트(Gate)\n> 셀 상태\n연산처리\n[특징]\nCIA\nConfidentiality\nIntegrity\nAvailability"
    make_project(tmp_path, {"data/ai.csv": HEADER + row(15, "LSTM", "정연 게셀 CIA", body)})
    project = load_project(str(tmp_path / "kbgen.yml"))
    found = {m.token: (m.section, m.item, m.expansion) for m in project.topics[0].mnemonics}
    assert found == {
        "정연": ("구성요소", None, ["정보저장삭제", "연산처리"]),
        "게셀": ("구성요소", "정보저장삭제", ["게이트(Gate)", "셀 상태"]),
        "CIA": ("특징", None, ["Confidentiality", "Integrity", "Availability"]),
    }
    assert project.topics[0].sections[1].mnemonic == "CIA"


def test_lint_warnings_and_strict(tmp_path):
    body = ("RNN에 게이트를 둔 모델\n![셀](https://prod-files-secure.s3.us-west-2.amazonaws.com/a/image.png?X-Amz-Expires=3600)\n"
            "[절차]\n수정반\n수집\n정제\n반영")
    files = {"data/ai.csv": HEADER + row(15, "LSTM", "정연 가나", body) + row(16, "GRU", "", "\n[특징]\n빠름")}
    code, lines = lint(tmp_path, files)
    assert code == 0
    assert lines == [
        "data/ai.csv, row 2 (line 2), column 암기법: warning: mnemonic '정연' spells no list of this topic "
        "(check its syllables against the first syllable of each item, or state it in YAML (mnemonics: [{token, section, expansion}]))",
        "data/ai.csv, row 2 (line 2), column 암기법: warning: mnemonic '가나' spells no list of this topic "
        "(check its syllables against the first syllable of each item, or state it in YAML (mnemonics: [{token, section, expansion}]))",
        "data/ai.csv, row 2 (line 2), column 기술요소, cell line 4: warning: mnemonic line '수정반' under [절차] is not in 암기법 "
        "(가나 정연) (make the cell and the 암기법 column agree)",
        "data/ai.csv, row 3 (line 9), column 기술요소: warning: the topic has no definition (the first line of 기술요소) "
        "(write a one-line definition as the cell's first line, or `definition:` in YAML)",
        "data/ai.csv, row 2 (line 2), column 기술요소, cell line 2: warning: image link is a signed URL that expires "
        "(https://prod-files-secure.s3.us-west-2.amazonaws.com/a/image…) (download the picture into docs/assets and link the file, or draw it with Mermaid)",
    ]
    code, _ = lint(tmp_path, files, "--strict")
    assert code == 1


def test_remote_image_and_unknown_related_in_yaml(tmp_path):
    files = {"data/topics/t.yml": "title: 전이 학습\ncategory: dl\ndefinition: 재사용\nrelated: [LSTM, 없는토픽]\n"
                                  "notes: |\n  그림\n  ![x](https://example.com/a.png)\n"}
    code, lines = lint(tmp_path, files)
    assert lines == [
        "data/topics/t.yml, field 'notes', text line 2: warning: image is hot-linked from another site (https://example.com/a.png) "
        "(keep a copy in docs/assets so the page works offline)",
        "data/topics/t.yml, field 'related[1]': warning: related topic '없는토픽' is not a title, alias or slug of any topic "
        "(fix the name or add it to that topic's aliases)",
    ]


def test_overlay_adds_fields_and_reports_conflicts(tmp_path):
    files = {"data/topics/lstm.yml": "no: 15\ntitle: LSTM 셀\nslug: lstm\nmnemonics:\n  - token: 정연\n    section: 구성요소\n"
                                     "differentiator: 덧셈으로 갱신되는 셀 상태\n"}
    make_project(tmp_path, files)
    project = load_project(str(tmp_path / "kbgen.yml"))
    (topic,) = project.topics
    assert topic.title == "LSTM 셀" and topic.differentiator == "덧셈으로 갱신되는 셀 상태"
    assert topic.origin.yaml_file.endswith("lstm.yml") and topic.origin.row == 2
    assert topic.cells[0].definition == "RNN에 게이트를 둔 모델"  # the sheet's cells stay
    assert [d.format().split(": ", 1)[1] for d in project.report.items] == [
        "warning: 'title' replaces the sheet's value from data/ai.csv row 2 "
        "(change the sheet instead, or drop the field from the file)"]
    assert project.report.items[0].where.line == 2
    assert topic.mnemonics[0].expansion == ["정보저장삭제", "연산처리"]


def test_yaml_topic_of_its_own_sits_in_its_category(tmp_path):
    files = {"data/topics/t.yml": "title: 전이 학습 (Transfer Learning)\ncategory: 2. 딥러닝\ndefinition: 재사용\n"
                                  "sections:\n  - name: 유형\n    items:\n      - term: 특징 추출\n      - term: 미세 조정\n"
                                  "mnemonics:\n  - token: 특미\n"}
    make_project(tmp_path, files)
    project = load_project(str(tmp_path / "kbgen.yml"))
    assert project.report.items == []
    assert [(t.slug, t.category) for t in project.topics] == [("lstm", "dl"), ("전이-학습", "dl")]
    assert project.topics[1].mnemonics[0].expansion == ["특징 추출", "미세 조정"]


def test_bundled_data_lints_clean():
    result = run_kbgen("lint", "--strict", cwd=ROOT)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith(": 0 error(s), 0 warning(s)")


def test_bundled_data_has_what_the_issue_asks(bundled):
    topics = bundled.topics
    assert len(topics) >= 20
    assert len({t.category for t in topics}) >= 5
    lstm = bundled.find("ai", "lstm")
    assert lstm.no == 15 and lstm.title == "LSTM (Long Short Term Memory)"
    assert [m.token for m in lstm.mnemonics] == ["정연", "게셀피모"] and all(m.matched for m in lstm.mnemonics)
    components = next(s for s in lstm.sections if s.name == "구성요소")
    assert [i.label for i in components.items] == ["정보저장삭제", "연산처리"]
    assert [c.label for c in components.items[0].children] == ["Gate", "Cell State"]
    assert len(components.items[1].children) == 4
    assert lstm.keywords and all(k.description for k in lstm.keywords)
    assert lstm.background.problem and lstm.background.uses and lstm.differentiator and lstm.related
    assert len(bundled.exams) >= 15
    assert any(t.origin.row is None for t in topics)  # a YAML-only topic
    assert lstm.exams  # linked from the exam CSV


def test_committed_json_schema_is_current(tmp_path):
    result = run_kbgen("schema", "--out", str(tmp_path), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    for name in ("topic.schema.json", "kbgen.schema.json"):
        with open(os.path.join(ROOT, "schema", name), encoding="utf-8") as fh:
            committed = fh.read()
        assert (tmp_path / name).read_text(encoding="utf-8") == committed, f"run `kbgen schema` to update {name}"
    schema = json.loads((tmp_path / "topic.schema.json").read_text(encoding="utf-8"))
    assert schema["additionalProperties"] is False
    assert {"title", "no", "slug", "mnemonics", "sections", "notes"} <= set(schema["properties"])
    assert schema["$defs"]["Item"]["properties"]["children"]["items"] == {"$ref": "#/$defs/Item"}


def test_topic_files_validate_against_the_json_schema(bundled):
    import jsonschema
    import yaml
    with open(os.path.join(ROOT, "schema", "topic.schema.json"), encoding="utf-8") as fh:
        schema = json.load(fh)
    folder = os.path.join(ROOT, "data", "ai", "topics")
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), encoding="utf-8") as fh:
            data = yaml.safe_load(fh)
        data = {("no" if k is False else k): v for k, v in data.items()}  # YAML 1.1 reads `no:` as False
        jsonschema.validate(data, schema)


GOOD_TOPIC_RELATED = "title: 전이 학습\ncategory: dl\ndefinition: 재사용\nrelated: [LSTM]\n"


def test_a_sheet_that_does_not_read_reports_only_its_own_error(tmp_path):
    """When the sheet fails, overlays, exam questions and `related` that name its topics are
    not reported as pointing nowhere: the one error is the sheet's."""
    from bad_inputs import BASE, GOOD_ROW
    files = {
        "kbgen.yml": BASE["kbgen.yml"] + "exams: data/exams.csv\n",
        "data/ai.csv": HEADER + GOOD_ROW + "l6,딥러닝,GRU,,게이트 2개,\r\n",
        "data/topics/lstm.yml": "no: 15\nslug: lstm\n",
        "data/topics/t.yml": GOOD_TOPIC_RELATED,
        "data/exams.csv": "회차,교시,번호,문제,토픽\n125,1,3,LSTM을 설명하시오.,LSTM\n",
    }
    code, lines = lint(tmp_path, files)
    assert code == 2
    assert lines == ["data/ai.csv, row 3 (line 6), column NO: error: 'l6' is not a number "
                     "(NO must be a whole number that stays with the row)"]
    # Fixed, the same files read clean: the overlay, the question and `related` all find LSTM.
    (tmp_path / "data" / "ai.csv").write_text(HEADER + GOOD_ROW, encoding="utf-8")
    result = run_kbgen("lint", "--strict", cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr



def test_related_names_are_checked_in_one_pass(tmp_path, monkeypatch):
    """`related` is checked against an index built once: lint stays linear in topics
    (it built every other topic's names for each topic, minutes at 5,000 topics)."""
    import kbgen.checks as checks
    import kbgen.project as project_module
    n = 120
    rows = "".join(row(no, f"토픽 {no}", "", f"정의 {no}") for no in range(1, n + 1))
    files = {"data/ai.csv": HEADER + rows,
             "data/topics/t.yml": "title: 전이 학습\ncategory: dl\ndefinition: 재사용\n"
                                  "related: [토픽 7, 전이 학습, 없는토픽]\n"}
    make_project(tmp_path, files)
    project = load_project(str(tmp_path / "kbgen.yml"))
    calls = 0
    real = project_module.topic_names

    def counted(topic):
        nonlocal calls
        calls += 1
        return real(topic)

    monkeypatch.setattr(project_module, "topic_names", counted)
    checks.run_checks(project)
    assert len(project.topics) == n + 1
    assert calls <= 2 * len(project.topics)
    # A topic naming itself and a name no topic has are reported; another topic's name is not.
    assert [d.format() for d in project.report.warnings] == [
        "data/topics/t.yml, field 'related[1]': warning: related topic '전이 학습' is not a title, alias or slug "
        "of any topic (fix the name or add it to that topic's aliases)",
        "data/topics/t.yml, field 'related[2]': warning: related topic '없는토픽' is not a title, alias or slug "
        "of any topic (fix the name or add it to that topic's aliases)",
    ]


def test_a_topic_file_that_does_not_read_reports_only_its_own_error(tmp_path):
    """Names that may be the broken file's topic are not reported as pointing nowhere."""
    from bad_inputs import BASE
    files = {
        "kbgen.yml": BASE["kbgen.yml"] + "exams: data/exams.csv\n",
        "data/topics/gan.yml": "title: GAN\ncategory: dl\ndefinition: [생성자와 판별자\n",
        "data/topics/t.yml": "title: 전이 학습\ncategory: dl\ndefinition: 재사용\nrelated: [GAN]\n",
        "data/exams.csv": "회차,교시,번호,문제,토픽\n125,1,3,GAN을 설명하시오.,GAN\n",
    }
    code, lines = lint(tmp_path, files)
    assert code == 2
    assert lines == ["data/topics/gan.yml, line 4, column 1: error: YAML syntax error: did not find expected ',' or ']' "
                     "while parsing a flow sequence that starts on line 3, column 13 (check the indentation and the "
                     "quotes on this line)"]
    (tmp_path / "data" / "topics" / "gan.yml").write_text("title: GAN\ncategory: dl\ndefinition: 생성자와 판별자\n",
                                                         encoding="utf-8")
    result = run_kbgen("lint", "--strict", cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("key", ["lstm", "15", "LSTM (Long Short Term Memory)", "LSTM", "Long Short Term Memory"])
def test_show_finds_a_topic_by_slug_no_or_name(key):
    result = run_kbgen("show", "ai", key, "--format", "json", cwd=ROOT)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert (data["no"], data["slug"]) == (15, "lstm")
    assert "cells" not in data


def test_show_source_and_unknown_topics():
    shown = run_kbgen("show", "ai", "lstm", "--source", cwd=ROOT)
    assert shown.returncode == 0 and "cells:" in shown.stdout and "게셀피모" in shown.stdout
    # `None` is not the NO of a topic without one (the YAML-only topics).
    for key in ("None", "없는토픽"):
        result = run_kbgen("show", "ai", key, cwd=ROOT)
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == f"error: no topic '{key}' in subject 'ai' (try a slug, NO or title)\n"
