"""Runnable snippets in the build: code shown verbatim, output and figures from the run,
cached by content, and bad snippets (raising, hanging, flooding, missing) stopped with a
message naming the topic and the file."""
from __future__ import annotations

import os
import shutil
import time

import pytest

from conftest import copy_project, run_kbgen
from kbgen.build import build

GOOD = '''\
import math
print("LSTM 게이트:", ["i", "f", "g", "o"])
print(f"sigmoid(0) = {1 / (1 + math.exp(0)):.2f}")
with open("curve.svg", "w", encoding="utf-8") as fh:
    fh.write('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>')
'''


@pytest.fixture
def project(tmp_path, monkeypatch):
    copy_project(str(tmp_path))
    # The bundled snippets come from the shared cache; these tests' own go to their own.
    shared = os.environ["KBGEN_SNIPPET_CACHE"]
    monkeypatch.setenv("KBGEN_SNIPPET_CACHE", str(tmp_path / "cache"))
    if os.path.isdir(shared):
        shutil.copytree(shared, tmp_path / "cache")
    return tmp_path


def add_snippet(project, code: str, name: str = "demo.py", timeout: int | None = None) -> None:
    # In a folder of its own (not a package), so the bundled snippets do not depend on it.
    (project / "snippets" / "t").mkdir(exist_ok=True)
    (project / "snippets" / "t" / name).write_text(code, encoding="utf-8")
    extra = f"\n    timeout: {timeout}" if timeout else ""
    (project / "data" / "ai" / "topics" / "gru.yml").write_text(
        f"no: 16\nsnippets:\n  - path: snippets/t/{name}\n    caption: 게이트 이름 출력{extra}\n", encoding="utf-8")


def test_snippet_code_output_and_figure_reach_the_page(project):
    add_snippet(project, GOOD)
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(1 snippet(s) run)" in result.stdout
    page = (project / "docs" / "ai" / "dl" / "gru.md").read_text(encoding="utf-8")
    assert '```python title="snippets/t/demo.py"\n' + GOOD + "```" in page  # verbatim
    assert "```text\nLSTM 게이트: ['i', 'f', 'g', 'o']\nsigmoid(0) = 0.50\n```" in page
    figures = list((project / "docs" / "assets" / "snippets").glob("*/curve.svg"))
    assert len(figures) == 1 and figures[0].read_text(encoding="utf-8").startswith("<svg")
    assert f"](../../assets/snippets/{figures[0].parent.name}/curve.svg)" in page
    assert page.index("## 💻 실행 코드") < page.index("## 📖 상세 설명")


def test_a_rebuild_with_no_snippet_change_runs_nothing(project):
    add_snippet(project, GOOD)
    config, out = str(project / "kbgen.yml"), str(project / "docs")
    assert build(config, out).snippets_run == 1
    (project / "data" / "ai" / "topics" / "gru.yml").write_text(
        (project / "data" / "ai" / "topics" / "gru.yml").read_text(encoding="utf-8") + "label: 비교\n", encoding="utf-8")
    again = build(config, out)  # the data changed, the snippet did not
    assert again.snippets_run == 0 and "ai/dl/gru.md" in again.written
    (project / "snippets" / "t" / "helper.py").write_text("X = 1\n", encoding="utf-8")  # something it could import
    assert build(config, out).snippets_run == 1


@pytest.mark.parametrize("code, timeout, expected", [
    ("x = 1\ny = 0\nprint(x / y)\n", None, "snippets/t/bad.py, line 3: exited with status 1: ZeroDivisionError: division by zero"),
    ("while True:\n    pass\n", 2, "snippets/t/bad.py: did not finish within 2 s"),
    ("import sys\nsys.stdout.write('가' * 20_000_000)\n", None, "snippets/t/bad.py: printed more than 1,000,000 bytes"),
])
def test_bad_snippets_fail_the_build_with_topic_file_and_line(project, code, timeout, expected):
    add_snippet(project, code, "bad.py", timeout)
    start = time.monotonic()
    result = run_kbgen("build", "--out", "docs", cwd=str(project))
    assert time.monotonic() - start < 60
    assert result.returncode == 2
    line = next(ln for ln in result.stdout.splitlines() if "error:" in ln)
    assert line.startswith(f"{os.path.join('data', 'ai', 'topics', 'gru.yml')}, field 'snippets[0]': error: "
                           "topic 'GRU (Gated Recurrent Unit)': snippet "), line
    assert expected in line, line
    assert "Traceback" not in result.stderr
    assert not (project / "docs" / "ai").exists()  # nothing half-written


def test_missing_snippet_is_a_data_error_with_its_line(project):
    (project / "data" / "ai" / "topics" / "gru.yml").write_text(
        "no: 16\nsnippets:\n  - path: snippets/nope.py\n", encoding="utf-8")
    result = run_kbgen("lint", cwd=str(project))
    assert result.returncode == 2
    assert (f"{os.path.join('data', 'ai', 'topics', 'gru.yml')}, line 3, column 5, field 'snippets[0].path': "
            "error: snippet file 'snippets/nope.py' does not exist") in result.stdout
