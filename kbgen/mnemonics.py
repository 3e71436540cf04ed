"""암기법: split the column into tokens and find the list each token spells.

A token of n syllables spells a list when n consecutive items' terms begin with those
syllables (Hangul) or letters (Latin capitals), in order. A list is a section's top-level
items or one item's children. A token that spells nothing is left unmatched and reported;
it is never forced onto a list.
"""
from __future__ import annotations

import re

from .model import Item, Mnemonic, Section
from .notation import initial, looks_like_mnemonic, spells

_SPLIT = re.compile(r"[,/;、·]")


def parse_mnemonic_cell(text: str) -> list[Mnemonic]:
    """`정연 게셀피모` -> two tokens; `Model Free, Q 정벨큐` -> 정벨큐 with context
    `Model Free, Q`: words that are not acronyms are the context people write beside them."""
    out: list[Mnemonic] = []
    context: list[str] = []
    for group in _SPLIT.split(text):
        words = group.split()
        tokens = [w for w in words if looks_like_mnemonic(w)]
        context.extend(w for w in words if not looks_like_mnemonic(w))
        for token in tokens:
            out.append(Mnemonic(token=token))
    label = " ".join(context) or None
    for m in out:
        m.context = label
    return out


def spellable_lists(sections: list[Section]) -> list[tuple[Section, Item | None, list[Item], str]]:
    """Every list a mnemonic may spell, in document order: (section, parent item or None,
    items, the items' initials). Computed once per topic and shared by its tokens."""
    out: list[tuple[Section, Item | None, list[Item], str]] = []
    for section in sections:
        _spellable(section, None, section.items, out)
    return out


def _spellable(section: Section, parent: Item | None, items: list[Item], out: list) -> None:
    # a module function: a closure calling itself is a cycle only the collector frees
    out.append((section, parent, items, "".join(initial(it.label) or "\0" for it in items)))
    for item in items:
        if item.children:
            _spellable(section, item, item.children, out)


def match(mnemonic: Mnemonic, sections: list[Section], lists: list | None = None) -> bool:
    """Fill in `section`, `item` and `expansion` from the first list the token spells.
    An explicit `section`/`item` (from YAML) restricts the search to that list."""
    best = None
    for section, parent, items, initials in (lists if lists is not None else spellable_lists(sections)):
        if mnemonic.section and section.name != mnemonic.section:
            continue
        if mnemonic.item and (parent is None or parent.label != mnemonic.item):
            continue
        start = spells(mnemonic.token, items, initials)
        if start is None:
            continue
        exact = start == 0 and len(items) == len(mnemonic.token)
        under_header = section.mnemonic == mnemonic.token and parent is None
        rank = (not under_header, not exact)
        if best is None or rank < best[0]:
            best = (rank, section, parent, items[start:start + len(mnemonic.token)])
    if best is None:
        return False
    _, section, parent, run = best
    mnemonic.section = section.name
    mnemonic.item = parent.label if parent is not None else None
    if not mnemonic.expansion:
        mnemonic.expansion = [_short(it) for it in run]
    mnemonic.matched = True
    return True


def _short(item: Item) -> str:
    return item.label.strip()
