"""Data -> pages on disk. The core under `kbgen build`, `kbgen check` and the MkDocs plugin.

A folder of written pages carries a manifest (`.kbgen-manifest.json`): a hash of every
input (data files, kbgen.yml, templates, kbgen's version and code), a hash of every page written,
and the navigation. It holds no time and no absolute path, so it can be committed with
the pages. When the inputs hash the same and no page was touched, a rerun loads nothing
and writes nothing. To tell that without reading every page, the size and mtime of each
page go to a local file under the project's `.cache/kbgen/` (never committed).
"""
from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing as mp
import os
import traceback
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from .config import ProjectConfig, load_config
from .diagnostics import Location, Report
from .project import Project, check_data_size, data_files, load_project, no_gc

if TYPE_CHECKING:
    from .render.pages import NavEntry, SitePlan
    from .render.renderer import Renderer
    from .snippets import SnippetRun

# Rendering is imported where it is used: a run that changes nothing needs none of it.
from .render import TEMPLATES
from .writer import MOVE_SUFFIX, LockTimeout, output_lock, remove_temporaries, replace_bytes, write_bytes, write_file

MANIFEST = ".kbgen-manifest.json"
MANIFEST_VERSION = 2
GONE = "its topic is no longer in the data"  # `kbgen check`'s reason for an orphaned page
HELD_ASIDE = "a page held aside by a stopped run, with its notes"  # see _move_pages
STAT_CACHE = os.path.join(".cache", "kbgen", "stat")


@dataclass(slots=True)
class BuildResult:
    report: Report
    paths: list[str] = field(default_factory=list)  # every page of the site (empty on a cache hit)
    nav: list[dict] = field(default_factory=list)  # MkDocs-style nav of the subjects
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, why) left untouched
    orphans: list[str] = field(default_factory=list)  # pages of topics no longer in the data
    moved: list[tuple[str, str]] = field(default_factory=list)  # (old, new) pages of renamed topics
    cached: bool = False  # nothing changed: the manifest answered
    snippets_run: int = 0  # snippets executed (not taken from the cache)


def _kbgen_version() -> str:
    try:
        return version("kbgen")
    except PackageNotFoundError:
        return "dev"


PACKAGE = os.path.dirname(os.path.abspath(__file__))


@functools.lru_cache(maxsize=None)
def code_digest(package: str = PACKAGE) -> str:
    """A hash of kbgen's own Python code: an editable install keeps its version number
    while its code changes, and pages made by older code must not count as current.
    Once per process: code edited under a running process is not the code it runs."""
    h = hashlib.blake2b(digest_size=16)
    for base, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__", "vendor"))
        for name in sorted(n for n in names if n.endswith(".py")):
            path = os.path.join(base, name)
            with open(path, "rb") as fh:
                h.update(os.path.relpath(path, package).encode() + b"\0" + fh.read() + b"\0")
    return h.hexdigest()


def input_files(config: ProjectConfig) -> list[str]:
    """Every file the pages depend on, in a stable order."""
    files = [os.path.join(config.root, config.path), *data_files(config)]
    for folder in (config.resolve(config.templates) if config.templates else None, TEMPLATES,
                   config.resolve(config.snippets) if config.snippets else None):
        if folder:
            for base, _, names in sorted(os.walk(folder)):
                files.extend(os.path.join(base, n) for n in sorted(names) if not n.endswith(".pyc"))
    return files


def inputs_hash(config: ProjectConfig, fmt: str) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{MANIFEST_VERSION}\0{_kbgen_version()}\0{code_digest()}\0{fmt}\0".encode())
    if config.snippets:  # what the snippets print depends on Python and NumPy too
        from .snippets import snippet_versions
        h.update(snippet_versions().encode())
    for path in input_files(config):
        # Names only, relative to where they live: the same data hashes the same in any checkout.
        own = os.path.commonpath([path, TEMPLATES]) == TEMPLATES
        h.update((("kbgen:" + os.path.relpath(path, TEMPLATES)) if own else os.path.relpath(path, config.root)).encode()
                 + b"\0")
        try:
            with open(path, "rb") as fh:  # in chunks: a large file is not held in memory
                h.update(hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).digest())
        except OSError:
            h.update(b"<missing>")
    return h.hexdigest()


def nav_data(entries: list[NavEntry]) -> list[dict]:
    """The subjects' navigation in mkdocs.yml's shape: a section lists its overview page
    first (Material's `navigation.indexes`), then its children."""
    out = []
    for e in entries:
        if e.children:
            out.append({e.title: [e.path, *nav_data(e.children)] if e.path else nav_data(e.children)})
        else:
            out.append({e.title: e.path})
    return out


SNIPPET_CACHE = os.path.join(".cache", "kbgen", "snippets")


def run_snippets(project: Project) -> tuple[dict[int, list[SnippetRun]], int]:
    """Every topic's snippets, run or from the cache: ({id(topic): runs}, how many ran).
    A snippet that fails is an error in the project's report."""
    from .snippets import SnippetError, run_snippet
    root = project.config.root
    # KBGEN_SNIPPET_CACHE lets CI (and the test suite) share one cache between checkouts.
    cache = os.environ.get("KBGEN_SNIPPET_CACHE") or os.path.join(root, SNIPPET_CACHE)
    runs: dict[int, list[SnippetRun]] = {}
    ran = 0
    for topic in project.topics:
        for i, snippet in enumerate(topic.snippets):
            try:
                run = run_snippet(root, snippet.path, cache, snippet.timeout)
            except SnippetError as exc:
                where = Location(file=topic.origin.yaml_file or topic.origin.csv_file or "", field=f"snippets[{i}]")
                project.report.error("snippet-failed", where, f"topic '{topic.title}': snippet {exc}",
                                     f"fix {snippet.path} and run `python {snippet.path}` to check it")
                continue
            ran += not run.cached
            runs.setdefault(id(topic), []).append(run)
    return runs, ran


def plan(project: Project, fmt: str = "mkdocs", runs: dict[int, list[SnippetRun]] | None = None,
         link: bool = True) -> tuple[SitePlan, Renderer]:
    """The site and its renderer; `link=False` leaves the cross-links to `_write_pages`."""
    from .render.pages import plan_site
    from .render.renderer import Renderer
    config = project.config
    return (plan_site(project, config.title, runs or {}, link),
            Renderer(config.resolve(config.templates) if config.templates else None, fmt))


def generate(project: Project, fmt: str = "mkdocs") -> tuple[SitePlan, dict[str, str], dict[str, bytes]]:
    """The pages of the whole site, as text (snippets run or taken from the cache), made
    as `kbgen build` makes them, in forked processes for a large site (`_write_pages`),
    and the files to write besides them: the site's (figures) and those of the pages
    rendered (the deck's cards, made by the process that renders the deck).
    Call only when the project has no errors; a failing snippet adds one."""
    runs, _ = run_snippets(project)
    with no_gc():
        site, renderer = plan(project, fmt, runs, link=False)
        texts: dict[str, str] = {}
        assets = dict(site.assets)
        for path, status, value in _write_pages(site, renderer, None, project.topics):
            (assets if status == "file" else texts)[path] = value
        return site, {page.path: texts[page.path] for page in site.pages if page.path in texts}, assets


# Pages per process below which forking costs more than it saves.
PARALLEL_MIN_PAGES = 600
_JOB: tuple | None = None  # (plan, renderer, out, topics to link) for the forked workers

Result = tuple[str, str, object]  # (path, written|unchanged|refused, (digest, stat) or the reason)


def _mine(site: SitePlan, shard: int, shards: int) -> list:
    """The pages of one shard: a topic's page goes with its topic (whose links the
    shard made), other pages by their place. With several shards, a page with files of
    its own (the deck: its cards take as long as hundreds of topic pages) is left to a
    process of its own (`_files_work`): the OS then shares the cores among three
    processes, where a shard holding the deck would finish last."""
    index = site.planner.index
    return [p for i, p in enumerate(site.pages)
            if (index(p.topic) if p.topic is not None else i) % shards == shard and (shards == 1 or p.files is None)]


def _link_shard(shard: int, shards: int) -> list[tuple[int, list[int]]]:
    site, _, _, topics = _JOB
    return site.planner.link(topics[shard::shards])


def _write_shard(shard: int, shards: int) -> list[Result]:
    """Render, merge and write the shard's pages, and the files that go with them."""
    return _write(_mine(_JOB[0], shard, shards))


def _write(pages: list) -> list[Result]:
    """Render, merge and write `pages`, and the files that go with them; with no output
    folder, render them only: (path, "rendered", text), and (path, "file", bytes) for
    their files."""
    from .regions import RegionError, merge
    site, renderer, out, _ = _JOB
    results: list[Result] = []
    kinds = renderer.kinds()
    for page in pages:
        if page.kind not in kinds:
            continue
        text = renderer.render(page, site)
        if out is None:
            results.append((page.path, "rendered", text))
            if page.files is not None:
                results.extend((path, "file", blob) for path, blob in page.files().items())
            continue
        if page.files is not None:  # the deck's cards
            for path, blob in page.files().items():
                target = os.path.join(out, *path.split("/"))
                status = "written" if write_bytes(target, blob) else "unchanged"
                results.append((path, status, (_digest(blob), _stat(target))))
        target = os.path.join(out, *page.path.split("/"))
        try:
            existing = _read(target)
            merged = merge(existing, text)
        except RegionError as exc:
            results.append((page.path, "refused", str(exc)))
            continue
        data = merged.encode("utf-8")
        if merged == existing:  # same text, same bytes: the page was just read
            results.append((page.path, "unchanged", (_digest(data), _stat(target))))
        else:
            # A page with hand-written parts is synced to disk (see kbgen.writer).
            st = replace_bytes(target, data, durable=merged != text)
            results.append((page.path, "written", (_digest(data), [st.st_size, st.st_mtime_ns])))
    return results


def _answer(conn, work) -> None:
    """Run `work(conn)` in a forked process; a failure goes to the parent as the traceback."""
    try:
        _die_with_parent()
        work(conn)
    except BaseException:
        try:
            conn.send(("error", traceback.format_exc()))
        except OSError:
            pass  # the parent is gone or gave up: it reports its own error
    finally:
        conn.close()


def _shard_work(shard: int, shards: int):
    """A forked shard: its links to the parent, the backlinks from it, then its pages."""
    def work(conn) -> None:
        conn.send(("links", _link_shard(shard, shards)))
        _JOB[0].planner.add_backlinks(conn.recv())
        conn.send(("pages", _write_shard(shard, shards)))
    return work


def _files_work(conn) -> None:
    """The pages with files of their own (see `_mine`): they need no cross-links, so
    their process starts at once."""
    conn.send(("pages", _write([p for p in _JOB[0].pages if p.files is not None])))


def _receive(conn, what: str):
    try:
        kind, value = conn.recv()
    except EOFError:
        raise RuntimeError("a build worker died") from None
    if kind != what:
        raise RuntimeError(f"a build worker failed:\n{value}")
    return value


def _write_pages(site: SitePlan, renderer: Renderer, out: str | None, topics: list) -> list[Result]:
    """Cross-link `topics` (site.planner's), render and write every page (`out` None:
    render only, see `_write`), in this process and, for a large site, in forked ones:
    each makes the links of its share of the topics, they swap who links to whom (the
    backlinks), then each draws its pages. Forked workers inherit the loaded project:
    nothing is pickled but links and results (page texts when rendering only), and the
    paused GC of the callers, `_build` and `generate`."""
    global _JOB
    _JOB = (site, renderer, out, topics)
    shards = min(os.cpu_count() or 1, 4)
    if shards < 2 or len(site.pages) < PARALLEL_MIN_PAGES or "fork" not in mp.get_all_start_methods():
        shards = 1
    ctx = mp.get_context("fork") if shards > 1 else None
    workers = []
    files = None  # the process writing the pages with files (see `_mine`)
    try:
        if shards > 1 and any(p.files is not None for p in site.pages):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_answer, args=(theirs, _files_work), daemon=True)
            proc.start()
            theirs.close()
            files = (proc, mine)
        for shard in range(1, shards):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_answer, args=(theirs, _shard_work(shard, shards)), daemon=True)
            proc.start()
            theirs.close()
            workers.append((proc, mine))
        links = _link_shard(0, shards)
        for _, conn in workers:
            links.extend(_receive(conn, "links"))
        for _, conn in workers:
            conn.send(links)
        site.planner.add_backlinks(links)
        results = _write_shard(0, shards)
        for _, conn in [*workers, *([files] if files else [])]:
            results.extend(_receive(conn, "pages"))
        return results
    finally:
        _JOB = None
        if files:
            workers.append(files)
        for proc, conn in workers:
            conn.close()
            proc.join(5)  # a worker that answered is exiting; one still busy failed us
            if proc.is_alive():
                proc.kill()
                proc.join()


def _die_with_parent() -> None:
    """A worker goes when the run that forked it is killed, rather than write on after
    it (it holds the run's lock until it exits; see kbgen.writer)."""
    try:
        import ctypes
        import signal
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl: go now
        os._exit(1)


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _stat_cache_path(config: ProjectConfig, out: str) -> str:
    name = _digest(os.path.abspath(out).encode("utf-8", "surrogateescape"))
    return os.path.join(config.root, STAT_CACHE, name + ".json")


def _pages_unchanged(config: ProjectConfig, out: str, files: dict[str, str]) -> bool:
    """Every page in the manifest is still there with the bytes kbgen wrote. A page whose
    size and mtime are as recorded locally is not read; others are read and hashed (a
    fresh clone), and their stats recorded for next time."""
    cache_path = _stat_cache_path(config, out)
    try:
        with open(cache_path, encoding="utf-8") as fh:
            stats = json.load(fh)
    except (OSError, ValueError):
        stats = {}
    fresh = {}
    for path, digest in files.items():
        target = os.path.join(out, *path.split("/"))
        st = _stat(target)
        if st is None:
            return False
        if stats.get(path) == [digest, *st]:
            fresh[path] = stats[path]
            continue
        with open(target, "rb") as fh:
            if _digest(fh.read()) != digest:
                return False
        fresh[path] = [digest, *st]
    if fresh != stats:
        _save_stats(cache_path, fresh)
    return True


def _save_stats(cache_path: str, stats: dict) -> None:
    try:
        write_file(cache_path, json.dumps(stats, sort_keys=True))
    except OSError:
        pass  # a read-only checkout: the next run reads the pages instead


def _read_manifest(out: str) -> dict:
    try:
        with open(os.path.join(out, MANIFEST), encoding="utf-8") as fh:
            data = json.load(fh)
        return data if isinstance(data, dict) and data.get("version") == MANIFEST_VERSION else {}
    except (OSError, ValueError):
        return {}


def read_config(config_path: str, report: Report) -> ProjectConfig | None:
    """kbgen.yml, when it loads and its data files are within the size limit (checked
    before hashing reads every file); else None, with the problem in `report`."""
    config = load_config(config_path, report)
    return config if config is not None and check_data_size(config, report) else None


def build(config_path: str, out: str, fmt: str = "mkdocs", lock: bool = True) -> BuildResult:
    """Write the site's pages into `out`. Pages whose bytes would not change are not
    touched; a hand-edited page keeps everything outside kbgen's region. One run at a
    time per `out` (`lock=False`: the caller holds `output_lock(out)`)."""
    report = Report()
    config = read_config(config_path, report)
    if config is None:
        return BuildResult(report=report)
    if not lock:
        return _build(config_path, config, report, out, fmt)
    try:
        with output_lock(out):
            return _build(config_path, config, report, out, fmt)
    except LockTimeout as exc:
        report.error("output-locked", Location(file=exc.lock_path), str(exc),
                     "wait for that run to finish, or set KBGEN_LOCK_TIMEOUT=SECONDS to wait longer")
        return BuildResult(report=report)


@no_gc()
def _build(config_path: str, config: ProjectConfig, report: Report, out: str, fmt: str) -> BuildResult:
    digest = inputs_hash(config, fmt)
    manifest = _read_manifest(out)
    files = manifest.get("files", {})
    if manifest.get("inputs") == digest and _pages_unchanged(config, out, files):
        _held_aside(report, out, _existing(out, _paths(manifest.get("held_aside"))))
        return BuildResult(report=report, nav=manifest.get("nav", []), unchanged=len(files), cached=True,
                           orphans=_existing(out, _paths(manifest.get("orphans"))))

    held_aside: list[str] = []
    remove_temporaries(out, held_aside=held_aside)  # a killed run's; none of a live run, we hold the lock
    held_aside = sorted(_relative(out, p) for p in held_aside)
    project = load_project(config_path)
    result = BuildResult(report=project.report)
    _held_aside(project.report, out, held_aside)
    if project.report.errors:
        return result
    runs, result.snippets_run = run_snippets(project)
    if project.report.errors:
        return result
    site, renderer = plan(project, fmt, runs, link=False)
    if project.report.errors:
        return result
    result.nav = nav_data(site.nav)
    kinds = renderer.kinds()
    result.paths = [page.path for page in site.pages if page.kind in kinds]
    owners = _owners(page for page in site.pages if page.kind in kinds)
    result.moved = _moves(out, manifest.get("topics"), owners, files)
    _move_pages(out, result.moved)  # before the pages are written: the new path merges the old page
    new_files: dict[str, str] = {}
    stats: dict[str, list] = {}
    for path, data in site.assets.items():  # figures the snippets drew
        target = os.path.join(out, *path.split("/"))
        if write_bytes(target, data):
            result.written.append(path)
        else:
            result.unchanged += 1
        new_files[path] = _digest(data)
        stats[path] = [new_files[path], *(_stat(target) or [])]
    current = set(result.paths) | set(site.assets)
    for path, status, detail in _write_pages(site, renderer, out, project.topics):
        current.add(path)  # a page, or a page's own file (the deck's cards)
        if status == "refused":
            result.refused.append((path, detail))
            continue
        if status == "written":
            result.written.append(path)
        else:
            result.unchanged += 1
        new_files[path], st = detail
        stats[path] = [new_files[path], *(st or [])]
    # Remembered until deleted: a later run (and `kbgen check`) names them again.
    known = {*_paths(list(files)), *_paths(manifest.get("orphans"))}
    result.orphans = _existing(out, sorted(p for p in known if p not in current))
    if not result.refused:
        write_file(os.path.join(out, MANIFEST), json.dumps(
            {"version": MANIFEST_VERSION, "inputs": digest, "files": new_files, "nav": result.nav,
             "topics": owners, "orphans": result.orphans, "held_aside": held_aside},
            ensure_ascii=False, indent=0, sort_keys=True) + "\n")
        _save_stats(_stat_cache_path(config, out), stats)
    return result


def _held_aside(report: Report, out: str, paths: list[str]) -> None:
    """Warn, on every run until it is deleted, of each page a stopped run held aside."""
    for path in paths:
        report.warning("page-held-aside", Location(file=os.path.join(out, *path.split("/"))),
                       "a run was stopped while pages traded places: this file holds a page and its notes",
                       "copy your notes from it (below the kbgen:end line) into the topic's page, then delete it")


def _owners(pages) -> dict[str, str]:
    """Page path -> what its topic stays across edits of its title, slug or category: its
    subject and sheet NO, or its topic file."""
    return {page.path: f"{t.subject}#{t.no}" if t.no is not None else f"{t.subject}:{t.origin.yaml_file}"
            for page in pages if (t := page.topic) is not None}


def _paths(value) -> list[str]:
    """Page paths read back from a manifest: relative, inside the folder (it is a file anyone
    can edit, and a path from it may be moved)."""
    if not isinstance(value, list):
        return []
    return [p for p in value if isinstance(p, str) and p and not os.path.isabs(p) and "\\" not in p
            and ".." not in p.split("/")]


def _relative(out: str, path: str) -> str:
    """A file's path below `out` as the manifest and the messages write it."""
    return os.path.relpath(path, out).replace(os.sep, "/")


def _existing(out: str, paths: list[str]) -> list[str]:
    return [p for p in paths if os.path.isfile(os.path.join(out, *p.split("/")))]


def _moves(out: str, before: dict | None, owners: dict[str, str], files: dict[str, str]) -> list[tuple[str, str]]:
    """(old, new) for each topic whose page path changed (its title, slug or category did):
    the build moves the written page, notes and all, and then refreshes kbgen's parts;
    `kbgen check` says so. Pages may move on into each other's old paths (B renamed, A
    renamed to B's old title) or trade them (two titles swapped). Not moved: a page whose
    markers were edited (it is reported as an orphan, untouched), and a page whose new
    path holds a file that stays (one kbgen did not write, an orphan, a page that cannot
    move). `before` is the manifest's path -> owner, `owners` today's."""
    from .regions import RegionError, split
    if not isinstance(before, dict):
        return []
    old_path = {key: path for path, key in before.items() if isinstance(key, str) and path in files and _paths([path])}
    moves: dict[str, str] = {}  # old -> new
    for path, key in owners.items():
        old = old_path.get(key)
        if old is None or old == path:
            continue
        src = os.path.join(out, *old.split("/"))
        if not os.path.isfile(src) or os.path.islink(src):
            continue
        try:
            split(_read(src) or "")
        except (RegionError, OSError):
            continue
        moves[old] = path
    while True:  # a new path must be free or be left by a move; dropping one may block another
        blocked = [old for old, new in moves.items() if new not in moves and os.path.lexists(os.path.join(out, *new.split("/")))]
        if not blocked:
            return list(moves.items())
        for old in blocked:
            del moves[old]


def _move_pages(out: str, moves: list[tuple[str, str]]) -> None:
    """Rename the pages of `_moves`: each chain from its free end back, each cycle (pages
    trading paths) through a hidden name beside one of its pages (MOVE_SUFFIX: kept, and
    reported by the next run, should this run be stopped before it is renamed)."""
    def full(path: str) -> str:
        return os.path.join(out, *path.split("/"))

    def rename(src: str, dst: str) -> None:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        os.replace(src, dst)

    source_of = {new: old for old, new in moves}
    sources = set(source_of.values())
    moved: set[str] = set()

    def back_from(free: str, stop: str | None) -> None:
        """Fill the freed path `free` from its source, then that source from its own, …"""
        old = source_of.get(free)
        while old is not None and old != stop:
            rename(full(old), full(free))
            moved.add(old)
            free, old = old, source_of.get(old)

    for old, new in moves:
        if new not in sources:  # the free end of a chain
            rename(full(old), full(new))
            moved.add(old)
            back_from(old, None)
    for old, new in moves:
        if old in moved:
            continue
        folder, name = os.path.split(full(old))
        n, aside = 1, os.path.join(folder, f".{name}{MOVE_SUFFIX}")
        while os.path.lexists(aside):  # an earlier stopped run's: never overwritten
            n += 1
            aside = os.path.join(folder, f".{name}.{n}{MOVE_SUFFIX}")
        os.replace(full(old), aside)
        moved.add(old)
        back_from(old, old)
        rename(aside, full(new))


@no_gc()
def check(config_path: str, out: str, fmt: str = "mkdocs") -> tuple[Report, list[tuple[str, str]]]:
    """Compare written pages with what the data makes now: (report, [(path, why)]).
    Only kbgen's parts are compared; the user's notes never make a page stale."""
    from .regions import RegionError, generated_part
    project = load_project(config_path)
    stale: list[tuple[str, str]] = []
    if project.report.errors:
        return project.report, stale
    site, pages, assets = generate(project, fmt)
    if project.report.errors:
        return project.report, stale
    for path, data in assets.items():
        try:
            with open(os.path.join(out, *path.split("/")), "rb") as fh:
                if fh.read() != data:
                    stale.append((path, "out of date"))
        except FileNotFoundError:
            stale.append((path, "missing"))
    manifest = _read_manifest(out)
    files = manifest.get("files", {})
    moves = dict(_moves(out, manifest.get("topics"), _owners(p for p in site.pages if p.path in pages), files))
    for path, text in pages.items():
        if path in moves:  # another topic's page now, the build moves this one away first
            stale.append((path, _moved(moves[path])))
            continue
        try:
            existing = _read(os.path.join(out, *path.split("/")))
            if existing is None:
                stale.append((path, "missing"))
                continue
            if generated_part(existing) != generated_part(text):
                stale.append((path, "out of date"))
        except RegionError as exc:
            stale.append((path, f"cannot be updated: {exc}"))
    for path in dict.fromkeys(_paths(list(files)) + _paths(manifest.get("orphans"))):
        if path not in pages and path not in assets and os.path.exists(os.path.join(out, path)):
            if path in moves:
                stale.append((path, _moved(moves[path])))
            else:
                stale.append((path, GONE))
    for base, _, names in os.walk(out):
        for name in sorted(n for n in names if n.endswith(MOVE_SUFFIX)):
            stale.append((_relative(out, os.path.join(base, name)), HELD_ASIDE))
    return project.report, stale


def _moved(new: str) -> str:
    return f"its topic's page is now {new} (the build moves it there, with your notes)"


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:
        from .regions import RegionError
        raise RegionError(f"it is not valid UTF-8 (byte {exc.start})") from None
