"""`mkdocs serve --dirty`: an edit of the data rebuilds only the pages it changes, and what
is served stays what `mkdocs build` makes of the same data, page for page (search index
and tags export included), through title changes, failed builds and hand-written pages."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import copy_project, mkdocs_build

HERE = os.path.dirname(os.path.abspath(__file__))
CSV = os.path.join("data", "ai", "기술사_기본필수노트_AI - AI.csv")
LSTM_YML = os.path.join("data", "ai", "topics", "lstm.yml")
LSTM = "ai/dl/lstm/index.html"
EDIT = ["replace", CSV, "해결한 순환 신경망", "해결한 게이트 순환 신경망"]
UNDO = ["replace", CSV, "해결한 게이트 순환 신경망", "해결한 순환 신경망"]


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


def serve(project, steps: list, mode: str = "dirty") -> tuple[list[dict], str]:
    """Each build's report (see serve_driver.py) and the site folder."""
    site = str(project / "served")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, os.path.join(HERE, "serve_driver.py"), str(project), site, mode,
                             json.dumps(steps)], capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr
    builds = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(builds) == len(steps) + 1, result.stdout + result.stderr
    return builds, site


def files(site: str) -> dict[str, bytes]:
    """Every file of a site but the sitemap, without the canonical link (serve sets its URL)."""
    out = {}
    for base, _, names in os.walk(site):
        for name in names:
            rel = os.path.relpath(os.path.join(base, name), site).replace(os.sep, "/")
            if not rel.startswith("sitemap.xml"):
                with open(os.path.join(base, name), "rb") as fh:
                    out[rel] = b"\n".join(line for line in fh.read().split(b"\n") if b'rel="canonical"' not in line)
    return out


def assert_same_as_a_full_build(project, site: str) -> None:
    clean = str(project / "clean")
    result = mkdocs_build(str(project), clean)
    assert result.returncode == 0, result.stderr
    served, built = files(site), files(clean)
    assert sorted(served) == sorted(built)
    assert [p for p in built if served[p] != built[p]] == []


def test_an_edit_rebuilds_only_the_pages_it_changes(project):
    with open(project / LSTM_YML, encoding="utf-8") as fh:
        assert "keywords:" in fh.read()  # LSTM's keywords are its tags: their links must survive
    builds, site = serve(project, [EDIT, ["none"], ["replace", LSTM_YML, "덧셈으로 갱신되는", "덧셈으로만 갱신되는"]])
    first, edit, nothing, yml = builds
    assert all(b["error"] is None for b in builds)
    assert len(first["written"]) > 30 and LSTM in first["written"]
    # The LSTM page, and the pages that quote its definition (overviews, the search page's
    # neighbours do not): a handful, not the site.
    assert LSTM in edit["written"] and len(edit["written"]) <= 5, edit["written"]
    assert "ai/dl/cnn/index.html" not in edit["written"] and "index.html" not in edit["written"]
    assert nothing["written"] == []
    assert yml["written"] == [LSTM]
    with open(os.path.join(site, LSTM), encoding="utf-8") as fh:
        page = fh.read()
    assert "해결한 게이트 순환 신경망" in page and "덧셈으로만 갱신되는" in page
    assert 'href="../../../tags/#tag:' in page  # tag chips still link to the tags page
    assert_same_as_a_full_build(project, site)


def test_a_new_title_rebuilds_every_page_and_removes_the_old_one(project):
    rename = ["replace", CSV, "\n7,딥러닝,퍼셉트론 (", "\n7,딥러닝,단층 퍼셉트론 ("]
    builds, site = serve(project, [EDIT, rename, UNDO])
    first, edit, renamed, back = builds
    assert all(b["error"] is None for b in builds)
    assert len(edit["written"]) <= 5
    # Every page's navigation shows the title.
    assert len(renamed["written"]) >= len(first["written"]) - 1
    assert not os.path.exists(os.path.join(site, "ai", "dl", "퍼셉트론", "index.html"))
    assert os.path.exists(os.path.join(site, "ai", "dl", "단층-퍼셉트론", "index.html"))
    assert LSTM in back["written"] and len(back["written"]) <= 5
    assert_same_as_a_full_build(project, site)


def test_after_a_failed_build_the_next_one_is_whole(project):
    broken = ["replace", LSTM_YML, "keywords:", "keywords: ["]
    fixed = ["replace", LSTM_YML, "keywords: [", "keywords:"]
    builds, site = serve(project, [broken, EDIT, fixed])
    first, failed, during, whole = builds
    assert failed["error"] and failed["written"] == []  # the YAML error is logged, as mkdocs serve does
    assert during["error"] and during["written"] == []
    assert len(whole["written"]) >= len(first["written"]) - 1  # it holds the edit made meanwhile
    with open(os.path.join(site, LSTM), encoding="utf-8") as fh:
        assert "해결한 게이트 순환 신경망" in fh.read()
    assert_same_as_a_full_build(project, site)


def test_a_hand_written_page_edit_rebuilds_every_page(project):
    """A page in docs/ is not kbgen's to judge: its title may be in every page's navigation."""
    guide = os.path.join("docs", "guide", "data.md")
    builds, site = serve(project, [["append", guide, "\n추가한 문단.\n"], EDIT])
    first, hand, edit = builds
    assert len(hand["written"]) >= len(first["written"]) - 1
    assert len(edit["written"]) <= 5
    with open(os.path.join(site, "guide", "data", "index.html"), encoding="utf-8") as fh:
        assert "추가한 문단." in fh.read()
    assert_same_as_a_full_build(project, site)


def test_without_dirty_every_build_is_whole(project):
    builds, site = serve(project, [EDIT], mode="clean")
    assert len(builds[1]["written"]) >= len(builds[0]["written"]) - 1
    assert_same_as_a_full_build(project, site)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_real_mkdocs_serve_dirty_picks_up_a_cell_edit(project):
    """The command the README gives, as a user runs it: a sheet edit reaches the browser."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"],
                              cwd=str(project), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    url = f"http://127.0.0.1:{port}/{LSTM.removesuffix('index.html')}"
    try:
        deadline = time.monotonic() + 120
        page = None
        while time.monotonic() < deadline and page is None:
            try:
                page = _get(url)
            except OSError:
                time.sleep(0.5)
        assert page is not None and "해결한 순환 신경망" in page
        time.sleep(1.5)  # the watcher's first scan, before the edit
        path = project / CSV
        path.write_bytes(path.read_bytes().replace("해결한 순환 신경망".encode(), "해결한 게이트 순환 신경망".encode(), 1))
        while time.monotonic() < deadline and "해결한 게이트 순환 신경망" not in page:
            time.sleep(0.5)
            page = _get(url)
        assert "해결한 게이트 순환 신경망" in page
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "Traceback" not in output, output
    assert output.count("Building documentation") >= 2, output


def test_dirty_with_strict_says_to_add_no_strict(project):
    """mkdocs.yml has `strict: true`, and MkDocs warns about every dirty build."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{_free_port()}"],
                            cwd=str(project), capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode != 0
    assert "kbgen: `mkdocs serve --dirty` needs `--no-strict`" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
