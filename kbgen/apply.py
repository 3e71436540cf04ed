"""`kbgen apply`: update an existing Jekyll (just-the-docs) site in place.

kbgen.yml's `jekyll:` names the site, the pages topics go to, and the folder for topics
that have no page yet. For each mapped page:

- the first time, the page's front matter stays as it is, kbgen's region comes after it,
  and the old body goes, once, into a collapsed `🗂️ 기존 내용 (백업)` block at the end;
- afterwards only kbgen's region changes: the front matter, the backup block and anything
  written before or after the region stay byte for byte;
- a page whose markers were damaged is left untouched and reported.

Topics without a page get a new page in `<folder>/<subject>/<category>/<slug>.md` with
the right `parent`/`grand_parent`. Pages that no topic maps to are never opened.
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field

from .build import _read, run_snippets, plan
from .diagnostics import Location, Report
from .model import Topic
from .project import Project, load_project, no_gc
from .regions import NoMarkers, RegionError, merge, split, split_front_matter
from .writer import LockTimeout, output_lock, remove_temporaries, write_bytes, write_file

BACKUP_OPEN = '<details markdown="1">\n<summary>🗂️ 기존 내용 (백업)</summary>\n\n'
BACKUP_CLOSE = "\n</details>\n"


@dataclass(slots=True)
class ApplyResult:
    report: Report
    written: list[str] = field(default_factory=list)  # site-relative paths
    unchanged: int = 0
    adopted: list[str] = field(default_factory=list)  # hand-written pages applied for the first time
    refused: list[tuple[str, str]] = field(default_factory=list)


def adopt(existing: str, region: str) -> str:
    """First application to a hand-written page: its front matter, then kbgen's region,
    then the old body, once, in a collapsed backup block."""
    front, body = split_front_matter(existing)
    return front + region + "\n" + BACKUP_OPEN + body + BACKUP_CLOSE


def update(existing: str, region: str) -> str:
    """A page kbgen was applied to: only the region changes."""
    parts = split(existing, user_front=True)
    return parts.front + parts.head + region + parts.tail


def apply(config_path: str) -> ApplyResult:
    project = load_project(config_path)
    result = ApplyResult(report=project.report)
    config = project.config
    if project.report.errors:
        return result
    if config.jekyll is None:
        project.report.error("config-no-jekyll", Location(file=config.path), "kbgen.yml has no `jekyll:` section",
                             "add `jekyll: {site: path/to/site, folder: docs, pages: [...]}`")
        return result
    if outside_site(config.jekyll.folder):
        project.report.error("jekyll-bad-page", Location(file=config.path, field="jekyll.folder"),
                             f"folder '{config.jekyll.folder}' is outside the site",
                             "give a folder inside the Jekyll site, e.g. docs")
    targets = _targets(project, result.report)
    if result.report.errors:  # before the lock, which would create the site folder
        return result
    site_dir = config.resolve(config.jekyll.site)
    try:
        with output_lock(site_dir):
            _apply(project, result, site_dir, targets)
    except LockTimeout as exc:
        result.report.error("output-locked", Location(file=exc.lock_path), str(exc),
                            "wait for that run to finish, or set KBGEN_LOCK_TIMEOUT=SECONDS to wait longer")
    return result


def _apply(project: Project, result: ApplyResult, site_dir: str, targets: dict[int, str]) -> None:
    config = project.config
    runs, _ = run_snippets(project)
    if result.report.errors:
        return
    with no_gc():
        site, renderer = plan(project, "jekyll", runs)
    folder = config.jekyll.folder.strip("/")
    # A killed run's temporary files: below kbgen's folder, and beside the mapped pages.
    remove_temporaries(os.path.join(site_dir, *folder.split("/")) if folder else site_dir, recursive=bool(folder))
    for rel in set(targets.values()):
        remove_temporaries(os.path.dirname(os.path.join(site_dir, *rel.split("/"))), recursive=False)
    for page in site.pages:
        if page.kind != "topic":
            continue
        text = renderer.render(page, site)
        mapped = targets.get(id(page.topic))
        rel = mapped or "/".join(p for p in (folder, page.path) if p)
        path = os.path.join(site_dir, *rel.split("/"))
        try:
            existing = _read(path)
            if existing is None:
                new = text
            elif mapped is None:
                new = merge(existing, text)  # a page kbgen made for an unmapped topic
            else:
                region = _relink(split(text).region, page.path, rel, folder)
                try:
                    new = update(existing, region)
                except NoMarkers:
                    new = adopt(existing, region)
                    result.adopted.append(rel)
        except RegionError as exc:
            result.refused.append((rel, str(exc)))
            continue
        # Pages of someone's site: synced to disk before the rename (see kbgen.writer).
        if new != existing and write_file(path, new, durable=existing is not None):
            result.written.append(rel)
        else:
            result.unchanged += 1
    for rel, data in site.assets.items():  # figures, beside the new pages
        target = os.path.join(site_dir, *([folder] if folder else []), *rel.split("/"))
        if write_bytes(target, data):
            result.written.append(rel)


def _relink(region: str, planned: str, actual: str, folder: str) -> str:
    """Figure links were made for the page's planned place; point them from where it is."""
    assets = "/".join(p for p in (folder, "assets/snippets/") if p)
    old = posixpath.relpath("assets/snippets", posixpath.dirname(planned) or ".") + "/"
    new = posixpath.relpath(assets, posixpath.dirname(actual) or ".") + "/"
    return region.replace(f"]({old}", f"]({new}")


def outside_site(rel: str) -> bool:
    """A path from kbgen.yml that would lead out of the site folder: absolute, a drive
    (`C:`), a UNC share, `..` anywhere (also `. .` or `...`: Windows drops trailing dots
    and spaces), or a NUL byte."""
    parts = rel.replace("\\", "/").split("/")
    return ("\0" in rel or rel.startswith(("/", "\\")) or os.path.isabs(rel)
            or (len(rel) > 1 and rel[1] == ":") or any(p.strip().rstrip(".") == "" and p not in ("", ".") for p in parts)
            or ".." in parts)


def _targets(project: Project, report: Report) -> dict[int, str]:
    """id(topic) -> the existing page it goes to, from kbgen.yml's `jekyll.pages`."""
    config = project.config
    out: dict[int, str] = {}
    keys: dict[str, dict[str, Topic]] = {}  # per subject, built once: a site may map every page
    for i, entry in enumerate(config.jekyll.pages):
        subject, _, key = entry.topic.partition("/")
        if subject not in keys:
            keys[subject] = project.keys(subject)
        topic = keys[subject].get(key)
        where = Location(file=config.path, field=f"jekyll.pages[{i}].topic")
        if topic is None:
            report.error("jekyll-unknown-topic", where, f"no topic '{key}' in subject '{subject}'",
                         "write `<subject>/<slug or NO>`, e.g. ai/15")
            continue
        if outside_site(entry.page):
            report.error("jekyll-bad-page", where, f"page '{entry.page}' is outside the site",
                         "give a path inside the Jekyll site folder")
            continue
        out[id(topic)] = entry.page.replace("\\", "/")
    return out
