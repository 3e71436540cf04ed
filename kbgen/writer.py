"""The one place that writes to disk: atomic, and untouched when the bytes are the same."""
from __future__ import annotations

import os
import tempfile


def write_file(path: str, text: str) -> bool:
    """Write `text` to `path` atomically. Returns False (and leaves the file and its mtime
    alone) when the content is already there."""
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as fh:
            if fh.read() == data:
                return False
    except FileNotFoundError:
        pass
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".kbgen-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return True
