"""The one place that writes to disk: atomic, untouched when the bytes are the same, and
one run at a time per output folder.

- Every file is written to a temporary file beside it (`.<name>.<pid>.kbgen-tmp`, hidden:
  MkDocs and Jekyll skip dotfiles) and renamed over the target, so a reader, or a run
  killed at any moment, sees the old file or the new one, never half of one. A run that
  was killed leaves its temporary files behind; the next run removes them
  (`remove_temporaries`, called under the lock).
- fsync policy: a page that holds bytes only a person can bring back (notes written
  around kbgen's region, a Jekyll page kbgen was applied to) is synced before the rename
  and its folder after it (`durable=True`), so a power cut cannot leave it empty. Pages
  that are all generated are not synced: the data makes them again, and syncing
  thousands of them would cost more than the build. A crash of the process (kill, OOM)
  needs no sync: the rename is atomic in the kernel.
- `output_lock(folder)` takes an exclusive `flock` on `folder/.kbgen.lock`. A second run
  waits for it (`KBGEN_LOCK_TIMEOUT` seconds, default 120) and then refuses with a message
  naming the lock file and the pid holding it. The kernel releases a flock when its holder
  dies, so a killed run never leaves a stale lock; the file itself stays (deleting it
  would let two runs lock two different files).
"""
from __future__ import annotations

import contextlib
import os
import re
import sys
import time

try:
    import fcntl
except ImportError:  # Windows: no flock; runs are not serialised there
    fcntl = None

TMP_SUFFIX = ".kbgen-tmp"
# A page held aside while pages trade places (kbgen.build): never removed by kbgen, as
# after an interrupted run it holds the only copy of someone's notes.
MOVE_SUFFIX = ".kbgen-move"
LOCK_FILE = ".kbgen.lock"
_TMP_NAME = re.compile(r"^\..+\.\d+" + re.escape(TMP_SUFFIX) + r"$")


def write_file(path: str, text: str, durable: bool = False) -> bool:
    """Write `text` to `path` atomically. Returns False (and leaves the file and its mtime
    alone) when the content is already there."""
    return write_bytes(path, text.encode("utf-8"), durable)


def write_bytes(path: str, data: bytes, durable: bool = False) -> bool:
    """`write_file` for bytes (figures)."""
    try:
        with open(path, "rb") as fh:
            if fh.read() == data:
                return False
    except FileNotFoundError:
        pass
    replace_bytes(path, data, durable)
    return True


def replace_bytes(path: str, data: bytes, durable: bool = False) -> os.stat_result:
    """Put `data` at `path` atomically, without comparing first. Returns the new file's
    stat (its size and mtime go to the build's stat cache)."""
    folder = os.path.dirname(path) or "."
    # A temporary name of our own (per process) beside the target, then an atomic rename.
    # mkstemp's random names cost 10x more on some filesystems, for thousands of pages.
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}{TMP_SUFFIX}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(tmp, flags, 0o644)
    except FileNotFoundError:  # a new folder: made once, not checked for every page
        os.makedirs(folder, exist_ok=True)
        fd = os.open(tmp, flags, 0o644)
    try:
        try:  # plain syscalls, no file object: thousands of pages per build
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
            st = os.fstat(fd)  # the rename keeps size and mtime
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    if durable:
        _sync_folder(folder)
    return st


def _sync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some filesystems cannot sync a directory
        pass
    finally:
        os.close(fd)


def remove_temporaries(folder: str, recursive: bool = True, held_aside: list[str] | None = None) -> list[str]:
    """Delete the temporary files a killed run left below `folder` (call it holding the
    folder's lock, so no live run's file is taken). Returns their paths. Pages a killed
    run held aside (MOVE_SUFFIX) are kept, and listed in `held_aside` when given."""
    removed = []
    for base, dirs, names in os.walk(folder):
        if not recursive:
            dirs.clear()
        for name in names:
            if held_aside is not None and name.endswith(MOVE_SUFFIX):
                held_aside.append(os.path.join(base, name))
            elif name.endswith(TMP_SUFFIX) and _TMP_NAME.match(name):
                path = os.path.join(base, name)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                    removed.append(path)
    return removed


class LockTimeout(Exception):
    """Another run holds the output folder's lock and did not let go in time."""

    def __init__(self, lock_path: str, holder: str, waited: float):
        self.lock_path = lock_path
        super().__init__(f"another kbgen run{holder} is writing into {os.path.dirname(lock_path) or '.'}; "
                         f"waited {waited:g} s for its lock file {lock_path}")


def lock_timeout() -> float:
    try:
        return max(0.0, float(os.environ.get("KBGEN_LOCK_TIMEOUT", "120")))
    except ValueError:
        return 120.0


@contextlib.contextmanager
def output_lock(folder: str, timeout: float | None = None):
    """Hold `folder`'s lock for the block; wait up to `timeout` seconds for another run
    to finish (a line on stderr says so), then raise LockTimeout."""
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, LOCK_FILE)
    if fcntl is None:
        yield path
        return
    timeout = lock_timeout() if timeout is None else timeout
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        start = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - start
                if waited >= timeout:
                    raise LockTimeout(path, _holder(fd), round(timeout, 1)) from None
                if not told:
                    print(f"kbgen: waiting for another kbgen run{_holder(fd)} to finish writing into {folder} "
                          f"(lock file {path}; up to {timeout:g} s, KBGEN_LOCK_TIMEOUT)", file=sys.stderr, flush=True)
                    told = True
                time.sleep(0.05)
        yield path
    finally:
        os.close(fd)  # closing the last descriptor releases the flock


def _holder(fd: int) -> str:
    """` (pid N)` of the process holding the lock, from Linux's /proc/locks (the lock file
    stays empty: a run that changes nothing writes nothing)."""
    try:
        st = os.fstat(fd)
        with open("/proc/locks", encoding="ascii", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return ""
    want = f"{os.major(st.st_dev):02x}:{os.minor(st.st_dev):02x}:{st.st_ino}"
    for line in lines:
        fields = line.split()
        # `1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF` (blocked waiters have `->`)
        if "->" not in fields and len(fields) >= 6 and fields[1] == "FLOCK" and fields[5] == want:
            return f" (pid {fields[4]})"
    return ""
