"""Validate plain data (from YAML) against the dataclasses of `kbgen.model`, and derive
the JSON Schema from the same declaration.

Supported field types: str, int, float, bool, Literal[...], list[T], T | None, and nested
dataclasses. Each error names the field path and, when the data came from YAML, its line
and column.
"""
from __future__ import annotations

import dataclasses
import re
import types
import typing
from functools import lru_cache
from typing import Any, Literal

from .diagnostics import Location, Report

Path = tuple  # of str | int
Positions = dict  # Path -> (line, column), both 1-based


def path_text(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


@lru_cache(maxsize=None)
def public_fields(cls: type) -> tuple[tuple[dataclasses.Field, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple(
        (f, hints[f.name]) for f in dataclasses.fields(cls) if not f.metadata.get("internal")
    )


def _required(f: dataclasses.Field) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


def _describe(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp in _TYPE_NAMES:
        return _TYPE_NAMES[tp]
    if origin is list:
        return "a list"
    if origin is Literal:
        return "one of " + ", ".join(map(str, typing.get_args(tp)))
    if dataclasses.is_dataclass(tp):
        return "a mapping (key: value)"
    return str(tp)


def _got(value: Any) -> str:
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (null)"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'"


class Validator:
    """Turns checked plain data into model objects; reports what does not fit."""

    def __init__(self, report: Report, file: str, positions: Positions | None = None):
        self.report = report
        self.file = file
        self.positions = positions or {}
        self.ok = True

    def where(self, path: Path) -> Location:
        probe = path
        while probe and probe not in self.positions:  # fall back to the nearest parent
            probe = probe[:-1]
        line, col = self.positions.get(probe, (None, None))
        return Location(file=self.file, line=line, column=col, field=path_text(path) or None)

    def fail(self, path: Path, message: str, hint: str, code: str = "yaml-type") -> None:
        self.ok = False
        self.report.error(code, self.where(path), message, hint)

    def build(self, cls: type, data: Any, path: Path = ()) -> Any:
        if not isinstance(data, dict):
            self.fail(path, f"expected a mapping (key: value), got {_got(data)}",
                      "write the fields as `key: value` lines")
            return None
        fields = public_fields(cls)
        names = {f.name for f, _ in fields}
        for key in data:
            if key not in names:
                close = [n for n in names if n.lower() == str(key).lower() or n.startswith(str(key)[:3])]
                hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(sorted(names))
                self.fail(path + (key,), f"unknown field '{key}'", hint, "yaml-unknown-field")
        kwargs = {}
        for f, tp in fields:
            if f.name in data:
                kwargs[f.name] = self.value(tp, data[f.name], path + (f.name,), f.metadata)
            elif _required(f):
                self.fail(path, f"missing required field '{f.name}'",
                          f"add `{f.name}: …` ({f.metadata.get('doc', '')})", "yaml-missing-field")
        if not self.ok:
            return None
        return cls(**kwargs)

    def value(self, tp: Any, value: Any, path: Path, meta: Any = None) -> Any:
        origin = typing.get_origin(tp)
        args = typing.get_args(tp)
        if origin in (typing.Union, types.UnionType):
            inner = [a for a in args if a is not type(None)]
            if value is None:
                return None
            return self.value(inner[0], value, path, meta)
        if origin is list:
            if not isinstance(value, list):
                self.fail(path, f"expected a list, got {_got(value)}",
                          "write each entry on its own line starting with `- `")
                return []
            return [self.value(args[0], v, path + (i,), None) for i, v in enumerate(value)]
        if origin is Literal:
            if value not in args:
                self.fail(path, f"expected {_describe(tp)}, got {_got(value)}", "use one of the listed values")
            return value
        if dataclasses.is_dataclass(tp):
            return self.build(tp, value, path)
        return self.scalar(tp, value, path, meta or {})

    def scalar(self, tp: type, value: Any, path: Path, meta: Any) -> Any:
        ok = isinstance(value, tp) and not (tp is int and isinstance(value, bool))
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            ok, value = True, float(value)
        if tp is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            ok, value = True, str(value)  # `label: 2.1` is meant as text
        if not ok:
            hint = "put the value in quotes" if tp is str else f"write {_describe(tp)}"
            self.fail(path, f"expected {_describe(tp)}, got {_got(value)}", hint)
            return None
        if tp is str:
            pattern = meta.get("pattern")
            if pattern and not re.match(pattern, value):
                self.fail(path, f"'{value}' is not allowed here",
                          "use lowercase letters, digits, Hangul and '-' only (no '/', '..' or spaces)",
                          "yaml-pattern")
            limit = meta.get("maxLength")
            if limit and len(value) > limit:
                self.fail(path, f"text is {len(value)} characters, over the limit of {limit}",
                          "shorten it", "yaml-too-long")
        if tp is int:
            low, high = meta.get("minimum"), meta.get("maximum")
            if (low is not None and value < low) or (high is not None and value > high):
                bounds = f"at least {low}" + (f" and at most {high}" if high is not None else "")
                self.fail(path, f"{value} is out of range", f"use a number {bounds}", "yaml-range")
        return value


# --- JSON Schema -------------------------------------------------------------------------

def json_schema(cls: type, title: str) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    _schema_for(cls, defs)  # fills defs; the root's own definition becomes the top level
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        **defs.pop(cls.__name__),
        "$defs": dict(sorted(defs.items())),
    }


def _schema_for(tp: Any, defs: dict[str, Any], meta: Any = None) -> dict[str, Any]:
    meta = dict(meta or {})
    description = meta.pop("doc", None)
    meta.pop("internal", None)
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)][0]
        out = _schema_for(inner, defs)
    elif origin is list:
        out = {"type": "array", "items": _schema_for(args[0], defs)}
    elif origin is Literal:
        out = {"enum": list(args)}
    elif dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder stops recursion for self-referencing types
            props = {f.name: _schema_for(t, defs, f.metadata) for f, t in public_fields(tp)}
            required = [f.name for f, _ in public_fields(tp) if _required(f)]
            body: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
            if required:
                body["required"] = required
            defs[name] = body
        out = {"$ref": f"#/$defs/{name}"}
    else:
        out = {"type": {str: "string", int: "integer", float: "number", bool: "boolean"}[tp]}
    out.update(meta)
    if description:
        out["description"] = description
    return out


def to_data(obj: Any, internal_fields: bool = False) -> Any:
    """A model object as plain data (the inverse of `Validator.build`), leaving out empty
    values so the result reads like a hand-written topic file."""
    if dataclasses.is_dataclass(obj):
        names = [f.name for f in dataclasses.fields(obj)
                 if internal_fields or not f.metadata.get("internal")]
        out = {}
        if not internal_fields and getattr(obj, "term", 0) is None and getattr(obj, "text", ""):
            out["term"] = obj.text  # a parsed item with no `용어:` is all term
        for name in names:
            value = to_data(getattr(obj, name), internal_fields)
            if value not in (None, [], {}, "") and not (name == "kind" and value == "item"):
                out[name] = value
        return out
    if isinstance(obj, list):
        return [to_data(v, internal_fields) for v in obj]
    return obj
