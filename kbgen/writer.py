"""The one place that writes to disk: atomic, and untouched when the bytes are the same."""
from __future__ import annotations

import os


def write_file(path: str, text: str) -> bool:
    """Write `text` to `path` atomically. Returns False (and leaves the file and its mtime
    alone) when the content is already there."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: str, data: bytes) -> bool:
    """`write_file` for bytes (figures)."""
    try:
        with open(path, "rb") as fh:
            if fh.read() == data:
                return False
    except FileNotFoundError:
        pass
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    # A temporary name of our own (per process) beside the target, then an atomic rename.
    # mkstemp's random names cost 10x more on some filesystems, for thousands of pages.
    tmp = os.path.join(folder, f".{os.path.basename(path)}.{os.getpid()}.kbgen-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True
