"""`kbgen import`: existing Markdown pages -> topic files (YAML).

Three kinds of page are read by the same code:

- seed-style CSV pages of a just-the-docs site (the `CSV_APPLIED` marker, 📌 핵심 암기,
  🧠 개념 영역, 🏗️ 기술 영역, a `<details>` 📖 상세 설명 with the sheet's lines), with the
  `🗂️ 기존 내용 (백업)` block `kbgen apply` leaves at the end;
- pages kbgen's own renderers wrote (the same blocks, as HTML tables and lists);
- plain Markdown posts (Chirpy and the like): front matter, headings as sections, lists as
  items, `용어: 설명` as term and description.

Blocks whose meaning is known fill the topic's fields; everything else goes, as written,
into `notes` under the heading it stood under. Nothing is dropped. Images stay Markdown
links; remote and expiring ones are reported with the file and line.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .checks import _EXPIRING, _IMAGE
from .config import Subject
from .diagnostics import DataError, Location, Report
from .mdread import Block, El, ListItem, Node, Parsed, dom, parse, plain
from .model import Background, ExamRef, Item, Keyword, Mnemonic, Section, Topic
from .notation import _make_items, parse_cell
from .project import make_slug, short_title
from .schema import Validator, to_data
from .sources.text import read_text
from .sources.yamlfile import parse_yaml

MAX_PAGE_BYTES = 4 * 1024 * 1024
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
_CSV_APPLIED = re.compile(r"<!--\s*CSV_APPLIED:\s*(.*?)\s*\|\s*NO=(\d+)\s*(?:\|\s*중토픽=(.*?))?\s*-->", re.S)
_KBGEN_MARKER = re.compile(r"^\s*<!-- kbgen:(begin|end)\b.*-->\s*$")
_IAL_LINE = re.compile(r"^\s*\{:[^}]*\}\s*$")
_CODE_SPAN = re.compile(r"<code>(.*?)</code>|`([^`]+)`")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_RICH = re.compile(r"!\[|\]\(|<[A-Za-z/][^>]*>|\$\$?\S")  # markup an item's plain text cannot keep
_STEP = re.compile(r"^(?:[\u2460-\u2473]|\d{1,2}[.)]|\(\d{1,2}\))$")
_EXAMPLE = re.compile(r"^(?:[eE][xX][).:]|예\))$")


def _key(title: str) -> str:
    """A heading reduced to what identifies it: `📌 핵심 암기 (Quick Reference)` -> `핵심암기`."""
    text = re.sub(r"\([^)]*\)\s*$", "", plain(title))
    return re.sub(r"[^0-9A-Za-z\uac00-\ud7a3/]", "", text)


def _norm(text: str) -> str:
    return " ".join(text.split())


def _dash(text: str | None) -> str | None:
    """Table cells holding `-` mean "nothing"."""
    text = (text or "").strip()
    return None if text in ("", "-", "—", "–") else text


def _kind(marker: str) -> str:
    marker = marker.strip()
    if _STEP.match(marker):
        return "step"
    if _EXAMPLE.match(marker):
        return "example"
    return "item"


def _items_of_text(text: str, kind: str = "item") -> list[Item]:
    """One line of text as items: `**용어**: 설명` and `용어: 설명` give term and
    description (kbgen's own notation rules), anything else is all term."""
    bold = re.match(r"^\s*(\*\*|__)(.+?)\1\s*[:：]\s*(.*)$", text, re.S)
    if bold:
        return [Item(term=plain(bold.group(2)), description=plain(bold.group(3)) or None, kind=kind)]
    flat = plain(text)
    if not flat:
        return []
    if "\n" in flat:
        return [Item(term=flat, kind=kind)]
    out = []
    for it in _make_items(0, kind, "", flat):
        out.append(Item(term=it.term if it.term is not None else it.text, description=it.description,
                        kind=it.kind))
    return out


def _atoms(items: list[Item]) -> list[str]:
    out = []
    for it in items:
        out.extend(_norm(x) for x in (it.term, it.description, it.text) if x)
        out.extend(_atoms(it.children))
    return out


def _covers(a: Section, b: Section) -> bool:
    """Every piece of text in b is somewhere in a."""
    joined = "\n".join(_atoms(a.items))
    return all(atom in joined for atom in _atoms(b.items))


@dataclass(slots=True)
class PageData:
    path: str
    shown: str
    front: dict[str, Any]
    lines: list[str]  # the body, after the front matter
    offset: int  # file line of lines[0] minus 1


@dataclass(slots=True)
class Imported:
    page: str
    target: str
    topic: Topic
    text: str
    unused_front: list[str] = field(default_factory=list)


def read_page(path: str, shown: str, report: Report) -> PageData | None:
    """A page's front matter and body; None after reporting why it cannot be read."""
    where = Location(file=shown)
    if not path.lower().endswith(MARKDOWN_SUFFIXES):
        report.error("import-not-markdown", where, "not a Markdown page (the name does not end in .md)",
                     "give the .md (or .markdown) files of the pages to import")
        return None
    try:
        text, _ = read_text(path, encodings=("utf-8",), limit=MAX_PAGE_BYTES)
    except DataError as exc:
        d = exc.diagnostic
        hint = {"encoding-unknown": "save the page as UTF-8", "binary-file": "give a Markdown text file",
                "file-missing": "check the path"}.get(d.code, "give a smaller page")
        report.error(d.code, Location(file=shown, line=d.where.line), d.message, hint)
        return None
    if os.path.isdir(path):  # pragma: no cover - read_text fails first
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    front: dict[str, Any] = {}
    offset = 0
    if lines and lines[0].strip() == "---":
        close = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if close is None:
            report.error("import-front-matter", Location(file=shown, line=1),
                         "the front matter opened by `---` on line 1 is never closed",
                         "add a line `---` after the front matter")
            return None
        source = "\n".join(lines[1:close])
        try:
            loaded = yaml.safe_load(source) if source.strip() else {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "invalid YAML"
            report.error("import-front-matter",
                         Location(file=shown, line=mark.line + 2 if mark else 2,
                                  column=mark.column + 1 if mark else None),
                         f"front matter is not valid YAML: {problem}",
                         "fix the front matter between the `---` lines (quote values with `:` or `#`)")
            return None
        if not isinstance(loaded, dict):
            report.error("import-front-matter", Location(file=shown, line=2),
                         "front matter is not a list of `key: value` lines",
                         "write the front matter as `key: value` lines")
            return None
        front = {str(k): v for k, v in loaded.items()}
        lines, offset = lines[close + 1:], close + 1
    if not any(line.strip() for line in lines) and not front.get("title"):
        report.error("import-empty", where, "the page is empty", "give a page with a title or some text")
        return None
    return PageData(path=path, shown=shown, front=front, lines=lines, offset=offset)


class PageImporter:
    """Reads one parsed page into a Topic. Setters never overwrite: a second, different
    value (a backup block's old definition, say) goes to `notes`."""

    def __init__(self, page: PageData, report: Report, subject: Subject | None = None):
        self.page = page
        self.report = report
        self.subject = subject
        self.topic = Topic()
        self.notes: list[tuple[str, str]] = []  # (heading it stood under, Markdown as written)
        self.tables: list[Section] = []  # 🏗️ 기술 영역
        self.generic: list[Section] = []  # headings of plain posts
        self.cells: list[tuple[str, str, int]] = []  # 상세 설명: (column, sheet text, file line)
        self.csv_file: str | None = None
        self.parent: str | None = None
        self.categories: list[str] = []
        self.unused_front: list[str] = []
        self.tags: list[str] = []
        self.in_backup = False
        self.parsed: Parsed | None = None

    # --- setters -----------------------------------------------------------------------

    def note(self, context: str, text: str) -> None:
        text = "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
        if text.strip():
            self.notes.append((context, text))

    def set_title(self, title: str) -> None:
        title = plain(title).strip()
        if not title:
            return
        t = self.topic
        if t.title is None:
            t.title = title
        elif title not in (t.title, short_title(t.title)) and title not in t.aliases:
            t.aliases.append(title)
            if self.in_backup:  # aliases are not shown on the page: keep the old title in sight
                self.note("🗂️ 기존 내용 (백업)", f"**제목** {title}")

    def set_text(self, name: str, value: str | None, context: str, label: str) -> None:
        value = (value or "").strip()
        if not value:
            return
        old = getattr(self.topic, name)
        if old is None:
            setattr(self.topic, name, value)
        elif _norm(old) != _norm(value):
            self.note(context, f"**{label}** {value}")

    def add_keyword(self, term: str, description: str | None = None, example: str | None = None) -> None:
        term = term.strip()
        if not term:
            return
        for k in self.topic.keywords:
            if k.term == term:
                k.description = k.description or description
                k.example = k.example or example
                return
        self.topic.keywords.append(Keyword(term=term, description=description or None, example=example or None))

    def add_unique(self, name: str, value: str) -> None:
        value = value.strip()
        values = getattr(self.topic, name)
        if value and value not in values:
            values.append(value)

    # --- the page ------------------------------------------------------------------------

    def run(self) -> Topic:
        page = self.page
        self.parsed = parse(page.lines, page.offset)
        for comment in self.parsed.comments:
            m = _CSV_APPLIED.search(comment.text)
            if m:
                self.csv_file = m.group(1).strip()
                self.topic.no = int(m.group(2))
                if m.group(3):
                    self.set_title(m.group(3))
        self.front_matter(page.front)
        self.container(self.parsed.root, "")
        if page.front.get("title") is not None:
            self.set_title(str(page.front["title"]))
        if self.topic.title is None:
            self.set_title(os.path.splitext(os.path.basename(page.path))[0])
        self.finish()
        return self.topic

    def front_matter(self, front: dict[str, Any]) -> None:
        used = {"title", "layout", "parent", "grand_parent", "categories", "category", "tags", "description",
                "nav_order", "has_children"}
        self.unused_front = [k for k in front if k not in used]
        if front.get("parent"):
            self.parent = str(front["parent"])
        cats = front.get("categories", front.get("category"))
        if isinstance(cats, str):
            cats = cats.split()
        self.categories = [str(c) for c in cats or []]
        tags = front.get("tags") or []
        if isinstance(tags, str):
            tags = tags.split()
        self.tags = [str(t) for t in tags]
        if front.get("description"):
            self.set_text("definition", str(front["description"]), "", "정의")

    def container(self, node: Node, context: str) -> None:
        """A node whose blocks are loose text and whose children are the page's parts."""
        first_paragraph = node.level == -1
        for block in node.blocks:
            if self.label(block):
                continue
            if first_paragraph and block.kind == "paragraph" and not _RICH.search(block.text) \
                    and self.topic.definition is None:
                self.set_text("definition", plain(" ".join(block.source)), context, "정의")
                first_paragraph = False
                continue
            self.loose(block, context)
        level_one = [c for c in node.children if c.level == 1]
        for child in node.children:
            self.child(child, context, single_h1=len(level_one) == 1)

    def label(self, block: Block) -> bool:
        if block.kind != "paragraph" or "label" not in block.attrs:
            return False
        text = plain(" ".join(block.source))
        if self.parent and text == self.parent or self.category_id(text):
            self.categories.insert(0, text)
        elif self.topic.label is None:
            self.topic.label = text
        elif text != self.topic.label:
            self.note("", text)
        return True

    @staticmethod
    def known(node: Node) -> bool:
        key = _key(node.title)
        return key in _HANDLERS or any(key.endswith(x) or key.startswith(x) for x, _ in _SUFFIX_HANDLERS)

    def child(self, node: Node, context: str, single_h1: bool = False) -> None:
        key = _key(node.title)
        here = plain(node.title)
        if node.level == 1 and single_h1 and key not in _HANDLERS:
            self.set_title(node.title)
            self.container(node, context)
            return
        handler = _HANDLERS.get(key)
        if handler is None:
            for suffix, name in _SUFFIX_HANDLERS:
                if key.endswith(suffix) or key.startswith(suffix):
                    handler = name
                    break
        inner = f"{context} › {here}" if context else here
        if handler is not None:
            getattr(self, handler)(node, inner)
            return
        self.generic_section(node, inner)

    # --- loose blocks and plain sections ------------------------------------------------

    def loose(self, block: Block, context: str) -> None:
        """A block at a place with no section: a diagram or equation if it is one, else notes."""
        if block.kind == "code" and block.info.split()[:1] == ["mermaid"] and self.topic.diagram is None:
            self.topic.diagram = "\n".join(block.body).strip("\n") + "\n"
        elif block.kind == "math":
            self.topic.equations.append("\n".join(block.body).strip())
        else:
            self.note(context, block.text)

    def generic_section(self, node: Node, context: str) -> None:
        name = plain(node.title) or "내용"
        if self.in_backup:  # old hand-written text beside the generated part: kept as written
            body = [line for line in self.parsed.lines[node.start:node.end] if not _IAL_LINE.match(line)]
            while body and (not body[-1].strip() or re.fullmatch(r"\s*([-*_]\s*){3,}", body[-1])):
                body.pop()
            self.note(context, "\n".join(body))
            return
        items = self.node_items(node, name)
        if items:
            self.generic.append(Section(name=name, items=items))

    def node_items(self, node: Node, context: str) -> list[Item]:
        items: list[Item] = []
        for block in node.blocks:
            if not self.label(block):
                items.extend(self.block_items(block, context))
        for child in node.children:
            key = _key(child.title)
            if key in _HANDLERS or child.level == 0:
                self.child(child, context)
                continue
            item = Item(term=plain(child.title) or None)
            item.children = self.node_items(child, f"{context} › {plain(child.title)}" if context else plain(child.title))
            if item.term is None:
                items.extend(item.children)
            else:
                items.append(item)
        return items

    def block_items(self, block: Block, context: str) -> list[Item]:
        if block.kind == "list":
            if all(it.checked is not None for it in block.items) and not any(it.children for it in block.items):
                for it in block.items:
                    self.add_unique("checklist", plain(it.text))
                return []
            return self.list_items(block.items, block, context)
        if block.kind == "paragraph" and not _RICH.search(block.text):
            return _items_of_text(" ".join(line.strip() for line in block.source))
        if block.kind == "table" and len(block.rows) > 1 and all(len(r) == 2 for r in block.rows) \
                and not any(_RICH.search(c) for r in block.rows for c in r):
            out = []
            for term, desc in block.rows[1:]:
                if _dash(plain(term)):
                    out.append(Item(term=plain(term), description=_dash(plain(desc))))
                elif _dash(plain(desc)):
                    out.append(Item(term=plain(desc)))
            if out:
                head = [plain(c) for c in block.rows[0]]
                if any(_dash(h) for h in head):
                    self.note(context, "| " + " | ".join(block.rows[0]) + " |")  # the column names
                return out
        self.loose(block, context)
        return []

    def list_items(self, items: list[ListItem], block: Block, context: str) -> list[Item]:
        out: list[Item] = []
        for li in items:
            if _RICH.search(li.text):
                self.note(context, ("1. " if li.marker[0].isdigit() else "- ") + li.text)
                made = []
            else:
                kind = "step" if li.marker[0].isdigit() else "item"
                made = _items_of_text(li.text, kind)
            children = self.list_items(li.children, block, context)
            if made:
                made[-1].children.extend(children)
                out.extend(made)
            else:
                out.extend(children)
        return out

    # --- the seed's and kbgen's blocks ---------------------------------------------------

    def transparent(self, node: Node, context: str) -> None:
        self.container(node, context)

    def quick(self, node: Node, context: str) -> None:
        """📌 핵심 암기: a quote with the definition, mnemonics, keywords, differentiator."""
        for block in node.blocks:
            if block.kind != "quote":
                self.loose(block, context)
                continue
            for raw in block.source:
                line = re.sub(r"^\s*>\s?", "", raw).strip()
                body = re.sub(r"^[-*+]\s+", "", line)
                if not body:
                    continue
                head, _, rest = body.partition(":")
                head = plain(head)
                if head == "암기" and rest:
                    self.mnemonics(rest)
                elif head == "키워드" and rest:
                    spans = _CODE_SPAN.findall(rest)
                    terms = [a or b for a, b in spans] if spans else plain(rest).split("·")
                    for term in terms:
                        self.add_keyword(plain(term))
                elif head == "차별점" and rest:
                    self.set_text("differentiator", plain(rest), context, "차별점")
                elif body.startswith("**정의**"):
                    self.set_text("definition", plain(body[len("**정의**"):]), context, "정의")
                elif re.match(r"^\*\*(.+?)\*\*\s*:", body):
                    m = re.match(r"^\*\*(.+?)\*\*\s*:\s*(.*)$", body)
                    self.set_title(m.group(1))
                    self.set_text("definition", plain(m.group(2)), context, "정의")
                else:
                    self.note(context, raw.lstrip("> "))
        for child in node.children:
            self.child(child, context)

    def mnemonics(self, rest: str) -> None:
        spans = list(_CODE_SPAN.finditer(rest))
        if len(spans) == 1 and rest[spans[0].end():].strip():
            m = Mnemonic(token=plain(spans[0].group(1) or spans[0].group(2)))
            tail = plain(rest[spans[0].end():])
            ctx = re.match(r"^\((.*?)\)\s*", tail)
            if ctx:
                m.context, tail = ctx.group(1), tail[ctx.end():]
            if tail.startswith("="):
                expansion, _, section = tail[1:].partition(" — ")
                m.expansion = [e.strip() for e in expansion.split("·") if e.strip()]
                m.section = section.strip() or None
            if not any(x.token == m.token for x in self.topic.mnemonics):
                self.topic.mnemonics.append(m)
            return
        tokens = [plain(s.group(1) or s.group(2)) for s in spans] or plain(rest).split()
        for token in tokens:
            if token and not any(x.token == token for x in self.topic.mnemonics):
                self.topic.mnemonics.append(Mnemonic(token=token))

    def keywords(self, node: Node, context: str) -> None:
        for block in node.blocks:
            rows = self.rows(block)
            if rows:
                for row in rows[1:]:
                    cells = [_dash(c) for c in row] + [None, None]
                    if cells[0]:
                        self.add_keyword(cells[0], cells[1], cells[2])
                continue
            spans = _CODE_SPAN.findall(block.text)
            if block.kind == "paragraph" and spans and not _CODE_SPAN.sub("", block.text).strip():
                for a, b in spans:
                    self.add_keyword(plain(a or b))
            elif block.kind == "list":
                for it in block.items:
                    for item in _items_of_text(it.text):
                        self.add_keyword(item.term or "", item.description)
                    if it.children:
                        self.note(context, block.text)
            else:
                self.loose(block, context)
        for child in node.children:
            self.child(child, context)

    def rows(self, block: Block) -> list[list[str]]:
        """A table's rows as plain text, Markdown or HTML; [] for anything else."""
        if block.kind == "table":
            return [[plain(c) for c in row] for row in block.rows]
        if block.kind == "html" and block.info == "table":
            table = dom(block.text)
            return [[_clean(c.text()) for c in tr.children if isinstance(c, El) and c.tag in ("td", "th")]
                    for tr in table.find_all("tr")]
        return []

    def background(self, node: Node, context: str) -> None:
        bg = self.topic.background or Background()
        for block in node.blocks:
            rows = self.rows(block)
            pairs = [(r[0], r[1]) for r in rows[1:] if len(r) >= 2] if rows else []
            if block.kind == "paragraph":
                m = re.match(r"^\*\*(.+?)\*\*\s*(.*)$", " ".join(block.source), re.S)
                if m:
                    pairs = [(plain(m.group(1)), plain(m.group(2)))]
            if not pairs:
                self.loose(block, context)
                continue
            for label, value in pairs:
                value = _dash(value)
                if value is None:
                    continue
                if "문제" in label or "필요" in label:
                    if bg.problem is None:
                        bg.problem = value
                    elif _norm(bg.problem) != _norm(value):
                        self.note(context, f"**{label}** {value}")
                elif "활용" in label or "사례" in label:
                    for use in value.split("·"):
                        if use.strip() and use.strip() not in bg.uses:
                            bg.uses.append(use.strip())
                else:
                    self.note(context, f"**{label}** {value}")
        if bg.problem or bg.uses:
            self.topic.background = bg
        for child in node.children:
            self.child(child, context)

    def definition(self, node: Node, context: str) -> None:
        rest: list[Block] = []
        for block in node.blocks:
            rows = self.rows(block)
            if rows and all(len(r) >= 2 for r in rows):
                for term, value, *_ in rows[1:]:
                    if _dash(term):
                        self.set_title(term)
                    self.set_text("definition", _dash(value), context, "정의")
                continue
            if block.kind == "paragraph" and not _RICH.search(block.text) and \
                    (self.topic.definition is None or _norm(plain(block.text)) == _norm(self.topic.definition)):
                self.set_text("definition", plain(" ".join(block.source)), context, "정의")
                continue
            rest.append(block)
        node.blocks = rest
        if rest or node.children:
            self.generic_section(node, context)

    def technique(self, node: Node, context: str) -> None:
        """🏗️ 기술 영역: a section per subheading, from its table; 구조도 and 수식."""
        for block in node.blocks:
            self.loose(block, context)
        for child in node.children:
            key = _key(child.title)
            if key in ("구조도", "수식"):
                for sub in _walk_headings(child, self, context):
                    for block in sub.blocks:
                        self.loose(block, f"{context} › {plain(child.title)}")
                continue
            if key in _HANDLERS:
                self.child(child, context)
                continue
            section = Section(name=plain(child.title))
            for sub in _walk_headings(child, self, context):
                for block in sub.blocks:
                    if block.kind == "html" and block.info == "p" and "kb-source" in block.text:
                        continue  # which column, which mnemonic: shown elsewhere too
                    if block.kind == "html" and block.info == "table":
                        section.items.extend(_html_table_items(dom(block.text)))
                    elif block.kind == "table":
                        section.items.extend(_md_table_items(block.rows))
                    else:
                        section.items.extend(self.block_items(block, f"{context} › {section.name}"))
            if section.items:
                self.tables.append(section)

    def details(self, node: Node, context: str) -> None:
        """📖 상세 설명: the sheet's cells, line by line; read back with kbgen's notation parser."""
        column = "기술요소"
        lines: list[str] = []
        first = node.line

        def flush() -> None:
            if any(line.strip() for line in lines):
                self.cells.append((column, "\n".join(lines), first))
            lines.clear()

        for block in node.blocks:
            if block.kind == "paragraph" and re.fullmatch(r"\*\*(기술요소|매커니즘)\*\*", block.text.strip()):
                flush()
                column = block.text.strip().strip("*")
            elif block.kind == "html" and block.info == "ul":
                lines.extend(_source_lines(dom(block.text)))
            elif block.kind == "list":
                lines.extend(_list_lines(block.items, 0))
            else:
                self.loose(block, context)
        for child in node.children:
            if child.level == 0 or _key(child.title) in _HANDLERS:
                self.child(child, context)
                continue
            if _key(child.title) != "내용":  # the seed's name for the lines before any header
                lines.append(f"[{plain(child.title)}]")
            for sub in _walk_headings(child, self, context):
                for block in sub.blocks:
                    if block.kind == "list":
                        lines.extend(_list_lines(block.items, 0))
                    elif block.kind == "paragraph":
                        lines.extend(plain(line) for line in block.source)
                    else:
                        self.loose(block, f"{context} › {plain(child.title)}")
        flush()

    def related(self, node: Node, context: str) -> None:
        for block in node.blocks:
            if block.kind == "list":
                for it in block.items:
                    self.add_unique("related", plain(_LINK.sub(r"\1", it.text)))
            else:
                self.loose(block, context)
        # kbgen's pages: `관련 토픽` holds the related topics; the backlinks are made by the build.
        for child in node.children:
            key = _key(child.title)
            if key == _key("관련 토픽"):
                self.related(child, context)
            elif key != _key("이 토픽을 언급하는 토픽"):
                self.child(child, context)

    def exams(self, node: Node, context: str) -> None:
        for block in node.blocks:
            rows = self.rows(block)
            done = False
            for row in rows[1:]:
                nums = [re.match(r"^(\d+)", _LINK.sub(r"\1", c)) for c in row[:3]]  # `[136회](…#q-…)`
                if len(row) >= 3 and all(nums):
                    r, s, n = (int(m.group(1)) for m in nums)
                    if 1 <= s <= 4 and r >= 1 and n >= 1:
                        question = _dash(row[3]) if len(row) > 3 else None
                        if all((e.round, e.session, e.number) != (r, s, n) for e in self.topic.exams):
                            self.topic.exams.append(ExamRef(round=r, session=s, number=n, question=question))
                        done = True
                        continue
                self.note(context, "| " + " | ".join(row) + " |")
            if not done:
                self.loose(block, context)

    def checklist(self, node: Node, context: str) -> None:
        for block in node.blocks:
            if block.kind == "list":
                for it in block.items:
                    self.add_unique("checklist", plain(it.text))
                    if it.children:
                        self.note(context, "\n".join(_list_lines(it.children, 0)))
            else:
                self.loose(block, context)
        for child in node.children:
            self.child(child, context)

    def verbatim(self, node: Node, context: str) -> None:
        """Hand-written notes and run code: kept as written, Markdown and all."""
        lines: list[str] = []
        at = node.start
        for child in list(node.walk())[1:]:  # a known part after the code (kbgen's 📖 상세 설명) is its own
            if child.level == 0 and self.known(child) and child.line - 1 - self.parsed.offset >= at:
                lines.extend(self.parsed.lines[at:child.line - 1 - self.parsed.offset])
                self.child(child, "")
                at = child.end
        lines.extend(self.parsed.lines[at:node.end])
        kept = [line for line in lines if not _KBGEN_MARKER.match(line) and not re.match(
            r"^\s*\{%-?\s*(raw|endraw)\s*-?%\}\s*$", line) and line.strip() != "</details>"]
        text = "\n".join(kept)
        if _key(node.title) == "메모":
            self.note("", text)
        else:
            self.note(context, text)

    def backup(self, node: Node, context: str) -> None:
        """🗂️ 기존 내용 (백업): the page as it was by hand; read like any page. What its fields
        would replace goes to notes under this name."""
        self.in_backup = True
        try:
            self.container(node, context)
        finally:
            self.in_backup = False

    # --- the end -----------------------------------------------------------------------

    def finish(self) -> None:
        t = self.topic
        tokens = {m.token for m in t.mnemonics}
        detail_sections: list[Section] = []
        for column, text, line in self.cells:
            cell = parse_cell(text, column, tokens)
            if cell.definition and cell.lead:
                lead_first = cell.lead[0]
                if t.definition is None or _norm(t.definition) == _norm(cell.definition):
                    t.definition = t.definition or cell.definition
                    rest = cell.lead[1:] if not lead_first.children else cell.lead
                else:
                    rest = cell.lead
                if rest:
                    self.note("📖 상세 설명", "```text\n" + "\n".join(_cell_lines(rest, 0)) + "\n```")
            detail_sections.extend(cell.sections)
        sections = self.tables
        if detail_sections:
            by_name: dict[str, list[Section]] = {}
            for s in detail_sections:
                by_name.setdefault(s.name, []).append(s)
            if all(any(_covers(d, s) for d in by_name.get(s.name, [])) for s in self.tables):
                sections = detail_sections  # the whole cell, in the sheet's order
            else:
                for d in detail_sections:
                    if not any(s.name == d.name and _covers(s, d) for s in self.tables):
                        body = [d.header or f"[{d.name}]"] + ([d.mnemonic] if d.mnemonic else [])
                        self.note(f"📖 상세 설명 › {d.name}",
                                  "```text\n" + "\n".join(body + _cell_lines(d.items, 0)) + "\n```")
        for s in self.generic:
            if not any(o.name == s.name and _covers(o, s) for o in sections):
                sections.append(s)
        t.sections = [_clean_section(s) for s in sections]
        for tag in self.tags:
            if tag.lower() not in {n.lower() for n in (t.title or "", short_title(t.title or ""), *t.aliases)}:
                self.add_keyword(tag)
        t.category = self.match_category()
        if self.notes:
            parts: list[str] = []
            last = None
            for context, text in self.notes:
                if context != last and context:
                    parts.append(f"#### {context}")
                last = context
                parts.append(text)
            t.notes = "\n\n".join(parts) + "\n"

    def category_id(self, name: str) -> str | None:
        if self.subject is None:
            return None
        name = name.strip()
        bare = re.sub(r"^\d+(\.\d+)*\.?\s*", "", name)
        for c in self.subject.categories:
            if name in (c.id, c.title) or bare in c.match or bare == re.sub(r"^\d+(\.\d+)*\.?\s*", "", c.title):
                return c.id
        return None

    def match_category(self) -> str | None:
        names = ([self.parent] if self.parent else []) + self.categories
        for name in names:
            found = self.category_id(name)
            if found:
                return found
        if self.subject is not None and names:
            self.report.warning("import-unknown-category", Location(file=self.page.shown, line=1),
                                f"{', '.join(names)} matches no category of subject '{self.subject.id}'",
                                "set `category:` in the written file by hand")
        return None


def _walk_headings(node: Node, importer: PageImporter, context: str):
    """The node and its subheadings; `<details>` blocks and known parts inside it are
    handed to the importer as parts of their own."""
    yield node
    for child in node.children:
        if child.level == 0 or _key(child.title) in _HANDLERS:
            importer.child(child, context)
        else:
            yield from _walk_headings(child, importer, context)


_HANDLERS = {
    "핵심암기": "quick", "핵심키워드": "keywords", "키워드": "keywords", "등장배경": "background",
    "개념정의": "definition", "정의": "definition", "정의/개념": "definition", "개념": "definition",
    "기술영역": "technique", "개념영역": "transparent", "기술사수준설명": "transparent",
    "상세설명": "details", "연계토픽": "related", "기출": "exams", "학습체크리스트": "checklist",
    "체크리스트": "checklist", "메모": "verbatim", "실행코드": "verbatim", "기존내용": "backup",
}
_SUFFIX_HANDLERS = [("이란", "definition"), ("핵심키워드", "keywords"), ("상세설명", "details")]


def _clean(text: str) -> str:
    return "\n".join(line.strip() for line in text.strip().split("\n"))


def _clean_section(s: Section) -> Section:
    """Only the fields a topic file has (parsed sections carry their provenance)."""
    def items(its: list[Item]) -> list[Item]:
        out = []
        for it in its:
            term = it.term if it.term is not None else (it.text or None)
            out.append(Item(term=term, description=it.description or None, kind=it.kind, children=items(it.children)))
        return out
    return Section(name=s.name, items=items(s.items), mnemonic=s.mnemonic)


def _cell_lines(items: list[Item], depth: int) -> list[str]:
    out = []
    for it in items:
        out.append(">" * depth + (" " if depth else "") + (it.marker.strip() + " " if it.marker.strip("> ") else "")
                   + it.text)
        out.extend(_cell_lines(it.children, depth + 1))
    return out


def _list_lines(items: list[ListItem], depth: int) -> list[str]:
    out = []
    for li in items:
        out.append(">" * depth + (" " if depth else "") + plain(li.text))
        out.extend(_list_lines(li.children, depth + 1))
    return out


def _inline(li: El) -> list:
    return [c for c in li.children if not (isinstance(c, El) and c.tag in ("ul", "ol"))]


def _source_lines(root: El) -> list[str]:
    """kbgen's 상세 설명 list: headers in <strong>, mnemonics in <code>, nesting by <ul>."""
    out: list[str] = []

    def walk(ul: El, depth: int) -> None:
        for li in ul.kids("li"):
            inline = El("span", {}, _inline(li))
            text = _clean(inline.text())
            strong = inline.kids("strong")
            header = bool(strong) and re.fullmatch(r"\[.*\]\s*", strong[0].text())
            out.append(text if header or depth == 0 else ">" * depth + " " + text)
            for sub in li.kids("ul"):
                walk(sub, 0 if header else depth + 1)

    for ul in root.kids("ul"):
        walk(ul, 0)
    return out


def _item_from_inline(parts: list) -> Item | None:
    """An item cell or list entry kbgen wrote: `[syllable] [marker] <strong>term</strong>: description` or text."""
    parts = [p for p in parts if not (isinstance(p, str) and not p.strip())]
    if len(parts) >= 2 and isinstance(parts[0], El) and parts[0].tag == "strong" and len(parts[0].text()) == 1:
        nxt = parts[1].text() if isinstance(parts[1], El) else parts[1]
        if nxt.strip().startswith(parts[0].text()) or (isinstance(parts[1], El) and parts[1].tag == "strong"):
            parts = parts[1:]  # the mnemonic syllable, shown before the item
    strong_at = next((i for i, p in enumerate(parts) if isinstance(p, El) and p.tag == "strong"), None)
    if strong_at is not None:
        marker = "".join(p if isinstance(p, str) else p.text() for p in parts[:strong_at]).strip()
        after = "".join(p if isinstance(p, str) else p.text() for p in parts[strong_at + 1:]).strip()
        if after and not after.startswith(":"):
            strong_at = None  # bold inside the text, not a term
        else:
            return Item(term=_clean(parts[strong_at].text()), description=_clean(after[1:]) or None,
                        kind=_kind(marker))
    text = _clean("".join(p if isinstance(p, str) else p.text() for p in parts))
    if not text:
        return None
    m = re.match(r"^([\u2460-\u2473]|\d{1,2}[.)]|\(\d{1,2}\)|[eE][xX]\)|예\))\s+(.*)$", text, re.S)
    if m:
        return Item(term=m.group(2), kind=_kind(m.group(1)))
    return Item(term=text)


def _li_items(ul: El) -> list[Item]:
    out = []
    for li in ul.kids("li"):
        item = _item_from_inline(_inline(li))
        children = [c for sub in li.kids("ul") for c in _li_items(sub)]
        if item is None:
            out.extend(children)
        else:
            item.children = children
            out.append(item)
    return out


def _html_table_items(table: El) -> list[Item]:
    """Rows of kbgen's section table: (암기) | 항목 | 설명 with nested <ul> children."""
    head = [_clean(th.text()) for th in table.find_all("th")]
    skip = 1 if head[:1] == ["암기"] else 0
    items = []
    for tr in table.find_all("tr"):
        cells = tr.kids("td")[skip:]
        if len(cells) < 2:
            continue
        item = _item_from_inline(cells[0].children)
        if item is None:
            continue
        desc = _clean(El("span", {}, _inline(cells[1])).text())
        if desc:
            if item.description is None and not item.children and item.term is not None:
                item.description = desc
            else:
                item.description = (item.description + "\n" + desc) if item.description else desc
        item.children = [c for ul in cells[1].kids("ul") for c in _li_items(ul)]
        items.append(item)
    return items


def _md_table_items(rows: list[list[str]]) -> list[Item]:
    """The seed's section table: `**항목**` | 설명, `> ` before an item makes it a child."""
    out: list[Item] = []
    stack: list[tuple[int, Item]] = []
    for row in rows[1:]:
        text = plain(row[0]) if row else ""
        m = re.match(r"^((?:>\s*)*)(.*)$", text)
        depth, body = m.group(1).count(">"), m.group(2).strip()
        if not _dash(body):
            continue
        desc = _dash(plain(row[1])) if len(row) > 1 else None
        made = _items_of_text(body) if desc is None else [Item(term=body, description=desc)]
        if not made:
            continue
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else out).extend(made)
        stack.append((depth, made[-1]))
    return out


# --- writing --------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump_topic(topic: Topic, page: str) -> str:
    data = to_data(topic)
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096,
                     default_flow_style=False)
    body = re.sub(r"^'no':", "no:", body, flags=re.M)  # a key, not the YAML 1.1 boolean
    return f"# kbgen import: {page}\n{body}"


def report_images(page: PageData, report: Report) -> None:
    for number, line in enumerate(page.lines, start=page.offset + 1):
        for m in _IMAGE.finditer(line):
            url = m.group(1) or m.group(2)
            where = Location(file=page.shown, line=number, column=m.start() + 1)
            if _EXPIRING.search(url):
                report.warning("image-expiring", where,
                               f"image link is a signed URL that expires ({url[:60]}…); kept in the topic as a link",
                               "download the picture while the link works, save it beside the site and link the file")
            elif url.startswith(("http://", "https://", "//")):
                report.warning("image-remote", where, f"image is hot-linked from another site ({url[:60]}); "
                               "kept in the topic as a link", "keep a copy in docs/assets so the page works offline")


def import_page(path: str, shown: str, report: Report, subject: Subject | None = None) -> tuple[Topic, PageData] | None:
    page = read_page(path, shown, report)
    if page is None:
        return None
    importer = PageImporter(page, report, subject)
    topic = importer.run()
    report_images(page, report)
    page.front = {k: page.front[k] for k in importer.unused_front}
    return topic, page


def check_topic(topic: Topic, shown: str, report: Report) -> bool:
    """The written file must load: validate it the way `kbgen lint` will."""
    inner = Report()
    loaded = parse_yaml(dump_topic(topic, shown), shown, inner)  # kbgen's own loader, as lint reads it
    built = Validator(inner, shown, loaded[1]).build(Topic, loaded[0]) if loaded else None
    for d in inner.errors:  # pragma: no cover - a kbgen bug, said plainly
        report.error("import-internal", Location(file=shown), f"the imported topic does not validate: {d.message}",
                     "report this page to kbgen's maintainers")
    return built is not None


def unique_slug(topic: Topic, taken: set[str], fallback: str) -> str:
    base = make_slug(topic.title or "") or make_slug(fallback) or "topic"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug
