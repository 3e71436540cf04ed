"""The daily deck's cards, built from the topic model at build time.

Two compact data files (short keys, empty fields left out) so a site of thousands of
topics stays small and the first card shows before the answers have loaded:
`deck/cards.js` holds what a card's front and the filters need; `deck/answers.js`,
which the page reads after the first card is on screen, holds each card's back, in the
same order. Each is one JSON document pushed onto a queue that deck.js reads, so the deck
page reads it with a plain <script> tag: before the theme's scripts run (the first card
does not wait for them) and from files (file://), where a browser refuses fetch(). A
queue, not a call, because scripts re-run by Material's instant navigation may run in
either order.

    cards.js:   (window.kbgenDeckQueue = window.kbgenDeckQueue || []).push(["cards", {"v": 3,
                   "s": [[subject id, subject title, [[category id, category title], ...]], ...],
                   "c": [front, ...]}]);            # in the site's order
    answers.js: (...).push(["answers", {"v": 3, "c": [back, ...]}]);   # back i belongs to front i

    front = {"i": "ai/lstm",            # id: subject/slug, the key of the review progress
             "s": 0,                    # index into "s"
             "g": 1,                    # index into that subject's categories (absent: none)
             "t": "LSTM (...)",         # title
             "m": [[token, [item, ...], section, context]],  # mnemonics and the lists they spell
             "n": 2}                    # past exam questions on the topic (absent: none)
    back =  {"u": "ai/dl/lstm/",        # page URL from the site root (MkDocs directory URLs)
             "a": ["장단기 메모리"],     # aliases (search)
             "d": "정의 ...",           # definition
             "x": [[section, [[label, description, syllable], ...]]],  # components: top-level
                                        # items; trailing empty strings dropped
             "k": [[term, description]], # keywords (description may be absent)
             "e": [[round, session, number, question]]}  # past exam questions, newest first
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from ..model import Topic
from ..project import Project
from ..render.pages import _syllable_map

DECK_PAGE = "deck/index.md"
DECK_NAV_TITLE = "🃏 오늘의 카드"
CARDS_FILE = "deck/cards.js"
ANSWERS_FILE = "deck/answers.js"
FORMAT_VERSION = 3
# file -> what its JSON is pushed as onto deck.js's queue
_KINDS = {CARDS_FILE: "cards", ANSWERS_FILE: "answers"}
_PUSH = '(window.kbgenDeckQueue = window.kbgenDeckQueue || []).push(["{kind}", '
_END = "]);\n"


@dataclass(slots=True)
class Card:
    """One topic as the deck shows it (and the Anki export writes it)."""
    id: str
    subject: int
    category: int | None
    title: str
    aliases: list[str]
    url: str
    definition: str | None
    mnemonics: list[tuple[str, list[str], str | None, str | None]]
    components: list[tuple[str, list[tuple[str, str, str]]]]  # (section, [(label, description, syllable)])
    keywords: list[tuple[str, str | None]]
    exams: list[tuple[int, int, int, str | None]]

    def front(self) -> dict[str, Any]:
        out: dict[str, Any] = {"i": self.id, "s": self.subject}
        if self.category is not None:
            out["g"] = self.category
        out["t"] = self.title
        if self.mnemonics:
            out["m"] = [_trim([token, items, section or "", context or ""]) for token, items, section, context
                        in self.mnemonics]
        if self.exams:
            out["n"] = len(self.exams)
        return out

    def back(self) -> dict[str, Any]:
        out: dict[str, Any] = {"u": self.url}
        if self.aliases:
            out["a"] = self.aliases
        if self.definition:
            out["d"] = self.definition
        if self.components:
            out["x"] = [[name, [_trim(list(row)) for row in rows]] for name, rows in self.components]
        if self.keywords:
            out["k"] = [_trim([term, desc or ""]) for term, desc in self.keywords]
        if self.exams:
            out["e"] = [_trim([r, s, n, q or ""]) for r, s, n, q in self.exams]
        return out


def _trim(values: list) -> list:
    while values and values[-1] in ("", [], None):
        values.pop()
    return values


def page_url(path: str) -> str:
    """`ai/dl/lstm.md` -> `ai/dl/lstm/` (MkDocs' default `use_directory_urls`)."""
    stem = path[:-3] if path.endswith(".md") else path
    if stem == "index" or stem.endswith("/index"):
        stem = stem[:-5]
    return stem.rstrip("/") + "/" if stem else ""


def topic_card(topic: Topic, subject: int, category: int | None, path: str) -> Card:
    marks, _ = _syllable_map(topic)
    components = []
    for section in topic.sections:
        rows = [(it.label.strip() or (it.description or "").strip(),
                 (it.description or "").strip() if it.term is not None else "",
                 marks.get(id(it), "")) for it in section.items]
        rows = [r for r in rows if r[0] or r[1]]
        if rows:
            components.append((section.name, rows))
    title = topic.title or topic.slug or ""
    return Card(
        id=f"{topic.subject}/{topic.slug}",
        subject=subject,
        category=category,
        title=title,
        aliases=[a for a in topic.aliases if a != title],
        url=page_url(path),
        definition=topic.definition,
        mnemonics=[(m.token, list(m.expansion) if m.matched else [], m.section if m.matched else None, m.context)
                   for m in topic.mnemonics],
        components=components,
        keywords=[(k.term, k.description) for k in topic.keywords],
        exams=[(e.round, e.session, e.number, e.question)
               for e in sorted(topic.exams, key=lambda e: (-e.round, e.session, e.number))],
    )


def build_cards(project: Project, paths: dict[int, str]) -> list[Card]:
    """A card per topic, in the site's order (subject, then category, then sheet order).
    `paths`: id(topic) -> the topic page's docs-relative path."""
    cards = []
    for s_index, subject in enumerate(project.config.subjects):
        topics = project.by_subject(subject.id)
        order = {c.id: i for i, c in enumerate(subject.categories)}
        ranked = sorted(topics, key=lambda t: order.get(t.category, len(order)) if t.category else len(order))
        for topic in ranked:
            cards.append(topic_card(topic, s_index, order.get(topic.category) if topic.category else None,
                                    paths[id(topic)]))
    return cards


def deck_files(project: Project, cards: list[Card]) -> dict[str, bytes]:
    """The deck's two data files: the same bytes for the same data."""
    subjects = [[s.id, s.title, [[c.id, c.title] for c in s.categories]] for s in project.config.subjects]
    return {CARDS_FILE: _wrap(CARDS_FILE, {"v": FORMAT_VERSION, "s": subjects, "c": [card.front() for card in cards]}),
            ANSWERS_FILE: _wrap(ANSWERS_FILE, {"v": FORMAT_VERSION, "c": [card.back() for card in cards]})}


def read_deck_file(name: str, data: bytes) -> dict[str, Any]:
    """The JSON document inside one of deck_files() (for tests and tools)."""
    head = _PUSH.format(kind=_KINDS[name])
    text = data.decode("utf-8")
    if not (text.startswith(head) and text.endswith(_END)):
        raise ValueError(f"{name}: not a kbgen deck file (expected {head}...{_END.strip()})")
    return json.loads(text[len(head):-len(_END)])


def _wrap(name: str, body: dict[str, Any]) -> bytes:
    # JSON is valid JavaScript here: ensure_ascii=False leaves U+2028/U+2029 raw, which
    # JavaScript has accepted in string literals since ES2019 (every current browser).
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return (_PUSH.format(kind=_KINDS[name]) + text + _END).encode("utf-8")
