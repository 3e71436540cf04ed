from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import settings

from kbgen.project import Project, load_project

# `HYPOTHESIS_PROFILE=fuzz pytest tests/test_lossless.py` for a long run.
settings.register_profile("default", max_examples=300, deadline=None)
settings.register_profile("fuzz", max_examples=20_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope="session")
def bundled() -> Project:
    """The bundled data, loaded once."""
    return load_project(os.path.join(ROOT, "kbgen.yml"))


def run_kbgen(*args: str, cwd: str) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    env = {k: v for k, v in os.environ.items() if k != "KBGEN_DEBUG"}
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=120)
