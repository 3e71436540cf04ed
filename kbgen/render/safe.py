"""Fields that reach a page as markup rather than escaped text: hand-written notes,
LaTeX equations, and code or math inside Liquid's `{% raw %}` (Jekyll). None of them may
carry a script into the site.

Notes (`notes:` in a topic file) are Markdown. kbgen renders them to HTML itself
(Python-Markdown: paragraphs, emphasis, lists, links, images, code, tables) and cleans
the result with nh3 (the Rust `ammonia` sanitizer) against the allow-list below:
everything else a note's HTML holds is removed (`<script>`/`<style>` with their content,
other tags keeping their text), every attribute not listed goes (`on…` handlers,
`style`, `class`), links and images keep only http, https, mailto and relative URLs
(`javascript:` and `data:` go), comments go. Braces become entities so Liquid (Jekyll)
reads nothing in them. The cleaned HTML is put on the page as one HTML block, which
neither Python-Markdown nor kramdown parses again.
"""
from __future__ import annotations

import re

import nh3
from markupsafe import Markup

NOTE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins",
    "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul", "details", "summary",
}
NOTE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
}
NOTE_URL_SCHEMES = {"http", "https", "mailto"}
_NOTE_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]


def braces(html: str) -> str:
    """`{` and `}` as entities: the same characters on the page, nothing for Liquid."""
    return html.replace("{", "&#123;").replace("}", "&#125;")


def clean_html(html: str) -> str:
    return nh3.clean(html, tags=NOTE_TAGS, attributes=NOTE_ATTRIBUTES, url_schemes=NOTE_URL_SCHEMES,
                     strip_comments=True, link_rel="noopener noreferrer")


def notes(text: object) -> Markup:
    """A topic's hand-written notes as one cleaned HTML block."""
    source = str(text or "").strip("\n")
    if not source:
        return Markup("")
    import markdown  # here: most pages have no notes, and it takes a tenth of the build's imports

    html = markdown.markdown(source, extensions=_NOTE_EXTENSIONS, output_format="html")
    return Markup('<div class="kb-notes">\n' + braces(clean_html(html)).strip("\n") + "\n</div>")


_BLANK_LINES = re.compile(r"\n[ \t]*(?=\n)")


def equation(text: object) -> Markup:
    """LaTeX for a `$$` display block: no blank line (it would end the block and let the
    rest be read as Markdown or HTML), no `$` (it would close the block; `\\$` is the same
    dollar sign in TeX), and no `<` or `>` (a line starting with a tag is read as an HTML
    block before the math is; `\\lt`, `\\gt` are the same signs in TeX)."""
    tex = _BLANK_LINES.sub("", str(text or "").strip("\n"))
    tex = re.sub(r"(?<!\\)\$", r"\\$", tex)
    return Markup(tex.replace("<", "\\lt ").replace(">", "\\gt "))


# A Liquid tag that would end `{% raw %}` early: `{% endraw %}`, `{%- endraw -%}`, ...
_ENDRAW = re.compile(r"\{%(-?\s*endraw)")


def liquid_raw(text: object) -> Markup:
    """Text that sits inside Liquid's `{% raw %}`: an `endraw` tag in it is split so Liquid
    outputs it as the characters typed (`{%` stays in the raw block, the rest follows as
    plain text, and the raw block reopens)."""
    return Markup(_ENDRAW.sub(lambda m: "{%{% endraw %}" + m.group(1) + "{% raw %}", str(text)))
