"""Material's search splits each page's HTML into sections (one per heading) with Python's
`HTMLParser`: about a seventh of a large site's build. `sections` gives the same sections,
for the HTML that Markdown writes, with one regular expression over the tags and
Material's rules for what it keeps, skips and collapses, written out again below.

It reads a subset of HTML: start tags whose attributes are bare or double-quoted, end
tags, comments without `--` inside. A page with anything else (a `<` that starts none of
these, `<script>`, `<style>`, `<!DOCTYPE>`) gets None, and Material's own parser reads it.
For the subset, the events are the ones `HTMLParser` (convert_charrefs) sends: a data
chunk is the text between two tags or comments, unescaped whole, and `<x/>` is a start
tag and an end tag. tests/test_search_sections.py compares the two on generated HTML and
on every page of the bundled site.
"""
from __future__ import annotations

import re
from html import escape, unescape

from material.plugins.search.plugin import Element, Parser, SearchIndex, Section, void

_TAG = re.compile(
    r"<(?:(/)?([a-zA-Z][a-zA-Z0-9]*)"  # start or end tag
    r"((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:=\"[^\"<]*\")?)*)\s*(/)?>"  # attributes, `/>`
    r"|!--(.*?)-->)",  # a comment
    re.S,
)
_ATTR = re.compile(r"\s+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(=\"([^\"]*)\")?")
_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# HTMLParser reads the content of script and style as text (newer Pythons more tags)
_RAW = frozenset(("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
                  "noscript", "plaintext"))
_ALWAYS_SKIPPED = ("object", "script", "style")
_KEEP = frozenset(("p", "code", "pre", "li", "ol", "ul", "sub", "sup"))
_INF = float("inf")


def available() -> bool:
    """The rules below are those of this Parser: Material's, not changed by anyone."""
    own = "material.plugins.search.plugin"
    return Parser.__module__ == own and all(
        getattr(Parser, name).__module__ == own for name in ("handle_starttag", "handle_endtag", "handle_data"))


def sections(html: str) -> list[Section] | None:
    """Material's `Parser(); feed(html); close()` -> its `data`, or None (see above)."""
    try:
        return _sections(html)
    except ValueError:  # an end tag whose start was not kept: Material's parser raises
        return None


def _sections(html: str) -> list[Section] | None:
    # One loop, Material's three handlers written inline (a call per tag costs more than
    # the work). Open elements are kept as their tag names, with the depths of open
    # permalinks (`<a class="headerlink">`), all that Material's rules look at.
    data: list[Section] = []
    section: Section | None = None
    tags: list[str] = []
    links: list[int] = []
    # Material's skip set holds tag names and elements, and an element equals its tag
    # name: a set of names behaves the same.
    skip = set(_ALWAYS_SKIPPED)
    skipping = False  # an open element's tag is in `skip` (kept in step with both)
    pos = 0
    n = len(html)
    for m in _TAG.finditer(html):
        start = m.start()
        if start > pos:
            chunk = html[pos:start]
            if "<" in chunk:
                return None  # a `<` that opens none of the above
            if not skipping:
                section = _data(unescape(chunk) if "&" in chunk else chunk, data, section, tags, links)
        pos = m.end()
        closing, tag, attr_text, empty, comment = m.groups()
        if tag is None:  # a comment: no event, but the text around it is two chunks
            if "--" in comment or comment[:1] in ("-", ">"):
                return None
            continue
        tag = tag.lower()
        if not closing:  # handle_starttag
            if tag in _RAW:
                return None
            if tag in void:
                continue  # `<br/>`'s end tag is ignored too: the open element is not a br
            attrs: dict[str, str | None] = {}
            if attr_text:
                for a in _ATTR.finditer(attr_text):
                    value = a.group(3)
                    attrs[a.group(1).lower()] = (
                        None if a.group(2) is None else unescape(value) if "&" in value else value)
            tags.append(tag)
            if tag in skip:  # `object`, or a tag an open element was excluded by
                skipping = True
            if tag in _HEADINGS and "id" in attrs:
                depth = len(tags)
                if tag != "h1" and not data:
                    data.append(Section(Element("hx"), depth))
                section = Section(Element(tag, attrs), depth)
                if data:
                    section.id = attrs["id"]
                data.append(section)
            elif tag == "a" and attrs.get("class") == "headerlink":
                links.append(len(tags))
            if section is None:
                section = Section(Element("hx"))
                data.append(section)
            if attrs and ("data-search-exclude" in attrs or attrs.get("class") == "linenodiv"):
                skip.add(tag)
                skipping = True
            elif tag in _KEEP and not skipping:
                (section.title if section.el.tag in tags else section.text).append(f"<{tag}>")
            if not empty:
                continue
        elif attr_text or empty:
            return None
        # handle_endtag
        if not tags or tags[-1] != tag:
            continue
        if section.depth > len(tags):
            for previous in reversed(data):
                if previous.depth <= len(tags):
                    section.depth = _INF
                    section = previous
                    break
        if links and links[-1] == len(tags):
            links.pop()
        tags.pop()
        if tag in skip:
            if tag not in _ALWAYS_SKIPPED:
                skip.discard(tag)
            skipping = not skip.isdisjoint(tags)
            continue
        if tag in _KEEP and not skipping:
            out = section.title if section.el.tag in tags else section.text
            index = out.index(f"<{tag}>")
            for i in range(index + 1, len(out)):
                if not out[i].isspace():
                    index = len(out)
                    break
            if len(out) > index:
                del out[index:]
            else:
                out.append(f"</{tag}>")
    if pos < n:
        chunk = html[pos:]
        if "<" in chunk:
            return None
        if not skipping:
            _data(unescape(chunk) if "&" in chunk else chunk, data, section, tags, links)
    return data


def _data(text: str, data: list[Section], section: Section | None, tags: list[str], links: list[int]) -> Section:
    if "pre" not in tags:
        text = text.replace("\n", " ") if not text.isspace() else " "
    if section is None:
        section = Section(Element("hx"))
        data.append(section)
    if section.el.tag in tags:
        if not links:  # a permalink's text is no part of the title
            section.title.append(escape(text, quote=False))
    elif text.isspace():
        if not section.text or not section.text[-1].isspace() or "pre" in tags:
            section.text.append(text)
    else:
        section.text.append(escape(text, quote=False))
    return section


class FastEntries:
    """Material's `SearchIndex.add_entry_from_context`, with `sections` in place of its
    parser where `sections` reads the page. Set on one index object by `install`."""

    def __init__(self, index: SearchIndex):
        self.index = index
        self.read = 0  # pages whose sections were read here
        self.passed = 0  # pages left to Material's parser

    def __call__(self, page) -> None:
        search = page.meta.get("search") or {}
        if search.get("exclude"):
            return
        data = sections(page.content)
        if data is None:
            self.passed += 1
            SearchIndex.add_entry_from_context(self.index, page)
            return
        self.read += 1
        for section in data:
            if not section.is_excluded():
                self.index.create_entry_for_section(section, page.toc, page.url, page)


def install(search_plugin) -> FastEntries | None:
    """Read the sections of `search_plugin`'s pages with `sections`, when it is Material's
    search with Material's index and parser; else None and nothing changes."""
    index = getattr(search_plugin, "search_index", None)
    if (type(index) is not SearchIndex or not available()
            or SearchIndex.add_entry_from_context.__module__ != SearchIndex.__module__):
        return None
    fast = FastEntries(index)
    index.add_entry_from_context = fast  # this object only; the class is Material's still
    return fast
