"""Every malformed input gets one line naming the file, row or line, column or field, what
is wrong and what to do; exit 2; no traceback; nothing written."""
from __future__ import annotations

import hashlib

import pytest

from bad_inputs import BASE, CASES
from conftest import files, run_kbgen


def make_project(root, files: dict) -> None:
    for rel, body in {**BASE, **files}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body if isinstance(body, bytes) else body.encode("utf-8"))


def snapshot(root) -> dict[str, str]:
    # Hashes, not bytes: a failed comparison prints no 10 MB cell.
    return {rel: hashlib.sha256(data).hexdigest() for rel, data in files(root).items()}


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25
    assert len({c["name"] for c in CASES}) == len(CASES)


def test_the_base_project_is_clean(tmp_path):
    make_project(tmp_path, {})
    result = run_kbgen("lint", "--strict", cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_bad_input(case, tmp_path):
    make_project(tmp_path, case["files"])
    before = snapshot(tmp_path)
    result = run_kbgen("lint", cwd=str(tmp_path))
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [case["expected"]], result.stdout + result.stderr
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(tmp_path) == before
