"""One Python-Markdown converter per build process instead of one per page.

MkDocs's `Page.render` makes a new `markdown.Markdown` for every page: every extension
instantiated, every processor and pattern registered again. On a kbgen topic page that is
a third of the page's conversion (2 of 6.7 ms). Python-Markdown's documented way to
convert many documents is one instance and `reset()` between them: each extension with
per-document state registers itself to be reset (footnote numbers, abbreviations, tab
set counters, the table of contents).

Only for the extensions listed in `VERIFIED`, whose reset is tested to leave nothing
behind (`tests/test_mdreuse.py` converts documents one after another both ways and
compares), and only over the MkDocs `Page.render` this copies (1.6's); otherwise, or
with `reuse_markdown: false`, MkDocs renders as it always does.
"""
from __future__ import annotations

import functools
import hashlib
import inspect
import logging

import markdown
from mkdocs.structure import pages as mkpages
from mkdocs.structure.toc import get_toc

# Markdown extensions (as named in mkdocs.yml) whose state `reset()` clears.
VERIFIED = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "footnotes", "abbr",
    "md_in_html", "sane_lists", "nl2br", "smarty", "meta",
    "pymdownx.details", "pymdownx.superfences", "pymdownx.tabbed", "pymdownx.tasklist",
    "pymdownx.arithmatex", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.mark",
    "pymdownx.caret", "pymdownx.tilde", "pymdownx.keys", "pymdownx.betterem", "pymdownx.smartsymbols",
    "pymdownx.emoji", "pymdownx.critic", "pymdownx.magiclink",
})
# The body of MkDocs's `Page.render` this module mirrors (MkDocs 1.6); another body, another
# render: this one is not used.
RENDER_DIGEST = "320529348f7a8af1"


@functools.cache  # read once per process, not at every `mkdocs serve` rebuild
def _digest(function) -> str:
    return hashlib.sha256(inspect.getsource(function).encode("utf-8")).hexdigest()[:16]


def _name(extension) -> str | None:
    if not isinstance(extension, str):
        return None  # an instance made in Python: its state is unknown
    return extension.removeprefix("markdown.extensions.")


def why_not(config) -> str | None:
    """Why pages are converted as MkDocs does (a new converter per page), or None."""
    try:
        if _digest(mkpages.Page.render) != RENDER_DIGEST:
            return "MkDocs's Page.render is not the one kbgen knows"
    except (OSError, TypeError):
        return "MkDocs's Page.render has no source to check"
    unknown = sorted(str(e) for e in config["markdown_extensions"] if _name(e) not in VERIFIED)
    if unknown:
        return "markdown extension(s) " + ", ".join(unknown) + " not known to reset"
    return None


class Converter:
    """The build's one `Markdown`, and `render(page, config, files)` to use in place of
    `Page.render`."""

    def __init__(self, config) -> None:
        self.md = markdown.Markdown(extensions=config["markdown_extensions"],
                                    extension_configs=config["mdx_configs"] or {})
        self.pages = 0
        self.replaces = mkpages.Page.render  # the function checked by why_not

    def applies(self, page) -> bool:
        """Whether this page converts by MkDocs's own render (not a subclass's or a render
        patched in since, not one replaced on the page itself by kbgen.parallel)."""
        return type(page).render is self.replaces and "render" not in vars(page)

    def render(self, page, config, files) -> None:
        """MkDocs 1.6's `Page.render` with the converter reset rather than made anew."""
        if page.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = self.md.reset()
        self.pages += 1
        # MkDocs's per-page processors; registering under the same name replaces last page's.
        raw_html_ext = mkpages._RawHTMLPreprocessor()
        raw_html_ext._register(md)
        extract_anchors_ext = mkpages._ExtractAnchorsTreeprocessor(page.file, files, config)
        extract_anchors_ext._register(md)
        relative_path_ext = mkpages._RelativePathTreeprocessor(page.file, files, config)
        relative_path_ext._register(md)
        extract_title_ext = mkpages._ExtractTitleTreeprocessor()
        extract_title_ext._register(md)

        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = extract_title_ext.title
        page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
        if mkpages.log.getEffectiveLevel() > logging.DEBUG:  # as MkDocs decides it
            page.links_to_anchors = relative_path_ext.links_to_anchors
