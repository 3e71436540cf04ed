"""Sources -> topic model: read every subject's sheet and topic files into validated Topics.

This is the core that the CLI (and later the MkDocs plugin) call. It imports nothing from
MkDocs and writes nothing.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import glob
import os
import re
import unicodedata
from dataclasses import dataclass, field

from . import mnemonics as mn
from .config import ProjectConfig, Subject, load_config
from .diagnostics import Location, Report, Severity
from .model import ExamRef, Origin, Topic
from .notation import parse_cell
from .schema import Validator, public_fields
from .sources.exams import ExamQuestion, read_exams
from .sources.sheet import SheetRow, read_sheet
from .sources.yamlfile import load_yaml


@dataclass(slots=True)
class Project:
    config: ProjectConfig | None
    report: Report
    topics: list[Topic] = field(default_factory=list)  # subject, category, sheet order
    exams: list[ExamQuestion] = field(default_factory=list)
    exam_topics: list[Topic | None] = field(default_factory=list)  # each question's topic, or None
    # Subjects with a sheet or topic file that did not read (its error is reported): which
    # topics they hold is unknown, so names that may be theirs are not reported as unknown.
    unread: set[str] = field(default_factory=set)

    def by_subject(self, subject_id: str) -> list[Topic]:
        return [t for t in self.topics if t.subject == subject_id]

    def find(self, subject_id: str, key: str) -> Topic | None:
        return self.keys(subject_id).get(key)

    def keys(self, subject_id: str) -> dict[str, Topic]:
        """Slug, NO and names -> the subject's first topic (in navigation order) bearing it:
        one index for many lookups."""
        index: dict[str, Topic] = {}
        for t in self.by_subject(subject_id):
            for key in (t.slug, str(t.no) if t.no is not None else None, *topic_names(t)):
                if key is not None:
                    index.setdefault(key, t)
        return index


def short_title(title: str) -> str:
    """`LSTM (Long Short Term Memory)` -> `LSTM`."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", title).strip() or title.strip()


def topic_names(topic: Topic) -> list[str]:
    """The names other data may use for a topic: title, short title, parenthetical, aliases."""
    title = topic.title or ""
    names = [title, short_title(title), *topic.aliases]
    inner = re.search(r"\(([^)]*)\)\s*$", title)
    if inner:
        names.append(inner.group(1).strip())
    return [n for n in dict.fromkeys(names) if n]


def make_slug(title: str) -> str:
    # NFKC: full-width `ＬＳＴＭ` is `lstm`, `．．` and `‥` become dots (then dashes);
    # Hangul stays composed, so a title typed on macOS (NFD) gives the same slug.
    text = unicodedata.normalize("NFKC", short_title(title)).lower()
    text = re.sub(r"[^0-9a-z\uac00-\ud7a3]+", "-", text).strip("-")
    return text[:80].rstrip("-")


def row_to_topic(row: SheetRow, subject: Subject, csv_name: str, report: Report) -> Topic:
    """One sheet row as a Topic: the cells parsed, the mnemonics matched."""
    tokens = mn.parse_mnemonic_cell(row.mnemonics)
    token_set = frozenset(m.token for m in tokens)
    cells = [parse_cell(row.body, "기술요소", token_set)]
    if row.mechanism.strip():
        cells.append(parse_cell(row.mechanism, "매커니즘", token_set))
    category = subject.category_for(row.group) if row.group else None
    where = Location(file=csv_name, row=row.row, line=row.line, column="토픽")
    if row.group and category is None:
        report.warning("csv-unknown-category", where, f"토픽 '{row.group}' matches no category of subject '{subject.id}'",
                       "add it to the `match` list of a category in kbgen.yml")
    elif not row.group and subject.categories:
        report.warning("csv-no-category", where, "토픽 is empty, so the topic has no category",
                       "write the category in the 토픽 column")
    return Topic(
        title=row.title, no=row.no, definition=cells[0].definition, mnemonics=tokens,
        category=category.id if category else None,
        sections=[s for c in cells for s in c.sections], subject=subject.id, cells=cells,
        origin=Origin(csv_file=csv_name, row=row.row, line=row.line),
    )


class no_gc(contextlib.ContextDecorator):
    """A pause of the cyclic collector while many small acyclic objects are made (the
    readers, the planner and the renderers make millions), so it does not rescan them
    over and over. Also a decorator: a whole build goes without it, since any allocation
    burst with the loaded project alive set off a full collection over it.

    On the way out the objects made are moved to the oldest generation (freeze, then
    unfreeze), as if they had survived collections: left young, the first collection
    after the pause walked all of them (half a second after a 5,000-topic build). They
    stay collectable: unfreeze gives them back to the collector.

    But the collector decides when to collect the oldest generation by counting the
    objects that reach it by surviving younger collections, and these are not counted.
    A process that makes one project after another (`mkdocs serve`, a rebuild per edit)
    then never collected the old ones: 5.5 MB more per rebuild of the bundled site. So a
    pause begins with a full collection when earlier pauses have moved more objects
    since the last one than a quarter of what survived it, the collector's own rule
    (`benchmarks/serve_memory.py` measures it). A single build never pays for it."""

    def _recreate_cm(self):  # a fresh one per decorated call: `enabled` is per use
        return type(self)()

    def __enter__(self):
        self.enabled = gc.isenabled()
        if self.enabled:
            _OLD.collect_if_due()
        gc.disable()

    def __exit__(self, *exc):
        if self.enabled:
            gc.freeze()
            _OLD.moved(gc.get_freeze_count())
            gc.unfreeze()
            gc.enable()


class _OldGeneration:
    """What `no_gc` has moved into the oldest generation since it was last collected."""

    MIN_DUE = 100_000  # objects; the bundled project is ~34,000, 1,000 topics ~170,000

    def __init__(self) -> None:
        self.pending = 0
        self.survivors = 0  # objects left after our last full collection
        self.collections = -1  # the collector's count of full collections when `pending` was last counted

    def _since_last_full(self) -> None:
        full = gc.get_stats()[-1]["collections"]
        if full != self.collections:  # collected since (by the collector, or by us): start over
            self.pending, self.collections = 0, full

    def moved(self, count: int) -> None:
        self._since_last_full()
        self.pending += count

    def collect_if_due(self) -> None:
        self._since_last_full()
        if self.pending > max(self.MIN_DUE, self.survivors // 4):
            gc.collect()
            self.survivors = len(gc.get_objects(generation=len(gc.get_stats()) - 1))
            self._since_last_full()


_OLD = _OldGeneration()


@no_gc()
def load_project(config_path: str) -> Project:
    return _load_project(config_path)


MAX_DATA_BYTES = 64 * 1024 * 1024  # every sheet, topic file and exam file together


def data_files(config) -> list[str]:
    """The data files kbgen.yml names: sheets, topic files, the exam file."""
    files = []
    for subject in config.subjects:
        if subject.csv:
            files.append(config.resolve(subject.csv))
        if subject.topics:
            folder = config.resolve(subject.topics)
            files.extend(sorted(glob.glob(os.path.join(folder, "*.yml")) + glob.glob(os.path.join(folder, "*.yaml"))))
    if config.exams:
        files.append(config.resolve(config.exams))
    return files


def check_data_size(config, report: Report) -> bool:
    """Refuse, by the files' sizes and before reading any, data larger than a study site
    could need: a runaway export or a folder of generated files."""
    sizes = []
    for path in data_files(config):
        try:
            sizes.append((os.stat(path).st_size, path))
        except OSError:
            continue  # the reader reports it
    total = sum(size for size, _ in sizes)
    if total <= MAX_DATA_BYTES:
        return True
    largest = ", ".join(f"{config.display(p)} ({n:,} bytes)" for n, p in sorted(sizes, key=lambda s: (-s[0], s[1]))[:3])
    report.error("data-too-large", Location(file=config.path),
                 f"the data files add up to {total:,} bytes, over the limit of {MAX_DATA_BYTES:,}; largest: {largest}",
                 "remove unused rows, columns and files, or split the data into several projects")
    return False


def _load_project(config_path: str) -> Project:
    report = Report()
    config = load_config(config_path, report)
    project = Project(config=config, report=report)
    if config is None or not check_data_size(config, report):
        return project
    for subject in config.subjects:
        project.topics.extend(_load_subject(config, subject, report, project.unread))
    if config.exams:
        path = config.resolve(config.exams)
        project.exams = read_exams(path, report, config.display(path))
        _attach_exams(project)
    return project


def _load_subject(config: ProjectConfig, subject: Subject, report: Report, unread: set[str]) -> list[Topic]:
    rows: dict[int, Topic] = {}
    csv_name = ""
    sheet_read = True
    if subject.csv:
        path = config.resolve(subject.csv)
        csv_name = config.display(path)
        sheet = read_sheet(path, report, csv_name)
        sheet_read = sheet is not None
        if sheet is not None:
            for row in sheet.rows:
                rows[row.no] = row_to_topic(row, subject, csv_name, report)
        else:
            unread.add(subject.id)
    topics = list(rows.values())
    if subject.topics:
        folder = config.resolve(subject.topics)
        files = sorted(glob.glob(os.path.join(folder, "*.yml")) + glob.glob(os.path.join(folder, "*.yaml")))
        for path in files:
            before = len(report.items)
            own = _load_topic_file(path, config.display(path), subject, rows if sheet_read else None,
                                   bool(subject.csv), report, config)
            if own is not None:
                topics.append(own)
            elif any(d.severity is Severity.ERROR for d in report.items[before:]):
                unread.add(subject.id)  # the file's topic (or the names it adds) is unknown
    for topic in topics:
        _finish_topic(topic, subject, report)
    _check_slugs(topics, report)
    order = {c.id: i for i, c in enumerate(subject.categories)}
    # Navigation order: category as configured, then nav_order, then sheet order.
    topics.sort(key=lambda t: (order.get(t.category or "", len(order)),
                               t.nav_order if t.nav_order is not None else 10**6,
                               t.origin.row or 10**6, t.title or ""))
    return topics


# Mermaid statements that bind clicks to scripts or links. Material renders diagrams with
# Mermaid's default `securityLevel: strict`, which already ignores them; kbgen refuses them
# too, so a diagram in the data never depends on a theme's setting to be inert.
_DIAGRAM_INTERACTION = re.compile(r"^\s*(click|callback)\b", re.IGNORECASE)


def _diagram_is_static(diagram: str, where: Location, report: Report) -> bool:
    for n, line in enumerate(diagram.split("\n"), 1):
        if _DIAGRAM_INTERACTION.match(line):
            report.error("diagram-interaction", dataclasses.replace(where, cell_line=n),
                         f"the diagram's '{line.split()[0]}' line binds a click to a script or link",
                         "remove the line: diagrams on the site are pictures, not controls")
            return False
    return True


def _load_topic_file(path: str, shown: str, subject: Subject, rows: dict[int, Topic] | None, has_csv: bool,
                     report: Report, config: ProjectConfig) -> Topic | None:
    """Read one YAML file: an overlay of a row (returns None) or a topic of its own.
    `rows` is None when the sheet did not read (its error is reported)."""
    loaded = load_yaml(path, report, shown)
    if loaded is None:
        return None
    data, positions = loaded
    validator = Validator(report, shown, positions)
    topic = validator.build(Topic, data)
    if topic is None:
        return None
    if topic.category is not None and subject.category_for(topic.category) is None:
        known = ", ".join(c.id for c in subject.categories) or "none configured"
        report.error("yaml-unknown-category", validator.where(("category",)),
                     f"category '{topic.category}' is not a category of subject '{subject.id}'",
                     f"use one of: {known}")
        return None
    if topic.category is not None:
        topic.category = subject.category_for(topic.category).id
    for i, snippet in enumerate(topic.snippets):
        problem = snippet_problem(config, snippet.path)
        if problem:
            report.error("snippet-missing" if "exist" in problem[0] else "snippet-outside",
                         validator.where(("snippets", i, "path")), *problem)
            return None
    if topic.diagram and not _diagram_is_static(topic.diagram, validator.where(("diagram",)), report):
        return None
    if topic.no is not None and has_csv:
        if rows is None:  # which rows exist is unknown: no "missing row" error for each overlay
            return None
        target = rows.get(topic.no)
        if target is None:
            report.error("yaml-overlay-missing-row", validator.where(("no",)),
                         f"no sheet row has NO {topic.no} in subject '{subject.id}'",
                         "fix the number, or remove `no` to make this a topic of its own")
            return None
        _overlay(target, topic, set(data), shown, validator, report)
        return None
    if not topic.title:
        report.error("yaml-missing-field", validator.where(()), "a topic of its own needs a title",
                     "add `title: …`, or `no: …` to overlay a sheet row")
        return None
    topic.subject = subject.id
    topic.origin = Origin(yaml_file=shown)
    return topic


def snippet_problem(config: ProjectConfig, rel: str) -> tuple[str, str] | None:
    """(message, hint) when a topic's snippet path cannot be run: a snippet is executed,
    so it must be a file inside the `snippets:` folder of kbgen.yml (or, without one, inside
    the project), after following `..` and symbolic links."""
    folder = config.resolve(config.snippets) if config.snippets else config.root
    shown = config.snippets or "the project folder"
    if "\0" in rel or os.path.isabs(rel) or re.match(r"^[A-Za-z]:", rel) or rel.startswith(("\\", "//")):
        return (f"snippet path '{rel}' is not a relative path",
                f"give the path relative to kbgen.yml, inside {shown}")
    target = os.path.realpath(os.path.join(config.root, rel))
    if os.path.commonpath([target, os.path.realpath(folder)]) != os.path.realpath(folder):
        return (f"snippet path '{rel}' leads outside {shown}", f"keep snippets inside {shown}: they are run by the build")
    if not os.path.isfile(target):
        return (f"snippet file '{rel}' does not exist", "give the path relative to kbgen.yml, e.g. snippets/nn/lstm.py")
    return None


def _overlay(target: Topic, overlay: Topic, given: set[str], shown: str, validator: Validator, report: Report) -> None:
    """The YAML file's fields win; a field that replaces a different sheet value is reported."""
    where_row = f"{target.origin.csv_file} row {target.origin.row}"
    for f, _ in public_fields(Topic):
        name = f.name
        if name not in given or name == "no":
            continue
        new, old = getattr(overlay, name), getattr(target, name)
        if name == "mnemonics":
            if old and {m.token for m in old} != {m.token for m in new}:
                report.warning("overlay-conflict", validator.where((name,)),
                               f"mnemonics {[m.token for m in new]} replace 암기법 {[m.token for m in old]} of {where_row}",
                               "make the sheet and the file agree, or drop the field from the file")
        elif old not in (None, [], "") and old != new:
            report.warning("overlay-conflict", validator.where((name,)),
                           f"'{name}' replaces the sheet's value from {where_row}",
                           "change the sheet instead, or drop the field from the file")
        setattr(target, name, new)
    target.origin = dataclasses.replace(target.origin, yaml_file=shown)


def _finish_topic(topic: Topic, subject: Subject, report: Report) -> None:
    where = _where(topic)
    if not topic.slug:
        topic.slug = make_slug(topic.title or "") or f"topic-{topic.no}"
    if not topic.definition:
        report.warning("empty-definition", dataclasses.replace(where, column="기술요소") if topic.origin.row else where,
                       "the topic has no definition (the first line of 기술요소)",
                       "write a one-line definition as the cell's first line, or `definition:` in YAML")
    tokens = {m.token for m in topic.mnemonics}
    lists = mn.spellable_lists(topic.sections) if topic.mnemonics else []
    for m in topic.mnemonics:
        if m.expansion and not m.section:
            m.matched = True  # stated in full in YAML
        elif not mn.match(m, topic.sections, lists):
            report.warning("mnemonic-unmatched", dataclasses.replace(where, column="암기법") if topic.origin.row else where,
                           f"mnemonic '{m.token}' spells no list of this topic",
                           "check its syllables against the first syllable of each item, or state it in YAML "
                           "(mnemonics: [{token, section, expansion}])")
    for section in topic.sections:
        if section.mnemonic and tokens and section.mnemonic not in tokens:
            report.warning("mnemonic-disagrees", dataclasses.replace(where, column=section.column or None, cell_line=section.mnemonic_line),
                           f"mnemonic line '{section.mnemonic}' under [{section.name}] is not in 암기법 "
                           f"({' '.join(sorted(tokens))})", "make the cell and the 암기법 column agree")


def _where(topic: Topic) -> Location:
    if topic.origin.row is not None:
        return Location(file=topic.origin.csv_file or "", row=topic.origin.row, line=topic.origin.line)
    return Location(file=topic.origin.yaml_file or "")


def _check_slugs(topics: list[Topic], report: Report) -> None:
    seen: dict[str, Topic] = {}
    for topic in topics:
        other = seen.get(topic.slug or "")
        if other is not None:
            report.error("duplicate-slug", _where(topic),
                         f"topics '{other.title}' ({_where(other).format()}) and '{topic.title}' share the slug '{topic.slug}'",
                         "give one of them its own `slug:` in a YAML file")
        else:
            seen[topic.slug or ""] = topic


def name_index(topics: list[Topic]) -> dict[tuple[str, str], Topic]:
    """(subject, name or slug) -> the first topic (in navigation order) bearing it, and
    ("", name) -> the first in any subject: how exam questions, `related` and pages find
    the topic a name means."""
    index: dict[tuple[str, str], Topic] = {}
    for t in topics:
        for name in (*topic_names(t), t.slug):
            if name:
                index.setdefault((t.subject, name), t)
                index.setdefault(("", name), t)
    return index


def _attach_exams(project: Project) -> None:
    """Link each exam question to the first topic (in navigation order) bearing its name."""
    index = name_index(project.topics)
    exams_file = project.config.display(project.config.resolve(project.config.exams))
    several = len(project.config.subjects) > 1
    for q in project.exams:
        topic = index.get((q.subject, q.topic))
        project.exam_topics.append(topic)
        if topic is None:
            if q.subject in project.unread or (project.unread and not q.subject):
                continue  # perhaps a topic of a sheet or file that did not read
            hint = "use a topic's title, alias or slug"
            if several and not q.subject:
                hint += ", and give the 과목 column so the question is listed under its subject"
            project.report.warning("exam-unknown-topic", Location(file=exams_file, row=q.row, column="토픽"),
                                   f"question {q.round}회 {q.session}교시 {q.number}번 names topic '{q.topic}', which no topic has",
                                   hint)
        elif all((e.round, e.session, e.number) != (q.round, q.session, q.number) for e in topic.exams):
            topic.exams.append(ExamRef(round=q.round, session=q.session, number=q.number, question=q.question))
