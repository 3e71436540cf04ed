"""Runnable snippets: run a topic's code files during the build and keep what they print
and draw, so a page never shows output typed by hand.

Each snippet runs in its own Python process, in a scratch folder (the figures it saves
there go on the page), with a timeout and a cap on its output; a hung or crashing snippet
is an error naming the topic, the file and the line. Results are cached under the cache
folder by a hash of the code and everything it can import (every `.py` file in the
snippet's folder and below), the Python version and the package versions it may use, so a
rebuild with no snippet change runs nothing.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

FIGURE_EXTENSIONS = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
DEFAULT_TIMEOUT = 60  # seconds
MAX_OUTPUT = 1_000_000  # bytes of standard output a page may show
_PACKAGES = ("numpy", "matplotlib")


@dataclass(slots=True)
class SnippetRun:
    path: str  # as the topic file gives it, relative to the project root
    code: str  # the file, verbatim: what the page shows and the tests run
    stdout: str
    figures: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, content)
    key: str = ""
    seconds: float = 0.0
    cached: bool = False


class SnippetError(Exception):
    """A snippet that cannot be shown: missing, failed, too slow or too talkative."""


def inputs_of(abs_path: str) -> list[str]:
    """The snippet and every `.py` file it may import: the modules beside it and the
    packages (folders with `__init__.py`) below it."""
    folder = os.path.dirname(abs_path)
    found = [abs_path]
    for base, dirs, names in os.walk(folder):
        if base != folder and not os.path.isfile(os.path.join(base, "__init__.py")):
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        found.extend(os.path.join(base, n) for n in sorted(names) if n.endswith(".py"))
    return list(dict.fromkeys(found))


def snippet_versions() -> str:
    parts = [sys.version]
    for name in _PACKAGES:
        try:
            parts.append(f"{name}={version(name)}")
        except PackageNotFoundError:
            parts.append(f"{name}=-")
    return "\n".join(parts)


def snippet_key(abs_path: str) -> str:
    h = hashlib.sha256(snippet_versions().encode())
    folder = os.path.dirname(abs_path)
    for path in inputs_of(abs_path):
        h.update(os.path.relpath(path, folder).encode() + b"\0")
        with open(path, "rb") as fh:
            h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()[:24]


def run_snippet(root: str, rel_path: str, cache_dir: str, timeout: float | None = None,
                max_output: int = MAX_OUTPUT) -> SnippetRun:
    """Run one snippet (or take its cached result). Raises SnippetError."""
    abs_path = os.path.normpath(os.path.join(root, rel_path))
    if not os.path.isfile(abs_path):
        raise SnippetError(f"snippet file {rel_path} does not exist")
    with open(abs_path, encoding="utf-8") as fh:
        code = fh.read()
    key = snippet_key(abs_path)
    done = os.path.join(cache_dir, key)
    if os.path.isfile(os.path.join(done, "result.json")):
        return _load(done, rel_path, code, key)
    scratch = os.path.join(cache_dir, f"{key}.run-{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(os.path.join(scratch, "files"))
    seconds = _execute(abs_path, rel_path, scratch, timeout or DEFAULT_TIMEOUT, max_output)
    figures = sorted(n for n in os.listdir(os.path.join(scratch, "files")) if n.lower().endswith(FIGURE_EXTENSIONS))
    with open(os.path.join(scratch, "result.json"), "w", encoding="utf-8") as fh:
        json.dump({"seconds": round(seconds, 3), "figures": figures}, fh)
    shutil.rmtree(done, ignore_errors=True)
    os.replace(scratch, done)  # the cache entry appears whole or not at all
    run = _load(done, rel_path, code, key)
    run.cached, run.seconds = False, seconds
    return run


def _load(done: str, rel_path: str, code: str, key: str) -> SnippetRun:
    with open(os.path.join(done, "result.json"), encoding="utf-8") as fh:
        meta = json.load(fh)
    with open(os.path.join(done, "stdout.txt"), encoding="utf-8", errors="replace") as fh:
        stdout = fh.read()
    figures = []
    for name in meta["figures"]:
        with open(os.path.join(done, "files", name), "rb") as fh:
            figures.append((name, fh.read()))
    return SnippetRun(path=rel_path, code=code, stdout=stdout, figures=figures, key=key,
                      seconds=meta["seconds"], cached=True)


def _execute(abs_path: str, rel_path: str, scratch: str, timeout: float, max_output: int) -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "MPL"))}
    env.update({
        "PYTHONPATH": os.path.dirname(abs_path),  # the snippet imports its neighbours
        "PYTHONDONTWRITEBYTECODE": "1", "PYTHONHASHSEED": "0", "PYTHONIOENCODING": "utf-8",
        "MPLBACKEND": "Agg", "MPLCONFIGDIR": os.path.join(scratch, "mpl"), "SOURCE_DATE_EPOCH": "0",
    })
    out_path, err_path = os.path.join(scratch, "stdout.txt"), os.path.join(scratch, "stderr.txt")
    start = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        proc = subprocess.Popen([sys.executable, abs_path], cwd=os.path.join(scratch, "files"), env=env,
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
        problem = None
        while proc.poll() is None:
            if time.monotonic() - start > timeout:
                problem = f"did not finish within {timeout:g} s (a loop that never ends?)"
            elif os.path.getsize(out_path) > max_output or os.path.getsize(err_path) > max_output:
                problem = f"printed more than {max_output:,} bytes"
            if problem:
                _kill(proc)
                break
            time.sleep(0.02)
    seconds = time.monotonic() - start
    if problem is None and proc.returncode != 0:
        problem = f"exited with status {proc.returncode}"
    if problem:
        raise SnippetError(_describe(rel_path, abs_path, problem, err_path, out_path))
    return seconds


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # the snippet and anything it started
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def _tail(path: str, limit: int = 800) -> str:
    with open(path, "rb") as fh:
        fh.seek(max(0, os.path.getsize(path) - limit))
        return fh.read().decode("utf-8", errors="replace").strip()


def _describe(rel_path: str, abs_path: str, problem: str, err_path: str, out_path: str) -> str:
    err = _tail(err_path)
    lines = re.findall(rf'File "{re.escape(abs_path)}", line (\d+)', err)
    where = f"{rel_path}, line {lines[-1]}" if lines else rel_path
    last = err.splitlines()[-1] if err else ""
    message = f"{where}: {problem}" + (f": {last}" if last and "exited" in problem else "")
    shown = err or _tail(out_path, 300)
    if shown:
        message += "\n    " + "\n    ".join(shown.splitlines()[-8:])
    return message
