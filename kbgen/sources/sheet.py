"""The sheet export (CSV) reader: header, rows, NO, cells; nothing about their notation.

Rows are numbered as the spreadsheet shows them (header = row 1, unless a title sits above
it), so a message points at the row a person can find; the file line where the row starts
is given too.
"""
from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass, field

from ..diagnostics import DataError, Location, Report
from .text import delimiter, read_text

COLUMNS = ("NO", "토픽", "중토픽", "암기법", "기술요소", "매커니즘")
REQUIRED = ("NO", "중토픽", "기술요소")
MAX_CELL_CHARS = 65_536  # a study note; larger is a paste gone wrong

csv.field_size_limit(64 * 1024 * 1024)  # our own limit, MAX_CELL_CHARS, gives the message
_NUMBER = re.compile(r"^\s*(\d{1,9})(?:\.0+)?\s*$")
# Header spellings people type for kbgen's columns: `No`, `No.`, `기술 요소`, and 메커니즘,
# the dictionary spelling of the sheet's own 매커니즘.
_SPELLINGS = {"NO.": "NO", "메커니즘": "매커니즘"}
_SPACE = re.compile(r"\s+")


def column_name(typed: str) -> str:
    """kbgen's name for a header cell (stripped, no BOM), or the cell when it names no
    column of ours."""
    compact = _SPACE.sub("", typed).upper()  # upper() changes Latin only
    compact = _SPELLINGS.get(compact, compact)
    return compact if compact in COLUMNS else typed


@dataclass(slots=True)
class SheetRow:
    no: int
    row: int  # sheet row, as the spreadsheet numbers it
    line: int  # file line where the row starts
    group: str  # 토픽
    title: str  # 중토픽
    mnemonics: str  # 암기법
    body: str  # 기술요소
    mechanism: str  # 매커니즘


@dataclass(slots=True)
class Sheet:
    path: str
    encoding: str
    columns: list[str]
    rows: list[SheetRow] = field(default_factory=list)

    @property
    def name(self) -> str:
        return os.path.basename(self.path)


def read_sheet(path: str, report: Report, display: str | None = None) -> Sheet | None:
    """Read one export. Problems go to `report`; None when the file cannot be used."""
    shown = display or path
    try:
        text, encoding = read_text(path)
    except DataError as exc:
        d = exc.diagnostic
        report.error(d.code, Location(file=shown, line=d.where.line), d.message, d.hint)
        return None
    records = _records(text, shown, report)
    if records is None:
        return None
    records = [r for r in records if any(c.strip() for c in r[2])]
    if not records:
        report.error("csv-empty", Location(file=shown), "the file is empty",
                     "export the sheet with its header row: " + ",".join(COLUMNS))
        return None
    at = _header_at(records)
    if at:
        above = [c.strip() for r in records[:at] for c in r[2] if c.strip()]
        report.warning("csv-rows-above-header",
                       Location(file=shown, row=records[0][0], line=records[0][1]),
                       f"{at} row(s) above the header row (row {records[at][0]}) are not read: "
                       + _preview(" ".join(above)),
                       "delete them from the sheet if they hold more than a title")
        records = records[at:]
    header_row, header_line, header = records[0]
    typed, columns = _header_names(header)
    if not _check_header(columns, typed, shown, header_line, report, header_row):
        return None
    sheet = Sheet(path=shown, encoding=encoding, columns=columns)
    index = {name: i for i, name in enumerate(columns) if name}
    seen: dict[int, int] = {}
    ok = True
    for row_no, line, rec in records[1:]:
        cells = {name: (rec[i] if i < len(rec) else "") for name, i in index.items()}
        ok &= _check_sizes(cells, shown, row_no, line, report)
        extra = [v for v in rec[len(columns):] if v.strip()]
        if extra:
            report.warning("csv-extra-cells", Location(file=shown, row=row_no, line=line),
                           f"{len(extra)} cell(s) beyond the last column", "delete them or give the column a header")
        row = _row(cells, shown, row_no, line, report)
        if row is None:
            if not cells.get("NO", "").strip():
                ok &= _continue_previous(sheet, cells, shown, row_no, line, report)
            else:
                ok = False
            continue
        if row.no in seen:
            report.error("csv-duplicate-no", Location(file=shown, row=row_no, line=line, column="NO"),
                         f"NO {row.no} is used twice: row {seen[row.no]} and row {row_no}",
                         "give each row its own number")
            ok = False
            continue
        seen[row.no] = row_no
        sheet.rows.append(row)
    if ok and not sheet.rows and not report.errors:
        report.error("csv-no-rows", Location(file=shown, row=header_row + 1), "the sheet has a header but no topic rows",
                     "add rows under the header, or remove the csv entry from kbgen.yml")
        return None
    return sheet if ok else None


def _records(text: str, shown: str, report: Report) -> list[tuple[int, int, list[str]]] | None:
    """(sheet row, file line, cells) per record; blank rows still count as sheet rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text, "기술요소", HEADER_SEARCH), strict=True)
    out = []
    start = 1
    try:
        for row, rec in enumerate(reader, start=1):
            out.append((row, start, rec))
            start = reader.line_num + 1
    except csv.Error as exc:
        if "unexpected end of data" in str(exc):
            report.error("csv-unclosed-quote", Location(file=shown, row=len(out) + 1, line=start),
                         "a quoted cell that starts in this row is never closed",
                         'close the quote, or write a quote inside a cell as two quotes ("")')
        else:
            report.error("csv-bad-quote", Location(file=shown, row=len(out) + 1, line=reader.line_num),
                         f"malformed quoting: {exc}",
                         'a cell with a quote must be wrapped in quotes, with inner quotes doubled ("")')
        return None
    return out


HEADER_SEARCH = 5  # rows at the top where the header may sit below a title


def _header_names(cells: list[str]) -> tuple[list[str], list[str]]:
    """A header row's cells as typed (stripped, no BOM) and kbgen's names for them."""
    typed = [c.replace("\ufeff", "").strip() for c in cells]
    return typed, [column_name(c) for c in typed]


def _header_at(records: list[tuple[int, int, list[str]]]) -> int:
    """Index of the header among the first rows: 0, or the first row below a title (the
    sheet's name typed above the table) that names every required column."""
    for i, (_, _, cells) in enumerate(records[:HEADER_SEARCH]):
        columns = _header_names(cells)[1]
        if all(c in columns for c in REQUIRED):
            return i
    return 0


def _preview(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


def _check_header(columns: list[str], typed: list[str], shown: str, line: int, report: Report, row: int) -> bool:
    """`columns`: kbgen's names for the header cells; `typed`: the cells as written."""
    ok = True
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        found = ", ".join(c for c in typed if c) or "none"
        report.error("csv-missing-column", Location(file=shown, row=row, line=line, column=missing[0]),
                     f"required column {', '.join(missing)} is missing (found: {found})",
                     "the header row must name " + ", ".join(COLUMNS))
        ok = False
    dupes = sorted({c for c in columns if c and columns.count(c) > 1})
    if dupes:
        report.error("csv-duplicate-column", Location(file=shown, row=row, line=line, column=dupes[0]),
                     f"column {dupes[0]} appears twice in the header "
                     f"({', '.join(t for c, t in zip(columns, typed) if c == dupes[0])})",
                     "delete or rename one of them")
        ok = False
    unknown = [c for c in columns if c and c not in COLUMNS]
    if unknown and ok:
        report.warning("csv-unknown-column", Location(file=shown, row=row, line=line, column=unknown[0]),
                       "unknown column(s) ignored: " + ", ".join(unknown),
                       "kbgen reads " + ", ".join(COLUMNS))
    return ok


def _check_sizes(cells: dict[str, str], shown: str, row: int, line: int, report: Report) -> bool:
    ok = True
    for name, value in cells.items():
        if len(value) > MAX_CELL_CHARS:
            report.error("csv-cell-too-large", Location(file=shown, row=row, line=line, column=name),
                         f"cell is {len(value):,} characters, over the limit of {MAX_CELL_CHARS:,}",
                         "split the note over several rows or shorten it")
            ok = False
    return ok


def _row(cells: dict[str, str], shown: str, row: int, line: int, report: Report) -> SheetRow | None:
    raw_no = cells.get("NO", "")
    if not raw_no.strip():
        return None
    m = _NUMBER.match(raw_no)
    if not m:
        report.error("csv-bad-no", Location(file=shown, row=row, line=line, column="NO"),
                     f"'{raw_no.strip()[:30]}' is not a number",
                     "NO must be a whole number that stays with the row")
        return None
    title = cells.get("중토픽", "").strip()
    if not title:
        report.error("csv-empty-title", Location(file=shown, row=row, line=line, column="중토픽"),
                     "the topic name is empty", "write the topic's name as on an exam answer")
        return None
    return SheetRow(
        no=int(m.group(1)), row=row, line=line, group=cells.get("토픽", "").strip(), title=title,
        mnemonics=cells.get("암기법", "").strip(), body=cells.get("기술요소", ""),
        mechanism=cells.get("매커니즘", ""),
    )


def _continue_previous(sheet: Sheet, cells: dict[str, str], shown: str, row: int, line: int, report: Report) -> bool:
    """A row with text but no NO: the rest of the row above, pasted over two rows."""
    if not sheet.rows:
        report.error("csv-missing-no", Location(file=shown, row=row, line=line, column="NO"),
                     "the first topic row has no NO", "give the row a number")
        return False
    prev = sheet.rows[-1]
    for column, attr in (("기술요소", "body"), ("매커니즘", "mechanism")):
        extra = cells.get(column, "")
        if extra.strip():
            setattr(prev, attr, getattr(prev, attr).rstrip("\r\n") + "\n" + extra)
    report.warning("csv-continuation-row", Location(file=shown, row=row, line=line, column="NO"),
                   f"row has text but no NO; read as the rest of row {prev.row} (NO {prev.no})",
                   "merge the two rows in the sheet")
    return True
