"""Cross-links between topic pages: the first mention of another topic links to it.

What counts as a mention: a topic's title, short title (`LSTM`), the name in its title's
parentheses (`Long Short Term Memory`) or an alias, matched without regard to Latin case.

- Where: the page's own prose only, in page order: the definition and differentiator
  (📌 핵심 암기), the definition's further lines, keyword descriptions and examples,
  the background (🧠 개념 영역), the items of the technique tables (🏗️ 기술 영역).
  Never in headings (title, section names), code (snippets, mnemonic tokens and the
  syllables they spell), math, diagrams, keyword terms, links (연계 토픽, labels), the
  exam questions, the checklist, hand-written notes, nor the 📖 상세 설명 block, which
  shows the sheet's text exactly as typed. The planner hands only those strings to
  the linker, so a link can only ever be made inside escaped plain text.
- Boundaries: a mention starts where no letter or digit precedes it (`셀프어텐션` does
  not mention `어텐션`). After a name ending in Latin or a digit, Hangul may follow
  (`RNN의`, `LSTM기반`) but no Latin letter or digit (`RNNs`, `GAN2` are other words).
  After a name ending in Hangul, only Korean particles and copula endings may follow
  (`게이트를`, `어텐션으로의`, `과적합이다`), not other syllables (`분류기`).
- Longest match wins at a position (`LSTM (Long Short Term Memory)` over `LSTM`);
  scanning goes left to right and a match is never re-entered.
- One link per target per page, on its first mention; later mentions stay text. A
  mention of the page's own topic is consumed but never linked. When several topics
  bear a name, the page's own topic wins, then a topic of the same subject, then the
  first in site order.
"""
from __future__ import annotations

import re
from typing import Callable

from ..model import Topic
from ..project import topic_names
from .text import Linked

# Korean particles (조사) and copula endings that may follow a name ending in Hangul;
# a run of them may combine (`에서` + `는`, `으로` + `의`).
_PARTICLES = frozenset("""
은 는 이 가 을 를 의 에 께 와 과 로 도 만 들 나 란 라 인 임 며 고 다 요 야
에서 에게 한테 으로 까지 부터 보다 처럼 같이 마다 조차 마저 이나 이란 이라 이며 이고 이다 이면 이든
라는 이라는 이므로 므로 으로서 로서 으로써 로써 이랑 랑 하고 에의 이자 입니다 이지만 지만 에도 과도 와도
""".split())
_LONGEST_PARTICLE = max(len(p) for p in _PARTICLES)
_MAX_TAIL = 4  # syllables of particles after a name; longer runs are another word
_WORD_START = re.compile(r"(?<![^\W_])(?=[^\W_])")  # a letter or digit with none before it


def _hangul(c: str) -> bool:
    return "\uac00" <= c <= "\ud7a3"


def _particles(run: str) -> bool:
    """Whether `run` (Hangul syllables) splits into particles."""
    ok = [True] + [False] * len(run)
    for end in range(1, len(run) + 1):
        ok[end] = any(ok[start] and run[start:end] in _PARTICLES
                      for start in range(max(0, end - _LONGEST_PARTICLE), end))
    return ok[-1]


def _ends_word(text: str, end: int, last: str) -> bool:
    """Whether a name whose last character is `last` may end at `end` in `text`."""
    if end >= len(text):
        return True
    nxt = text[end]
    if nxt == "_" or not nxt.isalnum() or not last.isalnum():  # `LSTM (…)의`: the name closed itself
        return True
    if not _hangul(nxt):
        return False  # a Latin letter or digit goes on: `RNNs`
    if not _hangul(last):
        return last.isascii()  # `RNN의`, `LSTM기반`
    stop = end
    while stop < len(text) and stop - end <= _MAX_TAIL and _hangul(text[stop]):
        stop += 1
    return stop - end <= _MAX_TAIL and _particles(text[end:stop])


class Linker:
    """The names of every topic, indexed for scanning text. Build once per site."""

    def __init__(self, topics: list[Topic], paths: dict[int, str], rel: Callable[[str, str], str]):
        self.paths = paths
        self.rel = rel
        self.order = {id(t): i for i, t in enumerate(topics)}
        self.bearers: dict[str, list[Topic]] = {}  # folded name -> topics, site order
        for t in topics:
            for name in topic_names(t):
                name = name.strip()
                if len(name) < 2 or not _WORD_START.match(name):
                    continue  # a name begins with a letter or digit
                self.bearers.setdefault(_fold(name), []).append(t)
        # The lengths of the names beginning with each 2, 3 or 4 characters (a name of 4 or
        # more under its first 4), longest first: a scan tries a few lengths at a position,
        # not every name that shares a prefix.
        lengths: dict[str, set[int]] = {}
        for name in self.bearers:
            lengths.setdefault(name[:4], set()).add(len(name))
        self.lengths = {key: sorted(ls, reverse=True) for key, ls in lengths.items()}
        # Where a name may start: a name's first two characters. One regex (a trie of
        # those pairs, no lookaround, so re scans in C) finds them; a loop over every
        # word start in Python cost ten times more on a 3,000-topic site. Consuming two
        # characters hides no word start: a name's first character is a letter or digit.
        heads: dict[str, set[str]] = {}
        for name in self.bearers:
            heads.setdefault(name[0], set()).add(name[1])
        trie = "|".join(re.escape(first) + "[" + "".join(re.escape(c) for c in sorted(seconds)) + "]"
                        for first, seconds in sorted(heads.items()))
        self.starts = re.compile(trie or "(?!)")

    def page(self, topic: Topic, here: str) -> PageLinker:
        return PageLinker(self, topic, here)


def _fold(s: str) -> str:
    low = s.lower()
    return low if len(low) == len(s) else s  # keep offsets: never change the length


class PageLinker:
    """Links the strings of one page, in page order: `link(text)` returns the text,
    as a `Linked` when it holds a first mention of another topic. `targets` lists the
    topics linked, in the order of their first mention."""

    def __init__(self, linker: Linker, topic: Topic, here: str):
        self.linker = linker
        self.topic = topic
        self.here = here
        self.targets: list[Topic] = []
        self._done: set[int] = {id(topic)}

    def _pick(self, name: str) -> Topic:
        bearers = self.linker.bearers[name]
        if any(t is self.topic for t in bearers):
            return self.topic
        return next((t for t in bearers if t.subject == self.topic.subject), bearers[0])

    def __call__(self, text: str | None) -> str | None:
        if not text or not isinstance(text, str):
            return text
        folded = _fold(text)
        lengths, bearers = self.linker.lengths, self.linker.bearers
        links: list[tuple[int, int, str]] = []
        at = 0
        for m in self.linker.starts.finditer(folded):
            pos = m.start()
            if pos < at or (pos and folded[pos - 1].isalnum()):
                continue  # inside a match, or inside a word
            found = None
            for size in (4, 3, 2):
                for length in lengths.get(folded[pos:pos + size], ()):
                    name = folded[pos:pos + length]
                    if length >= size and name in bearers and _ends_word(folded, pos + length, name[-1]):
                        found = name
                        break
                if found is not None:
                    break
            if found is None:
                continue
            at = pos + len(found)
            target = self._pick(found)
            if id(target) in self._done:
                continue
            self._done.add(id(target))
            self.targets.append(target)
            links.append((pos, at, self.linker.rel(self.here, self.linker.paths[id(target)])))
        return Linked(text, links) if links else text
