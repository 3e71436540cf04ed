"""Checks across the assembled topics, run by `kbgen lint` after loading."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from .diagnostics import Location, Report
from .model import Topic
from .project import Project, name_index

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_EXPIRING = re.compile(r"X-Amz-(?:Expires|Signature|Credential)|[?&](?:Expires|Signature|sig|se|token)=", re.I)
_URL = re.compile(r"https?://[^\s)>\"']+")


def run_checks(project: Project) -> None:
    report = project.report
    # With a sheet or topic file that did not read, a name may be one of its topics:
    # `related` is not checked then.
    names = name_index(project.topics) if not project.unread else None
    for topic in project.topics:
        _check_links(topic, report)
        if names is not None:
            _check_related(names, topic, report)


def _may_warn(text: str) -> bool:
    """Every link warning needs an image (`![`, `<img`) or a URL (`http`): most text has none."""
    return "![" in text or "http" in text or ("<" in text and "img" in text.lower())


def _texts(topic: Topic) -> Iterator[tuple[Location, str | None, str | None, int | None, str]]:
    """Every text a topic holds that may get a link warning, with where it came from: a base
    location and its column, field and line (a Location is made only for a line that warns)."""
    base = Location(file=topic.origin.csv_file or topic.origin.yaml_file or "",
                    row=topic.origin.row, line=topic.origin.line)
    for cell in topic.cells:
        if _may_warn("\n".join(cell.lines)):
            for number, line in enumerate(cell.lines, start=1):
                yield base, cell.column, None, number, line
    yaml_where = Location(file=topic.origin.yaml_file or base.file)
    for name in ("notes", "diagram", "definition", "differentiator"):
        value = getattr(topic, name)
        if value and _may_warn(value):
            for number, line in enumerate(value.splitlines(), start=1):
                yield yaml_where, None, name, number if number > 1 else None, line


def _check_links(topic: Topic, report: Report) -> None:
    for base, column, field, cell_line, text in _texts(topic):
        if not _may_warn(text):
            continue
        where = dataclasses.replace(base, column=column, field=field, cell_line=cell_line)
        for m in _IMAGE.finditer(text):
            url = m.group(1) or m.group(2)
            if _EXPIRING.search(url):
                report.warning("image-expiring", where,
                               f"image link is a signed URL that expires ({url[:60]}…)",
                               "download the picture into docs/assets and link the file, or draw it with Mermaid")
            elif url.startswith(("http://", "https://", "//")):
                report.warning("image-remote", where, f"image is hot-linked from another site ({url[:60]})",
                               "keep a copy in docs/assets so the page works offline")
        if "![" not in text and "<img" not in text:
            for url in _URL.findall(text):
                if _EXPIRING.search(url):
                    report.warning("link-expiring", where, f"link is a signed URL that expires ({url[:60]}…)",
                                   "replace it with a lasting link")


def _check_related(names: dict[tuple[str, str], Topic], topic: Topic, report: Report) -> None:
    for i, name in enumerate(topic.related):
        # As the page resolves it: no topic, or the topic itself, is a name without a link.
        other = names.get((topic.subject, name)) or names.get(("", name))
        if other is None or other is topic:
            report.warning("related-unknown", Location(file=topic.origin.yaml_file or "", field=f"related[{i}]"),
                           f"related topic '{name}' is not a title, alias or slug of any topic",
                           "fix the name or add it to that topic's aliases")
