"""The contributor's path: `kbgen new` writes a skeleton that lints, whose commented
examples are themselves valid, and that becomes a page once a definition is written."""
from __future__ import annotations

import dataclasses

import pytest

from conftest import copy_project, run_kbgen
from kbgen.build import generate
from kbgen.diagnostics import Report
from kbgen.model import Topic
from kbgen.project import load_project
from kbgen.scaffold import _EXAMPLES
from kbgen.schema import Validator, public_fields
from kbgen.sources.yamlfile import parse_yaml


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


def test_new_topic_from_nothing_to_a_page(project):
    made = run_kbgen("new", "ai", "시퀀스-투-시퀀스 (Seq2Seq)", cwd=str(project))
    assert made.returncode == 0, made.stderr
    path = project / "data" / "ai" / "topics" / "시퀀스-투-시퀀스.yml"
    text = path.read_text(encoding="utf-8")
    for f, _ in public_fields(Topic):  # every field is there, explained
        assert f"# {f.name}: " in text, f.name
    lint = run_kbgen("lint", "--strict", cwd=str(project))
    assert lint.returncode == 1 and "has no definition" in lint.stdout  # what is left to do
    path.write_text(text.replace("category: ml", "category: nlp\ndefinition: 인코더가 입력 문장을 벡터로 "
                                 "요약하고 디코더가 그 벡터에서 출력 문장을 만드는 구조"), encoding="utf-8")
    assert run_kbgen("lint", "--strict", cwd=str(project)).returncode == 0
    _, pages, _ = generate(load_project(str(project / "kbgen.yml")))
    assert "인코더가 입력 문장을 벡터로" in pages["ai/nlp/시퀀스-투-시퀀스.md"]


def test_new_refuses_what_exists_or_is_unknown(project):
    taken = run_kbgen("new", "ai", "LSTM (Long Short Term Memory)", cwd=str(project))
    assert taken.returncode == 2 and "already has 'LSTM (Long Short Term Memory)'" in taken.stderr
    unknown = run_kbgen("new", "sw", "무언가", cwd=str(project))
    assert unknown.returncode == 2 and "no subject 'sw'" in unknown.stderr
    run_kbgen("new", "ai", "새 토픽", cwd=str(project))
    again = run_kbgen("new", "ai", "새 토픽", "--slug", "새-토픽", cwd=str(project))
    assert again.returncode == 2 and "already" in again.stderr


def test_the_skeletons_commented_examples_are_valid_topic_fields():
    lines = ["title: 예시", "category: ml"]
    for name, example in _EXAMPLES.items():
        lines.append(f"{name}: {example[0]}".rstrip())
        lines.extend(line for line in example[1:] if not line.strip().startswith("#"))
    report = Report()
    data, positions = parse_yaml("\n".join(lines) + "\n", "example.yml", report)
    topic = Validator(report, "example.yml", positions).build(Topic, data)
    assert not report.items, [d.format() for d in report.items]
    filled = {f.name for f in dataclasses.fields(Topic) if getattr(topic, f.name) not in (None, [], "")}
    assert set(_EXAMPLES) <= filled
