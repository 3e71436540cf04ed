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
# Bullets that need no space after them: typographic ones, and those of a Korean exam
# answer (□ heading, ○ point, ㆍ sub-detail).
KOREAN_BULLETS = "○□■◆◇●◎▶▷ㆍ・"
GLYPH_BULLETS = "•·▪◦‣" + KOREAN_BULLETS
_BULLETS = "-*+" + GLYPH_BULLETS
# Notation prefix, in the order people stack it: `> - ① ex) text`.
_PREFIX = re.compile(
    r"(?P<depth>(?:>[ \t]*)+)?"
    rf"(?P<bullet>[-*+][ \t]+|[{GLYPH_BULLETS}][ \t]*)?"
    r"(?P<step>(?:\d{1,2}\.[ \t]+|\d{1,2}\)[ \t]*|\(\d{1,2}\)[ \t]*|[\u2460-\u2473][ \t]*))?"
    r"(?P<ex>(?:[eE][xX][).:]|예\))[ \t]*)?"
)
_ARROW_START = ("->", "→", "=>", "⇒")
_BRACKET = re.compile(r"[(\[{「『)\]}」』]")
_OPENERS = frozenset("([{「『")
_OTHER_BRACKET = re.compile(r"[\[{「『\]}」』]")  # any bracket but ( )
_DELIM = re.compile(r", |; | / |,")  # between pairs on one line
_SENTENCE_END = set("다음함됨임요.)")

MAX_TERM = 40  # a "term" longer than this is a sentence with a colon in it
MAX_EXTRA_TERM = 25  # later terms on a line of several pairs
MAX_LABEL = 16  # a group label is a short heading


def split_lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _depth(text: str, i: int) -> int:
    """Bracket depth at position i, by counting (a C-level scan per bracket kind)."""
    c = text.count
    return (c("(", 0, i) + c("[", 0, i) + c("{", 0, i) + c("「", 0, i) + c("『", 0, i)
            - c(")", 0, i) - c("]", 0, i) - c("}", 0, i) - c("」", 0, i) - c("』", 0, i))


def _separators(text: str) -> list[tuple[int, int]]:
    """(start, end) of each term separator outside brackets: `:` and ` = `.

    Not a separator: `12:30`, `1:1`, `http://`, `::`, and anything inside ( ) [ ] { }.
    """
    if ":" not in text and " = " not in text:
        return []  # most lines: nothing to scan
    found = []
    n = len(text)
    i = text.find(":")
    while i >= 0:
        prev = text[i - 1] if i else ""
        nxt = text[i + 1] if i + 1 < n else ""
        if not ((prev.isdigit() and nxt.isdigit()) or nxt in ("", "/", ":") or prev == ":"):
            found.append(i)  # a trailing `용어:` is a label, not a pair
        i = text.find(":", i + 1)
    i = text.find(" = ")
    while i >= 0:
        found.append(i + 1)
        i = text.find(" = ", i + 1)
    if not found:
        return []
    if len(found) > 1:
        found.sort()
    first_bracket = _BRACKET.search(text, 0, found[-1])
    if first_bracket is None:
        return [(i, i + 1) for i in found]
    # One walk over the brackets: the depth at each candidate is the count of openers
    # minus closers before it (so a stray `)` lets later separators through, as before).
    out = [(i, i + 1) for i in found if i < first_bracket.start()]
    j, depth = len(out), 0
    for m in _BRACKET.finditer(text, first_bracket.start(), found[-1]):
        p = m.start()
        while j < len(found) and found[j] < p:
            if depth <= 0:
                out.append((found[j], found[j] + 1))
            j += 1
        depth += 1 if text[p] in _OPENERS else -1
    if depth <= 0:
        out.extend((i, i + 1) for i in found[j:])
    return out


def _top_level_delims(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Pair delimiters (`, ` `; ` ` / `) outside brackets between start and end."""
    bracketed = _BRACKET.search(text, 0, end) is not None
    return [(m.start(), m.end()) for m in _DELIM.finditer(text, start, end)
            if not bracketed or _depth(text, m.start()) <= 0]


def split_term(text: str, seps: list[tuple[int, int]] | None = None) -> tuple[str | None, str | None]:
    """`용어: 설명` -> (용어, 설명) at the first separator outside brackets; else (None, None)."""
    seps = _separators(text) if seps is None else seps
    if not seps:
        return None, None
    s, e = seps[0]
    term = text[:s].strip()
    if not term or len(term) > MAX_TERM:
        return None, None
    if ("," in term or "; " in term or " / " in term) and _top_level_delims(text, 0, s):
        return None, None  # `A, B: C` is a list, not a term
    return term, text[e:].strip()


def split_pairs(text: str, seps: list[tuple[int, int]] | None = None) -> list[tuple[str, str]]:
    """Split `A: x, B: y` into [(joiner, segment)]; one element when it is one pair or none."""
    seps = _separators(text) if seps is None else seps
    if len(seps) < 2 or split_term(text, seps)[0] is None:
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


_INITIAL = re.compile(r"[A-Za-z\uac00-\ud7a3]")


def initial(text: str) -> str:
    """The first Hangul syllable or Latin letter (upper-cased) of a term, or ''."""
    if text:  # nearly every term starts with its initial: no regex for those
        ch = text[0]
        if HANGUL_FIRST <= ch <= HANGUL_LAST or "a" <= ch <= "z" or "A" <= ch <= "Z":
            return ch.upper()
    m = _INITIAL.search(text)
    return m.group().upper() if m else ""


def spells(token: str, items: list[Item], initials: str | None = None) -> int | None:
    """Index of the first run of items whose initials spell `token`, or None.
    `initials` may be given precomputed (one character per item)."""
    n = len(token)
    if n < 2 or len(items) < n:
        return None
    if initials is None:
        initials = "".join(initial(it.label) or "\0" for it in items)
    i = initials.find(token)
    return i if i >= 0 else None


def looks_like_mnemonic(text: str) -> bool:
    """One token of 2–8 Hangul syllables or capitals, the way mnemonics are written."""
    if not 2 <= len(text) <= 8:
        return False
    return all((HANGUL_FIRST <= ch <= HANGUL_LAST) or ("A" <= ch <= "Z") for ch in text)


# A line whose first character is none of these carries no notation marker.
_MARKER_START = frozenset(">-*+0123456789(eE예" + GLYPH_BULLETS) | frozenset(chr(c) for c in range(0x2460, 0x2474))
# In a cell that uses a Korean answer's bullet, each kind of bullet is a level, in the
# order the kinds first appear under a header: `□ A` / `○ a` / `- x` nests as `>` would.
_KOREAN_BULLET = re.compile(rf"^[ \t>]*(?:\[[^\[\]\n]*\][ \t]*)?[{KOREAN_BULLETS}]", re.M)


def classify(stripped: str, indented: bool) -> tuple[int, str, str, str]:
    """(depth, marker, text, kind) of one stripped line. Depth -1: a continuation line
    (indented, or starting with an arrow) that goes one level below the item above."""
    if stripped[0] in _MARKER_START:
        m = _PREFIX.match(stripped)
        marker = m.group(0)
        if marker:
            text = stripped[len(marker):]
            depth_part, bullet, step, ex = m.group("depth", "bullet", "step", "ex")
            depth = depth_part.count(">") if depth_part else 0
            if not text and (step or ex):
                # `2)` or `ex)` alone is the line's content, not a marker for nothing
                marker = (depth_part or "") + (bullet or "")
                return depth, marker, stripped[len(marker):], "item"
            bullet = bullet.strip() if bullet else ""
            kind = "group" if bullet == "+" else "example" if ex else "step" if step else "item"
            return depth, marker, text, kind
    if indented or stripped.startswith(_ARROW_START):
        return -1, "", stripped, "item"
    return 0, "", stripped, "item"


def _make_items(no: int, kind: str, marker: str, text: str) -> list[Item]:
    """One line's items: usually one; several when the line holds several `용어: 설명` pairs."""
    seps = _separators(text) if kind != "group" else []
    if not seps:
        return [Item(None, None, [], kind, no, marker, text)]
    parts = split_pairs(text, seps) if kind in ("item", "step") and len(seps) > 1 else [("", text)]
    items = []
    for index, (joiner, segment) in enumerate(parts):
        term, description = split_term(segment, seps if len(parts) == 1 else None)
        items.append(Item(term, description, [], kind if index == 0 else "item",
                          no, marker if index == 0 else "", segment, joiner))
    return items


def _simple_term(body: str, i: int) -> str | None:
    """The term of the common `용어: 설명` whose only colon is at i, when nothing before it
    (brackets, list delimiters, `12:30`) needs the general path; else None. For these lines
    `_make_items` gives the same item, slower."""
    head = body[:i]
    nxt = body[i + 1:i + 2]
    term = head.strip()
    if (term and len(term) <= MAX_TERM and nxt and nxt != "/"
            and head.count("(") == head.count(")") and not _OTHER_BRACKET.search(head)
            and not (head[-1].isdigit() and nxt.isdigit())
            and "," not in head and ";" not in head and " / " not in head):
        return term
    return None


def _is_label(item: Item) -> bool:
    if item.kind != "item" or item.term is not None or item.children or item.joiner:
        return False
    if any(b in item.marker for b in _BULLETS):
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
    under a header from an ordinary one-word item.

    Items are placed by depth on a stack. A `+` group takes the items written at its own
    level after it (and their children one level down) until the next group or a line
    above its level. One loop with `classify` and the common `용어: 설명` split written
    inline (a call per line costs more than the work): this runs for every line of a sheet.
    """
    lines = split_lines(text) if "\r" in text else text.split("\n")
    cell = Cell(column, lines)
    siblings_root = cell.lead
    stack: list[tuple[int, Item]] = []  # (effective depth, item)
    group_depth: int | None = None
    shifted = False  # a member was written at its group's own level
    anchor: int | None = None  # depth of the last line that was not a continuation
    section: Section | None = None
    need_definition = True  # the first lead line, until a header comes
    prefix_match, marker_start = _PREFIX.match, _MARKER_START
    # bullet kind -> level, in a cell with a Korean answer's bullet (`in` first: it is cheaper)
    levels: dict[str, int] | None = (
        {} if any(g in text for g in KOREAN_BULLETS) and _KOREAN_BULLET.search(text) else None)
    no = 0
    for raw in lines:
        no += 1
        stripped = raw.strip()
        if not stripped:
            continue
        first = stripped[0]
        indented = raw[0] in " \t" and len(raw) - len(raw.lstrip()) >= 2
        if first == "[":
            header = _HEADER.match(stripped)
            if header and _LETTER.search(header.group(1)):
                _finish(section, tokens)
                section = Section(header.group(1).strip(), [], None, column, no, header.group(0))
                cell.sections.append(section)
                siblings_root, stack, group_depth, shifted, anchor = section.items, [], None, False, None
                if levels is not None:
                    levels = {}
                need_definition = False
                tail = stripped[header.end():]
                stripped = tail.strip()
                if not stripped:
                    continue
                section.header += tail[: len(tail) - len(tail.lstrip())]  # the space after `]`
                first = stripped[0]
                indented = False
        # classify(): (depth, marker, body, kind); depth -1 is a continuation line.
        depth, marker, body, kind = 0, "", stripped, "item"
        if first in marker_start and (m := prefix_match(stripped)).end():
            end = m.end()
            depth_part, bullet, step, ex = m.groups()
            if depth_part:
                depth = depth_part.count(">")
            if levels is not None and bullet and bullet[0] != "+":
                depth += levels.setdefault(bullet[0], len(levels))
            body = stripped[end:]
            if body:
                marker = stripped[:end]
                if bullet and bullet[0] == "+":
                    kind = "group"
                elif ex:
                    kind = "example"
                elif step:
                    kind = "step"
            elif step or ex:
                # `2)` or `ex)` alone is the line's content, not a marker for nothing
                marker = (depth_part or "") + (bullet or "")
                body = stripped[len(marker):]
            else:  # a bare marker (`>`, `-`) carries no text
                if section is not None and section.line == no:
                    section.header += stripped  # `[특징] □`: kept with the header, as typed
                continue
        elif indented or (first in "-→=⇒" and stripped.startswith(_ARROW_START)):
            depth = -1
        if need_definition:
            cell.definition, need_definition = body, False
        if depth == -1:  # consecutive continuation lines are siblings under one item
            depth = anchor + 1 if anchor is not None else 0
            continuation = True
        else:
            continuation = False
            if group_depth is not None:
                if depth < group_depth or (depth == group_depth and kind == "group"):
                    group_depth, shifted = None, False
                elif depth == group_depth:
                    depth, shifted = depth + 1, True  # a member written at the label's level
                elif shifted:
                    depth += 1  # a child of such a member
        while stack and stack[-1][0] >= depth:
            stack.pop()
        siblings = stack[-1][1].children if stack else siblings_root
        i = body.find(":")
        if kind == "group" or (i < 0 and " = " not in body):
            item = Item(None, None, [], kind, no, marker, body)
            siblings.append(item)
        elif (i > 0 and body.find(":", i + 1) < 0 and " = " not in body
              and (term := _simple_term(body, i)) is not None):
            item = Item(term, body[i + 1:].strip(), [], kind, no, marker, body)
            siblings.append(item)
        else:
            items = _make_items(no, kind, marker, body)
            siblings.extend(items)
            item = items[-1]  # children go under the nearest item above
        stack.append((depth, item))
        if not continuation:
            anchor = depth
        if kind == "group":
            group_depth, shifted = depth, False
    _finish(section, tokens)
    if cell.lead:
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
