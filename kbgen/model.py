"""The topic model: the one shape every source is read into and every renderer reads from.

The dataclasses below are also the declaration of a topic file: `kbgen.schema` validates
YAML against them and derives the JSON Schema from them. Fields marked `internal()` are
filled by the readers (provenance, parsed cells) and are not part of a topic file.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

ItemKind = Literal["item", "step", "example", "group"]
CellColumn = Literal["기술요소", "매커니즘"]


def doc(text: str, **extra: Any) -> dict[str, Any]:
    """Field metadata for the schema: a description plus JSON Schema keywords."""
    return {"doc": text, **extra}


def internal(default: Any = None, factory: Any = None) -> Any:
    meta = {"internal": True}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(slots=True)
class Item:
    term: str | None = field(default=None, metadata=doc("용어 / term, e.g. `Forget Gate`"))
    description: str | None = field(default=None, metadata=doc("설명 / what the term means"))
    children: list[Item] = field(default_factory=list, metadata=doc("하위 항목 / child items"))
    kind: ItemKind = field(
        default="item",
        metadata=doc("item, step (ordered step), example (ex)), group (a label over its members)"),
    )
    # Provenance, filled by the notation parser.
    line: int | None = internal()  # line within the cell (1-based)
    marker: str = internal("")  # notation marker(s) removed from the line: `>`, `-`, `①`, `ex)`
    text: str = internal("")  # the text after the marker, exactly as typed
    joiner: str = internal("")  # separator before this part when one line held several pairs
    inferred: bool = internal(False)  # a group label recognised by its shape, not by `+`

    @property
    def label(self) -> str:
        """The item's text for display: the term, or the whole text."""
        return self.term if self.term is not None else self.text


@dataclass(slots=True)
class Section:
    name: str = field(metadata=doc("섹션 이름 / section name: 구성요소, 절차, 특징, 비교 …"))
    items: list[Item] = field(default_factory=list, metadata=doc("항목 / top-level items"))
    mnemonic: str | None = field(
        default=None, metadata=doc("이 섹션의 암기법 / mnemonic written under the header")
    )
    column: str = internal("")  # 기술요소 or 매커니즘 for sections read from the sheet
    line: int | None = internal()  # header line within the cell
    header: str = internal("")  # the header as typed, `[구성요소]`
    mnemonic_line: int | None = internal()  # where the mnemonic was written


@dataclass(slots=True)
class Cell:
    """One parsed sheet cell (기술요소 or 매커니즘). Lossless: see `Cell.pieces`."""

    column: str
    lines: list[str]  # the cell's lines as typed, newlines normalised
    lead: list[Item] = field(default_factory=list)  # lines before any header
    sections: list[Section] = field(default_factory=list)
    definition: str | None = None  # the first lead line, whole, without its marker

    def pieces(self) -> list[tuple[int, str, str]]:
        """(line, notation, text) for every piece of text the model holds, in document
        order. `notation` is what the parser read as markup (`> `, `[구성요소] `, `, `
        between pairs); the text is kept exactly as typed."""
        out: list[tuple[int, str, str]] = []

        def walk(items: list[Item]) -> None:
            for item in items:
                out.append((item.line or 0, item.joiner + item.marker, item.text))
                walk(item.children)

        walk(self.lead)
        for section in self.sections:
            out.append((section.line or 0, section.header, ""))
            if section.mnemonic_line is not None and section.mnemonic is not None:
                out.append((section.mnemonic_line, "", section.mnemonic))
            walk(section.items)
        return out


@dataclass(slots=True)
class Mnemonic:
    token: str = field(metadata=doc("암기법 토큰 / the mnemonic, e.g. `정연`"))
    section: str | None = field(
        default=None, metadata=doc("철자가 가리키는 섹션 / the section whose items it spells")
    )
    item: str | None = field(
        default=None,
        metadata=doc("철자가 가리키는 상위 항목 / the item whose children it spells (term)"),
    )
    expansion: list[str] = field(
        default_factory=list, metadata=doc("풀이 / the words it stands for, in order")
    )
    context: str | None = internal()  # words written beside it in 암기법, `Model Free`
    matched: bool = internal(False)  # the spelled list was found (or stated in YAML)


@dataclass(slots=True)
class Keyword:
    term: str = field(metadata=doc("키워드 / keyword"))
    description: str | None = field(default=None, metadata=doc("설명 / what it means"))
    example: str | None = field(default=None, metadata=doc("예시 / an example"))


@dataclass(slots=True)
class Background:
    problem: str | None = field(default=None, metadata=doc("문제/필요성 / why it was needed"))
    uses: list[str] = field(default_factory=list, metadata=doc("활용/사례 / where it is used"))


@dataclass(slots=True)
class ExamRef:
    round: int = field(metadata=doc("회차 / exam round, e.g. 132", minimum=1))
    session: int = field(metadata=doc("교시 / session 1–4", minimum=1, maximum=4))
    number: int = field(metadata=doc("번호 / question number", minimum=1))
    question: str | None = field(default=None, metadata=doc("문제 / the question text"))


@dataclass(slots=True)
class Snippet:
    path: str = field(metadata=doc("실행할 코드 파일 / code file to run and embed, relative to kbgen.yml"))
    caption: str | None = field(default=None, metadata=doc("설명 / caption"))
    timeout: int | None = field(
        default=None, metadata=doc("실행 제한 시간(초) / seconds the build waits for it (default 60)", minimum=1)
    )


@dataclass(slots=True)
class Origin:
    """Where a topic came from, for messages and for the Jekyll marker."""

    csv_file: str | None = None
    row: int | None = None  # sheet row (header = 1)
    line: int | None = None  # file line where the row starts
    yaml_file: str | None = None


SLUG_PATTERN = r"^[0-9a-z\uac00-\ud7a3][0-9a-z\uac00-\ud7a3._-]*$"


@dataclass(slots=True)
class Topic:
    title: str | None = field(
        default=None,
        metadata=doc("중토픽 / the topic's name as written on an exam answer", maxLength=200),
    )
    no: int | None = field(
        default=None,
        metadata=doc("시트의 NO / the CSV row this file overlays; leave out for a new topic", minimum=1),
    )
    slug: str | None = field(
        default=None,
        metadata=doc("주소 / URL name: lowercase letters, digits, Hangul, `-`", pattern=SLUG_PATTERN, maxLength=80),
    )
    aliases: list[str] = field(default_factory=list, metadata=doc("별칭 / other names"))
    category: str | None = field(default=None, metadata=doc("분류 id from kbgen.yml / category id"))
    nav_order: int | None = field(default=None, metadata=doc("메뉴 순서 / position in navigation"))
    label: str | None = field(default=None, metadata=doc("라벨 / label shown under the title"))
    definition: str | None = field(default=None, metadata=doc("한 줄 정의 / one-line definition"))
    mnemonics: list[Mnemonic] = field(default_factory=list, metadata=doc("암기법 / mnemonics"))
    keywords: list[Keyword] = field(default_factory=list, metadata=doc("핵심 키워드 / key keywords"))
    background: Background | None = field(default=None, metadata=doc("등장배경 / background"))
    differentiator: str | None = field(default=None, metadata=doc("차별점 / what sets it apart"))
    sections: list[Section] = field(default_factory=list, metadata=doc("기술 영역 / technique sections"))
    related: list[str] = field(default_factory=list, metadata=doc("연계 토픽 / related topics"))
    exams: list[ExamRef] = field(default_factory=list, metadata=doc("기출 / past exam questions"))
    snippets: list[Snippet] = field(default_factory=list, metadata=doc("실행 코드 / runnable code"))
    diagram: str | None = field(default=None, metadata=doc("Mermaid 다이어그램 / Mermaid diagram source"))
    equations: list[str] = field(default_factory=list, metadata=doc("수식 / LaTeX equations"))
    checklist: list[str] = field(default_factory=list, metadata=doc("학습 체크리스트 / self-check items"))
    notes: str | None = field(default=None, metadata=doc("손으로 쓴 메모 / hand-written Markdown notes"))
    # Filled by the loader.
    subject: str = internal("")
    cells: list[Cell] = internal(factory=list)
    origin: Origin = internal(factory=Origin)
