"""Material's navigation rendered once per group of sibling pages, not once per page.

Every page of a Material site carries the navigation: with kbgen's subjects, the tabs,
the page's category with all its topics, and the other categories pruned to one link
each. Material renders it again for every page, and at 3,000 topics that is about a
quarter of the build's time (a py-spy profile of the benchmark's site).

For two pages A and B under the same section and in the same URL folder, the navigation
differs only in their own two entries: each page's entry is marked active and holds its
table of contents, and every other link, relative to the page, comes out the same. So
the navigation of the first page rendered is kept, cut at each sibling's entry, and the
next page's is that text with its own entry (and the first page's) rendered afresh by
Material's own macro (`partials/nav-item.html`).

It is used only when both partials are Material's own (a theme override of either may
show anything per page), for pages that are not a section's index and that no other
page's URL sits under. A group whose entries cannot be found, each once, in the first
navigation is not reused. `tests/test_navcache.py` builds sites both ways and compares
them byte for byte.
"""
from __future__ import annotations

import posixpath
from typing import Any

import jinja2
from markupsafe import Markup
from mkdocs.utils import normalize_url

from .themecache import material_sources, render_material

ORIGINAL = "kbgen/material-nav.html"  # Material's partials/nav.html, under a name of our own
OVERRIDE = ('{%- import "partials/nav-item.html" as item with context -%}'
            '{{- kbgen_nav(item) -}}')
_PARTIALS = ("partials/nav.html", "partials/nav-item.html")


def install(env: jinja2.Environment, theme_dir: str) -> NavCache | None:
    """Put the cached navigation in front of Material's; None (nothing changed) when a
    theme override replaces either partial."""
    sources = material_sources(env, theme_dir, _PARTIALS)
    if sources is None:
        return None
    nav_source, nav_file, _ = sources[0]
    templates = {"partials/nav.html": (OVERRIDE, None, lambda: True),
                 ORIGINAL: (nav_source, nav_file, lambda: True)}
    env.loader = jinja2.ChoiceLoader([jinja2.FunctionLoader(templates.get), env.loader])  # type: ignore[list-item]
    cache = NavCache(env)
    env.globals["kbgen_nav"] = cache.render
    return cache


class _Slot:
    """Where a page's entry is in the navigation, and the pages whose navigation it shares."""

    __slots__ = ("key", "path", "level", "parent", "siblings")

    def __init__(self, key, path, level, parent, siblings):
        self.key, self.path, self.level, self.parent, self.siblings = key, path, level, parent, siblings


class _Group:
    """The navigation of the first page of a group, cut at its pages' entries."""

    __slots__ = ("pages", "texts", "entries")

    def __init__(self, pages: list, texts: list[str], entries: dict[int, str]):
        self.pages = pages  # the group's pages, in the order their entries appear
        self.texts = texts  # the text around the entries: len(pages) + 1 pieces
        self.entries = entries  # id(page) -> its inactive entry (the first page's is added later)


class NavCache:
    def __init__(self, env: jinja2.Environment):
        self.env = env
        self.slots: dict[int, _Slot] | None = None
        self.groups: dict[tuple, _Group | None] = {}
        self.reused = 0

    @jinja2.pass_context
    def render(self, context: jinja2.runtime.Context, item: Any) -> Markup:
        return Markup(self._render(context, item))

    def _render(self, context: jinja2.runtime.Context, item: Any) -> str:
        page = context.get("page")
        if self.slots is None:
            self.slots = _slots(context.get("nav"))
        slot = self.slots.get(id(page)) if page is not None else None
        if slot is None:
            return self._material(context)
        group = self.groups.get(slot.key, False)
        if group is False:
            html = self._material(context)
            self.groups[slot.key] = _cut(html, page, slot, self.slots, item)
            return html
        if group is None:  # its entries were not each found once: rendered in full
            return self._material(context)
        self.reused += 1
        out = [group.texts[0]]
        for other, text in zip(group.pages, group.texts[1:]):
            if other is page:
                out.append(_entry(item, other, slot))
            else:
                entry = group.entries.get(id(other))
                if entry is None:  # the first page's own entry, inactive, seen from this folder
                    entry = group.entries[id(other)] = _entry(item, other, self.slots[id(other)])
                out.append(entry)
            out.append(text)
        return "".join(out)

    def _material(self, context: jinja2.runtime.Context) -> str:
        return render_material(self.env, ORIGINAL, context)


def _entry(item: Any, page: Any, slot: _Slot) -> str:
    """The page's entry as Material's nav.html renders it (active when it is the page)."""
    if slot.level == 1:
        return str(item.render(page, slot.path, 1))
    return str(item.render(page, slot.path, slot.level, slot.parent))


def _cut(html: str, page: Any, slot: _Slot, slots: dict[int, _Slot], item: Any) -> _Group | None:
    """The group's navigation cut at each of its pages' entries, or None when an entry
    is not in the text exactly once, or when a link to one of the group's pages stands
    outside its entry (a pruned section's link, a nav link): that link is the one text
    that differs from page to page."""
    entries = {}
    found = []
    for other in slot.siblings:
        if slots[id(other)].key != slot.key:
            continue  # another folder: its entry is the same on every page of this group
        text = _entry(item, other, slots[id(other)])
        at = html.find(text)
        if at < 0 or html.find(text, at + 1) >= 0:
            return None
        href = normalize_url(other.url, page=page)
        for quoted in (f'"{href}"', f'"{href}#'):
            if html.count(quoted) != text.count(quoted):
                return None
        found.append((at, len(text), other))
        if other is not page:
            entries[id(other)] = text
    found.sort(key=lambda f: f[0])
    texts, end = [], 0
    for at, size, _ in found:
        if at < end:
            return None  # overlapping entries
        texts.append(html[end:at])
        end = at + size
    texts.append(html[end:])
    return _Group([f[2] for f in found], texts, entries)


def _slots(nav: Any) -> dict[int, _Slot]:
    """The pages whose navigation can be shared, by id: each with its entry's place (the
    `path`, `level` and `parent` nav.html passes to the macro) and its group's key.
    A section's index page is left out: with `navigation.indexes` it is drawn as the
    section's own link, which is active on it alone."""
    if nav is None:
        return {}
    slots: dict[int, _Slot] = {}
    urls = [p.url for p in nav.pages] + _link_urls(nav.items)
    under = set()  # pages with another page's (or a nav link's) URL below theirs
    ordered = sorted(urls)
    for a, b in zip(ordered, ordered[1:]):
        if b.startswith(a) and a != b:
            under.add(a)

    def walk(items: list, path: str, level: int, parent: Any) -> None:
        if any(hasattr(it, "pages") for it in items):
            return  # a plugin's own nav items (Material's blog views): left alone
        siblings: list = []  # shared by the section's slots, filled as they are made
        for i, it in enumerate(items, 1):
            here = f"{path}_{i}" if level > 1 else f"__nav_{i}"
            if it.children:
                walk(it.children, here, level + 1, it)
            elif it.is_page and not it.is_index and it.url and it.url not in under:
                siblings.append(it)
                folder = posixpath.dirname(it.url.rstrip("/"))
                slots[id(it)] = _Slot((id(parent), folder), here, level, parent, siblings)

    walk(nav.items, "", 1, None)
    return slots


def _link_urls(items: list) -> list[str]:
    out = []
    for it in items:
        if it.children:
            out += _link_urls(it.children)
        elif getattr(it, "is_link", False):
            out.append(it.url.lstrip("/"))
    return out
