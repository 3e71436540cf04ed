"""Fuzz targets: the readers fed generated input, each with the properties it must keep.

Shared by tests/test_fuzz.py (a few hundred examples per target on every run) and
benchmarks/fuzz.py (the long run). Each target is (strategy, check); `check(example)`
raises AssertionError, or any other exception the reader let escape, when a property
breaks. The properties, for every input:

- no unhandled exception: bad input becomes an error in the Report, naming the file;
- lossless: what was written comes back (sheet cells byte for byte, every line of a cell
  in the notation model, every field of a topic file);
- deterministic: the same input read twice gives the same result and the same report.
"""
from __future__ import annotations

import os
import posixpath
import re
import tempfile
from typing import Any, Callable

import yaml
from hypothesis import strategies as st

from kbgen.diagnostics import Report
from kbgen.model import SLUG_PATTERN, Topic
from kbgen.notation import parse_cell
from kbgen.project import load_project, make_slug
from kbgen.schema import Validator, to_data
from kbgen.sources.sheet import COLUMNS, read_sheet
from kbgen.sources.yamlfile import parse_yaml
from test_lossless import assert_lossless

# --- the sheet's notation, the way people type it --------------------------------------

WORDS = [
    "게이트", "셀 상태", "Forget Gate", "정보저장삭제", "수정반", "ReLU(x) = { 0 if x < 0", "x^2 + y_i",
    "입력>은닉>출력", "Self > Attention", "A > > B", "초평면(Hyperplane: 분리면)", '"따옴표', '""', "'",
    "*강조*", "a : b", "용어 = 설명", "1:1", "12:30", "http://x.y", "<div>", "|", "`코드`", "$x$", "[0, 1]",
    "->", "→", "ex)", "①", "예)", "용어: 설명", "A: x, B: y", "A: x; B: y / C: z", ":", "::", "[", "]",
    "{{ x }}", "{% raw %}", "<!--", "-->", "&amp;", "\\", "똠방각하", "쀍", "丁", "ㄱ", "힣",  # CP949 text
    "\u200b", "\u202e", "\u200f", "\xa0", "\u3000", "．．", "\u2025", "\ufeff", "𝐀", "ＬＳＴＭ", "ﾊﾝ", "🙂",
]
PREFIXES = [
    "", "", "", "- ", "* ", "• ", "‣", "+ ", "> ", ">", ">> ", "> > ", "> - ", ">> ① ", "1. ", "2) ", "(3) ",
    "③ ", "⑳", "10. ", "99) ", "ex) ", "Ex. ", "예) ", "> ex) ", "  ", "\t", "[구성요소] ", "[특징]",
    "[절차] ", "[0, 1] ", "[]", "[[x]] ", "-> ", "=> ", "-", "+",
]
NEWLINES = ["\n", "\n", "\r\n", "\r"]

_word = st.sampled_from(WORDS)
_sep = st.sampled_from([": ", " : ", " = ", ", ", " ", "", ": ", ", ", "; ", " / ", ","])
_line = st.builds(lambda p, ws, ss, end: p + "".join(w + s for w, s in zip(ws, ss)) + end,
                  st.sampled_from(PREFIXES), st.lists(_word, max_size=5), st.lists(_sep, min_size=5, max_size=5),
                  st.sampled_from(["", "", " ", "\t"]))


@st.composite
def notation_cells(draw) -> str:
    """A cell as typed: notation lines, any mix of line endings."""
    lines = draw(st.lists(_line, min_size=1, max_size=12))
    ends = draw(st.lists(st.sampled_from(NEWLINES), min_size=len(lines), max_size=len(lines)))
    return "".join(line + end for line, end in zip(lines, ends))[:-1]


# Text drawn mostly from the characters the notation reacts to.
_notation_chars = st.text(alphabet=st.sampled_from(list(">-*+•·▪◦‣○□ㆍ[]():=,;/ \t\r\n①⑳0123456789exEX예가나AB\"'")
                                                   + ["\u200b", "\ufeff", "\xa0"]), max_size=200)
cell_text = st.one_of(notation_cells(), _notation_chars, st.text(max_size=300))


def check_cell(text: str) -> None:
    first = parse_cell(text, tokens={"수정반", "정연"})
    assert_lossless(text, first)
    again = parse_cell(text, tokens={"수정반", "정연"})
    assert to_data(first, internal_fields=True) == to_data(again, internal_fields=True)


# --- the sheet export (CSV) --------------------------------------------------------------

_no_control = st.characters(exclude_categories=("Cs", "Cc"))
_title = st.text(_no_control, min_size=1, max_size=40).filter(lambda s: s.strip())
_cell_no_control = cell_text.map(lambda s: re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", s))


def to_csv(rows: list[list[str]], newline: str, quote_all: bool) -> str:
    """As Google Sheets and Excel write it: a cell is quoted when it holds a comma, a
    quote or any line break (Python's csv module leaves a lone CR unquoted)."""
    def cell(value: str) -> str:
        if quote_all or any(c in value for c in ',"\r\n'):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(",".join(map(cell, row)) + newline for row in rows)


@st.composite
def sheets(draw) -> tuple[list[list[str]], bytes, str]:
    """(rows, file bytes, encoding written): a valid export with every variation a sheet
    program produces: column order, quoting, CRLF or LF, BOM, CP949."""
    columns = list(COLUMNS)
    extra = draw(st.sampled_from([[], ["비고"]]))
    order = draw(st.permutations(columns + extra))
    numbers = draw(st.lists(st.integers(1, 10**6), min_size=1, max_size=5, unique=True))
    rows = []
    for no in numbers:
        values = {
            "NO": draw(st.sampled_from([str(no), f"{no}.0", f" {no} "])),
            "토픽": draw(st.sampled_from(["", "딥러닝", "머신러닝", " 딥러닝 "])),
            "중토픽": draw(_title),
            "암기법": draw(st.sampled_from(["", "정연", "정연 게셀피모", "CIA, 기무가", "Model Free, Q 정벨큐"])),
            "기술요소": draw(_cell_no_control),
            "매커니즘": draw(st.one_of(st.just(""), _cell_no_control)),
            "비고": draw(st.sampled_from(["", "메모", "a,b"])),
        }
        rows.append([values[c] for c in order])
    text = to_csv([order, *rows], draw(st.sampled_from(["\r\n", "\n"])), draw(st.booleans()))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp949"]))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        encoding, data = "utf-8", text.encode("utf-8")
    return [order, *rows], data, encoding


_SCRATCH = tempfile.mkdtemp(prefix="kbgen-fuzz-")  # one file rewritten per example: fast to shrink


def _read(data: bytes) -> tuple[Any, Report]:
    path = os.path.join(_SCRATCH, "sheet.csv")
    with open(path, "wb") as fh:
        fh.write(data)
    report = Report()
    return read_sheet(path, report, "data/sheet.csv"), report


def _sheet_data(sheet) -> Any:
    return None if sheet is None else (sheet.encoding, sheet.columns, [tuple(getattr(r, f) for f in r.__slots__)
                                                                      for r in sheet.rows])


def check_sheet(example: tuple[list[list[str]], bytes, str]) -> None:
    rows, data, encoding = example
    sheet, report = _read(data)
    problems = [d.format() for d in report.items if d.code != "csv-unknown-column"]
    assert sheet is not None and not problems, problems
    header = rows[0]
    assert sheet.encoding == ("utf-8" if encoding == "utf-8-sig" else encoding) or data.isascii()
    assert sheet.columns == header
    col = {name: header.index(name) for name in header}
    assert len(sheet.rows) == len(rows) - 1
    for got, written in zip(sheet.rows, rows[1:]):
        assert got.no == int(float(written[col["NO"]]))
        assert got.title == written[col["중토픽"]].strip()
        assert got.body == written[col["기술요소"]]  # byte for byte: CRLF, quotes, spaces
        assert got.mechanism == written[col["매커니즘"]]
        check_cell(got.body)
    assert _sheet_data(_read(data)[0]) == _sheet_data(sheet)


@st.composite
def damaged_sheets(draw) -> bytes:
    """A valid export with bytes inserted, replaced or cut, or bytes from nowhere."""
    kind = draw(st.sampled_from(["mutate", "mutate", "random", "prefix"]))
    if kind == "random":
        return draw(st.binary(max_size=400))
    _, data, _ = draw(sheets())
    if kind == "prefix":
        return data[:draw(st.integers(0, len(data)))]
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b'"', b",", b"\r", b"\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xeb",
                                     b"\x07", b"\xc0\xaf", b"NO", b'""', b"\xfe\xff"]))
        if draw(st.booleans()) and at < len(data):
            del data[at:at + draw(st.integers(1, 8))]
        data[at:at] = junk
    return bytes(data)


def check_damaged_sheet(data: bytes) -> None:
    sheet, report = _read(data)
    if sheet is None:
        assert report.errors, "a sheet that cannot be used must say why"
    for d in report.items:
        assert d.where.file == "data/sheet.csv" and d.message and d.hint, d
    again, report2 = _read(data)
    assert _sheet_data(again) == _sheet_data(sheet)
    assert [d.format() for d in report2.items] == [d.format() for d in report.items]


# --- topic files (YAML) ----------------------------------------------------------------

# Any character a YAML file holds as text; NEL and the Unicode line separators are line
# breaks to YAML, and PyYAML's emitter writes them raw inside quotes.
_text = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp"), include_characters="\t\n\x07"),
                min_size=1, max_size=30)
_short = st.one_of(_text, st.sampled_from(["yes", "no", "null", "~", "1.0", "0x1F", "2001-12-14", "- x", "a: b",
                                           "[1]", "&a", "*a", "!tag", "#", "|", ">", "'", '"', "%", "@", "`"]))


def _opt(strategy) -> st.SearchStrategy:
    return st.one_of(st.none(), strategy)


_items = st.recursive(
    st.fixed_dictionaries({"term": _short}, optional={"description": _short,
                                                      "kind": st.sampled_from(["step", "example", "group"])}),
    lambda children: st.fixed_dictionaries({"term": _short}, optional={
        "description": _short, "children": st.lists(children, min_size=1, max_size=3)}),
    max_leaves=8)

topic_data = st.fixed_dictionaries({}, optional={
    "title": _short, "no": st.integers(1, 10**6), "slug": st.from_regex(r"[0-9a-z가-힣][0-9a-z가-힣._-]{0,20}", fullmatch=True),
    "aliases": st.lists(_short, min_size=1, max_size=3), "nav_order": st.integers(-5, 100), "label": _short,
    "definition": _short, "differentiator": _short, "notes": _text, "diagram": _text,
    "mnemonics": st.lists(st.fixed_dictionaries({"token": _short}, optional={
        "section": _short, "item": _short, "expansion": st.lists(_short, min_size=1, max_size=3)}), min_size=1, max_size=2),
    "keywords": st.lists(st.fixed_dictionaries({"term": _short}, optional={"description": _short, "example": _short}),
                         min_size=1, max_size=3),
    "background": st.fixed_dictionaries({"problem": _short}, optional={"uses": st.lists(_short, min_size=1, max_size=2)}),
    "sections": st.lists(st.fixed_dictionaries({"name": _short}, optional={
        "items": st.lists(_items, min_size=1, max_size=3), "mnemonic": _short}), min_size=1, max_size=2),
    "related": st.lists(_short, min_size=1, max_size=3), "checklist": st.lists(_short, min_size=1, max_size=3),
    "equations": st.lists(_short, min_size=1, max_size=2),
    "exams": st.lists(st.fixed_dictionaries({"round": st.integers(1, 200), "session": st.integers(1, 4),
                                             "number": st.integers(1, 40)}, optional={"question": _short}),
                      min_size=1, max_size=2),
}).filter(bool)


@st.composite
def topic_files(draw) -> tuple[dict, str]:
    data = draw(topic_data)
    style = draw(st.sampled_from([None, False, True]))  # block, block, flow
    return data, yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=draw(st.booleans()),
                           default_flow_style=style, sort_keys=False)


def _load_topic(text: str) -> tuple[Any, list[str]]:
    report = Report()
    loaded = parse_yaml(text, "data/topics/t.yml", report)
    topic = None
    if loaded is not None:
        topic = Validator(report, "data/topics/t.yml", loaded[1]).build(Topic, loaded[0])
    for d in report.items:
        assert d.where.file == "data/topics/t.yml" and d.message and d.hint, d
    if topic is None:
        assert report.errors, "a topic file that cannot be used must say why"
    return (None if topic is None else to_data(topic)), [d.format() for d in report.items]


def check_topic_file(example: tuple[dict, str]) -> None:
    data, text = example
    topic, problems = _load_topic(text)
    assert not problems, problems
    assert topic == data  # every field, every string as written
    assert _load_topic(text) == (topic, problems)


_yaml_junk = st.sampled_from(list(":-[]{}&*!|>'\"#%@`?,\n\t ") + ["\n  ", ": ", "- ", "&a ", "*a", "!!python/object:os.system ",
                                                                  "<<: ", "---\n", "no", "\ufeff", "\\x", "[" * 60])


@st.composite
def damaged_topic_files(draw) -> str:
    """A topic file with YAML syntax characters inserted or text cut, or any text."""
    if draw(st.integers(0, 3)) == 0:
        return draw(st.text(max_size=300))
    _, text = draw(topic_files())
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 6))
        text = text[:at] + draw(_yaml_junk) + text[at + cut:]
    return text


def check_damaged_topic_file(text: str) -> None:
    first = _load_topic(text)
    assert _load_topic(text) == first


# --- slugs and page paths -----------------------------------------------------------------

def check_slug(title: str) -> None:
    slug = make_slug(title)
    assert slug == make_slug(title)
    if slug:
        assert re.match(SLUG_PATTERN, slug), slug
        assert len(slug.encode("utf-8")) <= 240  # a file name, with `.md`, under 255 bytes
        path = posixpath.normpath(f"ai/dl/{slug}.md")
        assert path.startswith("ai/dl/") and "/" not in slug and "\\" not in slug and "\0" not in slug


# Titles that try to become paths: dot leaders, full-width dots and slashes, RTL marks.
titles = st.one_of(
    st.text(max_size=120),
    st.lists(st.sampled_from(["..", "．．", "\u2025", "\u2026", "/", "\\", "／", "＼", "C:", "\0", "\u202e", "\u200f",
                              ". ", "LSTM", "장단기", "con", "~", "%2e%2e", "\u1112\u1161\u11ab"]), max_size=8).map("".join),
)


# --- a whole project ----------------------------------------------------------------------

PROJECT_CONFIG = (
    "subjects:\n  - id: ai\n    title: AI\n    csv: data/ai.csv\n    topics: data/topics\n"
    "    categories:\n      - {id: dl, title: 2. 딥러닝, match: [딥러닝]}\n"
)


@st.composite
def projects(draw) -> tuple[bytes, str]:
    csv_bytes = draw(st.one_of(sheets().map(lambda e: e[1]), damaged_sheets()))
    topic = draw(st.one_of(topic_files().map(lambda e: e[1]), damaged_topic_files()))
    return csv_bytes, topic


def _load_and_render(csv_bytes: bytes, topic: str) -> tuple[list[str], dict[str, str]]:
    from kbgen.build import generate
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "data", "topics"))
        for rel, body in (("kbgen.yml", PROJECT_CONFIG.encode()), ("data/ai.csv", csv_bytes),
                          ("data/topics/t.yml", topic.encode("utf-8", "surrogatepass"))):
            with open(os.path.join(tmp, rel), "wb") as fh:
                fh.write(body)
        project = load_project(os.path.join(tmp, "kbgen.yml"))
        pages: dict[str, str] = {}
        if not project.report.errors:
            for fmt in ("mkdocs", "jekyll"):
                _, made, _ = generate(project, fmt)
                pages.update({f"{fmt}:{k}": v for k, v in made.items()})
        problems = [d.format() for d in project.report.items]
        assert tmp not in "".join(problems), "messages name files relative to the project"
        return problems, pages


def check_project(example: tuple[bytes, str]) -> None:
    first = _load_and_render(*example)
    for path in first[1]:
        rel = path.split(":", 1)[1]
        assert posixpath.normpath(rel) == rel and not rel.startswith(("/", "..")), rel
    assert _load_and_render(*example) == first


TARGETS: dict[str, tuple[st.SearchStrategy, Callable[[Any], None]]] = {
    "notation": (cell_text, check_cell),
    "csv": (sheets(), check_sheet),
    "csv-damaged": (damaged_sheets(), check_damaged_sheet),
    "yaml": (topic_files(), check_topic_file),
    "yaml-damaged": (damaged_topic_files(), check_damaged_topic_file),
    "slug": (titles, check_slug),
    "project": (projects(), check_project),
}


def run(name: str, max_examples: int, seed: int | None = None, **options: Any) -> int:
    """Run one target for `max_examples` examples; returns how many inputs were checked
    (generation, plus any shrinking). A broken property raises, with the smallest example
    (and the count as `exc.checked`)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as fixed_seed
    strategy, check = TARGETS[name]
    calls = 0

    def counted(example: Any) -> None:
        nonlocal calls
        calls += 1
        check(example)

    test = settings(max_examples=max_examples, deadline=None, report_multiple_bugs=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large], **options)(
        given(strategy)(counted))
    if seed is not None:
        test = fixed_seed(seed)(test)
    try:
        test()
    except Exception as exc:
        exc.checked = calls
        raise
    return calls
