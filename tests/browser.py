"""The real browser for the tests: Debian's chromium driven by Playwright, against a
site served on localhost, with every request that would leave localhost aborted and
recorded, and console errors, page errors and dialogs collected so a test can fail on them.
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium tries Google's hosts at every start.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "test-artifacts")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # the test output is for failures
        pass


@contextlib.contextmanager
def serve(folder: str):
    """Serve `folder` on 127.0.0.1 (a free port); yields the base URL ending in `/`."""
    handler = functools.partial(_QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Watch:
    """What a page did that a test should fail on."""
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # requests to localhost that failed
    blocked: list[str] = field(default_factory=list)  # requests that tried to leave localhost
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"failed request: {u}" for u in self.failed]
                + [f"request left localhost: {u}" for u in self.blocked]
                + [f"dialog opened: {m}" for m in self.dialogs])

    def assert_clean(self) -> None:
        assert not self.problems(), "\n".join(self.problems())


def _local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob", "about", "file") or parts.hostname in ("127.0.0.1", "localhost")


def watch(page) -> Watch:
    """Abort every request that leaves localhost and record what went wrong on `page`."""
    w = Watch()

    def route(r):
        if _local(r.request.url):
            r.continue_()
        else:
            w.blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: w.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: w.page_errors.append(str(e)))
    page.on("requestfailed", lambda r: None if not _local(r.url) else w.failed.append(f"{r.url} ({r.failure})"))
    page.on("response", lambda r: w.failed.append(f"{r.url} ({r.status})") if r.status >= 400 else None)

    def dialog(d):
        w.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    page.on("dialog", dialog)
    return w


def screenshot(page, name: str) -> str:
    os.makedirs(ARTIFACTS, exist_ok=True)
    path = os.path.join(ARTIFACTS, name + ".png")
    page.screenshot(path=path, full_page=True)
    return path
