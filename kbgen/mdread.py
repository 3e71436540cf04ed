"""A careful line-based reader of the Markdown real pages are written in: Jekyll
(kramdown, just-the-docs), Chirpy posts, and kbgen's own written pages.

It does not render anything. It cuts a page into blocks (heading, paragraph, list,
table, code, math, quote, HTML) that remember their file lines and their source text,
and arranges them under their headings. `<details>` blocks become nodes of their own;
`<div markdown="1">` wrappers, kramdown attribute lists (`{: .x }`), Liquid `{% raw %}`
lines and thematic breaks are structure, not content. Code fences are read first, so a
`#` inside code is never a heading.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$")
_IAL = re.compile(r"^ {0,3}\{:?[ \t]*[.#:][^}]*\}[ \t]*$|^ {0,3}\{:[^}]*\}[ \t]*$")
_TRAILING_ATTRS = re.compile(r"[ \t]*\{:?[ \t]*[.#][^}]*\}[ \t]*$")  # `## Title { #id }`
_RULE = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_LIST = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$")
_TASK = re.compile(r"^\[([ xX])\][ \t]+")
_TABLE_DELIM = re.compile(r"^ {0,3}\|?[ \t]*:?-{1,}:?[ \t]*(\|[ \t]*:?-{1,}:?[ \t]*)*\|?[ \t]*$")
_LIQUID_LINE = re.compile(r"^[ \t]*(\{%.*%\}|\{\{.*\}\})[ \t]*$")
_LIQUID_RAW = re.compile(r"^[ \t]*\{%-?[ \t]*(raw|endraw)[ \t]*-?%\}[ \t]*$")
_HTML_START = re.compile(r"^ {0,3}</?([A-Za-z][A-Za-z0-9-]*)\b[^>]*>?")
_SUMMARY = re.compile(r"<summary\b[^>]*>(.*?)</summary>", re.S | re.I)


@dataclass(slots=True)
class ListItem:
    text: str
    line: int
    marker: str  # `-`, `*`, `+`, `1.`, `1)`
    checked: bool | None = None  # task list `[ ]` / `[x]`
    children: list[ListItem] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    kind: str  # paragraph, list, table, code, math, quote, html, liquid
    line: int  # first file line (1-based)
    source: list[str]  # the lines as written
    attrs: list[str] = field(default_factory=list)  # kramdown attribute lists: `.highlight`
    items: list[ListItem] = field(default_factory=list)  # list
    rows: list[list[str]] = field(default_factory=list)  # table (header row first)
    info: str = ""  # code fence info string
    body: list[str] = field(default_factory=list)  # code/math lines without fences

    @property
    def text(self) -> str:
        return "\n".join(self.source)


@dataclass(slots=True)
class Node:
    """A heading (level 1–6), a `<details>` block (level 0) or the page itself (level -1)."""

    title: str
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)
    start: int = 0  # index of the first line after the heading (0-based, in the page)
    end: int = 0  # index after the node's last line (children included)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(slots=True)
class Comment:
    text: str
    line: int


@dataclass(slots=True)
class Parsed:
    root: Node
    comments: list[Comment]
    lines: list[str]
    offset: int  # file line of lines[0] minus 1


class _Parser:
    def __init__(self, lines: list[str], offset: int):
        self.lines = lines
        self.offset = offset
        self.i = 0
        self.root = Node(title="", level=-1, line=offset + 1)
        self.stack = [self.root]
        self.comments: list[Comment] = []
        self.pending_attrs: list[str] = []
        self.divs: list[int] = []  # headings made before each open `<div>` began
        self.serial: dict[int, int] = {}  # id(heading node) -> order of making
        self.last: Block | Node | None = None  # what an attribute list right after it belongs to

    def lineno(self, i: int) -> int:
        return i + self.offset + 1

    def add(self, block: Block) -> None:
        block.attrs.extend(self.pending_attrs)
        self.pending_attrs = []
        self.stack[-1].blocks.append(block)
        self.last = block

    def open_heading(self, level: int, title: str, i: int) -> None:
        while self.stack[-1].level >= level and self.stack[-1].level > 0:
            self.stack.pop().end = i
        node = Node(title=title, level=level, line=self.lineno(i), start=i + 1, attrs=self.pending_attrs)
        self.serial[id(node)] = len(self.serial)
        self.pending_attrs = []
        self.stack[-1].children.append(node)
        self.stack.append(node)
        self.last = node

    def close_details(self, i: int) -> None:
        if not any(n.level == 0 for n in self.stack):
            return  # a stray `</details>`: nothing to close
        while True:
            node = self.stack.pop()
            node.end = i
            if node.level == 0:
                return

    def run(self) -> Parsed:
        lines = self.lines
        n = len(lines)
        while self.i < n:
            i = self.i
            line = lines[i]
            stripped = line.strip()
            if not stripped:
                self.last = None
                self.i += 1
                continue
            fence = _FENCE.match(line)
            if fence:
                self.code(fence)
                continue
            if stripped.startswith("<!--"):
                self.comment()
                continue
            if _LIQUID_RAW.match(line):
                self.i += 1
                continue
            if _IAL.match(line):
                attrs = re.findall(r"\.([\w-]+)", stripped)
                if self.last is not None:
                    self.last.attrs.extend(attrs)
                else:
                    self.pending_attrs.extend(attrs)
                self.i += 1
                continue
            heading = _HEADING.match(line)
            if heading:
                title = _TRAILING_ATTRS.sub("", (heading.group(2) or "").rstrip("#").strip())
                self.open_heading(len(heading.group(1)), title, i)
                self.i += 1
                continue
            if _RULE.match(line):
                self.last = None
                self.i += 1
                continue
            if stripped == "$$" or (stripped.startswith("$$") and not stripped.endswith("$$")):
                self.math()
                continue
            if _LIQUID_LINE.match(line):
                self.add(Block("liquid", self.lineno(i), [line]))
                self.i += 1
                continue
            tag = _HTML_START.match(line)
            if tag:
                self.html(tag.group(1).lower(), stripped)
                continue
            if stripped.startswith("|") or (i + 1 < n and "|" in line and _TABLE_DELIM.match(lines[i + 1])
                                            and "|" in lines[i + 1]):
                if i + 1 < n and _TABLE_DELIM.match(lines[i + 1]):
                    self.table()
                    continue
            if _LIST.match(line) and (_LIST.match(line).group(3) or "").strip():
                self.list_block()
                continue
            if stripped.startswith(">"):
                self.quote()
                continue
            self.paragraph()
        for node in self.stack:
            node.end = n
        return Parsed(root=self.root, comments=self.comments, lines=lines, offset=self.offset)

    def code(self, fence: re.Match) -> None:
        start = self.i
        mark = fence.group(1)
        body = []
        self.i += 1
        while self.i < len(self.lines):
            line = self.lines[self.i]
            close = _FENCE.match(line)
            if close and close.group(1)[0] == mark[0] and len(close.group(1)) >= len(mark) and not close.group(2).strip():
                self.i += 1
                break
            body.append(line)
            self.i += 1
        self.add(Block("code", self.lineno(start), self.lines[start:self.i], info=fence.group(2).strip(), body=body))

    def comment(self) -> None:
        start = self.i
        text = []
        while self.i < len(self.lines):
            text.append(self.lines[self.i])
            self.i += 1
            if "-->" in text[-1]:
                break
        self.comments.append(Comment("\n".join(text), self.lineno(start)))

    def math(self) -> None:
        start = self.i
        body = [self.lines[self.i].strip()[2:]] if self.lines[self.i].strip() != "$$" else []
        self.i += 1
        while self.i < len(self.lines):
            line = self.lines[self.i]
            self.i += 1
            if line.strip().endswith("$$"):
                rest = line.strip()[:-2]
                if rest:
                    body.append(rest)
                break
            body.append(line)
        self.add(Block("math", self.lineno(start), self.lines[start:self.i], body=[b for b in body if b.strip()]))

    def html(self, tag: str, stripped: str) -> None:
        i = self.i
        if tag == "details" and not stripped.startswith("</"):
            summary = _SUMMARY.search(stripped)
            j = i
            if summary is None:  # `<summary>` on the next line(s)
                text = stripped
                while summary is None and j + 1 < len(self.lines) and j - i < 5:
                    j += 1
                    text += "\n" + self.lines[j]
                    summary = _SUMMARY.search(text)
                if summary is None:
                    j = i
            title = html_to_text(summary.group(1)).strip() if summary else ""
            level = re.search(r"<h([1-6])\b", summary.group(1)) if summary else None
            if level:  # `<summary><h3>…</h3></summary>` stands where a level-3 heading would
                while self.stack[-1].level >= int(level.group(1)) and self.stack[-1].level > 0:
                    self.stack.pop().end = i
            node = Node(title=title, level=0, line=self.lineno(i), start=j + 1)
            self.stack[-1].children.append(node)
            self.stack.append(node)
            self.last = None
            self.i = j + 1
            return
        if tag == "details":
            self.close_details(i)
            self.i += 1
            self.last = None
            return
        if tag in ("div", "summary") and re.fullmatch(r"</?\w+[^>]*>", stripped):
            # A wrapper's own line (`<div class=… markdown="1">`, `</div>`): headings opened
            # inside a div end with it.
            if tag == "div" and stripped.startswith("</"):
                if self.divs:
                    opened = self.divs.pop()
                    while self.stack[-1].level > 0 and self.serial[id(self.stack[-1])] >= opened:
                        self.stack.pop().end = i
            elif tag == "div":
                self.divs.append(len(self.serial))
            self.i += 1
            self.last = None
            return
        # Any other HTML block: to its closing tag for tables and lists, else to a blank line.
        end = self.i
        closing = f"</{tag}>" if tag in ("table", "ul", "ol", "pre", "script", "style") else None
        depth = 0
        while end < len(self.lines):
            line = self.lines[end]
            if closing is None:
                if not line.strip():
                    break
            else:
                depth += len(re.findall(rf"<{tag}\b", line, re.I)) - line.lower().count(closing)
            end += 1
            if closing is not None and depth <= 0:
                break
        block = Block("html", self.lineno(i), self.lines[i:end], info=tag)
        self.i = end
        self.add(block)

    def table(self) -> None:
        start = self.i
        rows = []
        while self.i < len(self.lines) and "|" in self.lines[self.i] and self.lines[self.i].strip():
            line = self.lines[self.i].strip()
            if self.i != start + 1:
                rows.append(split_row(line))
            self.i += 1
        self.add(Block("table", self.lineno(start), self.lines[start:self.i], rows=rows))

    def list_block(self) -> None:
        start = self.i
        roots: list[ListItem] = []
        stack: list[tuple[int, ListItem]] = []  # (content indent, item)
        lines = self.lines
        while self.i < len(lines):
            line = lines[self.i]
            if not line.strip():
                nxt = self.i + 1
                while nxt < len(lines) and not lines[nxt].strip():
                    nxt += 1
                if nxt < len(lines) and (_LIST.match(lines[nxt]) or (stack and _indent(lines[nxt]) > stack[0][0])):
                    self.i = nxt
                    continue
                break
            m = _LIST.match(line)
            if m and (m.group(3) or "").strip() and not _FENCE.match(line):
                indent = len(m.group(1).expandtabs(4))
                text = m.group(3).strip()
                checked = None
                task = _TASK.match(text)
                if task:
                    checked, text = task.group(1) != " ", text[task.end():]
                item = ListItem(text=text, line=self.lineno(self.i), marker=m.group(2), checked=checked)
                while stack and indent <= stack[-1][0]:  # deeper than the item above: its child
                    stack.pop()
                (stack[-1][1].children if stack else roots).append(item)
                stack.append((indent, item))
                self.i += 1
                continue
            if stack and (_indent(line) >= 2 or not _block_start(line)):
                if _FENCE.match(line.strip()) or _HEADING.match(line) or _IAL.match(line):
                    break
                stack[-1][1].text += "\n" + line.strip()  # a continuation line of the item
                self.i += 1
                continue
            break
        self.add(Block("list", self.lineno(start), lines[start:self.i], items=roots))

    def quote(self) -> None:
        start = self.i
        while self.i < len(self.lines) and self.lines[self.i].strip().startswith(">"):
            self.i += 1
        self.add(Block("quote", self.lineno(start), self.lines[start:self.i]))

    def paragraph(self) -> None:
        start = self.i
        self.i += 1
        lines = self.lines
        while self.i < len(lines):
            line = lines[self.i]
            if not line.strip() or _block_start(line) or _IAL.match(line):
                break
            if re.match(r"^ {0,3}(=+|-+)[ \t]*$", line):  # setext heading underline
                level = 1 if line.strip()[0] == "=" else 2
                title = " ".join(l.strip() for l in lines[start:self.i])
                self.open_heading(level, title, start)
                self.stack[-1].start = self.i + 1
                self.i += 1
                return
            self.i += 1
        self.add(Block("paragraph", self.lineno(start), lines[start:self.i]))


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" ")) if line.strip() else 0


def _block_start(line: str) -> bool:
    return bool(_FENCE.match(line) or _HEADING.match(line) or _LIST.match(line) or line.lstrip().startswith(("<", ">", "|"))
                or _RULE.match(line) or line.strip() == "$$")


def split_row(line: str) -> list[str]:
    """Cells of a Markdown table row; `\\|` stays inside a cell."""
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", line)]


def parse(lines: list[str], offset: int = 0) -> Parsed:
    return _Parser(lines, offset).run()


# --- inline text -------------------------------------------------------------------------

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*\b[^<>]*>")
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_CODE = re.compile(r"(`+)(.+?)\1")
_XREF = re.compile(r"\[((?:\\.|[^\]\\])*)\]\([^)\s]*\)\{: \.kb-xref \}")
_PUA = 0xF0000  # escaped characters wait here while markup is removed


def plain(text: str) -> str:
    """The visible text of inline Markdown/HTML: emphasis, code ticks, tags and escapes
    removed, entities decoded; `<br>` becomes a newline. Links and images stay as written,
    except kbgen's own cross-links (`[RNN](rnn.md){: .kb-xref }`), which are read as their text."""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = _XREF.sub(r"\1", text)  # kbgen's cross-links are the text they link
    text = _ESCAPED.sub(lambda m: chr(_PUA + ord(m.group(1))), text)
    text = _CODE.sub(lambda m: m.group(2).strip(), text)
    text = _STRONG.sub(r"\2", text)
    text = _EM.sub(r"\1", text)
    text = _TAG.sub("", text)
    text = re.sub("[\U000F0000-\U000F007F]", lambda m: chr(ord(m.group()) - _PUA), text)
    return html.unescape(text).strip()


# --- a small DOM for kbgen's own HTML tables and lists -----------------------------------

@dataclass(slots=True)
class El:
    tag: str
    attrs: dict
    children: list  # El | str

    def find_all(self, tag: str) -> list[El]:
        out = []
        for c in self.children:
            if isinstance(c, El):
                if c.tag == tag:
                    out.append(c)
                out.extend(c.find_all(tag))
        return out

    def kids(self, tag: str) -> list[El]:
        return [c for c in self.children if isinstance(c, El) and c.tag == tag]

    def text(self, skip: tuple[str, ...] = ()) -> str:
        parts = []
        for c in self.children:
            if isinstance(c, str):
                parts.append(c)
            elif c.tag == "br":
                parts.append("\n")
            elif c.tag not in skip:
                parts.append(c.text(skip))
        return "".join(parts)


class _DomBuilder(HTMLParser):
    _VOID = {"br", "img", "hr", "input", "meta", "link"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = El("root", {}, [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = El(tag, dict(attrs), [])
        self.stack[-1].children.append(el)
        if tag not in self._VOID:
            self.stack.append(el)

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, 0, -1):
            if self.stack[k].tag == tag:
                del self.stack[k:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def dom(source: str) -> El:
    builder = _DomBuilder()
    builder.feed(source)
    builder.close()
    return builder.root


def html_to_text(source: str) -> str:
    return dom(source).text()
