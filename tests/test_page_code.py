"""Every fenced Python block of every generated page runs, and prints exactly what the page
shows under it. The page's code is taken from the page itself (not the snippet file), so a
page that drifts from its code fails here with a diff."""
from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT
from kbgen.build import generate
from kbgen.project import load_project

BLOCK = re.compile(r"^(`{3,})python(?P<info>[^\n]*)\n(?P<code>.*?)\n\1$"
                   r"(?:\n\n\*\*실행 결과\*\*\n\n(`{3,})text\n(?P<out>.*?)\n\4$)?", re.S | re.M)


def page_blocks():
    _, pages, _ = generate(load_project(os.path.join(ROOT, "kbgen.yml")))
    found = []
    for path, text in sorted(pages.items()):
        for i, m in enumerate(BLOCK.finditer(text)):
            title = re.search(r'title="([^"]+)"', m.group("info"))
            found.append(pytest.param(path, title.group(1) if title else None, m.group("code"), m.group("out"),
                                      id=f"{path}#{i + 1}"))
    return found


BLOCKS = page_blocks()


def test_the_bundled_pages_carry_code():
    pages = {p.values[0] for p in BLOCKS}
    assert {"ai/dl/lstm.md", "ai/dl/gru.md", "ai/dl/rnn.md", "ai/dl/기울기-소실.md"} <= pages
    assert sum(1 for p in BLOCKS if p.values[3]) >= 5  # blocks that show output


@pytest.mark.parametrize("page, source, code, shown", BLOCKS)
def test_page_code_prints_what_the_page_shows(tmp_path, page, source, code, shown):
    folder = os.path.dirname(os.path.join(ROOT, source)) if source else os.path.join(ROOT, "snippets")
    script = tmp_path / "block.py"
    script.write_text(code + "\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": folder, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0",
           "MPLCONFIGDIR": str(tmp_path / "mpl"), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, f"{page}: a code block fails:\n{result.stderr}"
    printed = result.stdout.removesuffix("\n")
    if shown is not None or printed:
        diff = "\n".join(difflib.unified_diff((shown or "").splitlines(), printed.splitlines(),
                                              "shown on the page", "printed now", lineterm=""))
        assert printed == (shown or ""), f"{page} ({source}): the page shows other output than its code prints:\n{diff}"
