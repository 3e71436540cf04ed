"""Pages -> Markdown text through Jinja templates, one template folder per output format.

A site overrides any template by putting a file of the same name in its own folder
(`templates:` in kbgen.yml), the way Material's `custom_dir` works: that folder is
searched first, kbgen's own `templates/<format>/` second.

Escaping is not left to the templates: every `{{ value }}` passes through `text.md`
unless the value is already markup. `| raw` marks what is: a macro's output (Jinja
returns it as plain text). Notes and equations arrive as markup made safe by
`kbgen.render.safe` (notes cleaned by nh3), so no template prints them unchecked. Forgetting `| raw` on a macro
shows escaped Markdown on the page (visible, caught by the tests), never raw data.
"""
from __future__ import annotations

import json
import os
import re
from typing import Any

import jinja2
from markupsafe import Markup

from . import TEMPLATES, safe, text
from .pages import Page, SitePlan


BEGIN = "<!-- kbgen:begin — 여기부터 끝 표시까지는 kbgen이 데이터로 다시 씁니다. 메모는 끝 표시 아래에 쓰세요. -->"
END = "<!-- kbgen:end -->"
FRONT_MATTER_TAG = "# kbgen: 이 머리말은 kbgen이 씁니다"


def _html(value: str) -> str:
    """Text for a theme that prints it as HTML: `<`, `>`, `&`, quotes as entities, and
    braces too (Liquid)."""
    return str(text.html_text(value))


def _template_finalize(value: Any) -> Any:
    # Markup and numbers pass; every other value is data and is escaped.
    if isinstance(value, Markup):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return text.escape(value if isinstance(value, str) else str(value))


def _jekyll_href(link: str) -> str:
    # Jekyll serves `x.md` as `x.html` (default permalinks); links must say so.
    return re.sub(r"\.md(?=$|#)", ".html", str(link))


class _Environment(jinja2.Environment):
    def make_globals(self, d):
        # A flat dict instead of Jinja's ChainMap: every render copies a template's globals
        # into its context and every `{% import %}` compares their keys, both in Python
        # code for a ChainMap (a tenth of a topic page's rendering). The Renderer sets the
        # environment's globals before any template is loaded and never after.
        return {**self.globals, **(d or {})}


class Renderer:
    format = "mkdocs"

    def __init__(self, override_dir: str | None = None, fmt: str | None = None):
        self.format = fmt or self.format
        # Cross-links (text.Linked) in Markdown become Markdown links, which MkDocs resolves
        # and checks; in kbgen's raw HTML (tables) they are `<a class="kb-xref">` to the
        # `.md` page, which the MkDocs plugin rewrites to the page's URL.
        href = _jekyll_href if self.format == "jekyll" else str
        md = lambda value: text.md_linked(value, href) if isinstance(value, text.Linked) else text.md(value)

        def finalize(value: Any) -> Any:
            kind = type(value)  # the common cases first: this runs for every printed value
            if kind is Markup:
                return value
            if kind is str:
                return text.escape(value)
            return text.md_linked(value, href) if kind is text.Linked else _template_finalize(value)

        def h(value: Any) -> Markup:
            return text.html_linked(value, href) if isinstance(value, text.Linked) else text.html_text(value)

        loaders: list[jinja2.BaseLoader] = []
        if override_dir:
            loaders.append(jinja2.FileSystemLoader(override_dir))
        loaders.append(jinja2.FileSystemLoader(os.path.join(TEMPLATES, self.format)))
        self.env = _Environment(
            # autoescape is off: its HTML escaping is not Markdown escaping, and `finalize`
            # does the Markdown escaping for every printed value instead.
            loader=jinja2.ChoiceLoader(loaders), autoescape=False, finalize=finalize,
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
            # A Renderer lives for one build; without this every `{% import %}` stats the file.
            auto_reload=False,
        )
        self.env.filters["join"] = lambda items, sep=", ": Markup(md(sep)).join(md(i) for i in items)
        self.env.filters["md"] = md
        self.env.filters["attr"] = text.attr
        self.env.filters["h"] = h  # inside raw HTML blocks
        self.env.filters["source_list"] = text.source_list  # 📖 상세 설명: every line as typed
        # an item's children in a table cell; their text may carry cross-links
        self.env.filters["item_list"] = lambda events, *a, **k: text.item_list(events, *a, esc=h, **k)
        self.env.filters["fence"] = lambda body, lang="", info="": text.fence(str(body), lang, info)
        self.env.filters["raw"] = lambda body: Markup(str(body or ""))  # markup kbgen made or cleaned
        self.env.filters["liquid_raw"] = safe.liquid_raw  # text inside Liquid's raw block
        self.env.globals["pad"] = lambda depth: Markup("    " * depth)  # nested list indentation
        # Liquid's own raw block, around code and math that may hold `{{` (Jekyll only).
        self.env.globals["liquid_raw"] = Markup("{% raw %}")
        self.env.globals["liquid_endraw"] = Markup("{% endraw %}")
        self.env.filters["basename"] = lambda p: os.path.basename(str(p or ""))
        # Jekyll serves `x.md` as `x.html` (default permalinks); links must say so.
        self.env.filters["html_link"] = _jekyll_href
        self._templates: dict[str, jinja2.Template] = {}

    def template(self, kind: str) -> jinja2.Template:
        t = self._templates.get(kind)
        if t is None:
            t = self._templates[kind] = self.env.get_template(f"{kind}.md.j2")
        return t

    def render(self, page: Page, plan: SitePlan) -> str:
        view = page.context()
        body = self.template(page.kind).render(page=page, plan=plan, **view)
        return self.front_matter(page, view) + BEGIN + "\n" + body.strip("\n") + "\n" + END + "\n"

    def kinds(self) -> set[str]:
        """The page kinds this format has templates for; other pages are not written."""
        names = set(self.env.list_templates(filter_func=lambda n: n.endswith(".md.j2") and "/" not in n))
        return {n.removesuffix(".md.j2") for n in names if not n.startswith("_")}

    def front_matter(self, page: Page, view: dict[str, Any]) -> str:
        if self.format == "jekyll":
            return self._jekyll_front_matter(page)
        # Themes print front-matter titles and tags into HTML unescaped (Material's nav,
        # just-the-docs' nav): they are HTML-escaped here.
        meta: dict[str, Any] = {"title": _html(page.title)}
        tags = view.get("tags")
        if tags:
            meta["tags"] = list(dict.fromkeys(_html(t) for t in tags))
        topic = view.get("topic")
        if topic is not None and page.kind == "topic":  # for the search index (kbgen.search), not printed
            if topic.aliases:
                meta["aliases"] = list(topic.aliases)
            if topic.mnemonics:
                meta["mnemonics"] = list(dict.fromkeys(m.token for m in topic.mnemonics))
        if page.kind in ("subject", "category", "home", "tags"):
            meta["hide"] = ["toc"] if page.kind != "home" else []
            if not meta["hide"]:
                del meta["hide"]
        if page.kind == "deck":  # the card needs the width, on a phone most of all
            meta["hide"] = ["navigation", "toc"]
        # JSON scalars are YAML too, and much cheaper to make for thousands of pages.
        dumped = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
        return f"---\n{FRONT_MATTER_TAG}\n{dumped}---\n"

    def _jekyll_front_matter(self, page: Page) -> str:
        # just-the-docs builds its navigation from these keys: title, parent, grand_parent.
        nav = page.nav
        meta: dict[str, Any] = {"layout": "default", "title": _html(nav.get("short_title", page.title))}
        for key in ("parent", "grand_parent", "nav_order", "has_children"):
            if key in nav:
                meta[key] = _html(nav[key]) if isinstance(nav[key], str) else nav[key]
        dumped = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in meta.items())
        return f"---\n{FRONT_MATTER_TAG}\n{dumped}---\n"

    def render_all(self, plan: SitePlan) -> dict[str, str]:
        kinds = self.kinds()
        return {page.path: self.render(page, plan) for page in plan.pages if page.kind in kinds}

    def asset(self, name: str) -> str:
        """A static file that goes with this format's pages (CSS, scripts)."""
        source, _, _ = self.env.loader.get_source(self.env, f"assets/{name}")
        return source
