"""Text from the data reaches the page as the characters typed.

Every string from a sheet cell or topic file goes through `md()` before it lands in
Markdown: characters that would start emphasis, code, links, HTML, math, attribute lists
or table cells are escaped, and a line that would start a block (heading, list, quote)
is defused. Entities, not backslashes, for characters that some extension reads before
Python-Markdown's own escapes apply (`$` for arithmatex, `~` `^` for pymdownx).
"""
from __future__ import annotations

import html
import re

from markupsafe import Markup

# Inline syntax anywhere in a line. `|` gets a backslash: the tables extension splits
# cells on unescaped pipes before any inline processing.
_INLINE = {
    "\\": "\\\\", "`": "\\`", "*": "\\*", "_": "\\_", "[": "\\[", "]": "\\]",
    "{": "&#123;", "}": "&#125;", "|": "\\|", "<": "&lt;", "$": "&#36;",
    "~": "&#126;", "^": "&#94;",
}
# What would open a block at the start of a line or list item: `#`, `>`, list markers,
# `1.`/`1)` steps, a setext underline, a fence, indentation.
_BLOCK_START = re.compile(r"^(#|>|[-+]|\d+(?=[.)]))")


def _markup(s: str) -> Markup:
    """`Markup(s)` for a plain str, without Markup's Python-level constructor (called
    for every value on every page)."""
    return str.__new__(Markup, s)


_TABLE = str.maketrans(_INLINE)
_SPECIAL = re.compile(r"[\\`*_\[\]{}|<$~^&]")  # translate is slow on Hangul: skip when clean
_ENTITY_LIKE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


def _line(line: str) -> str:
    line = line.strip()
    if _SPECIAL.search(line):
        if "&" in line:  # only an `&` that would read as an entity needs escaping
            line = _ENTITY_LIKE.sub("&amp;", line)
        line = line.translate(_TABLE)
    m = _BLOCK_START.match(line)
    if m:
        head = m.group(1)
        if head == "#":
            line = "&#35;" + line[1:]
        elif head == ">":
            line = "&gt;" + line[1:]
        elif head[0].isdigit():  # `1.` -> `1\.`
            line = head + "\\" + line[len(head):]
        else:  # `-` `+`
            line = "\\" + line
    if line.endswith("#"):  # a heading's closing hashes would be dropped
        line = line[:-1] + "&#35;"
    return line


def escape(s: str) -> str:
    """`md` without the Markup wrapper, for the template engine's hot path."""
    if "\n" not in s:
        return _line(s)
    return "<br>".join(_line(line) for line in s.split("\n"))


def md(text: object) -> Markup:
    """Escape one piece of data for any Markdown context: paragraph, list item, table
    cell, heading, admonition. Newlines become `<br>` so a cell stays one table row."""
    if isinstance(text, Markup):
        return text
    if text is None:
        return Markup("")
    return _markup(escape(str(text)))


def html_text(text: object) -> Markup:
    """Escape for raw HTML that Markdown leaves alone (kbgen's HTML tables and lists):
    `<`, `>`, `&`, quotes; newlines become `<br>`."""
    if isinstance(text, Markup):
        return text
    if text is None:
        return Markup("")
    return _markup(_html_text(str(text)))


_HTML_SPECIAL = re.compile(r"[&<>\"'{}\n]")  # most cells hold none: skip the four passes


def _html_text(s: str) -> str:
    if not _HTML_SPECIAL.search(s):
        return s
    # Braces as entities too: Jekyll reads `{{`/`{%` as Liquid even inside raw HTML.
    escaped = html.escape(s, quote=True).replace("{", "&#123;").replace("}", "&#125;")
    return escaped.replace("\n", "<br>")


_SOURCE_WRAP = {"header": ("<strong>", "</strong>"), "mnemonic": ("<code>", "</code>")}


def source_list(events: list) -> Markup:
    """A cell's source lines (`tree_events` of SourceLines) as nested `<ul>` HTML, one
    tag per line. Done here, not in the template: a page has hundreds of these events
    and Jinja's per-event cost was most of a topic page's rendering time."""
    out = []
    for event, line in events:
        if event == "li":
            before, after = _SOURCE_WRAP.get(line.kind, ("", ""))
            out.append(f"<li>{before}{_html_text(line.text)}{after}")
        else:
            out.append(_SOURCE_EVENT[event])
    return _markup("".join(out))


_SOURCE_EVENT = {"/li": "</li>\n", "open": "<ul>\n", "close": "</ul>\n"}


def item_list(events: list, ul: str = "<ul>", example: str = "",
              syllable: tuple[str, str] = ("<strong>", "</strong> "), esc=None) -> Markup:
    """An item's children (`tree_events` of Nodes) as nested `<ul>` HTML inside a table
    cell: `syllable marker <strong>term</strong>: description`, or the text. `ul` is the
    opening tag, `example` the attributes of an example's `<li>`, `syllable` what wraps
    the mnemonic syllable; the formats differ only there. In Python for the same reason
    as `source_list`. `esc` escapes the text (the renderer's, which draws cross-links)."""
    esc = esc or _html_text
    out = []
    for event, node in events:
        if event == "li":
            out.append(f"<li{example}>" if example and node.kind == "example" else "<li>")
            if node.syllable:
                out.append(syllable[0] + _html_text(node.syllable) + syllable[1])
            if node.marker:
                out.append(_html_text(node.marker) + " ")
            if node.term is not None:
                out.append(f"<strong>{esc(node.term)}</strong>")
                if node.description:
                    out.append(": " + esc(node.description))
            else:
                out.append(esc(node.text))
        elif event == "/li":
            out.append("</li>")
        elif event == "open":
            out.append(ul)
        else:
            out.append("</ul>")
    return _markup("".join(out))


def attr(text: object) -> Markup:
    """Escape for an HTML attribute value or raw HTML text (titles in `<span title=…>`)."""
    return _markup(html.escape(str(text or ""), quote=True))


def fence(body: str, lang: str = "", info: str = "") -> Markup:
    """A fenced block whose fence is longer than any backtick run inside it. The body is
    kept exactly (a trailing newline aside), so the page shows the file the tests run."""
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    ticks = "`" * max(3, longest + 1)
    head = f"{ticks}{lang}" + (f" {info}" if info else "")
    return Markup(f"{head}\n{body.removesuffix(chr(10))}\n{ticks}")


class Linked(str):
    """Text from the data in which some spans link to other pages (cross-links).

    It is still the plain string: any code that does not know about links shows the
    text, escaped, without them. Only `md_linked` and `html_linked` draw the links, and
    they escape every piece of text as `md`/`html_text` would; the link targets are
    kbgen's own page paths, never data.
    """

    links: tuple[tuple[int, int, str], ...]  # (start, end, page-relative link), in order

    def __new__(cls, value: str, links) -> Linked:
        s = super().__new__(cls, value)
        s.links = tuple(links)
        return s


# Stand-ins for links while the rest of the text is escaped: private-use characters that
# no escaping rule touches; text that already holds one is shown without links.
_HOLD, _HOLD_END = "\ue000", "\ue001"
_HELD = re.compile(f"(!?){_HOLD}(\\d+){_HOLD_END}")


def md_linked(value: Linked, href=lambda link: link) -> Markup:
    """`md` for text with links: `[text](link){: .kb-xref }` for each span (attr_list and
    kramdown both read the class), the rest escaped as usual."""
    if _HOLD in value or _HOLD_END in value:
        return md(str(value))
    parts, at = [], 0
    for n, (start, end, _) in enumerate(value.links):
        parts.append(value[at:start] + f"{_HOLD}{n}{_HOLD_END}")
        at = end
    parts.append(value[at:])
    escaped = escape("".join(parts))

    def link(m: re.Match) -> str:
        start, end, target = value.links[int(m.group(2))]
        bang = "&#33;" if m.group(1) else ""  # `![` would open an image
        return f"{bang}[{escape(value[start:end])}]({attr(href(target))}){{: .kb-xref }}"

    return Markup(_HELD.sub(link, escaped))


def html_linked(value: Linked, href=lambda link: link, cls: str = "kb-xref") -> Markup:
    """`html_text` for text with links: `<a class="kb-xref" href=…>` for each span."""
    parts, at = [], 0
    for start, end, target in value.links:
        parts.append(html_text(value[at:start]))
        parts.append(f'<a class="{cls}" href="{attr(href(target))}">{html_text(value[start:end])}</a>')
        at = end
    parts.append(html_text(value[at:]))
    return _markup("".join(parts))
