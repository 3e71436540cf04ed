"""Writes are atomic and runs do not interleave: a `kbgen build` killed (SIGKILL) at random
moments leaves every page as the old or the new version, never half; its temporary files
are hidden and the next run removes them and completes the build; a second run waits for
the first (or refuses after KBGEN_LOCK_TIMEOUT, naming the lock file)."""
from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT, copy_project, mkdocs_build, run_kbgen
from kbgen.writer import LOCK_FILE, TMP_SUFFIX, output_lock

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from _sitegen import make_project  # noqa: E402

TOPICS = 1000  # ~2,200 files with the overviews and tags; a run takes a few seconds
KILLS = 20
MANIFEST = ".kbgen-manifest.json"


def kbgen_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "kbgen", *args]


def env(**extra: str) -> dict:
    return {**{k: v for k, v in os.environ.items() if k != "KBGEN_DEBUG"}, **extra}


def pages(folder) -> dict[str, bytes]:
    out = {}
    for base, _, names in os.walk(folder):
        for name in names:
            if not name.startswith("."):
                path = os.path.join(base, name)
                with open(path, "rb") as fh:
                    out[os.path.relpath(path, folder)] = fh.read()
    return out


def temporaries(folder) -> list[str]:
    return [os.path.join(b, n) for b, _, names in os.walk(folder) for n in names if n.endswith(TMP_SUFFIX)]


def revise(sheet: str, mark: str) -> None:
    """Every third row's 기술요소 gets `mark` on its first line (pages change, and with them
    category and subject overviews)."""
    with open(sheet, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    for i, row in enumerate(rows[1:], 1):
        if i % 3 == 0:
            first, _, rest = row[4].partition("\n")
            row[4] = f"{first} {mark}" + (f"\n{rest}" if rest else "")
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    with open(sheet, "w", encoding="utf-8-sig", newline="") as fh:
        fh.write(buf.getvalue())


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A 1,000-topic project with two versions of its sheets, and the pages of each
    version built in full: (project, {version: sheet bytes}, {version: pages}, seconds)."""
    work = tmp_path_factory.mktemp("big")
    make_project(str(work), TOPICS)
    sheets = sorted(os.path.join(b, n) for b, _, names in os.walk(work / "data") for n in names if n == "sheet.csv")
    versions, built, seconds = {}, {}, []
    for version in ("old", "new"):
        if version == "new":
            for sheet in sheets:
                revise(sheet, "(개정판)")
        versions[version] = {}
        for sheet in sheets:
            with open(sheet, "rb") as fh:
                versions[version][sheet] = fh.read()
        start = time.monotonic()
        result = run_kbgen("build", "--out", str(work / f"ref-{version}"), cwd=str(work))
        seconds.append(time.monotonic() - start)
        assert result.returncode == 0, result.stdout + result.stderr
        built[version] = pages(work / f"ref-{version}")
    changed = [p for p in built["new"] if built["old"].get(p) != built["new"][p]]
    assert len(changed) > TOPICS // 4, "the data change must reach many pages"
    # A run that rewrites the changed pages of a built folder: the kind of run the test kills.
    shutil.copytree(work / "ref-old", work / "rewrite")
    use(versions, "new")
    start = time.monotonic()
    result = run_kbgen("build", "--out", str(work / "rewrite"), cwd=str(work))
    rewrite = time.monotonic() - start
    assert result.returncode == 0, result.stdout + result.stderr
    return work, versions, built, rewrite


def use(versions: dict, version: str) -> None:
    for path, data in versions[version].items():
        with open(path, "wb") as fh:
            fh.write(data)


def farther(now: dict, built: dict) -> str:
    """The version fewer pages on disk already match: the next run has the most to write."""
    same = {v: sum(data == built[v].get(p) for p, data in now.items()) for v in ("old", "new")}
    return "new" if same["new"] <= same["old"] else "old"


def test_builds_killed_at_random_moments_leave_whole_pages(big):
    work, versions, built, rewrite = big
    out = work / "killed"
    shutil.copytree(work / "ref-old", out)
    seed = int.from_bytes(os.urandom(4), "big")
    rng = random.Random(seed)
    killed = mixed = attempts = 0
    now = pages(out)
    # Runs that finish before the kill are not counted: on a loaded machine timing drifts,
    # so the loop goes on until KILLS runs were killed (bounded).
    while killed < KILLS and attempts < KILLS * 3:
        attempts += 1
        use(versions, farther(now, built))
        proc = subprocess.Popen(kbgen_cmd("build", "--out", str(out)), cwd=str(work), env=env(),
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, rewrite * 0.95))
        proc.send_signal(signal.SIGKILL)  # only the main process; its workers die with it
        proc.wait()
        killed += proc.returncode == -signal.SIGKILL
        where = f"run {attempts} (seed {seed})"
        now = pages(out)
        for path, data in now.items():
            valid = {built["old"].get(path), built["new"].get(path)}
            assert data in valid, f"{where}: {path} is neither the old nor the new page ({len(data)} bytes)"
        kinds = {"old" if data == built["old"].get(p) else "new" for p, data in now.items()
                 if built["old"].get(p) != built["new"].get(p)}
        mixed += len(kinds) == 2
        # Leftovers are hidden temporaries only (MkDocs and Jekyll skip dotfiles).
        hidden = {os.path.relpath(t, out) for t in temporaries(out)}
        assert all(os.path.basename(t).startswith(".") for t in hidden), hidden
        json.loads((out / MANIFEST).read_text(encoding="utf-8"))  # whole, whichever it is
        print(f"{where}: {'killed' if proc.returncode < 0 else 'finished'}, "
              f"{len(hidden)} temporary file(s) left, pages {'/'.join(sorted(kinds)) or 'unchanged'}")
    assert killed == KILLS, f"only {killed} of {attempts} runs were killed before they finished"
    assert mixed >= 1, "no kill landed while pages were being written"

    use(versions, "new")
    final = subprocess.run(kbgen_cmd("build", "--out", str(out)), cwd=str(work), env=env(),
                           capture_output=True, text=True, timeout=120)
    assert final.returncode == 0, final.stdout + final.stderr
    assert temporaries(out) == []
    assert pages(out) == built["new"]
    check = run_kbgen("check", "--out", str(out), cwd=str(work))
    assert check.returncode == 0 and "up to date" in check.stdout, check.stdout
    print(f"{killed} kill points in {attempts} runs survived ({mixed} with old and new pages side by side), seed {seed}")


def lock_is_held(folder) -> bool:
    try:
        fd = os.open(os.path.join(folder, LOCK_FILE), os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


def test_two_builds_at_once_run_one_after_the_other(big):
    """Two real processes build two versions of the data into one folder: the second waits
    for the first and the folder ends as the second's, every page (interleaved writes
    would leave some pages of the first)."""
    work, versions, built, _ = big
    out = work / "shared"
    other = work / "other"  # the same project with the new sheets
    if not other.exists():
        shutil.copytree(work, other, ignore=shutil.ignore_patterns("ref-*", "killed", "shared"))
    use(versions, "old")
    for path, data in versions["new"].items():
        with open(other / os.path.relpath(path, work), "wb") as fh:
            fh.write(data)
    first = subprocess.Popen(kbgen_cmd("build", "--out", str(out)), cwd=str(work), env=env(),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while not lock_is_held(out):
        assert first.poll() is None and time.monotonic() < deadline, "the first build never took the lock"
        time.sleep(0.01)
    second = subprocess.Popen(kbgen_cmd("build", "--out", str(out)), cwd=str(other), env=env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    a_out, a_err = first.communicate(timeout=120)
    b_out, b_err = second.communicate(timeout=120)
    assert first.returncode == 0, a_out + a_err
    assert second.returncode == 0, b_out + b_err
    assert f"waiting for another kbgen run (pid {first.pid})" in b_err, b_err
    assert os.path.join(str(out), LOCK_FILE) in b_err
    assert pages(out) == built["new"]


@pytest.fixture
def small(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


def test_build_refuses_after_the_timeout_naming_the_lock_file(small):
    out = small / "docs"
    with output_lock(str(out)):
        start = time.monotonic()
        result = subprocess.run(kbgen_cmd("build", "--out", "docs"), cwd=str(small), capture_output=True,
                                text=True, env=env(KBGEN_LOCK_TIMEOUT="1"), timeout=60)
        waited = time.monotonic() - start
    lock = os.path.join("docs", LOCK_FILE)
    assert result.returncode == 2, result.stdout + result.stderr
    assert (f"{lock}: error: another kbgen run (pid {os.getpid()}) is writing into docs; "
            f"waited 1 s for its lock file {lock}") in result.stdout, result.stdout
    assert "KBGEN_LOCK_TIMEOUT" in result.stdout and "Traceback" not in result.stdout + result.stderr
    assert waited >= 1
    assert not (out / "ai").exists()  # nothing written
    # Released (as when the holder dies): the same command goes through.
    assert run_kbgen("build", "--out", "docs", cwd=str(small)).returncode == 0


def test_a_killed_holder_leaves_no_stale_lock(small):
    holder = subprocess.Popen([sys.executable, "-c",
                               "import sys, time; from kbgen.writer import output_lock\n"
                               "with output_lock(sys.argv[1]):\n print('held', flush=True); time.sleep(60)",
                               str(small / "docs")], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    assert lock_is_held(small / "docs")
    holder.kill()
    holder.wait()
    result = subprocess.run(kbgen_cmd("build", "--out", "docs"), cwd=str(small), capture_output=True, text=True,
                            env=env(KBGEN_LOCK_TIMEOUT="0"), timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    holder.stdout.close()


def test_apply_refuses_while_the_site_is_locked(small):
    (small / "site").mkdir()
    with open(small / "kbgen.yml", "a", encoding="utf-8") as fh:
        fh.write("jekyll:\n  site: site\n  folder: docs\n")
    with output_lock(str(small / "site")):
        result = subprocess.run(kbgen_cmd("apply"), cwd=str(small), capture_output=True, text=True,
                                env=env(KBGEN_LOCK_TIMEOUT="0.5"), timeout=60)
    assert result.returncode == 2 and LOCK_FILE in result.stdout and "another kbgen run" in result.stdout, \
        result.stdout + result.stderr
    assert not (small / "site" / "docs").exists()
    assert run_kbgen("apply", cwd=str(small)).returncode == 0


def test_mkdocs_build_refuses_while_the_cache_is_locked(small, monkeypatch):
    monkeypatch.setenv("KBGEN_LOCK_TIMEOUT", "1")
    cache = small / ".cache" / "kbgen" / "mkdocs"
    with output_lock(str(cache)):
        result = mkdocs_build(str(small), str(small / "site"))
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"kbgen: another kbgen run (pid {os.getpid()}) is writing into {cache}" in output, output
    assert os.path.join(str(cache), LOCK_FILE) in output
