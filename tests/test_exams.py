"""The exam question index: the questions of the exam CSV as a page per subject, linked
both ways with the topic pages; questions naming no topic are listed and reported."""
from __future__ import annotations

import os

import pytest

from conftest import copy_project, run_kbgen
from kbgen.project import load_project
from kbgen.render.pages import Planner

UNKNOWN = '139,2,5,"양자 머신러닝(Quantum ML)의 개념과 한계를, 설명하시오.",양자 머신러닝\n'


@pytest.fixture(scope="module")
def site(bundled):
    return Planner(bundled).plan()


def exams_page(site, subject="ai"):
    return next(p for p in site.pages if p.path == f"{subject}/exams.md")


def test_one_page_per_subject_in_the_nav_under_the_subject(site):
    page = exams_page(site)
    assert page.kind == "exams" and page.title == "📝 기출문제"
    ai = next(e for e in site.nav if e.path == "ai/index.md")
    assert ai.children[-1].title == "📝 기출문제" and ai.children[-1].path == "ai/exams.md"
    assert page.nav["parent"] == ai.title  # Jekyll's navigation


def test_every_question_listed_by_round_newest_first_with_its_topic(bundled, site):
    view = exams_page(site).context()
    listed = [(q["round"], q["session"], q["number"]) for q in view["questions"]]
    assert sorted(listed) == sorted((q.round, q.session, q.number) for q in bundled.exams)
    assert listed == sorted(listed, key=lambda k: (-k[0], k[1], k[2]))
    assert [r["round"] for r in view["rounds"]] == sorted({k[0] for k in listed}, reverse=True)
    paths = {p.topic.title: p.path for p in site.pages if p.topic is not None}
    for q, topic in zip(bundled.exams, bundled.exam_topics):
        entry = next(e for e in view["questions"] if (e["round"], e["session"], e["number"]) == (q.round, q.session, q.number))
        assert entry["question"] == q.question
        # the link is relative to ai/exams.md and names the topic's page
        assert os.path.normpath(os.path.join("ai", entry["link"])) == os.path.normpath(paths[topic.title])
    assert view["missing"] == 0


def test_topic_pages_link_their_questions_to_the_index_entries(site):
    index = {q["anchor"]: q for q in exams_page(site).context()["questions"]}
    lstm = next(p for p in site.pages if p.topic is not None and p.topic.slug == "lstm")
    exams = lstm.context()["exams"]
    assert [(e["round"], e["session"], e["number"]) for e in exams] == [(136, 3, 1), (125, 1, 3)]
    for e in exams:
        target, anchor = e["link"].split("#")
        assert target == "../exams.md"
        assert index[anchor]["link"] == "dl/lstm.md" and index[anchor]["question"] == e["question"]


@pytest.fixture(scope="module")
def unknown_topic_project(tmp_path_factory):
    work = tmp_path_factory.mktemp("exams-unknown")
    config = copy_project(str(work))
    with open(work / "data" / "exams.csv", "a", encoding="utf-8") as fh:
        fh.write(UNKNOWN)
    with open(work / "data" / "exams.csv", encoding="utf-8") as fh:
        row = sum(1 for _ in fh)  # the appended question is on the last line (no multi-line cells)
    return str(work), config, row


def test_lint_reports_a_question_whose_topic_is_missing(unknown_topic_project):
    work, _, row = unknown_topic_project
    lenient = run_kbgen("lint", cwd=work)
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    expected = (f"data/exams.csv, row {row}, column 토픽: warning: question 139회 2교시 5번 names topic "
                "'양자 머신러닝', which no topic has (use a topic's title, alias or slug)")
    assert expected in lenient.stdout
    strict = run_kbgen("lint", "--strict", cwd=work)
    assert strict.returncode == 1 and expected in strict.stdout
    assert "Traceback" not in strict.stdout + strict.stderr


def test_a_question_whose_topic_is_missing_is_listed_without_a_link(unknown_topic_project):
    _, config, _ = unknown_topic_project
    site = Planner(load_project(config)).plan()
    view = exams_page(site).context()
    assert view["rounds"][0]["round"] == 139
    (q,) = view["rounds"][0]["questions"]
    assert q["link"] is None and q["topic"] == "양자 머신러닝" and q["question"].startswith("양자 머신러닝")
    assert view["missing"] == 1


def test_questions_from_topic_files_join_the_index_and_repeated_numbers_get_their_own_anchor(bundled):
    from copy import deepcopy
    from kbgen.model import ExamRef
    project = deepcopy(bundled)
    gru = next(t for t in project.topics if t.slug == "gru")
    rnn = next(t for t in project.topics if t.slug == "rnn")
    gru.exams.append(ExamRef(round=120, session=1, number=2, question="GRU와 LSTM을 비교하시오."))
    rnn.exams.append(ExamRef(round=120, session=1, number=2, question="GRU와 LSTM을 비교하시오."))
    view = exams_page(Planner(project).plan()).context()
    oldest = view["rounds"][-1]
    assert oldest["round"] == 120
    assert [(q["anchor"], q["link"]) for q in oldest["questions"]] == [
        ("q-120-1-2", "dl/rnn.md"), ("q-120-1-2-2", "dl/gru.md")]  # same number: site order


def test_round_session_and_number_may_carry_their_units(tmp_path):
    from kbgen.diagnostics import Report
    from kbgen.sources.exams import read_exams
    path = tmp_path / "exams.csv"
    path.write_text("회차,교시,번호,문제,토픽\n132회,1교시,3번,LSTM을 설명하시오,LSTM\n133 회,2,10,GRU,GRU\n"
                    "134회차,1,1,GAN,GAN\n", encoding="utf-8")
    report = Report()
    questions = read_exams(str(path), report)
    assert [(q.round, q.session, q.number) for q in questions] == [(132, 1, 3), (133, 2, 10)]
    assert [d.format() for d in report.items] == [
        f"{path}, row 4, column 회차: error: '134회차' is not a whole number (write the number, e.g. 132 or 132회)"]


def test_a_semicolon_or_tab_separated_question_file_is_read_as_such(tmp_path):
    from kbgen.diagnostics import Report
    from kbgen.sources.exams import read_exams
    path = tmp_path / "exams.csv"
    for sep in (";", "\t"):
        path.write_text(sep.join(["회차", "교시", "번호", "문제", "토픽"]) + "\n"
                        + sep.join(["132", "1", "3", "LSTM, GRU를 비교하시오", "LSTM"]) + "\n", encoding="utf-8")
        report = Report()
        questions = read_exams(str(path), report)
        assert report.items == []
        assert [(q.round, q.question, q.topic) for q in questions] == [(132, "LSTM, GRU를 비교하시오", "LSTM")]
