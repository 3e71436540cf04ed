"""Nothing in a cell is dropped: every non-blank source line is in the model, in order, its
text exactly as typed apart from the notation markers themselves."""
from __future__ import annotations

import re
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from kbgen.model import Cell
from kbgen.notation import parse_cell
from kbgen.schema import to_data

# What may be taken off a line as notation; everything else must come back as text.
NOTATION = re.compile(
    r"^(?:\[[^\[\]]+\]\s*)?(?:>[ \t]*)*(?:[-*+][ \t]+|[•·▪◦‣○□■◆◇●◎▶▷ㆍ・][ \t]*)?"
    r"(?:\d{1,2}\.[ \t]+|\d{1,2}\)[ \t]*|\(\d{1,2}\)[ \t]*|[\u2460-\u2473][ \t]*)?"
    r"(?:[eE][xX][).:][ \t]*|예\)[ \t]*)?$"
)
JOINERS = {"", ", ", "; ", " / ", ","}
ONLY_MARKERS = re.compile(r"^[>\-*+•·▪◦‣○□■◆◇●◎▶▷ㆍ・\s]*$")


def assert_lossless(source: str, cell: Cell) -> None:
    pieces = cell.pieces()
    numbers = [line for line, _, _ in pieces]
    assert numbers == sorted(numbers), "pieces are out of source order"
    by_line: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for line, notation, text in pieces:
        by_line[line].append((notation, text))
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, start=1):
        stripped = raw.strip()
        if not stripped:
            assert number not in by_line
            continue
        if number not in by_line:
            assert ONLY_MARKERS.match(stripped), f"line {number} {stripped!r} is missing from the model"
            continue
        rebuilt = ""
        for notation, text in by_line[number]:
            joiner = next((j for j in sorted(JOINERS, key=len, reverse=True) if j and notation.startswith(j)), "")
            assert NOTATION.match(notation[len(joiner):]), f"line {number}: {notation!r} is not notation"
            rebuilt += notation + text
        assert rebuilt == stripped, f"line {number}: {rebuilt!r} != {stripped!r}"
    assert set(by_line) <= set(range(1, len(lines) + 1))


def test_every_bundled_cell_is_lossless(bundled):
    cells = [c for t in bundled.topics for c in t.cells]
    assert len(cells) >= 20
    for cell in cells:
        assert_lossless("\n".join(cell.lines), cell)


# Lines the way people type them: markers, headers, pairs, formulas, stray quotes.
_words = st.sampled_from([
    "게이트", "셀 상태", "Forget Gate", "정보저장삭제", "수정반", "ReLU(x) = { 0 if x < 0", "x^2 + y_i",
    "입력>은닉>출력", "Self > Attention", "A > > B", "초평면(Hyperplane: 분리면)", '"따옴표', "*강조*",
    "a : b", "용어 = 설명", "1:1", "http://x.y", "<div>", "|", "`코드`", "$x$", "[0, 1]", "->", "ex)", "①",
])
_prefix = st.sampled_from(["", "", "- ", "* ", "• ", "+ ", "> ", ">", ">> ", "> > ", "1. ", "2) ", "③ ",
                           "ex) ", "> ex) ", "  ", "\t", "[구성요소] ", "[특징]", "[절차] ", "-> ",
                           "□ ", "○ ", "ㆍ", "> ○ ", "[특징] □ "])
_sep = st.sampled_from([": ", " : ", " = ", ", ", " ", "", ": ", ", "])
_line = st.builds(lambda p, parts, seps: p + "".join(w + s for w, s in zip(parts, seps)).rstrip(),
                  _prefix, st.lists(_words, min_size=0, max_size=4), st.lists(_sep, min_size=4, max_size=4))
_cell = st.lists(_line, min_size=1, max_size=25).map("\n".join)


@given(_cell)
def test_generated_cells_are_lossless(text):
    cell = parse_cell(text, tokens={"수정반", "정연"})
    assert_lossless(text, cell)


@given(st.text(max_size=400))
def test_any_text_parses_lossless_and_the_same_every_time(text):
    first = parse_cell(text)
    assert_lossless(text, first)
    assert to_data(first, internal_fields=True) == to_data(parse_cell(text), internal_fields=True)
