"""The sheet's cell notation (기술요소, 매커니즘) parsed into sections, items and children.

The notation as people type it, see PRODUCT.md "The cell notation":

    RNN의 은닉층에 게이트를 둔 모델          <- lead; the first line is the definition
    [구성요소] 정보저장삭제                  <- section header; the tail is an item or a mnemonic
    > Gate                                 <- child of the item above (`>>` grandchild)
    > Forget Gate: 지울 정보 결정            <- term: description
    + 수집단계                              <- opens a group; following items are its members
    ① 입력 임베딩 / 1. / 1)                  <- ordered step
    ex) 주가 예측                            <- example

Lossless by construction: every non-blank line ends up as one or more items (or a
header, or a section mnemonic) whose `text` is the line without its notation marker.
`Cell.pieces()` lists them; tests compare them with the source.
"""
from __future__ import annotations

import re

from .model import Cell, Item, Section

HANGUL_FIRST, HANGUL_LAST = "\uac00", "\ud7a3"

# Header: `[name]` at line start; the name must hold a letter so `[0, 1] 사이` stays text.
_HEADER = re.compile(r"\[([^\[\]\n]{1,40})\]")
_LETTER = re.compile(r"[A-Za-z\uac00-\ud7a3]")
# Notation prefix, in the order people stack it: `> - ① ex) text`.
_PREFIX = re.compile(
    r"(?P<depth>(?:>[ \t]*)+)?"
    r"(?P<bullet>[-*+][ \t]+|[•·▪◦‣][ \t]*)?"
    r"(?P<step>(?:\d{1,2}\.[ \t]+|\d{1,2}\)[ \t]*|\(\d{1,2}\)[ \t]*|[\u2460-\u2473][ \t]*))?"
    r"(?P<ex>(?:[eE][xX][).:]|예\))[ \t]*)?"
)
_ARROW_START = ("->", "→", "=>", "⇒")
_OPEN, _CLOSE = "([{「『<", ")]}」』>"
_PAIR_DELIMS = (", ", "; ", " / ", ",")
_SENTENCE_END = set("다음함됨임요.)")

MAX_TERM = 40  # a "term" longer than this is a sentence with a colon in it
MAX_EXTRA_TERM = 25  # later terms on a line of several pairs
MAX_LABEL = 16  # a group label is a short heading


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _separators(text: str) -> list[tuple[int, int]]:
    """(start, end) of each term separator at bracket depth 0: `:` and ` = `."""
    out = []
    depth = 0
    n = len(text)
    for i, ch in enumerate(text):
        if ch in "([{「『":
            depth += 1
        elif ch in ")]}」』":
            depth = max(0, depth - 1)
        elif depth:
            continue
        elif ch == ":":
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < n else ""
            if (prev.isdigit() and nxt.isdigit()) or nxt in "/:" or prev == ":":
                continue  # 12:30, 1:1, http://, ::
            out.append((i, i + 1))
        elif ch == "=" and 0 < i < n - 1 and text[i - 1] == " " and text[i + 1] == " ":
            out.append((i, i + 1))
    return out


def _top_level_delims(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pair delimiters (`, ` `; ` ` / `) at bracket depth 0 between start and end."""
    out = []
    depth = 0
    i = start
    while i < end:
        ch = text[i]
        if ch in "([{「『":
            depth += 1
        elif ch in ")]}」』":
            depth = max(0, depth - 1)
        elif depth == 0:
            for d in _PAIR_DELIMS:
                if text.startswith(d, i) and i + len(d) <= end:
                    out.append((i, i + len(d)))
                    i += len(d) - 1
                    break
        i += 1
    return out


def split_term(text: str) -> tuple[str | None, str | None]:
    """`용어: 설명` -> (용어, 설명) at the first separator outside brackets; else (None, None)."""
    seps = _separators(text)
    if not seps:
        return None, None
    s, e = seps[0]
    term = text[:s].strip()
    if not term or len(term) > MAX_TERM or _top_level_delims(text, 0, s):
        return None, None
    return term, text[e:].strip()


def split_pairs(text: str) -> list[tuple[str, str]]:
    """Split `A: x, B: y` into [(joiner, segment)]; one element when it is one pair or none."""
    seps = _separators(text)
    if len(seps) < 2 or split_term(text)[0] is None:
        return [("", text)]
    cuts = []  # (delimiter start, delimiter end) where a new pair begins
    prev_end = seps[0][1]
    for s, e in seps[1:]:
        delims = _top_level_delims(text, prev_end, s)
        if delims:
            ds, de = delims[-1]
            term = text[de:s].strip()
            if term and len(term) <= MAX_EXTRA_TERM and text[prev_end:ds].strip():
                cuts.append((ds, de))
        prev_end = e
    if not cuts:
        return [("", text)]
    parts, start, joiner = [], 0, ""
    for ds, de in cuts:
        parts.append((joiner, text[start:ds]))
        joiner, start = text[ds:de], de
    parts.append((joiner, text[start:]))
    return parts


def initial(text: str) -> str:
    """The first Hangul syllable or Latin letter (upper-cased) of a term, or ''."""
    for ch in text:
        if HANGUL_FIRST <= ch <= HANGUL_LAST:
            return ch
        if ch.isascii() and ch.isalpha():
            return ch.upper()
    return ""


def spells(token: str, items: list[Item]) -> int | None:
    """Index of the first run of items whose initials spell `token`, or None."""
    n = len(token)
    if n < 2 or len(items) < n:
        return None
    initials = [initial(it.label) for it in items]
    for i in range(len(items) - n + 1):
        if all(initials[i + k] == token[k] for k in range(n)):
            return i
    return None


def looks_like_mnemonic(text: str) -> bool:
    """One token of 2–8 Hangul syllables or capitals, the way mnemonics are written."""
    if not 2 <= len(text) <= 8:
        return False
    return all((HANGUL_FIRST <= ch <= HANGUL_LAST) or ("A" <= ch <= "Z") for ch in text)


class _Line:
    __slots__ = ("no", "depth", "marker", "text", "bullet", "kind")

    def __init__(self, no: int, depth: int, marker: str, text: str, bullet: str, kind: str):
        self.no, self.depth, self.marker, self.text = no, depth, marker, text
        self.bullet, self.kind = bullet, kind


def classify(no: int, raw: str) -> _Line:
    stripped = raw.strip()
    indented = raw[:1] in (" ", "\t") and len(raw) - len(raw.lstrip()) >= 2
    m = _PREFIX.match(stripped)
    marker = m.group(0)
    text = stripped[len(marker):]
    if not text and (m.group("step") or m.group("ex")):
        # `2)` or `ex)` alone is the line's content, not a marker for nothing
        marker = (m.group("depth") or "") + (m.group("bullet") or "")
        text = stripped[len(marker):]
        return _Line(no, marker.count(">"), marker, text, (m.group("bullet") or "").strip(), "item")
    depth_part = m.group("depth") or ""
    depth = depth_part.count(">")
    bullet = (m.group("bullet") or "").strip()
    kind = "item"
    if m.group("step"):
        kind = "step"
    if m.group("ex"):
        kind = "example"
    if bullet == "+":
        kind = "group"
    if not depth and (indented or text.startswith(_ARROW_START)) and not marker:
        depth = -1  # continues the item above: one level below it
    return _Line(no, depth, marker, text, bullet, kind)


def _make_items(line: _Line) -> list[Item]:
    parts = split_pairs(line.text) if line.kind in ("item", "step") else [("", line.text)]
    items = []
    for index, (joiner, segment) in enumerate(parts):
        term, description = split_term(segment) if line.kind != "group" else (None, None)
        items.append(Item(
            term=term, description=description, kind=line.kind if index == 0 else "item",
            line=line.no, marker=line.marker if index == 0 else "", text=segment, joiner=joiner,
        ))
    return items


class _Builder:
    """Places items by depth; `+` groups take the following items of their level."""

    def __init__(self, root: list[Item]):
        self.root = root
        self.stack: list[tuple[int, Item]] = []  # (effective depth, item)
        self.group_depth: int | None = None
        self.shifted = False  # a member was written at the group's own level
        self.anchor: int | None = None  # depth of the last line that was not a continuation

    def add(self, line: _Line) -> None:
        depth = line.depth
        if depth == -1:  # consecutive continuation lines are siblings under one item
            depth = self.anchor + 1 if self.anchor is not None else 0
        elif self.group_depth is not None:
            g = self.group_depth
            if depth < g or (depth == g and line.kind == "group"):
                self.group_depth, self.shifted = None, False
            elif depth == g:
                depth, self.shifted = g + 1, True  # a member written at the label's level
            elif self.shifted:
                depth += 1  # a child of such a member
        while self.stack and self.stack[-1][0] >= depth:
            self.stack.pop()
        siblings = self.stack[-1][1].children if self.stack else self.root
        items = _make_items(line)
        siblings.extend(items)
        self.stack.append((depth, items[-1]))  # children go under the nearest item above
        if line.depth != -1:
            self.anchor = depth
        if line.kind == "group":
            self.group_depth, self.shifted = depth, False


def _is_label(item: Item) -> bool:
    if item.kind != "item" or item.term is not None or item.children or item.joiner:
        return False
    if any(b in item.marker for b in "-*•·▪◦‣+"):
        return False  # bulleted lines are list entries, never labels
    text = item.text
    return (0 < len(text) <= MAX_LABEL and text.count(" ") <= 2 and "," not in text
            and text[-1] not in _SENTENCE_END)


def infer_groups(items: list[Item]) -> list[Item]:
    """Fold `label, member, member, label, member` into labelled groups.

    A label is a short, term-like item (three words at most, no description) followed by
    longer items that describe it. It takes at least two labels, each with members and
    two members per label on average, so a plain list of short points is left alone.
    """
    for item in items:
        if item.children:
            item.children = infer_groups(item.children)
    if len(items) < 4 or not _is_label(items[0]):
        return items
    plan: list[tuple[Item, list[Item]]] = []
    for item in items:
        if _is_label(item):
            if plan and not plan[-1][1]:
                return items  # two labels in a row: not a labelled list
            plan.append((item, []))
        else:
            plan[-1][1].append(item)
    if len(plan) < 2 or not plan[-1][1] or len(items) < 3 * len(plan):
        return items
    if any(len(label.text) >= min(len(m.text) for m in members) for label, members in plan):
        return items
    for label, members in plan:
        label.children, label.kind, label.inferred = members, "group", True
    return [label for label, _ in plan]


def parse_cell(text: str, column: str = "기술요소", tokens: frozenset[str] | set[str] = frozenset()) -> Cell:
    """Parse one cell. `tokens` are the row's 암기법 tokens, used to tell a mnemonic line
    under a header from an ordinary one-word item."""
    lines = split_lines(text)
    cell = Cell(column=column, lines=lines)
    builder = _Builder(cell.lead)
    section: Section | None = None
    for no, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        stripped = raw.strip()
        header = _HEADER.match(stripped)
        if header and _LETTER.search(header.group(1)):
            _finish(section, tokens)
            section = Section(name=header.group(1).strip(), column=column, line=no, header=header.group(0))
            cell.sections.append(section)
            builder = _Builder(section.items)
            tail = stripped[header.end():]
            if tail.strip():
                lead_ws = tail[: len(tail) - len(tail.lstrip())]
                section.header += lead_ws  # the space after `]` belongs to the header
                builder.add(classify(no, tail.strip()))
            continue
        line = classify(no, raw)
        if not line.text:
            continue  # a bare marker (`>`, `-`) carries no text
        if cell.definition is None and section is None:
            cell.definition = line.text
        builder.add(line)
    _finish(section, tokens)
    cell.lead = infer_groups(cell.lead)
    return cell


def _finish(section: Section | None, tokens: frozenset[str] | set[str]) -> None:
    if section is None:
        return
    items = section.items
    first = items[0] if items else None
    if (first is not None and first.kind == "item" and not first.marker and not first.children
            and first.term is None and not first.joiner and looks_like_mnemonic(first.text)
            and (first.text in tokens or spells(first.text, items[1:]) is not None)):
        section.mnemonic, section.mnemonic_line = first.text, first.line
        del items[0]
    section.items = infer_groups(items)
