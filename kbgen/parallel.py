"""`mkdocs build` of a large site on two cores.

MkDocs converts and then renders every page in one process, and at a few thousand pages
that is nearly all of a build. Under the kbgen plugin, after the navigation is made,
the build forks: each process converts and renders its own half of the pages (the first
or the second, in the navigation's order) and goes through the rest of each page's steps (front matter,
`on_page_markdown`) for all, so tags, aliases and titles are known everywhere. At
`on_env` the two swap what a page shows of the others (titles found in the content,
anchor ids for the link checks); after their pages, the second process hands its search
entries and its log records to the first and exits, and the first writes the index and
the rest of the site as MkDocs always does.

Only where that is known to give the same site: `mkdocs build` and `gh-deploy` (not
`serve`), a platform with fork, and no plugin but search, tags, offline and kbgen, since
another plugin may keep per-page state that one process would not see.
`tests/test_parallel.py` compares the site built this way with the single-process one,
file by file.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import traceback
from multiprocessing.connection import Pipe

import mkdocs.commands.build as mkbuild
from mkdocs.exceptions import BuildError, PluginError
from mkdocs.structure.files import InclusionLevel

from .search import entry_page, search_plugin

log = logging.getLogger("mkdocs.plugins.kbgen")

# Plugins whose state a split build keeps whole: search (its entries are merged), tags
# (every page's markdown goes through it in both processes), offline (after the pages).
KNOWN_PLUGINS = frozenset({"search", "material/search", "tags", "material/tags",
                           "offline", "material/offline", "kbgen"})
MIN_PAGES = 200  # below this, the second process's start-up is most of what it saves


def why_not(config, command: str, pages: int, workers: int) -> str | None:
    """Why this build runs in one process, or None to split it."""
    if workers == 1:
        return "workers: 1"
    if command not in ("build", "gh-deploy"):  # `serve` rebuilds in a process with threads
        return f"mkdocs {command}"
    if not hasattr(os, "fork"):
        return "no fork on this platform"
    if (os.cpu_count() or 1) < 2 and workers == 0:
        return "one core"
    others = sorted(name for name in config.plugins if name not in KNOWN_PLUGINS)
    if others:
        return "plugin(s) " + ", ".join(others) + " may keep per-page state"
    if pages < MIN_PAGES and workers == 0:
        return f"{pages} pages"
    return None


class _Capture(logging.Handler):
    """The second process's log records, for the first to log in its place (so `--strict`
    counts them and they are printed once)."""
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _no_render(page, config, files) -> None:  # the other process renders this page
    page.content = ""


class Split:
    """One build split in two: made (forked) at `on_nav`; `exchange` at `on_env`;
    `finish` at `on_post_build`, where the second process ends; `fail` on an error."""

    def __init__(self, files, config, nav) -> None:
        pages = list(files.documentation_pages(inclusion=InclusionLevel.is_included))
        # Site order: the navigation's pages, then those outside it
        built = {f.src_uri for f in pages}
        in_nav = [uri for uri in dict.fromkeys(p.file.src_uri for p in nav.pages) if uri in built]
        uris = [*in_nav, *sorted(built - set(in_nav))]
        self.pages = pages
        self.original = (mkbuild._populate_page, mkbuild._build_page)
        self.capture: _Capture | None = None
        self.conn, theirs = Pipe()
        self.pid = os.fork()
        self.worker = self.pid == 0
        if self.worker:
            self.conn.close()
            self.conn = theirs
            self._become_worker(files, config)
        else:
            theirs.close()
        # Halves, not one page in two: a page shares its navigation with its neighbours
        # (kbgen.navcache), which each process renders in full once.
        half = (len(uris) + 1) // 2
        self.mine = frozenset(uris[half:] if self.worker else uris[:half])
        self._patch()

    def _become_worker(self, files, config) -> None:
        from .build import _die_with_parent
        _die_with_parent()
        self.capture = _Capture()
        logging.getLogger("mkdocs").handlers = [self.capture]
        # What the first process writes once: the theme's files and templates, the tags export.
        mkbuild._build_theme_template = mkbuild._build_extra_template = _skip
        files.copy_static_files = _skip
        tags = config.plugins.get("material/tags")
        if tags is not None and getattr(tags.config, "export", False):
            tags.config.export = False

    def _patch(self) -> None:
        populate, build_page = self.original
        mine = self.mine

        def populate_share(page, config, files, dirty=False):
            if page.file.src_uri not in mine:
                page.render = _no_render.__get__(page)
            populate(page, config, files, dirty)

        def build_share(page, config, doc_files, nav, env, dirty=False, excluded=False):
            if page.file.src_uri in mine:
                build_page(page, config, doc_files, nav, env, dirty, excluded=excluded)

        mkbuild._populate_page, mkbuild._build_page = populate_share, build_share

    def _restore(self) -> None:
        mkbuild._populate_page, mkbuild._build_page = self.original

    def _receive(self, what: str):
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            raise PluginError("kbgen: the second build process died") from None
        if kind == "error":  # logged as MkDocs logs an error of its own process
            records, text, plain = value
            _relog(records)
            raise PluginError(text if plain else f"kbgen: the second build process failed:\n{text}")
        if kind != what:
            raise PluginError(f"kbgen: the second build process sent {kind!r} where {what!r} was due")
        return value

    def _shown(self, files) -> dict[str, tuple]:
        out = {}
        for uri in self.mine:
            page = files.get_file_from_path(uri).page
            out[uri] = (page._title_from_render, page.present_anchor_ids)
        return out

    def exchange(self, files) -> None:
        """What each process's pages show of the other's: titles taken from the content
        (navigation, page footers, tag listings) and anchor ids (MkDocs's link checks)."""
        if self.worker:  # the second sends first: neither waits on a full pipe
            self.conn.send(("shown", self._shown(files)))
            theirs = self._receive("shown")
        else:
            theirs = self._receive("shown")
            self.conn.send(("shown", self._shown(files)))
        for uri, (title, anchors) in theirs.items():
            page = files.get_file_from_path(uri).page
            page._title_from_render, page.present_anchor_ids = title, anchors

    def finish(self, config) -> None:
        """The second process hands over its search entries and log records and exits;
        the first puts the entries in site order and logs the records."""
        search = search_plugin(config)
        index = getattr(search, "search_index", None)
        if self.worker:
            entries = list(getattr(index, "entries", None) or [])
            self.conn.send(("done", (self.capture.records, entries)))
            _exit(0)
        try:
            records, entries = self._receive("done")
        finally:
            self._end()
        _relog(records)
        if index is not None and entries:
            # A page's entries are its URL, then its URL and `#`: the order it is built in.
            order = {f.page.url: i for i, f in enumerate(self.pages) if f.page is not None}
            index.entries = sorted(index.entries + entries,
                                   key=lambda e: order.get(entry_page(e), len(order)))

    def fail(self, error: BaseException) -> None:
        """A failed build: the second process reports it and exits; the first stops it."""
        if self.worker:
            plain = isinstance(error, BuildError)  # MkDocs shows its message alone
            text = str(error) if plain else "".join(traceback.format_exception(error))
            try:
                self.conn.send(("error", (self.capture.records, text, plain)))
            finally:
                _exit(1)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        self._end()

    def _end(self) -> None:
        self._restore()
        self.conn.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def _skip(*args, **kwargs) -> None:
    return None


def _relog(records) -> None:
    for name, level, message in records:
        logging.getLogger(name).log(level, message)


def _exit(code: int) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
