"""The `kbgen` MkDocs plugin: `mkdocs build` and `mkdocs serve` generate the topic pages
from kbgen.yml's data, through the same core as `kbgen build`.

- The pages are written into a cache folder (`cache_dir`, default `.cache/kbgen`) by
  `kbgen.build.build`: with no data change nothing is loaded, rendered or rewritten.
- A page that also exists in `docs/` with kbgen's markers (written once by `kbgen build
  --out docs` and annotated by hand) is served with a fresh generated region and the
  hand-written rest; a page in `docs/` without markers is the user's and wins.
- Navigation: the subjects (subject -> category -> topic) are inserted into `nav` at
  `nav_position` (default 1: after the home page). With no `nav`, one is made.
- Korean search (`korean_search`, on by default): the search index Material's search
  plugin wrote is segmented for Korean and the pages use kbgen's search worker
  (kbgen.search).
- `mkdocs serve` watches kbgen.yml, the sheets, the topic folders, the exam file and the
  template folder, and rebuilds when one changes.
"""
from __future__ import annotations

import json
import logging
import os
import re

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from .build import MANIFEST, BuildResult, build, input_files
from .config import find_config, load_config
from .diagnostics import Report
from .regions import RegionError, merge
from .render.renderer import Renderer
from .search import MATERIAL_WORKER, WORKER_URI, rewrite_index_file, use_worker, worker_script

log = logging.getLogger("mkdocs.plugins.kbgen")

ASSETS = {"assets/kbgen/kbgen.css": "kbgen.css", "assets/kbgen/mathjax.js": "mathjax.js"}


class KbgenConfig(Config):
    config = c.Optional(c.Type(str))  # kbgen.yml; default: found from mkdocs.yml's folder upwards
    nav_position = c.Type(int, default=1)
    cache_dir = c.Type(str, default=".cache/kbgen")
    squeeze_html = c.Type(bool, default=True)
    korean_search = c.Type(bool, default=True)  # segment Korean in Material's search index and queries


# Whitespace is significant only inside these; elsewhere a line's indentation is not.
_VERBATIM = re.compile(r"<(pre|textarea|script|style)\b.*?</\1>", re.S | re.I)
_INDENT = re.compile(r"[ \t]*\n\s*")


def squeeze(html: str) -> str:
    """Drop the indentation Material's templates put on every line (more than half of a
    page's bytes), keeping one newline where there was whitespace, so text and inline
    spacing render the same. `<pre>`, `<textarea>`, `<script>` and `<style>` are kept as is."""
    out, at = [], 0
    for m in _VERBATIM.finditer(html):
        out.append(_INDENT.sub("\n", html[at:m.start()]))
        out.append(m.group(0))
        at = m.end()
    out.append(_INDENT.sub("\n", html[at:]))
    return "".join(out)


class KbgenPlugin(BasePlugin[KbgenConfig]):
    search_worker = False

    def on_config(self, config):
        root = os.path.dirname(os.path.abspath(config.config_file_path or "mkdocs.yml"))
        path = self.config.config
        self.kbgen_yml = os.path.join(root, path) if path else find_config(root)
        if not self.kbgen_yml or not os.path.isfile(self.kbgen_yml):
            raise PluginError(f"kbgen: no kbgen.yml found from {root} (set `config:` under the kbgen plugin)")
        self.cache = os.path.join(root, self.config.cache_dir, "mkdocs")
        # The CSS and the MathJax settings go first so a site's own files can override them.
        config.extra_css.insert(0, "assets/kbgen/kbgen.css")
        config.extra_javascript.insert(0, "assets/kbgen/mathjax.js")
        return config

    def on_files(self, files: Files, config) -> Files:
        result = build(self.kbgen_yml, self.cache)
        self._fail_on(result)
        pages, drawn = _read_pages(self.cache)
        renderer = Renderer()  # the assets ship with the renderer's templates
        for uri, name in ASSETS.items():
            files.append(File.generated(config, uri, content=renderer.asset(name)))
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
            files.append(File.generated(config, uri, content=text))
        config.nav = self._nav(config.nav, result.nav, files, set(pages))
        self.search_worker = self._add_search_worker(files, config, renderer)
        self.aliases: dict[str, list[str]] = {}
        return files

    def on_page_markdown(self, markdown, page, config, files):
        # A topic's other names and its mnemonics: a search field of their own (kbgen.search).
        names = [str(a) for key in ("aliases", "mnemonics") if isinstance(page.meta.get(key), list)
                 for a in page.meta[key]]
        if names:
            self.aliases[page.url] = names
        return markdown

    def _add_search_worker(self, files: Files, config, renderer: Renderer) -> bool:
        """kbgen's search worker beside Material's, when there is Material search to wrap."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if not self.config.korean_search or search is None or not getattr(search.config, "enabled", True):
            return False
        material = next((m.group(1) for f in files if (m := MATERIAL_WORKER.match(f.src_uri))), None)
        if material is None:  # not Material's search: leave it alone
            return False
        script = worker_script(renderer.asset("korean.js"), renderer.asset("search-worker.js"), material)
        files.append(File.generated(config, WORKER_URI, content=script))
        return True

    def on_env(self, env, config, files):
        # Jinja checks every template file's mtime on every include, for every page;
        # within one build the theme does not change.
        env.auto_reload = False
        return env

    def _fail_on(self, result: BuildResult) -> None:
        report: Report = result.report
        for diag in report.warnings:
            log.info("kbgen: %s", diag.format())  # `kbgen lint --strict` is the place for warnings
        if report.errors or result.refused:
            lines = [d.format() for d in report.errors] + [f"{p}: {why}" for p, why in result.refused]
            raise PluginError("kbgen: the data has errors:\n" + "\n".join(lines))

    def _nav(self, nav, subjects: list[dict], files: Files, generated: set[str]):
        if nav is None:
            others = [f.src_uri for f in files.documentation_pages()
                      if f.src_uri not in generated and f.src_uri != "index.md"]
            return [{"홈": "index.md"}, *subjects, {"태그": "tags.md"}, *others]
        pos = max(0, min(self.config.nav_position, len(nav)))
        return [*nav[:pos], *subjects, *nav[pos:]]

    def on_post_page(self, output, page, config):
        if self.search_worker:
            output = use_worker(output)
        return squeeze(output) if self.config.squeeze_html else output

    def on_post_template(self, output, template_name, config):
        return use_worker(output) if self.search_worker and template_name == "404.html" else output

    @event_priority(-100)  # after Material's search plugin has written the index, wherever it is listed
    def on_post_build(self, config):
        path = os.path.join(config.site_dir, "search", "search_index.json")
        if self.search_worker and os.path.isfile(path):
            rewrite_index_file(path, self.aliases)

    def on_serve(self, server, config, builder):
        report = Report()
        project = load_config(self.kbgen_yml, report)
        watched = [self.kbgen_yml]
        if project is not None:
            watched = sorted({os.path.dirname(p) if p.endswith((".yml", ".yaml")) and p != self.kbgen_yml else p
                              for p in input_files(project) if not p.startswith(os.path.dirname(__file__))})
            if project.snippets:  # new snippet files too
                watched.append(project.resolve(project.snippets))
        for path in watched:
            server.watch(path)
        return server


def _read_pages(folder: str) -> tuple[dict[str, str], dict[str, bytes]]:
    """The generated pages (text) and assets (bytes), as the build left them in the cache."""
    with open(os.path.join(folder, MANIFEST), encoding="utf-8") as fh:
        paths = json.load(fh)["files"]
    pages, assets = {}, {}
    for path in paths:
        with open(os.path.join(folder, *path.split("/")), "rb") as fh:
            data = fh.read()
        if path.endswith(".md"):
            pages[path] = data.decode("utf-8")
        else:
            assets[path] = data
    return pages, assets
