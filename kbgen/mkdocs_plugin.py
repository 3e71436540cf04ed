"""The `kbgen` MkDocs plugin: `mkdocs build` and `mkdocs serve` generate the topic pages
from kbgen.yml's data, through the same core as `kbgen build`.

- The pages are made by the core of `kbgen build` (`kbgen.build.generate`) and kept in one
  file in a cache folder (`cache_dir`, default `.cache/kbgen`) with the hash of every
  input: with no data change nothing is loaded, rendered or rewritten. One file, not a
  page per file: MkDocs takes the pages from memory, so writing hundreds of files only
  to read them back cost a tenth of a small site's build.
- A page that also exists in `docs/` with kbgen's markers (written once by `kbgen build
  --out docs` and annotated by hand) is served with a fresh generated region and the
  hand-written rest; a page in `docs/` without markers is the user's and wins.
- Navigation: the subjects (subject -> category -> topic) are inserted into `nav` at
  `nav_position` (default 1: after the home page). With no `nav`, one is made.
- Korean search (`korean_search`, on by default): the search index Material's search
  plugin wrote is segmented for Korean and the pages use kbgen's search worker
  (kbgen.search).
- Offline: MathJax, Mermaid and iframe-worker are vendored in kbgen/vendor/ (see
  tools/vendor_js.py) and served under assets/kbgen/vendor/; Mermaid is put on the pages
  that draw a diagram (Material then uses it instead of fetching it from unpkg), MathJax
  is loaded by assets/kbgen/mathjax.js on pages with math. With `offline: true` (default)
  Material's Google Fonts are switched off, a script or style sheet from outside the site
  in extra_javascript/extra_css is reported, and Material's offline plugin (file:// sites)
  gets the vendored iframe-worker.
- `mkdocs serve` watches kbgen.yml, the sheets, the topic folders, the exam file and the
  template folder, and rebuilds when one changes. Under `mkdocs serve --dirty` only the
  pages whose text changed are rebuilt, unless something every page shows changed (see
  `_keep_unchanged`); the search index and the tags export are kept whole.
"""
from __future__ import annotations

import base64
import contextlib
import functools
import json
import logging
import os
import posixpath
import re
import secrets
from html import escape, unescape

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url, get_theme_dir

from .build import BuildResult, generate, input_files, inputs_hash, nav_data, read_config
from .config import find_config, load_config
from . import mdreuse, navcache, themecache
from .parallel import Split, why_not
from .project import load_project, no_gc
from .diagnostics import Report
from .regions import RegionError, merge
from .render.renderer import BEGIN, END, FRONT_MATTER_TAG, Renderer
from .search import (MATERIAL_WORKER, WORKER_URI, KoreanIndex, entry_page, rewrite_index_file, search_plugin, sections,
                     use_worker, worker_script)
from .study.cards import DECK_NAV_TITLE, DECK_PAGE
from .writer import LockTimeout, output_lock, remove_temporaries, replace_bytes

log = logging.getLogger("mkdocs.plugins.kbgen")

ASSETS = {"assets/kbgen/kbgen.css": "kbgen.css", "assets/kbgen/mathjax.js": "mathjax.js",
          "assets/kbgen/deck.css": "deck.css", "assets/kbgen/deck.js": "deck.js",
          "assets/kbgen/exams.js": "exams.js"}
VENDOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor")
VENDOR_URI = "assets/kbgen/vendor/"
PACK = "pages.json"  # in the cache folder: the inputs' hash, the nav, every page and asset
PACK_VERSION = 1
MERMAID = VENDOR_URI + "mermaid/mermaid.min.js"
IFRAME_WORKER = VENDOR_URI + "iframe-worker/shim.js"


class KbgenConfig(Config):
    config = c.Optional(c.Type(str))  # kbgen.yml; default: found from mkdocs.yml's folder upwards
    nav_position = c.Type(int, default=1)
    cache_dir = c.Type(str, default=".cache/kbgen")
    squeeze_html = c.Type(bool, default=True)
    korean_search = c.Type(bool, default=True)  # segment Korean in Material's search index and queries
    offline = c.Type(bool, default=True)  # the site loads nothing from outside itself
    workers = c.Choice((0, 1, 2), default=0)  # processes for the pages: 0 = two on a large site (kbgen.parallel)
    reuse_nav = c.Type(bool, default=True)  # Material's navigation, tabs and labels made once (kbgen.navcache, kbgen.themecache)
    fast_search_index = c.Type(bool, default=True)  # pages split into search sections without HTMLParser (kbgen.search.sections)
    reuse_markdown = c.Type(bool, default=True)  # one Markdown converter per process, reset per page (kbgen.mdreuse)


_XREF = re.compile(r'<a class="kb-xref" href="([^"#]+\.md)(#[^"]*)?"')
# Whitespace is significant only inside these; elsewhere a line's indentation is not.
_AFTER_NEWLINE = re.compile(r"\n\s+")
_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1>", re.S | re.I)


def _unindent(text: str) -> str:
    r"""`re.sub(r"[ \t]*\n\s*", "\n", text)`, faster: a pattern that starts with a newline
    is found by a fast scan, while one that starts with `[ \t]*` is tried at every space.
    So the whitespace after each newline goes first, then the rare spaces left before one."""
    text = _AFTER_NEWLINE.sub("\n", text)
    if " \n" not in text and "\t\n" not in text:
        return text
    lines = text.split("\n")
    return "\n".join([*(line.rstrip(" \t") for line in lines[:-1]), lines[-1]])


def squeeze(html: str) -> str:
    """Drop the indentation Material's templates put on every line (more than half of a
    page's bytes), keeping one newline where there was whitespace, so text and inline
    spacing render the same. `<pre>`, `<textarea>`, `<script>` and `<style>` are kept as is."""
    out, at = [], 0
    for m in _VERBATIM.finditer(html):
        out.append(_unindent(html[at:m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(_unindent(html[at:]))
    return "".join(out)


# kbgen's own raw HTML blocks: an opening line that is the whole line, as its templates write
# it (data is escaped, so no data line can be one), and the line that closes it.
_RAW_BLOCKS = {"<table>": "</table>", '<details class="note">': "</details>"}
# The 📖 heading (topic.md.j2) and the block right after it.
_DETAIL = re.compile(r'(<h2\b[^>]*\bid="detail"[^>]*>.*?</h2>\s*)(<details class="note">.*?</details>)', re.S)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ID = re.compile(r'<[a-zA-Z][^<>]*?\sid="([^"]*)"')


def stash_raw_blocks(markdown: str, token: str) -> tuple[str, list[str]]:
    """The top-level raw HTML blocks of kbgen's region (the keyword and technique tables,
    the 📖 block: three quarters of a topic page's bytes) swapped for a placeholder
    paragraph each, `<token><n>`; `restore_raw_blocks` puts them back into the HTML.
    Python-Markdown would parse them twice (MkDocs's anchor scan, then its own HTML block
    parser) only to pass them through as they are. A block is taken only where Markdown
    reads it as one: after a blank line, closed by its own line, followed by a blank
    line or by the region's end marker, outside fenced code."""
    start = markdown.find(BEGIN)
    end = markdown.find(END, start + 1)
    if start < 0 or end < 0:
        return markdown, []
    lines = markdown[start:end].split("\n")
    out: list[str] = []
    blocks: list[str] = []
    fence = ""
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        i += 1
        if fence:  # inside fenced code until a closing fence of the same kind and length
            m = _FENCE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not line[m.end():].strip():
                fence = ""
        elif (m := _FENCE.match(line)) is not None:
            fence = m.group(1)
        elif (close := _RAW_BLOCKS.get(line)) is not None and (not out or not out[-1].strip()):
            try:
                j = lines.index(close, i)
            except ValueError:
                j = -1
            # Python-Markdown ends a raw block followed by a blank line with a newline. A
            # block on the region's last line is followed by the end marker, a comment that
            # Markdown makes a block of its own: the placeholder paragraph gets the same.
            if 0 <= j < n - 2 and not lines[j + 1].strip():
                blocks.append("\n".join(lines[i - 1:j + 1]) + "\n")
            elif j == n - 2 and not lines[n - 1]:
                blocks.append("\n".join(lines[i - 1:j + 1]))
            else:
                out.append(line)
                continue
            out.append(f"{token}{len(blocks) - 1}")
            i = j + 1
            continue
        out.append(line)
    if not blocks:
        return markdown, []
    return markdown[:start] + "\n".join(out) + markdown[end:], blocks


def restore_raw_blocks(html: str, token: str, blocks: list[str]) -> tuple[str, set[str]]:
    """The HTML with each placeholder paragraph replaced by its block, and the blocks'
    element ids (MkDocs collects those from raw HTML, for its anchor checks)."""
    html = re.sub(f"<p>{token}(\\d+)</p>", lambda m: blocks[int(m.group(1))], html)
    return html, {unescape(m.group(1)) for b in blocks for m in _ID.finditer(b)}


class _Generated(File):
    """A page kbgen made. Under `mkdocs serve --dirty` one whose text, and the site's
    navigation, are as the previous build left them is `kept`: MkDocs skips it."""
    kept = False

    def is_modified(self) -> bool:
        return not self.kept


def _modified() -> bool:  # a hand-written page's is_modified when every page must be rebuilt
    return True


def _read_bytes(path: str | None) -> bytes:
    try:
        with open(path or "", "rb") as fh:
            return fh.read()
    except OSError:
        return b""


def _front_matter(text: str) -> str:
    return text[:text.find("\n---", 3) + 1] if text.startswith("---") else ""


class KbgenPlugin(BasePlugin[KbgenConfig]):
    search_worker = False
    # Across the builds of one `mkdocs serve --dirty` (MkDocs keeps a plugin that has
    # on_startup): what the last build made, and its search entries page by page.
    dirty = False
    previous: tuple | None = None  # (nav, page texts, mkdocs.yml, page files) of the last build
    pending: tuple | None = None  # the same for this build, kept once it succeeds
    search_pages: dict[str, list] | None = None
    partial = False  # this build rebuilds only the pages that changed
    tags_export: bytes | None = None
    gone: set[str] = set()
    failed = False
    aliases: dict[str, list[str]]  # page URL -> its topic's other names; kept over a partial build
    generated: frozenset[str] = frozenset()  # the pages kbgen made, set per build by on_files
    raw_blocks: dict[str, list[str]]
    raw_token = ""
    command = "build"
    split: Split | None = None
    detail: str | None = None  # the page's 📖 block while the search reads the page
    shared_nav: navcache.NavCache | None = None
    shared_labels: themecache.Labels | None = None
    shared_tabs: themecache.Tabs | None = None
    search_sections: sections.FastEntries | None = None
    converter: mdreuse.Converter | None = None
    korean_index: KoreanIndex | None = None

    def on_startup(self, *, command, dirty):
        self.dirty = command == "serve" and dirty
        self.command = command

    def on_config(self, config):
        root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        path = self.config.config
        self.kbgen_yml = os.path.join(root, path) if path else find_config(root)
        if not self.kbgen_yml or not os.path.isfile(self.kbgen_yml):
            raise PluginError(f"kbgen: no kbgen.yml found from {root} (set `config:` under the kbgen plugin)")
        self.cache = os.path.join(root, self.config.cache_dir, "mkdocs")
        if self.dirty and config.strict:  # else MkDocs's own warning about --dirty stops the build
            raise PluginError("kbgen: `mkdocs serve --dirty` needs `--no-strict` (MkDocs warns about every "
                              "dirty build, and strict mode stops on a warning); `mkdocs build --strict` "
                              "still checks the whole site")
        # The CSS and the MathJax settings go first so a site's own files can override them.
        config.extra_css[0:0] = ["assets/kbgen/kbgen.css", "assets/kbgen/deck.css"]
        # The deck page loads its own script (deck.md.j2), before the theme's bundle.
        config.extra_javascript[0:0] = ["assets/kbgen/mathjax.js"]
        config.extra_javascript.append("assets/kbgen/exams.js")  # the exam index's filters
        if self.config.offline:
            self._offline(config)
        return config

    def on_pre_build(self, config):
        # After every plugin's on_config: some add Markdown extensions there (mkdocstrings).
        self.converter = None
        if self.config.reuse_markdown:
            why = mdreuse.why_not(config)
            if why is None:
                self.converter = mdreuse.Converter(config)
            else:
                log.debug("kbgen: a Markdown converter per page (%s)", why)

    def _offline(self, config) -> None:
        if config.theme.name == "material":
            config.theme["font"] = False  # no Google Fonts; kbgen.css sets a system font stack
        for key in ("extra_javascript", "extra_css"):
            for item in config[key]:
                if re.match(r"(https?:)?//", str(item)):
                    log.warning("kbgen: %s loads %s from outside the site, which breaks the site offline; "
                                "remove it (kbgen serves MathJax and Mermaid itself) or set `offline: false` "
                                "under the kbgen plugin", key, item)
        # Material's offline plugin adds iframe-worker from unpkg unless a polyfill names it.
        offline = [p for name, p in config.plugins.items() if name.split("/")[-1] == "offline"]
        if any(getattr(p.config, "enabled", False) for p in offline):
            polyfills = [u for u in config.extra.get("polyfills", []) if "iframe-worker" not in str(u)]
            config.extra["polyfills"] = [*polyfills, IFRAME_WORKER]

    def on_files(self, files: Files, config) -> Files:
        # Held while the pages are read back too, so another build of this cache (a second
        # `mkdocs serve`) cannot swap them mid-read.
        try:
            with output_lock(self.cache):
                result, pages, drawn = _generate(self.kbgen_yml, self.cache)
            self._fail_on(result)
        except LockTimeout as exc:
            raise PluginError(f"kbgen: {exc} (wait for it to finish, or set KBGEN_LOCK_TIMEOUT=SECONDS)") from None
        renderer = Renderer()  # the assets ship with the renderer's templates
        for uri, name in ASSETS.items():
            files.append(File.generated(config, uri, content=renderer.asset(name)))
        for uri, path in _vendored().items():
            files.append(File.generated(config, uri, abs_src_path=path))
        for uri, data in drawn.items():  # figures the snippets drew
            files.append(File.generated(config, uri, content=data))
        for uri, text in pages.items():
            mine = files.get_file_from_path(uri)
            if mine is not None and mine.abs_src_path and not mine.generated_by:
                with open(mine.abs_src_path, encoding="utf-8") as fh:
                    own = fh.read()
                try:
                    text = merge(own, text)
                except RegionError:
                    log.info("kbgen: %s is a hand-written page (no kbgen markers); it is used as it is", uri)
                    continue
                files.remove(mine)
            files.append(_Generated.generated(config, uri, content=text))
        _warn_orphans(files, pages)
        subjects = _escape_nav(result.nav)
        if DECK_PAGE in pages:  # the daily deck goes right after the home page
            subjects = [{DECK_NAV_TITLE: DECK_PAGE}, *subjects]
        self.generated = frozenset(pages)
        config.nav = self._nav(config.nav, subjects, files, self.generated)
        self._keep_unchanged(files, config)
        self.search_worker = self._add_search_worker(files, config, renderer)
        if not self.partial:
            self.aliases = {}
        self.raw_token = f"kbgenraw{secrets.token_hex(6)}n"  # per build: no text holds it
        self.raw_blocks = {}
        return files

    def _keep_unchanged(self, files: Files, config) -> None:
        """`mkdocs serve --dirty`: mark the pages that need no rebuild. Every page is
        rebuilt, hand-written ones too, when the navigation, the set of pages, mkdocs.yml,
        a hand-written page or a changed page's front matter (title, tags) differ, since
        every page shows those."""
        self.partial = False
        if not self.dirty:
            return
        mine = [f for f in files.documentation_pages() if isinstance(f, _Generated)]
        others = [f for f in files.documentation_pages() if not isinstance(f, _Generated)]
        texts = {f.src_uri: f.content_string for f in mine}
        dests = {f.abs_dest_path for f in mine}
        state = (config.nav, texts, _read_bytes(config.config_file_path), dests)
        previous, self.pending = self.previous, state
        self.gone = previous[3] - dests if previous else set()  # a renamed or removed topic's page
        changed = {uri for uri, text in texts.items() if previous is None or previous[1].get(uri) != text}
        if (previous is None or self.failed or config.nav != previous[0] or texts.keys() != previous[1].keys()
                or state[2] != previous[2] or any(f.is_modified() for f in others)
                or any(_front_matter(texts[uri]) != _front_matter(previous[1][uri]) for uri in changed)):
            for f in others:  # the first build, or after a failed one, or every page shows what changed
                f.is_modified = _modified
            return
        self.partial = True
        for f in mine:
            f.kept = f.src_uri not in changed

    def _read_titles(self, nav, config, files):
        if self.partial:  # the pages not read this build: their titles, for the others' navigation
            for f in files.documentation_pages():
                page = f.page
                if page is not None and not f.is_modified() and page.title is None:
                    page.read_source(config)
                    title = page.title
                    page.markdown, page.meta = None, {}  # still a page MkDocs skips
                    page.title = title
        return nav

    @event_priority(-100)  # the navigation is final: every process shows the same
    def _split_build(self, nav, config, files):
        self.split = None
        pages = sum(1 for _ in files.documentation_pages())
        why = why_not(config, self.command, pages, self.config.workers)
        if why is None:
            log.info("kbgen: the %d pages are built in two processes", pages)
            self.split = Split(files, config, nav)
        else:
            log.debug("kbgen: the pages are built in one process (%s)", why)
        return nav

    on_nav = CombinedEvent(_read_titles, _split_build)

    def on_build_error(self, error):
        self.failed = True  # the site holds some of this build's pages: the next one is whole
        if self.split is not None:
            split, self.split = self.split, None
            split.fail(error)

    def on_pre_page(self, page, config, files):
        if self.converter is not None and self.converter.applies(page):
            page.render = functools.partial(self.converter.render, page)
        return page

    def on_page_markdown(self, markdown, page, config, files):
        # A topic's other names and its mnemonics: a search field of their own (kbgen.search).
        names = [str(a) for key in ("aliases", "mnemonics") if isinstance(page.meta.get(key), list)
                 for a in page.meta[key]]
        if names:
            self.aliases[page.url] = names
        if page.file.src_uri in self.generated and (self.split is None or page.file.src_uri in self.split.mine):
            markdown, blocks = stash_raw_blocks(markdown, self.raw_token)
            if blocks:
                self.raw_blocks[page.file.src_uri] = blocks
        return markdown

    def _add_search_worker(self, files: Files, config, renderer: Renderer) -> bool:
        """kbgen's search worker beside Material's, when there is Material search to wrap."""
        search = search_plugin(config)
        if not self.config.korean_search or search is None or not getattr(search.config, "enabled", True):
            return False
        material = next((m.group(1) for f in files if (m := MATERIAL_WORKER.match(f.src_uri))), None)
        if material is None:  # not Material's search: leave it alone
            return False
        script = worker_script(renderer.asset("korean.js"), renderer.asset("search-worker.js"), material)
        files.append(File.generated(config, WORKER_URI, content=script))
        return True

    @event_priority(102)  # before the listings and the partial build's reading below
    def _exchange(self, env, config, files):
        if self.split is not None:
            self.split.exchange(files)
        return env

    @event_priority(101)  # before Material's tags plugin fills its listings (100)
    def _env(self, env, config, files):
        # Jinja checks every template file's mtime on every include, for every page;
        # within one build the theme does not change.
        env.auto_reload = False
        self.shared_nav = self.shared_labels = self.shared_tabs = None
        if self.config.reuse_nav and config.theme.name == "material":
            theme_dir = get_theme_dir("material")
            self.shared_nav = navcache.install(env, theme_dir)
            self.shared_labels, self.shared_tabs = themecache.install(env, theme_dir)
        self.search_sections = None
        if self.config.fast_search_index:
            search = search_plugin(config)
            self.search_sections = sections.install(search)
        if self.partial:
            self._read_tag_listings(config, files)
        return env

    on_env = CombinedEvent(_exchange, _env)

    def _read_tag_listings(self, config, files: Files) -> None:
        """A partial build: the pages that hold a tags listing are read even when kept, or
        Material's tags plugin has no listing for a rebuilt page's tags to link to."""
        from mkdocs.commands.build import _populate_page
        tags = config.plugins.get("material/tags")
        if tags is None or not tags.config.enabled:
            return
        directive = f"<!-- {tags.config.listings_directive}"
        for f in files.documentation_pages():
            page = f.page
            if page is None or f.is_modified():
                continue  # not in the site, or rebuilt and read already
            try:
                text = f.content_string
            except OSError:
                continue
            if directive in text:
                _populate_page(page, config, files)

    def _fail_on(self, result: BuildResult) -> None:
        report: Report = result.report
        for diag in report.warnings:
            log.info("kbgen: %s", diag.format())  # `kbgen lint --strict` is the place for warnings
        if report.errors or result.refused:
            lines = [d.format() for d in report.errors] + [f"{p}: {why}" for p, why in result.refused]
            raise PluginError("kbgen: the data has errors:\n" + "\n".join(lines))

    def _nav(self, nav, subjects: list[dict], files: Files, generated: frozenset[str]):
        if nav is None:
            others = [f.src_uri for f in files.documentation_pages()
                      if f.src_uri not in generated and f.src_uri != "index.md"]
            return [{"홈": "index.md"}, *subjects, {"태그": "tags.md"}, *others]
        pos = max(0, min(self.config.nav_position, len(nav)))
        return [*nav[:pos], *subjects, *nav[pos:]]

    @event_priority(100)  # the page's HTML whole (raw blocks back) before other plugins see it
    def on_page_content(self, html, page, config, files):
        blocks = self.raw_blocks.pop(page.file.src_uri, None) if self.generated else None
        if blocks:
            html, ids = restore_raw_blocks(html, self.raw_token, blocks)
            if page.present_anchor_ids is not None:
                page.present_anchor_ids |= ids
            if self.raw_token in html:
                log.warning("kbgen: %s: a raw HTML block was not put back (a Markdown extension changed "
                            "its placeholder); please report it", page.file.src_uri)
        # Cross-links inside kbgen's raw HTML tables name the `.md` page, as Markdown
        # links do; Markdown never sees raw HTML, so they are resolved here.
        if 'class="kb-xref"' in html:
            def resolve(m: re.Match) -> str:
                href, anchor = m.group(1), m.group(2) or ""
                target = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), unescape(href)))
                file = files.get_file_from_path(target)
                if file is None:
                    log.warning("kbgen: %s links to %s, which is not a page of the site", page.file.src_uri, target)
                    return m.group(0)
                return f'<a class="kb-xref" href="{escape(file.url_relative_to(page.file) + anchor)}"'

            html = _XREF.sub(resolve, html)
        # Inside the page's content so Material's instant navigation runs it too; Material
        # uses a defined `mermaid` rather than fetching it.
        if '<pre class="mermaid">' in html:
            src = get_relative_url(MERMAID, page.url)
            html = f'<script src="{src}"></script>\n{html}'
        return html

    @event_priority(1)  # just before Material's search (0) parses the page
    def _hide_detail(self, context, page, config, nav):
        """The 📖 block is left out of the search index (its heading has
        `data-search-exclude`), but Material's search parses every byte of a page, and the
        block is most of a topic page: it sees a comment in its place."""
        self.detail = None
        if page.file.src_uri in self.generated and page.content:
            m = _DETAIL.search(page.content)
            if m is not None:
                self.detail = m.group(2)
                page.content = f"{page.content[:m.start(2)]}<!--{self.raw_token}-->{page.content[m.end(2):]}"
        return context

    @event_priority(-1)  # after the search has read the page
    def _show_detail(self, context, page, config, nav):
        if self.detail is not None:
            page.content = page.content.replace(f"<!--{self.raw_token}-->", self.detail, 1)
            self.detail = None
        return context

    on_page_context = CombinedEvent(_hide_detail, _show_detail)

    def on_post_page(self, output, page, config):
        if self.search_worker:
            output = use_worker(output)
        return squeeze(output) if self.config.squeeze_html else output

    def on_post_template(self, output, template_name, config):
        return use_worker(output) if self.search_worker and template_name == "404.html" else output

    @event_priority(200)  # before every other plugin's post_build: the pages are all there
    def _join_split(self, config):
        if self.split is not None:
            split, self.split = self.split, None
            split.finish(config)

    @event_priority(50)
    def _whole_search_index(self, config):
        """`mkdocs serve --dirty`: Material's search index of this build holds only the pages
        it rebuilt (and Material's own merge assumes a single page); made whole here from
        the entries every page had when it was last built, in site order."""
        search = config.plugins.get("material/search")
        index = getattr(search, "search_index", None)
        if not self.dirty or index is None:
            return
        pages: dict[str, list] = {}
        for entry in index.entries:
            pages.setdefault(entry_page(entry), []).append(entry)
        if self.partial and self.search_pages is not None:
            pages = {url: pages.get(url, entries) for url, entries in self.search_pages.items()}
        self.search_pages = pages
        index.entries = [entry for entries in pages.values() for entry in entries]
        search.search_index_prev = None

    @event_priority(10)  # after the index is made whole (50), before Material's search writes it (0)
    def _segment_index(self, config):
        self.korean_index = None
        if not self.search_worker:
            return
        search = search_plugin(config)
        index = getattr(search, "search_index", None)
        if index is not None and callable(getattr(type(index), "generate_search_index", None)):
            self.korean_index = KoreanIndex(index, self.aliases)
            index.generate_search_index = self.korean_index

    # After Material's search plugin has written the index (priority 0), before Material's
    # offline plugin inlines it into search_index.js (-100), wherever they are listed.
    @event_priority(-50)
    def _after_search_index(self, config):
        if self.shared_nav is not None:
            log.debug("kbgen: Material's navigation reused on %d page(s)", self.shared_nav.reused)
        if self.shared_tabs is not None:
            log.debug("kbgen: Material's tabs reused on %d page(s)", self.shared_tabs.reused)
        if self.converter is not None:
            log.debug("kbgen: pages converted by one Markdown converter: %d", self.converter.pages)
        if self.search_sections is not None:
            log.debug("kbgen: search sections read on %d page(s), by Material's parser on %d",
                      self.search_sections.read, self.search_sections.passed)
        korean, self.korean_index = self.korean_index, None
        if korean is not None:
            del korean.index.generate_search_index  # Material's own again (serve keeps the index)
            if korean.done:
                log.debug("kbgen: the search index was segmented before Material wrote it")
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if self.search_worker and not (korean and korean.done) and os.path.isfile(path):
            rewrite_index_file(path, self.aliases)  # written without our segmenting
        if self.dirty:
            self._whole_tags_export(config)
            self.previous, self.failed = self.pending, False
            for path in self.gone:  # served no more (a dirty build does not clean the site)
                with contextlib.suppress(OSError):
                    os.remove(path)
                    os.removedirs(os.path.dirname(path))
            self.gone = set()

    def _whole_tags_export(self, config) -> None:
        """Material's tags plugin exports only the rebuilt pages' tags; a partial build
        changes no page's tags, so the last whole export stands."""
        tags = config.plugins.get("material/tags")
        if tags is None or not tags.config.enabled or not tags.config.export:
            return
        path = os.path.normpath(os.path.join(config.site_dir, tags.config.export_file))
        if self.partial and self.tags_export is not None:
            with open(path, "wb") as fh:
                fh.write(self.tags_export)
        elif os.path.isfile(path):
            with open(path, "rb") as fh:
                self.tags_export = fh.read()

    on_post_build = CombinedEvent(_join_split, _whole_search_index, _segment_index, _after_search_index)

    def on_serve(self, server, config, builder):
        report = Report()
        project = load_config(self.kbgen_yml, report)
        watched = [self.kbgen_yml]
        if project is not None:
            watched = sorted({os.path.dirname(p) if p.endswith((".yml", ".yaml")) and p != self.kbgen_yml else p
                              for p in input_files(project) if not p.startswith(os.path.dirname(__file__))})
            for folder in (project.snippets, project.templates):  # new files in them too
                if folder:
                    watched.append(project.resolve(folder))
        for path in watched:
            server.watch(path)
        return server


def _warn_orphans(files: Files, pages: dict[str, str]) -> None:
    """A page in docs/ that kbgen wrote (`kbgen build --out docs`) whose topic the data no
    longer makes: the site would show its old text as if it were current."""
    for f in files.documentation_pages():
        if f.src_uri in pages or f.generated_by or not f.abs_src_path:
            continue
        try:
            with open(f.abs_src_path, encoding="utf-8", errors="replace") as fh:
                head = fh.read(200)  # kbgen's front matter tag is its second line
        except OSError:
            continue
        if head.startswith("---") and FRONT_MATTER_TAG in head:
            log.warning("kbgen: %s is a page kbgen wrote, but no topic in the data makes it any more (renamed, "
                        "moved to another category, or removed), so the site would show its old text: move your "
                        "notes to the topic's page or its YAML `notes`, then delete the file", f.src_uri)


def _escape_nav(nav: list) -> list:
    """Material prints nav titles as HTML: the data's titles go in escaped."""
    out = []
    for entry in nav:
        if not isinstance(entry, dict):  # a section's overview page
            out.append(entry)
            continue
        (title, value), = entry.items()
        out.append({escape(title, quote=True): _escape_nav(value) if isinstance(value, list) else value})
    return out


def _vendored() -> dict[str, str]:
    """Site URI -> file, for every vendored file listed in kbgen/vendor/vendor.json."""
    with open(os.path.join(VENDOR, "vendor.json"), encoding="utf-8") as fh:
        packages = json.load(fh)["packages"]
    return {VENDOR_URI + rel: os.path.join(VENDOR, *rel.split("/"))
            for pkg in packages for rel in pkg["files"]}


@no_gc()
def _generate(kbgen_yml: str, cache: str) -> tuple[BuildResult, dict[str, str], dict[str, bytes]]:
    """(the build's result, the pages, the other files: figures, the deck's cards), from
    the cache's pack when every input hashes as it did, else made and packed. The caller
    holds the cache's lock."""
    report = Report()
    config = read_config(kbgen_yml, report)
    if config is None:
        return BuildResult(report=report), {}, {}
    digest = inputs_hash(config, "mkdocs")
    path = os.path.join(cache, PACK)
    packed = _read_pack(path, digest)
    if packed is not None:
        nav, pages, assets = packed
        return BuildResult(report=report, nav=nav, unchanged=len(pages) + len(assets), cached=True), pages, assets
    project = load_project(kbgen_yml)
    result = BuildResult(report=project.report)
    if project.report.errors:
        return result, {}, {}
    site, pages, assets = generate(project, "mkdocs")
    if project.report.errors:
        return result, {}, {}
    result.nav = nav_data(site.nav)
    # By path, as MkDocs listed them when they were read from a folder: the order of the
    # search index and of the tags page follows it.
    pages = dict(sorted(pages.items()))
    result.paths = list(pages)
    assets = dict(sorted(assets.items()))
    remove_temporaries(cache, recursive=False)  # a killed run's; we hold the lock
    replace_bytes(path, json.dumps({
        "version": PACK_VERSION, "inputs": digest, "nav": result.nav, "pages": pages,
        "assets": {p: base64.b64encode(data).decode("ascii") for p, data in assets.items()},
    }, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    result.written = [*pages, *assets]
    return result, pages, assets


def _read_pack(path: str, digest: str) -> tuple[list, dict[str, str], dict[str, bytes]] | None:
    """(nav, pages, assets) from the pack if it was made from inputs hashing to `digest`."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if data.get("version") != PACK_VERSION or data.get("inputs") != digest:
            return None
        return data["nav"], data["pages"], {p: base64.b64decode(v) for p, v in data["assets"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no pack, an older one, or a damaged one: make it again
