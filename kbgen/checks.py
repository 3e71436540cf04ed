"""Checks across the assembled topics, run by `kbgen lint` after loading."""
from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from .diagnostics import Location, Report
from .model import Topic
from .project import Project, topic_names

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)|<img\b[^>]*\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_EXPIRING = re.compile(r"X-Amz-(?:Expires|Signature|Credential)|[?&](?:Expires|Signature|sig|se|token)=", re.I)
_URL = re.compile(r"https?://[^\s)>\"']+")


def run_checks(project: Project) -> None:
    report = project.report
    for topic in project.topics:
        _check_links(topic, report)
        _check_related(project, topic, report)


def _texts(topic: Topic) -> Iterator[tuple[Location, str]]:
    """Every text a topic holds, with where it came from."""
    base = Location(file=topic.origin.csv_file or topic.origin.yaml_file or "",
                    row=topic.origin.row, line=topic.origin.line)
    for cell in topic.cells:
        for number, line in enumerate(cell.lines, start=1):
            yield dataclasses.replace(base, column=cell.column, cell_line=number), line
    yaml_where = Location(file=topic.origin.yaml_file or base.file)
    for name in ("notes", "diagram", "definition", "differentiator"):
        value = getattr(topic, name)
        if value:
            for number, line in enumerate(value.splitlines(), start=1):
                yield dataclasses.replace(yaml_where, field=name, cell_line=number if number > 1 else None), line


def _check_links(topic: Topic, report: Report) -> None:
    for where, text in _texts(topic):
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


def _check_related(project: Project, topic: Topic, report: Report) -> None:
    names = {n for t in project.topics if t is not topic for n in (*topic_names(t), t.slug)}
    for i, name in enumerate(topic.related):
        if name not in names:
            report.warning("related-unknown", Location(file=topic.origin.yaml_file or "", field=f"related[{i}]"),
                           f"related topic '{name}' is not a title, alias or slug of any topic",
                           "fix the name or add it to that topic's aliases")
