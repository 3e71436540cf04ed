"""The project config, `kbgen.yml` at the repository root: subjects, their data, categories.

Declared as dataclasses and validated like topic files, so a typo in the config gets the
same kind of message (file, line, column, field) as a typo in a topic.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

from .diagnostics import Report
from .model import doc, internal
from .schema import Validator, json_schema
from .sources.yamlfile import load_yaml

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
CONFIG_NAME = "kbgen.yml"


@dataclass(slots=True)
class Category:
    id: str = field(metadata=doc("분류 id, used by topic files' `category`", pattern=ID_PATTERN))
    title: str = field(metadata=doc("분류 이름 shown in navigation, e.g. `2. 딥러닝`"))
    match: list[str] = field(default_factory=list, metadata=doc("토픽 column values that belong here"))


@dataclass(slots=True)
class Subject:
    id: str = field(metadata=doc("과목 id, also the URL folder, e.g. `ai`", pattern=ID_PATTERN))
    title: str = field(metadata=doc("과목 이름, e.g. `AI (인공지능)`"))
    csv: str | None = field(default=None, metadata=doc("the sheet export, relative to kbgen.yml"))
    topics: str | None = field(default=None, metadata=doc("folder of YAML topic files"))
    categories: list[Category] = field(default_factory=list, metadata=doc("categories in navigation order"))

    def category_for(self, value: str) -> Category | None:
        """The category a 토픽 value or a category id/title names."""
        key = " ".join(value.split())
        for cat in self.categories:
            if key == cat.id or key == cat.title or key in cat.match:
                return cat
        return None


@dataclass(slots=True)
class PageMap:
    topic: str = field(metadata=doc("토픽 / `<subject>/<slug or NO>`, e.g. `ai/15` or `ai/lstm`"))
    page: str = field(metadata=doc("기존 페이지 / the page's path inside the Jekyll site"))


@dataclass(slots=True)
class JekyllSite:
    site: str = field(metadata=doc("Jekyll 사이트 폴더 / the Jekyll site's folder, relative to kbgen.yml"))
    folder: str = field(default="", metadata=doc("새 페이지를 둘 곳 / where pages of unmapped topics go, inside the site"))
    pages: list[PageMap] = field(default_factory=list, metadata=doc("토픽 → 기존 페이지 / topics applied to existing pages"))


@dataclass(slots=True)
class ProjectConfig:
    subjects: list[Subject] = field(metadata=doc("과목 / subjects, in navigation order"))
    exams: str | None = field(default=None, metadata=doc("CSV of past exam questions"))
    title: str = field(default="기술사 학습 노트", metadata=doc("사이트 제목 / the home page's title"))
    templates: str | None = field(
        default=None,
        metadata=doc("folder of Jinja templates that override kbgen's own, by file name (`topic.md.j2`, …)"),
    )
    snippets: str | None = field(
        default=None, metadata=doc("folder of runnable code files that topics list under `snippets`"),
    )
    jekyll: JekyllSite | None = field(
        default=None, metadata=doc("an existing Jekyll (just-the-docs) site that `kbgen apply` updates"),
    )
    root: str = internal("")  # folder of kbgen.yml
    path: str = internal("")

    def resolve(self, relative: str) -> str:
        return os.path.normpath(os.path.join(self.root, relative))

    def display(self, path: str) -> str:
        """A path as messages show it: relative to the project root."""
        return os.path.relpath(path, self.root)

    def subject(self, subject_id: str) -> Subject | None:
        return next((s for s in self.subjects if s.id == subject_id), None)


def find_config(start: str = ".") -> str | None:
    here = os.path.abspath(start)
    while True:
        candidate = os.path.join(here, CONFIG_NAME)
        if os.path.isfile(candidate):
            return candidate
        parent = os.path.dirname(here)
        if parent == here:
            return None
        here = parent


def load_config(path: str, report: Report) -> ProjectConfig | None:
    shown = os.path.basename(path)
    loaded = load_yaml(path, report, shown)
    if loaded is None:
        return None
    data, positions = loaded
    validator = Validator(report, shown, positions)
    config = validator.build(ProjectConfig, data)
    if config is None:
        return None
    config.root = os.path.dirname(os.path.abspath(path))
    config.path = shown
    seen: dict[str, int] = {}
    for i, subject in enumerate(config.subjects):
        if subject.id in seen:
            report.error("config-duplicate-subject", validator.where(("subjects", i, "id")),
                         f"subject id '{subject.id}' is used twice", "give each subject its own id")
        seen[subject.id] = i
        ids: set[str] = set()
        for j, cat in enumerate(subject.categories):
            if cat.id in ids:
                report.error("config-duplicate-category", validator.where(("subjects", i, "categories", j, "id")),
                             f"category id '{cat.id}' is used twice in subject '{subject.id}'",
                             "give each category its own id")
            ids.add(cat.id)
        for key in ("csv", "topics"):
            value = getattr(subject, key)
            if value and not os.path.exists(config.resolve(value)):
                report.error("config-missing-path", validator.where(("subjects", i, key)),
                             f"{key} path '{value}' does not exist", "fix the path (relative to kbgen.yml)")
    if config.snippets and not os.path.isdir(config.resolve(config.snippets)):
        report.error("config-missing-path", validator.where(("snippets",)),
                     f"snippets folder '{config.snippets}' does not exist", "fix the path or remove the line")
    if config.templates and not os.path.isdir(config.resolve(config.templates)):
        report.error("config-missing-path", validator.where(("templates",)),
                     f"templates folder '{config.templates}' does not exist", "fix the path or remove the line")
    if config.exams and not os.path.isfile(config.resolve(config.exams)):
        report.error("config-missing-path", validator.where(("exams",)),
                     f"exams file '{config.exams}' does not exist", "fix the path or remove the line")
    return None if report.errors else config


def config_schema() -> dict:
    return json_schema(ProjectConfig, "kbgen project config (kbgen.yml)")
