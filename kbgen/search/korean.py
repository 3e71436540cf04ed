"""Korean word analysis for the search index: particles off, compounds apart.

lunr (behind Material's search) splits text at separators only, and a query term matches
tokens that start with it. In Korean that misses a particle in the query (`게이트를` finds
no `게이트`) and every word inside a compound (`게이트` finds no `망각게이트`).

The analysis is rule based, against a vocabulary the site itself supplies (the words of its
titles and tags, and the words that stand alone in its text), so the browser can repeat it
on the query exactly (assets/korean.js is the same algorithm; a test holds the two equal):

- a word the vocabulary lacks loses the longest particle or verb ending whose remainder
  the vocabulary can cover (`게이트를` -> `게이트` + `를`; `속도` stays: `속` is no word);
- a word is split into the most vocabulary words that cover it exactly
  (`망각게이트` -> `망각`, `게이트`; `정보저장삭제` -> `정보`, `저장`, `삭제`); a word no
  vocabulary words cover stays whole (`게셀피모`).

A morphological analyser (Kiwi) was measured and not used: it cannot run on the query in
the browser, loads in seconds, and leaves `망각게이트` whole (benchmarks/search_quality.py).
"""
from __future__ import annotations

import re
from collections.abc import Iterable

HANGUL = re.compile(r"[가-힣]+")
_HANGUL_SPLIT = re.compile(r"([가-힣]+)")  # re.split keeps the words, at the odd indexes

# Particles (조사) and the commonest verb endings after a noun (하다/되다), longest first.
PARTICLES = tuple(sorted({
    "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만", "나", "며", "고", "랑",
    "으로", "에서", "에게", "까지", "부터", "보다", "처럼", "마다", "이나", "이며", "이고", "이다", "이면",
    "에는", "에도", "에서는", "에서도", "으로는", "으로도", "로는", "로도", "과의", "와의", "에의", "이란", "란",
    "으로써", "로써", "으로서", "로서", "로부터", "으로부터", "이라는", "라는", "이라고", "라고", "이라", "라",
    "하는", "하고", "하여", "해서", "한다", "하며", "하면", "했다", "한", "할", "함", "해",
    "되는", "되어", "된다", "되며", "되고", "된", "될", "됨", "시키는", "시킨", "적", "적인", "적으로",
}, key=lambda p: (-len(p), p)))
_PARTICLE_SET = frozenset(PARTICLES)
# A word ends with at most one particle of each length: trying its endings longest first
# finds the particle PARTICLES' order would, without testing every particle.
_PARTICLE_LENGTHS = sorted({len(p) for p in PARTICLES}, reverse=True)


def hangul_words(text: str) -> list[str]:
    return HANGUL.findall(text)


def build_vocabulary(strong: Iterable[str], text: Iterable[str]) -> set[str]:
    """The site's words: every Hangul word of `strong` (titles, tags: short words count)
    and every word of two syllables or more standing alone in `text`, each with its
    particle taken off when the rest is itself such a word."""
    raw = {w for s in strong for w in hangul_words(s)}
    raw |= {w for s in text for w in hangul_words(s) if len(w) >= 2}
    vocab = set()
    for word in raw:
        for n in _PARTICLE_LENGTHS:
            if len(word) > n and word[-n:] in _PARTICLE_SET and word[:-n] in raw:
                word = word[:-n]
                break
        vocab.add(word)
    # A one-syllable word that is also a particle (`과`) would split words at their ends.
    return {w for w in vocab if len(w) > 1 or w not in PARTICLES}


class Analyzer:
    """Splits Hangul words against one vocabulary; remembers every word it has seen."""

    def __init__(self, vocab: Iterable[str]):
        self.vocab = set(vocab)
        self.longest = max((len(w) for w in self.vocab), default=0)
        self._memo: dict[str, tuple[list[str], str | None]] = {}
        self.segmented = _Segmented(self)  # word -> its segmented text, made once per word

    def split(self, word: str) -> list[str] | None:
        """The most vocabulary words that spell `word` exactly (earliest long piece first
        on a tie), or None."""
        n = len(word)
        best: list[int | None] = [None] * (n + 1)  # best[i]: most pieces covering word[i:]
        cut = [0] * (n + 1)
        best[n] = 0
        for i in range(n - 1, -1, -1):
            for j in range(min(n, i + self.longest), i, -1):
                if best[j] is not None and word[i:j] in self.vocab and (best[i] is None or best[j] + 1 > best[i]):
                    best[i], cut[i] = best[j] + 1, j
        if best[0] is None:
            return None
        pieces, i = [], 0
        while i < n:
            pieces.append(word[i:cut[i]])
            i = cut[i]
        return pieces

    def analyze(self, word: str) -> tuple[list[str], str | None]:
        """(the word's pieces, the particle taken off or None)."""
        hit = self._memo.get(word)
        if hit is None:
            hit = self._memo[word] = self._analyze(word)
        return hit

    def _analyze(self, word: str) -> tuple[list[str], str | None]:
        if word not in self.vocab:
            for p in PARTICLES:
                if word.endswith(p) and len(word) > len(p):
                    pieces = self.split(word[:-len(p)])
                    if pieces:
                        return pieces, p
        return self.split(word) or [word], None


ZWSP = "\u200b"


class _Segmented(dict):
    """word -> `ZWSP piece ZWSP ... ZWSP`: a plain dict lookup for every word seen before
    (the search index repeats its words a hundred thousand times)."""

    def __init__(self, analyzer: Analyzer):
        super().__init__()
        self.analyzer = analyzer

    def __missing__(self, word: str) -> str:
        pieces, particle = self.analyzer.analyze(word)
        out = self[word] = ZWSP + ZWSP.join(pieces + ([particle] if particle else [])) + ZWSP
        return out


def segment(text: str, analyzer: Analyzer) -> str:
    """`text` with zero-width spaces around every Hangul word and between its pieces, the
    way Material segments Chinese: what the reader sees does not change."""
    parts = _HANGUL_SPLIT.split(text)
    if len(parts) == 1:
        return text.strip(ZWSP)
    parts[1::2] = map(analyzer.segmented.__getitem__, parts[1::2])
    return "".join(parts).strip(ZWSP)
