"""Diagnostics: errors and warnings that point at the file, row or line, column or field.

Readers never raise on bad data. They add a Diagnostic to a Report and go on where they
can, so one run lists every problem. Only the caller decides what is fatal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem is. Every part is optional; `format` prints only what is known."""

    file: str = ""
    row: int | None = None  # sheet row, header = row 1, as the spreadsheet shows it
    line: int | None = None  # line in the file (1-based)
    column: str | int | None = None  # CSV column name, or a text column number
    field: str | None = None  # YAML field path such as `sections[0].items[2].term`
    cell_line: int | None = None  # line within a multi-line cell

    def format(self) -> str:
        parts = [self.file] if self.file else []
        if self.row is not None:
            parts.append(f"row {self.row}" + (f" (line {self.line})" if self.line else ""))
        elif self.line is not None:
            parts.append(f"line {self.line}")
        if isinstance(self.column, int):
            parts.append(f"column {self.column}")
        elif self.column:
            parts.append(f"column {self.column}")
        if self.field:
            parts.append(f"field '{self.field}'")
        if self.cell_line is not None:
            parts.append(f"{'text' if self.field else 'cell'} line {self.cell_line}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    severity: Severity
    code: str  # stable identifier, e.g. `csv-duplicate-no`; tests and filters use it
    where: Location
    message: str  # what is wrong
    hint: str = ""  # what to do

    def format(self) -> str:
        text = f"{self.where.format()}: {self.severity.value}: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass(slots=True)
class Report:
    """Collects diagnostics from every stage of a run."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set = field(default_factory=set)

    def error(self, code: str, where: Location, message: str, hint: str = "") -> None:
        self._add(Diagnostic(Severity.ERROR, code, where, message, hint))

    def warning(self, code: str, where: Location, message: str, hint: str = "") -> None:
        self._add(Diagnostic(Severity.WARNING, code, where, message, hint))

    def _add(self, diag: Diagnostic) -> None:
        if diag not in self._seen:  # the same finding reached twice is reported once
            self._seen.add(diag)
            self.items.append(diag)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def codes(self) -> list[str]:
        return [d.code for d in self.items]


class DataError(Exception):
    """Raised by a reader when a file cannot be read at all; carries the diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic
