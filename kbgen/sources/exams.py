"""The past exam questions CSV: 회차, 교시, 번호, 문제, 토픽 (English headers work too)."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from ..diagnostics import DataError, Location, Report
from .text import delimiter, read_text

_HEADERS = {
    "회차": "round", "round": "round", "교시": "session", "session": "session",
    "번호": "number", "number": "number", "문제": "question", "question": "question",
    "토픽": "topic", "topic": "topic", "과목": "subject", "subject": "subject",
}
_REQUIRED = ("round", "session", "number", "question", "topic")
_UNITS = {"round": "회", "session": "교시", "number": "번"}


@dataclass(slots=True)
class ExamQuestion:
    round: int
    session: int
    number: int
    question: str
    topic: str  # a topic's title, short title, alias or slug
    subject: str  # optional subject id; '' searches every subject
    row: int


def read_exams(path: str, report: Report, display: str | None = None) -> list[ExamQuestion]:
    shown = display or path
    try:
        text, _ = read_text(path)
    except DataError as exc:
        d = exc.diagnostic
        report.error(d.code, Location(file=shown, line=d.where.line), d.message, d.hint)
        return []
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text, lines=1), strict=True))
    except csv.Error as exc:
        report.error("exams-bad-csv", Location(file=shown), f"malformed CSV: {exc}", "check the quotes")
        return []
    records = [(i, r) for i, r in enumerate(records, start=1) if any(c.strip() for c in r)]
    if not records:
        report.error("exams-empty", Location(file=shown), "the file is empty",
                     "write a header row: 회차,교시,번호,문제,토픽")
        return []
    written = [c.replace("\ufeff", "").strip() for c in records[0][1]]
    header = [_HEADERS.get(c.lower(), "") for c in written]
    shown_name = {k: w for k, w in zip(header, written) if k}
    missing = [k for k in _REQUIRED if k not in header]
    if missing:
        report.error("exams-missing-column", Location(file=shown, row=1, column=missing[0]),
                     "missing column(s): " + ", ".join(missing), "the header must be 회차,교시,번호,문제,토픽")
        return []
    out = []
    for row, rec in records[1:]:
        cells = {k: (rec[i].strip() if i < len(rec) else "") for i, k in enumerate(header) if k}
        numbers = {}
        for key in ("round", "session", "number"):
            typed = cells.get(key, "")
            value = typed.removesuffix(_UNITS[key]).rstrip()  # `132회`, `1교시`, `3번` as people write them
            if not value.isdigit():
                report.error("exams-bad-number", Location(file=shown, row=row, column=shown_name[key]),
                             f"'{typed}' is not a whole number", "write the number, e.g. 132 or 132회")
                break
            numbers[key] = int(value)
        else:
            if not 1 <= numbers["session"] <= 4:
                report.warning("exams-bad-session", Location(file=shown, row=row, column=shown_name["session"]),
                               f"교시 {numbers['session']} is not 1–4", "check the session number")
            out.append(ExamQuestion(question=cells["question"], topic=cells["topic"],
                                    subject=cells.get("subject", ""), row=row, **numbers))
    return out
