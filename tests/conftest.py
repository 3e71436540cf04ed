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
# One snippet cache for every project copy the tests make (results are keyed by content).
os.environ.setdefault("KBGEN_SNIPPET_CACHE", os.path.join(ROOT, ".cache", "kbgen", "snippets"))


@pytest.fixture(scope="session")
def bundled() -> Project:
    """The bundled data, loaded once."""
    return load_project(os.path.join(ROOT, "kbgen.yml"))


def run_kbgen(*args: str, cwd: str) -> subprocess.CompletedProcess:
    """Run the real command line in a subprocess, as a user would."""
    env = {k: v for k, v in os.environ.items() if k != "KBGEN_DEBUG"}
    return subprocess.run([sys.executable, "-m", "kbgen", *args], cwd=cwd, capture_output=True,
                          text=True, env=env, timeout=120)


def copy_project(dest: str) -> str:
    """A private copy of the bundled project (config, data, docs, mkdocs.yml) to change
    freely; returns the path of its kbgen.yml."""
    import shutil
    for name in ("kbgen.yml", "mkdocs.yml"):
        shutil.copy(os.path.join(ROOT, name), os.path.join(dest, name))
    for name in ("data", "docs", "snippets"):
        shutil.copytree(os.path.join(ROOT, name), os.path.join(dest, name))
    return os.path.join(dest, "kbgen.yml")


def mkdocs_build(cwd: str, site: str, **env: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", site],
                          cwd=cwd, capture_output=True, text=True, env=env, timeout=600)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> str:
    """The bundled site built once by `mkdocs build --strict` from a copy of the project;
    returns the site folder."""
    work = tmp_path_factory.mktemp("site-project")
    copy_project(str(work))
    site = str(work / "site")
    result = mkdocs_build(str(work), site)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    return site


def files(folder) -> dict[str, bytes]:
    """Every file below `folder` (path relative to it) and its bytes."""
    out = {}
    for base, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(base, name)
            with open(path, "rb") as fh:
                out[os.path.relpath(path, folder)] = fh.read()
    return out


def snapshot(folder) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder`: its bytes and mtime, to prove nothing was rewritten."""
    return {rel: (data, os.stat(os.path.join(folder, rel)).st_mtime_ns) for rel, data in files(folder).items()}


@pytest.fixture(scope="session")
def browser():
    """Headless chromium (Debian's) for the session."""
    from playwright.sync_api import sync_playwright

    from browser import ARGS, CHROMIUM
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def site_url(built_site):
    """The bundled site served on localhost."""
    from browser import serve
    with serve(built_site) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh browser context and page per test (own localStorage), watched: requests
    leaving localhost are aborted and recorded on `page.watch`."""
    from browser import watch
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    pg = context.new_page()
    pg.watch = watch(pg)
    yield pg
    context.close()
