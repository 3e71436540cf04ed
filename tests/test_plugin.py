"""The MkDocs plugin: `mkdocs build` generates the pages from the data, sees a changed
cell, keeps its cache untouched when nothing changed, merges annotated pages from docs/,
and `mkdocs serve` watches the data."""
from __future__ import annotations

import json
import os
import re

import pytest
from bs4 import BeautifulSoup

from conftest import copy_project, mkdocs_build, run_kbgen
from kbgen.mkdocs_plugin import PACK, KbgenPlugin, squeeze

CSV = os.path.join("data", "ai", "기술사_기본필수노트_AI - AI.csv")
LSTM_HTML = os.path.join("ai", "dl", "lstm", "index.html")


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


def html_text(path) -> str:
    with open(path, encoding="utf-8") as fh:
        return BeautifulSoup(fh.read(), "html.parser").get_text(" ")


def cache_state(project) -> dict[str, int]:
    root = project / ".cache" / "kbgen"
    return {os.path.relpath(os.path.join(b, n), root): os.stat(os.path.join(b, n)).st_mtime_ns
            for b, _, names in os.walk(root) for n in names}


def test_edit_a_cell_rebuild_see_the_change(project):
    first = mkdocs_build(str(project), str(project / "site"))
    assert first.returncode == 0, first.stderr
    assert "해결한 순환 신경망" in html_text(project / "site" / LSTM_HTML)
    path = project / CSV
    path.write_bytes(path.read_bytes().replace("해결한 순환 신경망".encode(), "해결한 게이트 순환 신경망".encode(), 1))
    second = mkdocs_build(str(project), str(project / "site"))
    assert second.returncode == 0, second.stderr
    text = html_text(project / "site" / LSTM_HTML)
    assert "해결한 게이트 순환 신경망" in text and "해결한 순환 신경망" not in text


def test_no_data_change_rewrites_nothing_in_the_cache(project):
    assert mkdocs_build(str(project), str(project / "site")).returncode == 0
    before = cache_state(project)
    with open(project / ".cache" / "kbgen" / "mkdocs" / PACK, encoding="utf-8") as fh:
        assert "ai/dl/lstm.md" in json.load(fh)["pages"]
    assert mkdocs_build(str(project), str(project / "site2")).returncode == 0
    assert cache_state(project) == before
    with open(project / "site" / LSTM_HTML, "rb") as a, open(project / "site2" / LSTM_HTML, "rb") as b:
        assert a.read() == b.read()


def test_annotated_page_in_docs_gets_fresh_data_and_keeps_its_notes(project):
    assert run_kbgen("build", "--out", "docs", cwd=str(project)).returncode == 0
    page = project / "docs" / "ai" / "dl" / "lstm.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## 내 메모\n\n시험장에서 i f g o 순서를 먼저 적는다.\n",
                    encoding="utf-8")
    path = project / CSV
    path.write_bytes(path.read_bytes().replace("해결한 순환 신경망".encode(), "해결한 RNN 변형".encode(), 1))
    result = mkdocs_build(str(project), str(project / "site"))
    assert result.returncode == 0, result.stderr
    text = html_text(project / "site" / LSTM_HTML)
    assert "해결한 RNN 변형" in text and "시험장에서 i f g o 순서를 먼저 적는다." in text
    assert "해결한 RNN 변형" not in page.read_text(encoding="utf-8")  # the plugin never writes into docs/


def test_data_error_fails_the_build_with_the_message(project):
    path = project / CSV
    path.write_bytes(path.read_bytes().replace(b"\n15,", b"\n14,", 1))
    result = mkdocs_build(str(project), str(project / "site"))
    assert result.returncode != 0
    assert "NO 14 is used twice" in result.stderr and "Traceback" not in result.stderr


def test_serve_watches_the_data(project):
    from mkdocs.config import load_config
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["kbgen"]
    assert isinstance(plugin, KbgenPlugin)
    plugin.on_config(config)

    class Server:
        watched: list[str] = []

        def watch(self, path, *args, **kwargs):
            self.watched.append(os.path.relpath(path, project))

    server = plugin.on_serve(Server(), config=config, builder=None)
    assert set(server.watched) >= {"kbgen.yml", CSV, os.path.join("data", "ai", "topics"), os.path.join("data", "exams.csv")}
    assert not any(w in (".", "") or w.startswith("..") for w in server.watched)


def test_squeeze_drops_indentation_and_keeps_verbatim_blocks():
    page = ("<html>\n  <body> \t\n\n    <p>a  b</p>\xa0 \n \xa0 <pre>  x\n    y\n</pre>\n"
            "  <script>\n  if (a)\n    b()\n</script>\r\n\t<i>c</i>  \n  ")
    assert squeeze(page) == ("<html>\n<body>\n<p>a  b</p>\xa0\n<pre>  x\n    y\n</pre>\n"
                             "<script>\n  if (a)\n    b()\n</script>\r\n<i>c</i>\n")
    # Outside the verbatim blocks it is exactly this substitution, on any mix of whitespace.
    alphabet = [" ", "\t", "\n", "\r", "\xa0", "\u3000", "a", "<b>"]
    import random
    rng = random.Random(7)
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(12)))
        assert squeeze(text) == re.sub(r"[ \t]*\n\s*", "\n", text), repr(text)
