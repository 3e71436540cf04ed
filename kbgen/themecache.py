"""Two parts of Material's page template that come out the same on most pages, made once:
the translated labels and the subject tabs.

- Labels: Material's `partials/language.html` defines `t(key)`, which builds the whole
  label table of the language (a dict of about 70 entries) on every call, some 30 calls
  a page. The table does not change within a build, so each key's label is looked up
  once (`Labels`). The override is Material's file with that one macro changed.
- Tabs: `partials/tabs.html` shows each top-level section with a link to its first page
  and marks the page's own section active. Two pages whose links come out the same
  (the same targets, relative to each page, and the same active section) get the same
  tabs: rendered by Material's own template once for each such pair (`Tabs`).

Each is used only when its partials are Material's own (a `custom_dir` override of any
turns it off) and, for the labels, when Material's macro is the one expected.
`tests/test_themecache.py` builds sites with and without them and compares them byte
for byte.
"""
from __future__ import annotations

import os
import posixpath
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.utils import normalize_url

LANGUAGE = "partials/language.html"
LABEL_MACRO = "{% macro t(key) %}{{ lang.t(key) or fallback.t(key) or key }}{% endmacro %}"
LABEL_OVERRIDE = "{% macro t(key) %}{{ kbgen_label(lang, fallback, key) }}{% endmacro %}"
TABS = "partials/tabs.html"
TABS_ORIGINAL = "kbgen/material-tabs.html"  # Material's tabs.html, under a name of our own
TABS_OVERRIDE = "{{- kbgen_tabs() -}}"


def material_sources(env: jinja2.Environment, theme_dir: str, names: tuple[str, ...]) -> list | None:
    """`env.loader.get_source` of each template when every one is the theme's own file
    (under `theme_dir`); None when one is missing or overridden."""
    try:
        sources = [env.loader.get_source(env, name) for name in names]  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        return None
    own = os.path.join(os.path.realpath(theme_dir), "")
    if not all(src[1] and os.path.realpath(src[1]).startswith(own) for src in sources):
        return None
    return sources


def render_material(env: jinja2.Environment, name: str, context: jinja2.runtime.Context) -> str:
    """Template `name` (Material's, kept under a name of ours) rendered in the page's context,
    as the include it stands in for would render it."""
    template = env.get_template(name)
    return "".join(template.root_render_func(template.new_context(context.get_all(), True)))


class Labels:
    def __init__(self) -> None:
        self.labels: dict[tuple[str, str, str], Any] = {}

    def __call__(self, lang: Any, fallback: Any, key: str) -> Any:
        """What Material's `t(key)` writes: the language's label, English's, or the key."""
        cache_key = (lang.__name__, fallback.__name__, key)
        label = self.labels.get(cache_key)
        if label is None:
            label = self.labels[cache_key] = lang.t(key) or fallback.t(key) or key
        return label


class Tabs:
    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.tabs: dict[tuple, str] = {}
        self.targets: tuple[Any, list[str]] | None = None  # (nav, its tabs' first pages' URLs)
        self.reused = 0

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context) -> Markup:
        key = self._key(context)
        html = self.tabs.get(key) if key is not None else None
        if html is None:
            html = render_material(self.env, TABS_ORIGINAL, context)
            if key is not None:
                self.tabs[key] = html
        else:
            self.reused += 1
        return Markup(html)

    def _key(self, context: jinja2.runtime.Context) -> tuple | None:
        """What Material's tabs-item.html reads of the page: which top-level item is
        active, and each tab's link (the `url` filter of its first page's URL); titles,
        icons and features are the same on every page of a build. The links of two pages
        in one folder are the same unless a link goes to one of the pages or under it, so
        the folder stands for them; otherwise each link is in the key."""
        nav = context.get("nav")
        if nav is None:
            return None
        if self.targets is None or self.targets[0] is not nav:
            self.targets = (nav, [_first_page(item).url for item in nav.items])
        targets = self.targets[1]
        page, base = context.get("page"), context.get("base_url")
        actives = tuple(bool(item.active) for item in nav.items)
        url = getattr(page, "url", None)
        if url:  # not the home page (""), which every tab's link is under
            # The folder a page's links are relative to (get_relative_url): its own, with
            # directory URLs (`a/b/`), else the one holding it (`a/b.html`).
            own = url.rstrip("/") if url.endswith("/") or "." not in posixpath.basename(url) else None
            if own is None:
                return (base, actives, "in", posixpath.dirname(url))
            if not any(t.rstrip("/") == own or t.startswith(own + "/") for t in targets):
                return (base, actives, "beside", posixpath.dirname(own))
        return (base, actives, "exact", url, *(normalize_url(str(t), page=page, base=base) for t in targets))


def _first_page(item: Any) -> Any:
    """The entry a tab links to: tabs-item.html follows each section's first child down."""
    while item.children:
        item = item.children[0]
    return item


def install(env: jinja2.Environment, theme_dir: str) -> tuple[Labels | None, Tabs | None]:
    """Put the label table and the tabs in front of Material's, each where its partials
    are Material's own; (None, None) changes nothing."""
    templates: dict[str, tuple] = {}
    labels = tabs = None
    sources = material_sources(env, theme_dir, (LANGUAGE,))
    if sources is not None and sources[0][0].count(LABEL_MACRO) == 1:
        source, filename, _ = sources[0]
        templates[LANGUAGE] = (source.replace(LABEL_MACRO, LABEL_OVERRIDE), filename, lambda: True)
        labels = Labels()
        env.globals["kbgen_label"] = labels
    sources = material_sources(env, theme_dir, (TABS, "partials/tabs-item.html"))
    if sources is not None:
        source, filename, _ = sources[0]
        templates[TABS] = (TABS_OVERRIDE, None, lambda: True)
        templates[TABS_ORIGINAL] = (source, filename, lambda: True)
        tabs = Tabs(env)
        env.globals["kbgen_tabs"] = tabs
    if templates:
        env.loader = jinja2.ChoiceLoader([jinja2.FunctionLoader(templates.get), env.loader])  # type: ignore[list-item]
    return labels, tabs
