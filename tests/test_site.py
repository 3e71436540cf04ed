"""The MkDocs site builds with --strict and no warning."""
from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT


def test_mkdocs_build_strict_has_no_warning(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'lang="ko"' in home and "기술사 기본필수노트" in home
