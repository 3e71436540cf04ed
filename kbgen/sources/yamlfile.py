"""YAML topic and config files: safe loading that keeps each value's line and column.

PyYAML's safe loader builds plain data but forgets where it came from, accepts duplicate
keys (the last wins, silently) and expands aliases without limit. We compose the node
graph ourselves so every message can point at a line and column.
"""
from __future__ import annotations

from typing import Any

import yaml

from ..diagnostics import DataError, Location, Report
from .text import read_text

MAX_YAML_BYTES = 1024 * 1024  # one topic
MAX_VALUES = 20_000  # values after alias expansion; a topic holds a few hundred
MAX_DEPTH = 40

try:  # the C loader is many times faster; fall back quietly when libyaml is absent
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class _Refused(Exception):
    def __init__(self, code: str, node: yaml.Node, message: str, hint: str):
        super().__init__(message)
        self.code, self.node, self.message, self.hint = code, node, message, hint


def load_yaml(path: str, report: Report, display: str | None = None) -> tuple[Any, dict] | None:
    """Return (data, positions) or None after reporting why the file cannot be used.
    `positions` maps a field path (a tuple of keys and indexes) to (line, column)."""
    shown = display or path
    try:
        text, _ = read_text(path, encodings=("utf-8",), limit=MAX_YAML_BYTES)
    except DataError as exc:
        d = exc.diagnostic
        hint = "save the file as UTF-8" if d.code == "encoding-unknown" else d.hint
        report.error(d.code, Location(file=shown, line=d.where.line), d.message, hint)
        return None
    return parse_yaml(text, shown, report)


def parse_yaml(text: str, shown: str, report: Report) -> tuple[Any, dict] | None:
    try:
        deep = _too_deep(text)
        if deep is not None:
            report.error("yaml-too-deep", Location(file=shown, line=deep.line + 1, column=deep.column + 1),
                         f"values nested more than {MAX_DEPTH} levels deep", "flatten the structure")
            return None
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        hint = "check the indentation and the quotes on this line"
        lines = text.splitlines()
        at = lines[mark.line][mark.column:mark.column + 1] if mark and mark.line < len(lines) else ""
        if at == "\t" or "'\\t'" in problem:
            problem, hint = "a tab character is used for indentation", "indent with spaces, not tabs"
        elif "another document" in problem or "single document" in problem:
            problem, hint = "the file holds more than one YAML document", "remove the `---` lines after the first"
        elif exc.context and exc.context_mark and exc.problem:
            start = exc.context_mark
            problem += f" {exc.context.strip()} that starts on line {start.line + 1}, column {start.column + 1}"
        report.error("yaml-syntax", Location(file=shown, line=mark.line + 1 if mark else None,
                                             column=mark.column + 1 if mark else None),
                     f"YAML syntax error: {problem}", hint)
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - errors without a mark
        report.error("yaml-syntax", Location(file=shown), f"YAML error: {exc}", "check the file's syntax")
        return None
    if node is None:
        report.error("yaml-empty", Location(file=shown), "the file is empty",
                     "write the topic's fields, or run `kbgen new` for a skeleton")
        return None
    positions: dict = {}
    converter = _Converter(positions)
    try:
        data = converter.convert(node, (), 0)
    except _Refused as exc:
        line, column = exc.node.start_mark.line + 1, exc.node.start_mark.column + 1
        if exc.code == "yaml-too-many-values" and converter.top in positions:
            line, column = positions[converter.top]  # the field whose aliases blow up
        report.error(exc.code, Location(file=shown, line=line, column=column), exc.message, exc.hint)
        return None
    return data, positions


def _too_deep(text: str) -> yaml.Mark | None:
    """Where nesting first goes past MAX_DEPTH, read from the event stream, or None.
    libyaml's composer recurses in C: tens of thousands of `[` crash the process
    (a segfault, not an exception), so depth is checked before composing. Block nesting
    needs ever deeper indentation and stays shallow within the file size limit; only
    flow brackets are cheap enough to pile up, so the events are read only then."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the top-level mapping is depth 1
                return event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


class _Converter:
    def __init__(self, positions: dict):
        self.positions = positions
        self.budget = MAX_VALUES
        self.scalars = yaml.constructor.SafeConstructor()
        self.top: tuple = ()  # the top-level field being read

    def convert(self, node: yaml.Node, path: tuple, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _Refused("yaml-too-many-values", node,
                           f"the file expands to more than {MAX_VALUES:,} values (aliases `*name` repeat anchors `&name`)",
                           "write the values out without anchors and aliases")
        if depth > MAX_DEPTH:
            raise _Refused("yaml-too-deep", node, f"values nested more than {MAX_DEPTH} levels deep",
                           "flatten the structure")
        self.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise _Refused("yaml-bad-key", key_node, "a key must be a plain name", "write `name: value`")
                key = key_node.value  # a key is a name: `no:` must not turn into False
                if key == "<<":
                    raise _Refused("yaml-merge-key", key_node, "merge keys (`<<`) are not supported",
                                   "write the fields out")
                if key in out:
                    first = self.positions.get(path + (key,), ("?", "?"))[0]
                    raise _Refused("yaml-duplicate-key", key_node,
                                   f"key '{key}' appears twice (first on line {first})",
                                   "keep one of them; the second would silently replace the first")
                self.positions[path + (key,)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
                if not path:
                    self.top = (key,)
                out[key] = self.convert(value_node, path + (key,), depth + 1)
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        try:
            return self.scalars.construct_object(node)
        except yaml.constructor.ConstructorError:
            raise _Refused("yaml-bad-tag", node, f"unknown YAML tag '{node.tag}'",
                           "remove the `!tag` before the value") from None
        except (ValueError, OverflowError) as exc:  # e.g. an integer of 5,000 digits
            raise _Refused("yaml-bad-value", node, f"value cannot be read: {str(exc).split(';')[0]}",
                           "write a shorter number, or put the value in quotes") from None
