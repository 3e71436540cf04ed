"""`mkdocs build` split over two processes (kbgen.parallel): the same site, byte for byte,
as one process builds; warnings and errors from either process reach the user once."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import copy_project, files, mkdocs_build
from kbgen.parallel import why_not

SPLIT = "are built in two processes"


def edit_config(project, pattern: str, replacement: str) -> None:
    """mkdocs.yml with the one line `pattern` matches replaced."""
    path = os.path.join(project, "mkdocs.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    text, n = re.subn(pattern, replacement, text, count=1, flags=re.M)
    assert n == 1
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def set_workers(project, workers: int) -> None:
    edit_config(project, r"^  - kbgen\b.*$(\n      workers: \d+)?", f"  - kbgen:\n      workers: {workers}")


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


def build(project, workers: int, site: str):
    set_workers(str(project), workers)
    return mkdocs_build(str(project), str(project / site))


def test_two_processes_build_the_same_site_as_one(project):
    one = build(project, 1, "one")
    assert one.returncode == 0, one.stderr
    assert SPLIT not in one.stderr
    two = build(project, 2, "two")
    assert two.returncode == 0, two.stderr
    assert SPLIT in two.stderr
    assert "WARNING" not in two.stderr, two.stderr
    a, b = files(project / "one"), files(project / "two")
    assert sorted(a) == sorted(b)
    differ = [path for path in a if a[path] != b[path]]
    assert differ == []
    # Not a trivial site: topic pages, the tag listing, the search index with every page.
    assert len([p for p in a if p.endswith("index.html")]) > 30
    assert b'"location":"ai/dl/lstm/"' in b[os.path.join("search", "search_index.json")]
    assert os.path.join("tags", "index.html") in b


def add_to_nav(project, uri: str) -> None:
    """The page first in the navigation: in the first process's half (pages outside the
    navigation come last, in the second's)."""
    edit_config(project, r"^nav:.*$", f"nav:\n  - {uri}")


@pytest.mark.parametrize("apart", [False, True])
def test_a_warning_from_either_process_is_counted_once_under_strict(project, apart):
    docs = project / "docs"
    # Two pages with a broken link each: at both ends of the site, the warnings come
    # from both processes; side by side at its end, from the second alone.
    (docs / "zz-a.md").write_text("# A\n\n[x](missing-a.md)\n", encoding="utf-8")
    (docs / "zz-b.md").write_text("# B\n\n[x](missing-b.md)\n", encoding="utf-8")
    if apart:
        add_to_nav(str(project), "zz-b.md")
    result = build(project, 2, "site")
    assert result.returncode == 1
    assert SPLIT in result.stderr
    for name in ("missing-a.md", "missing-b.md"):
        assert result.stderr.count(f"'{name}'") == 1, result.stderr
    assert "Aborted with 2 warnings in strict mode!" in result.stdout + result.stderr


# mkdocs with one page's conversion failing, as a broken Markdown extension would.
BROKEN_RENDER = """
import os, sys
from mkdocs.__main__ import cli
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page
render, main, name = Page.render, os.getpid(), sys.argv.pop(1)
def broken(self, config, files):
    if self.file.src_uri == name:
        print("failed in the", "first" if os.getpid() == main else "second", "process", file=sys.stderr)
        raise PluginError(name + " cannot be converted")
    return render(self, config, files)
Page.render = broken
sys.exit(cli())
"""


@pytest.mark.parametrize("first", [True, False])  # in the first process's half, or the second's
def test_an_error_in_either_process_fails_the_build_as_in_one(project, first):
    name = "zz-x.md"
    (project / "docs" / name).write_text("# X\n", encoding="utf-8")
    if first:
        add_to_nav(str(project), name)
    outputs = {}
    for workers in (1, 2):
        set_workers(str(project), workers)
        result = subprocess.run([sys.executable, "-c", BROKEN_RENDER, name, "build", "--strict", "-d", "site"],
                                cwd=project, capture_output=True, text=True, timeout=600,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
        assert result.returncode == 1
        output = result.stdout + result.stderr
        assert "Traceback" not in output
        assert f"Error reading page '{name}'" in output, output
        assert output.count(f"{name} cannot be converted") == 1, output
        assert (SPLIT in output) == (workers == 2)
        if workers == 2:
            assert f"failed in the {'first' if first else 'second'} process" in output
        outputs[workers] = [line for line in output.splitlines() if "ERROR" in line or "Aborted" in line]
    assert outputs[1] == outputs[2]


class _Config(dict):
    def __init__(self, plugins):
        super().__init__()
        self.plugins = dict.fromkeys(plugins)


def test_when_the_build_stays_in_one_process():
    known = _Config(["material/search", "material/tags", "kbgen"])
    assert why_not(known, "build", 1000, 0) is None
    assert why_not(known, "build", 10, 2) is None  # asked for: any size
    assert why_not(known, "build", 10, 0) == "10 pages"
    assert why_not(known, "build", 1000, 1) == "workers: 1"
    assert why_not(known, "serve", 1000, 2) == "mkdocs serve"
    assert why_not(known, "gh-deploy", 1000, 0) is None
    other = _Config(["material/search", "kbgen", "git-revision-date"])
    assert why_not(other, "build", 1000, 2) == "plugin(s) git-revision-date may keep per-page state"
