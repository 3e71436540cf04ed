"""The MkDocs plugin: `mkdocs build` generates the pages from the data, sees a changed
cell, keeps its cache untouched when nothing changed, merges annotated pages from docs/,
and `mkdocs serve` watches the data."""
from __future__ import annotations

import json
import os
import re

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, copy_project, mkdocs_build, run_kbgen
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


def test_a_written_page_whose_topic_is_gone_fails_the_strict_build(project):
    assert run_kbgen("build", "--out", "docs", cwd=str(project)).returncode == 0
    path = project / CSV
    path.write_bytes(path.read_bytes().replace("\n7,딥러닝,퍼셉트론 (".encode(), "\n7,딥러닝,단층 퍼셉트론 (".encode(), 1))
    result = mkdocs_build(str(project), str(project / "site"))
    assert result.returncode != 0  # mkdocs.yml has `strict: true`
    assert ("kbgen: ai/dl/퍼셉트론.md is a page kbgen wrote, but no topic in the data makes it any more"
            in result.stderr), result.stderr
    assert "lstm.md is a page" not in result.stderr  # pages the data still makes are merged, not reported
    assert run_kbgen("build", "--out", "docs", cwd=str(project)).returncode == 0  # moves the page
    assert mkdocs_build(str(project), str(project / "site")).returncode == 0


def test_data_error_fails_the_build_with_the_message(project):
    path = project / CSV
    path.write_bytes(path.read_bytes().replace(b"\n15,", b"\n14,", 1))
    result = mkdocs_build(str(project), str(project / "site"))
    assert result.returncode != 0
    assert "NO 14 is used twice" in result.stderr and "Traceback" not in result.stderr


def test_serve_watches_the_data(project):
    from mkdocs.config import load_config
    (project / "templates").mkdir()  # a site's template overrides: a new one must be seen too
    yml = project / "kbgen.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "templates: templates\n", encoding="utf-8")
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
    assert set(server.watched) >= {"kbgen.yml", CSV, os.path.join("data", "ai", "topics"), os.path.join("data", "exams.csv"),
                                   "snippets", "templates"}
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


@pytest.fixture(scope="module")
def site_markdown(bundled):
    """The bundled site's Markdown settings (mkdocs.yml) and its generated pages."""
    import markdown
    from mkdocs.config import load_config

    from kbgen.build import generate
    config = load_config(os.path.join(ROOT, "mkdocs.yml"))
    _, pages, _ = generate(bundled)
    return (lambda text: markdown.Markdown(extensions=config.markdown_extensions,
                                           extension_configs=config.mdx_configs).convert(text)), pages


def test_raw_blocks_set_aside_come_back_as_markdown_would_have_passed_them(site_markdown):
    """The plugin hands kbgen's raw HTML blocks past Python-Markdown (stash, convert,
    restore): every bundled page converts to the same HTML as before, byte for byte."""
    from kbgen.mkdocs_plugin import restore_raw_blocks, stash_raw_blocks
    convert, pages = site_markdown
    token, stashed, last = "kbgenrawtestn", 0, 0
    for path, text in pages.items():
        body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
        short, blocks = stash_raw_blocks(body, token)
        assert len(short) + sum(map(len, blocks)) >= len(body) - 100 * len(blocks)
        html, _ = restore_raw_blocks(convert(short), token, blocks)
        assert html == convert(body), path
        assert token not in html
        assert '<details class="note">' not in short, path  # every 📖 block, wherever it ends
        stashed += len(blocks)
        last += sum(not b.endswith("\n") for b in blocks)
    assert stashed > 2 * len([p for p in pages if p.count("/") == 2])  # tables and 📖 per topic
    assert last >= 1  # a page whose region ends with its 📖 block


def test_raw_blocks_are_taken_only_where_markdown_reads_a_block():
    from kbgen.mkdocs_plugin import restore_raw_blocks, stash_raw_blocks
    from kbgen.render.renderer import BEGIN, END
    table = '<table>\n<tr><td id="row-1">x</td></tr>\n</table>'
    kept = [
        f"```text\n{table}\n```",  # fenced code shows the tags as text
        f"~~~~\n```\n{table}\n~~~~",  # a shorter fence of the other kind does not close it
        f"텍스트 바로 아래\n{table}",  # no blank line before: Markdown's rules, not ours
        f"{table}\n바로 뒤의 텍스트",  # no blank line after
        "<table>\n<tr><td>닫히지 않음</td></tr>",  # never closed
        "    <table>\n    </table>",  # indented: code
    ]
    for case in kept:
        text = f"{BEGIN}\n\n{case}\n\n{END}\n"
        assert stash_raw_blocks(text, "tok") == (text, []), case
    # A block on the region's last line: the end marker (a comment) follows it as a block
    # of its own, so the block comes back without the newline that a blank line would add.
    ended = f"{BEGIN}\n\n{table}\n{END}\n"
    assert stash_raw_blocks(ended, "tok") == (f"{BEGIN}\n\ntok0\n{END}\n", [table])
    run_on = f"{BEGIN}\n\n{table}\n텍스트{END}\n"  # the marker does not start a line
    assert stash_raw_blocks(run_on, "tok") == (run_on, [])
    outside = f"{table}\n\n{BEGIN}\n\n본문\n\n{END}\n\n{table}\n"  # the notes around the region are the user's
    assert stash_raw_blocks(outside, "tok") == (outside, [])
    text = f"{BEGIN}\n\n```\n코드\n```\n\n{table}\n\n<details class=\"note\">\n<ul><li>a</li></ul>\n</details>\n\n{END}\n"
    short, blocks = stash_raw_blocks(text, "tok")
    assert blocks == [table + "\n", '<details class="note">\n<ul><li>a</li></ul>\n</details>\n']
    assert short == f"{BEGIN}\n\n```\n코드\n```\n\ntok0\n\ntok1\n\n{END}\n"
    html, ids = restore_raw_blocks("<p>tok1</p>\n<p>tok0</p>", "tok", blocks)
    assert html == f"{blocks[1]}\n{table}\n" and ids == {"row-1"}
