"""The same data gives the same bytes, wherever and whenever it is built, and the build
touches no network.

Two copies of the project in different folders are built with a different hash seed,
time zone and locale; every output file is compared byte for byte. The second full
`mkdocs build` runs with sockets blocked (a sitecustomize.py that records and refuses
every connection and name lookup) and is compared with the session's `built_site`.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import copy_project, files

BLOCKER = '''
import json, os, socket
_LOG = os.environ["KBGEN_NET_LOG"]
def _refuse(what):
    def refuse(*args, **kwargs):
        with open(_LOG, "a") as fh:
            fh.write(json.dumps([what, repr(args[1:] if what == "connect" else args)[:200]]) + "\\n")
        raise OSError("network blocked by the test")
    return refuse
socket.socket.connect = _refuse("connect")
socket.socket.connect_ex = _refuse("connect")
socket.getaddrinfo = _refuse("getaddrinfo")
socket.gethostbyname = _refuse("gethostbyname")
socket.create_connection = _refuse("create_connection")
'''

ENVS = [  # what differs between two machines
    {"PYTHONHASHSEED": "1", "TZ": "UTC", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"},
    {"PYTHONHASHSEED": "4242", "TZ": "Asia/Seoul", "LC_ALL": "ko_KR.UTF-8", "LANG": "ko_KR.UTF-8"},
]


def offline_env(tmp_path, extra: dict) -> tuple[dict, str]:
    folder = tmp_path / "offline"
    folder.mkdir(exist_ok=True)
    (folder / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    log = str(folder / "attempts.jsonl")
    env = {**os.environ, **extra, "PYTHONPATH": str(folder), "KBGEN_NET_LOG": log, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("KBGEN_DEBUG", None)
    return env, log


def attempts(log: str) -> list:
    if not os.path.exists(log):
        return []
    with open(log, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def test_the_blocker_catches_a_connection(tmp_path):
    env, log = offline_env(tmp_path, {})
    code = "import urllib.request\ntry:\n    urllib.request.urlopen('http://example.com', timeout=5)\nexcept OSError:\n    pass\n"
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert attempts(log), "the socket blocker did not see a request"


@pytest.mark.parametrize("fmt", ["mkdocs", "jekyll"])
def test_kbgen_build_is_byte_identical_across_folders_and_machines(tmp_path, fmt):
    outputs, logs = [], []
    for i, extra in enumerate(ENVS):
        work = tmp_path / f"checkout-{i}" / ("deep" * i or "x")
        work.mkdir(parents=True)
        copy_project(str(work))
        env, log = offline_env(tmp_path, extra)
        result = subprocess.run([sys.executable, "-m", "kbgen", "build", "--out", "out", "--format", fmt],
                                cwd=str(work), env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr
        outputs.append(files(work / "out"))
        logs.append(attempts(log))
    assert logs == [[], []], logs
    first, second = outputs
    assert sorted(first) == sorted(second) and len(first) > 30
    assert [p for p in first if first[p] != second[p]] == []  # the manifest too
    manifest = first[".kbgen-manifest.json"].decode("utf-8")
    assert str(tmp_path) not in manifest and "checkout-" not in manifest
    # Its local part (each page's size and mtime) lives under the project's .cache, not here.
    assert os.listdir(tmp_path / "checkout-0" / "x" / ".cache" / "kbgen" / "stat")


def test_mkdocs_build_is_offline_and_byte_identical(tmp_path, built_site):
    work = tmp_path / "other" / "place"
    work.mkdir(parents=True)
    copy_project(str(work))
    env, log = offline_env(tmp_path, ENVS[1])
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd=str(work),
                            env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    assert attempts(log) == []
    mine, theirs = files(work / "site"), files(built_site)
    assert sorted(mine) == sorted(theirs)
    # Material's sitemap carries the build date (and the .gz its time): the one exception.
    dated = {"sitemap.xml", "sitemap.xml.gz"}
    assert [p for p in mine if p not in dated and mine[p] != theirs[p]] == []
    import re
    undated = [re.sub(rb"<lastmod>[^<]*</lastmod>", b"", f["sitemap.xml"]) for f in (mine, theirs)]
    assert undated[0] == undated[1]


def test_mkdocs_build_with_source_date_epoch_is_fully_identical(tmp_path):
    sites = []
    for i, extra in enumerate(ENVS):
        work = tmp_path / f"c{i}"
        work.mkdir()
        copy_project(str(work))
        env, _ = offline_env(tmp_path, {**extra, "SOURCE_DATE_EPOCH": "1700000000"})
        result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", "site"], cwd=str(work),
                                env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stdout + result.stderr
        sites.append(files(work / "site"))
    assert [p for p in sites[0] if sites[0][p] != sites[1].get(p)] == []


def test_a_fresh_clone_with_the_committed_manifest_rebuilds_nothing(tmp_path):
    """The manifest holds page hashes, not mtimes: without the local stat cache (a fresh
    clone, where every mtime is new) the pages are read and found current."""
    import shutil

    from kbgen.build import build
    from test_bad_input import make_project
    make_project(tmp_path, {})
    config, out = str(tmp_path / "kbgen.yml"), str(tmp_path / "docs")
    assert build(config, out).written
    shutil.rmtree(tmp_path / ".cache")
    for base, _, names in os.walk(out):  # a checkout gives every file a new mtime
        for name in names:
            os.utime(os.path.join(base, name), ns=(1, 1))
    again = build(config, out)
    assert again.cached and not again.written
    assert os.listdir(tmp_path / ".cache" / "kbgen" / "stat")  # the stats, recorded for next time
    page = tmp_path / "docs" / "ai" / "dl" / "lstm.md"
    page.write_text(page.read_text(encoding="utf-8") + "손으로 쓴 메모\n", encoding="utf-8")
    touched = build(config, out)
    assert not touched.cached and touched.unchanged  # regenerated: the note is kept, not overwritten
    assert page.read_text(encoding="utf-8").endswith("손으로 쓴 메모\n")
