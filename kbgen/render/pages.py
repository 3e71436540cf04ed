"""The site plan: which pages exist, where they live, and what goes on each.

Format-neutral: this module decides the content (which blocks a topic page has, which
rows a table gets, which syllable marks which item); the renderers' templates decide how
it looks. Nothing here escapes text; the renderers do, at the last moment.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from ..config import Category, Subject
from ..diagnostics import Location, Report
from ..model import Cell, Item, Topic
from ..notation import GLYPH_BULLETS, initial, spells
from . import safe
from ..project import Project, name_index, short_title
from .links import Linker


@dataclass(slots=True)
class Page:
    path: str  # relative to the docs folder, POSIX, e.g. `ai/dl/lstm.md`
    kind: str  # home, subject, category, topic, exams, tags
    title: str
    view: dict[str, Any] | None  # what the template gets besides `page` and `plan`
    topic: Topic | None = None
    lazy: Callable[[], dict[str, Any]] | None = None  # makes `view` when it is first needed
    # Where the page sits, for formats that declare it per page (Jekyll's front matter):
    # short_title, parent, grand_parent, nav_order, has_children.
    nav: dict[str, Any] = field(default_factory=dict)
    # Files that go with this page (the deck's cards), made and written only where the
    # page is: a callable, so a format without the page never builds them.
    files: Callable[[], dict[str, bytes]] | None = None

    def context(self) -> dict[str, Any]:
        if self.view is None:
            self.view = self.lazy()
        return self.view


@dataclass(slots=True)
class NavEntry:
    title: str
    path: str | None = None  # the page; a section's overview page when it has children
    children: list[NavEntry] = field(default_factory=list)


@dataclass(slots=True)
class SitePlan:
    pages: list[Page]
    nav: list[NavEntry]  # subjects, in configured order
    home: Page
    tags: Page
    assets: dict[str, bytes] = field(default_factory=dict)  # figures drawn by snippets
    # The planner, when the topics' cross-links are still to be made (`plan(link=False)`):
    # a build makes them in the processes that draw the pages (see kbgen.build).
    planner: Planner | None = field(default=None, repr=False)


# --- views of the parts of a topic -------------------------------------------------

@dataclass(slots=True)
class Node:
    """An item as a page shows it: its text, its children, and the mnemonic syllable that
    stands for it (when a mnemonic spells the list it is in)."""
    term: str | None
    description: str | None
    text: str  # the whole text when there is no term
    marker: str  # a step or example marker worth showing (`①`, `1.`, `ex)`), else ""
    kind: str
    syllable: str | None
    children: list[Node]

    @property
    def tree(self) -> list[tuple[str, Any]]:
        return tree_events(self.children)


@dataclass(slots=True)
class Table:
    name: str
    column: str  # 기술요소 / 매커니즘 / "" (YAML)
    anchor: str
    mnemonics: list[str]  # tokens spelling this section's top-level items
    rows: list[Node]
    tabular: bool  # False: plain sentences, shown as a list

    @property
    def marked(self) -> bool:
        """Some row carries a mnemonic syllable: the table gets a 암기 column. (A property,
        not `selectattr` in the template: that filter costs more than the rows it scans.)"""
        return any(row.syllable for row in self.rows)


@dataclass(slots=True)
class SourceLine:
    """One line of a sheet cell for 📖 상세 설명: text as typed, at its level."""
    text: str
    kind: str  # lead, header, mnemonic, item
    children: list[SourceLine]
    depth: int = 0  # nesting level once flattened


_MARKERS: dict[str, str] = {}


_HIERARCHY = ">-*+ \t" + GLYPH_BULLETS


def _shown_marker(item: Item) -> str:
    """Steps and examples keep their marker on the page (`①`, `1.`, `ex)`); list and
    hierarchy marks (`>`, `-`, `*`, `+`, `•`, `○`, `□` …) go."""
    marker = item.marker
    shown = _MARKERS.get(marker)
    if shown is None:
        shown = _MARKERS[marker] = marker.lstrip(_HIERARCHY).strip()
    return shown


def _node(item: Item, syllables: dict[int, str]) -> Node:
    # A YAML item may hold only a description: then that is its text.
    text = item.label or (item.description if item.term is None else "") or ""
    return Node(term=item.term, description=item.description, text=text, marker=_shown_marker(item),
                kind=item.kind, syllable=syllables.get(id(item)),
                children=[_node(c, syllables) for c in item.children])


def _syllable_map(topic: Topic) -> tuple[dict[int, str], dict[int, list[str]]]:
    """id(item) -> the syllable of the mnemonic that stands for it; id(section) -> the
    tokens spelling its top-level items. Only mnemonics matched to a list count."""
    marks: dict[int, str] = {}
    by_section: dict[int, list[str]] = {}
    for m in topic.mnemonics:
        if not m.matched or not m.section:
            continue
        for section in topic.sections:
            if section.name != m.section:
                continue
            items = section.items
            if m.item is not None:
                parent = next((it for it in _walk(section.items) if it.label == m.item), None)
                if parent is None:
                    continue
                items = parent.children
            initials = "".join(initial(it.label) or "\0" for it in items)
            start = spells(m.token, items, initials)
            if start is None:
                continue
            for syllable, item in zip(m.token, items[start:start + len(m.token)]):
                marks.setdefault(id(item), syllable)
            if m.item is None:
                by_section.setdefault(id(section), []).append(m.token)
            break
    return marks, by_section


def _walk(items: list[Item]):
    for it in items:
        yield it
        yield from _walk(it.children)


def _tables(topic: Topic) -> list[Table]:
    marks, by_section = _syllable_map(topic)
    tables = []
    seen: dict[str, int] = {}
    for section in topic.sections:
        rows = [_node(it, marks) for it in section.items]
        if not rows and not section.mnemonic:
            continue
        tabular = any(it.term or it.children for it in section.items)
        base = "sec-" + (re.sub(r"[^\w]+", "-", section.name).strip("-").lower() or "section")
        seen[base] = seen.get(base, 0) + 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        tables.append(Table(name=section.name, column=section.column, anchor=anchor,
                            mnemonics=by_section.get(id(section), []) or ([section.mnemonic] if section.mnemonic else []),
                            rows=rows, tabular=tabular))
    return tables


# The recursive helpers below are module functions, not closures: a closure that calls
# itself is a reference cycle, which only the collector frees, with all it holds.

def _source_lines(cell: Cell) -> list[SourceLine]:
    """Every line of the cell, as typed, nested as written. Pieces of one line that held
    several `용어: 설명` pairs are joined back into that line."""
    lines = _item_lines(cell.lead)
    for line in lines:
        line.kind = "lead"
    for section in cell.sections:
        children = []
        if section.mnemonic_line is not None and section.mnemonic:
            children.append(SourceLine(text=section.mnemonic, kind="mnemonic", children=[]))
        children.extend(_item_lines(section.items))
        lines.append(SourceLine(text=section.header or f"[{section.name}]", kind="header", children=children))
    return lines


def _item_lines(its: list[Item]) -> list[SourceLine]:
    out: list[SourceLine] = []
    for it in its:
        marker = _shown_marker(it)
        text = f"{marker} {it.text}".strip() if marker else it.text
        if it.joiner and out:
            out[-1].text += it.joiner + text
            out[-1].children.extend(_item_lines(it.children))
        else:
            out.append(SourceLine(text=text, kind="item", children=_item_lines(it.children)))
    return out


def tree_events(nodes: list) -> list[tuple[str, Any]]:
    """A nested list as a flat run of events (`open`, `li`, `/li`, `close`), so a template
    draws it without recursion (Jinja macro calls cost more than the rest of a page)."""
    out: list[tuple[str, Any]] = []
    if nodes:
        _tree_events(nodes, out)
    return out


def _tree_events(level: list, out: list[tuple[str, Any]]) -> None:
    out.append(("open", None))
    for n in level:
        out.append(("li", n))
        if n.children:
            _tree_events(n.children, out)
        out.append(("/li", None))
    out.append(("close", None))


def _link_nodes(nodes: list[Node], link) -> None:
    for n in nodes:
        if n.term is not None:
            n.term, n.description = link(n.term), link(n.description)
        else:
            n.text = link(n.text)
        _link_nodes(n.children, link)


def _flatten(lines: list[SourceLine], depth: int = 0, out: list[SourceLine] | None = None) -> list[SourceLine]:
    """Depth-first, each line with its depth: a template draws it without recursion."""
    out = [] if out is None else out
    for line in lines:
        line.depth = depth
        out.append(line)
        if line.children:
            _flatten(line.children, depth + 1, out)
    return out


# --- the plan ------------------------------------------------------------------------

class Planner:
    """Builds the site plan from a loaded project. Indexes are built once, so planning is
    linear in the number of topics."""

    def __init__(self, project: Project, site_title: str = "기술사 학습 노트", runs: dict | None = None,
                 report: Report | None = None):
        self.project = project
        self.site_title = site_title
        self.runs = runs or {}  # id(topic) -> [SnippetRun]
        self.assets: dict[str, bytes] = {}
        self.config = project.config
        self.report = report or project.report
        self.paths: dict[int, str] = {}
        self.names = name_index(project.topics)
        for topic in project.topics:
            self.paths[id(topic)] = topic_path(topic)
        self.linker = Linker(project.topics, self.paths, _rel)
        self.bodies: dict[int, dict[str, Any]] = {}  # id(topic) -> its linked prose, made by plan()
        self.backlinks: dict[int, list[Topic]] = {}  # id(topic) -> topics whose pages link to it
        self.exam_pages: dict[str, list[dict[str, Any]]] = {}  # subject id -> its questions
        self.exam_anchors: dict[tuple, str] = {}  # (id(topic), round, session, number) -> index path#anchor

    def plan(self, link: bool = True) -> SitePlan:
        """The site. Backlinks need every topic's links before any topic page is drawn:
        with `link=False` they are left to the caller (`link`, then `add_backlinks`)."""
        if link:
            self._link_all()
        self._plan_exams()
        pages: list[Page] = []
        nav: list[NavEntry] = []
        subjects = []
        for number, subject in enumerate(self.config.subjects, 1):
            topics = self.project.by_subject(subject.id)
            entry, subject_pages = self._subject(subject, topics)
            subject_pages[0].nav = {"short_title": subject.title, "nav_order": number, "has_children": True}
            nav.append(entry)
            pages.extend(subject_pages)
            subjects.append({"subject": subject, "path": f"{subject.id}/index.md", "count": len(topics),
                             "categories": [c for c in subject.categories if any(t.category == c.id for t in topics)],
                             "exams": sum(len(t.exams) for t in topics)})
        home = Page(path="index.md", kind="home", title=self.site_title, view={"subjects": subjects})
        tags = Page(path="tags.md", kind="tags", title="태그", view={})
        deck = self._deck()
        self._check_paths([deck, *pages])
        for runs in self.runs.values():
            for run in runs:
                for name, data in run.figures:
                    self.assets[_figure_path(run, name)] = data
        return SitePlan(pages=[home, deck, *pages, tags], nav=nav, home=home, tags=tags, assets=self.assets,
                        planner=None if link else self)

    def _subject(self, subject: Subject, topics: list[Topic]) -> tuple[NavEntry, list[Page]]:
        base = f"{subject.id}/index.md"
        entry = NavEntry(title=subject.title, path=base)
        pages: list[Page] = []
        rows = [self._summary(t, base) for t in topics]
        pages.append(Page(path=base, kind="subject", title=subject.title,
                          view={"subject": subject, "rows": rows, "categories": subject.categories,
                                "exams_link": None, "exams_count": 0}))
        shown = 0
        for category in subject.categories:
            members = [t for t in topics if t.category == category.id]
            if not members:
                continue
            shown += 1
            cpath = f"{subject.id}/{category.id}/index.md"
            centry = NavEntry(title=category.title, path=cpath)
            pages.append(Page(path=cpath, kind="category", title=category.title,
                              view={"subject": subject, "category": category,
                                    "subject_link": _rel(cpath, base),
                                    "rows": [self._summary(t, cpath) for t in members]},
                              nav={"short_title": category.title, "parent": subject.title, "nav_order": shown,
                                   "has_children": True}))
            for number, t in enumerate(members, 1):
                centry.children.append(NavEntry(title=short_title(t.title or t.slug or ""), path=self.paths[id(t)]))
                page = self._topic_page(t, subject, category)
                page.nav = {"short_title": short_title(t.title or t.slug or ""), "parent": category.title,
                            "grand_parent": subject.title, "nav_order": number}
                pages.append(page)
            entry.children.append(centry)
        for t in topics:
            if t.category is None:
                shown += 1
                entry.children.append(NavEntry(title=short_title(t.title or t.slug or ""), path=self.paths[id(t)]))
                page = self._topic_page(t, subject, None)
                page.nav = {"short_title": short_title(t.title or t.slug or ""), "parent": subject.title,
                            "nav_order": shown}
                pages.append(page)
        questions = self.exam_pages.get(subject.id)
        if questions:
            pages.append(self._exams_page(subject, questions, shown + 1))
            entry.children.append(NavEntry(title=EXAMS_TITLE, path=pages[-1].path))
            pages[0].view["exams_link"] = _rel(base, pages[-1].path)
            pages[0].view["exams_count"] = len(questions)
        return entry, pages

    def _deck(self) -> Page:
        """The daily deck: a page that loads the cards the build writes beside it."""
        from ..study.cards import ANSWERS_FILE, CARDS_FILE, DECK_PAGE, build_cards, deck_files
        return Page(path=DECK_PAGE, kind="deck", title="오늘의 카드",
                    view={"count": len(self.project.topics), "cards_file": CARDS_FILE.rsplit("/", 1)[-1],
                          "answers_file": ANSWERS_FILE.rsplit("/", 1)[-1],
                          "root": _rel(DECK_PAGE, "index.md").removesuffix("index.md")},
                    files=lambda: deck_files(self.project, build_cards(self.project, self.paths)))

    def _summary(self, topic: Topic, here: str) -> dict[str, Any]:
        subject = self.config.subject(topic.subject)
        category = subject.category_for(topic.category) if topic.category else None
        return {"title": topic.title, "link": _rel(here, self.paths[id(topic)]), "definition": topic.definition,
                "mnemonics": [m.token for m in topic.mnemonics], "category": category.title if category else None,
                "exams": len(topic.exams)}

    def _topic_page(self, topic: Topic, subject: Subject, category: Category | None) -> Page:
        path = self.paths[id(topic)]
        # The view is made when the page is rendered, so renderers can spread pages over
        # processes without planning every topic first.
        return Page(path=path, kind="topic", title=topic.title or topic.slug or "", topic=topic, view=None,
                    lazy=lambda: self.topic_view(topic, subject, category, path))

    def _link_all(self) -> None:
        """Every topic's prose with its cross-links, and who links to whom."""
        self.add_backlinks(self.link(self.project.topics))

    def index(self, topic: Topic) -> int:
        """The topic's place in site order."""
        return self.linker.order[id(topic)]

    def link(self, topics: list[Topic]) -> list[tuple[int, list[int]]]:
        """The prose of `topics`, with its cross-links, kept for their pages; returns
        (topic, [topics it links to]) as site-order indexes, for `add_backlinks`."""
        out = []
        order = self.linker.order
        for topic in topics:
            path = self.paths[id(topic)]
            link = self.linker.page(topic, path)
            self.bodies[id(topic)] = body = self._body(topic, link)
            targets = [*link.targets, *(r["topic"] for r in body["related"] if r["topic"] is not None)]
            out.append((order[id(topic)], list({order[id(t)]: None for t in targets if t is not topic})))
        return out

    def add_backlinks(self, links: list[tuple[int, list[int]]]) -> None:
        """Who links to whom, from `link`'s answers (for all topics, in any order)."""
        topics = self.project.topics
        for source, targets in sorted(links):
            for target in targets:
                self.backlinks.setdefault(id(topics[target]), []).append(topics[source])

    def _body(self, topic: Topic, link) -> dict[str, Any]:
        """The parts of a topic page that carry prose, with `link` applied in page order
        (see links.py for what is linked and what never is)."""
        path = link.here
        definition = link(topic.definition)
        differentiator = link(topic.differentiator)
        lead_rest = []
        for cell in topic.cells[:1]:
            lead_rest = _flatten(_source_lines(Cell(column=cell.column, lines=[], lead=cell.lead[1:])))
        for line in lead_rest:
            if line.kind != "mnemonic":
                line.text = link(line.text)
        described = [dataclasses.replace(k, description=link(k.description), example=link(k.example))
                     for k in topic.keywords if k.description]
        background = None
        if topic.background and (topic.background.problem or topic.background.uses):
            background = dataclasses.replace(topic.background, problem=link(topic.background.problem),
                                             uses=[link(u) for u in topic.background.uses])
        tables = _tables(topic)

        for t in tables:
            _link_nodes(t.rows, link)
        related = []
        for name in topic.related:
            other = self.names.get((topic.subject, name)) or self.names.get(("", name))
            linked = other if other is not None and other is not topic else None
            related.append({"name": name, "link": _rel(path, self.paths[id(other)]) if linked else None,
                            "title": other.title if other is not None else None, "topic": linked})
        return {"definition": definition, "differentiator": differentiator, "lead_rest": lead_rest,
                "described_keywords": described, "background": background, "tables": tables, "related": related}

    def topic_view(self, topic: Topic, subject: Subject, category: Category | None, path: str) -> dict[str, Any]:
        body = self.bodies.pop(id(topic), None) or self._body(topic, self.linker.page(topic, path))
        described = body["described_keywords"]
        listed = {id(r["topic"]) for r in body["related"] if r["topic"] is not None}
        order = self.linker.order
        backlinks = [{"title": t.title or t.slug, "link": _rel(path, self.paths[id(t)])}
                     for t in sorted(self.backlinks.get(id(topic), []), key=lambda t: order[id(t)])
                     if id(t) not in listed]
        mnemonics = [{"token": m.token, "expansion": m.expansion, "section": m.section, "item": m.item,
                      "context": m.context, "matched": m.matched} for m in topic.mnemonics]
        captions = {s.path: s.caption for s in topic.snippets}
        snippets = [{"path": run.path, "caption": captions.get(run.path), "code": run.code, "stdout": run.stdout,
                     "figures": [{"name": name, "link": _rel(path, _figure_path(run, name))} for name, _ in run.figures]}
                    for run in self.runs.get(id(topic), [])]
        exams = []
        for e in sorted(topic.exams, key=lambda e: (-e.round, e.session, e.number)):
            target = self.exam_anchors.get((id(topic), e.round, e.session, e.number))
            exams.append({"round": e.round, "session": e.session, "number": e.number, "question": e.question,
                          "link": _rel(path, target) if target else None})
        return {
            "topic": topic,
            "subject": subject,
            "category": category,
            "category_link": _rel(path, f"{subject.id}/{category.id}/index.md") if category else None,
            "subject_link": _rel(path, f"{subject.id}/index.md"),
            "short_title": short_title(topic.title or ""),
            "definition": body["definition"],
            "mnemonics": mnemonics,
            "keywords": topic.keywords,
            "described_keywords": described,
            "keyword_examples": any(k.example for k in described),
            "differentiator": body["differentiator"],
            "background": body["background"],
            "lead_rest": body["lead_rest"],
            "tables": body["tables"],
            "diagram": topic.diagram,
            "snippets": snippets,
            # Markup already made safe (kbgen.render.safe): a template cannot forget it.
            "equations": [safe.equation(e) for e in topic.equations],
            "sources": [{"column": c.column, "tree": tree_events(_source_lines(c))} for c in topic.cells],
            "related": body["related"],
            "backlinks": backlinks,
            "exams": exams,
            "checklist": topic.checklist,
            "notes": safe.notes(topic.notes) if topic.notes else None,
            "tags": [k.term for k in topic.keywords],
            "origin": topic.origin,
        }

    # --- the exam question index ---------------------------------------------------

    def _plan_exams(self) -> None:
        """Each subject's questions: the exam CSV's rows (a row names its subject, or
        its topic's subject; with one subject, that one) and the questions topic files
        list that the CSV lacks. Sorted newest round first, then session and number."""
        project = self.project
        subjects = [s.id for s in self.config.subjects]
        found: dict[str, list[tuple[Any, Topic | None, str]]] = {}
        seen = set()
        for q, topic in zip(project.exams, project.exam_topics or [None] * len(project.exams)):
            subject = q.subject or (topic.subject if topic is not None else subjects[0] if len(subjects) == 1 else "")
            if subject not in subjects:
                continue  # reported by `kbgen lint` (exam-unknown-topic)
            found.setdefault(subject, []).append((q, topic, q.topic))
            if topic is not None:
                seen.add((id(topic), q.round, q.session, q.number))
        for topic in project.topics:
            for e in topic.exams:
                if (id(topic), e.round, e.session, e.number) not in seen:
                    found.setdefault(topic.subject, []).append((e, topic, topic.title or ""))
        for subject, entries in found.items():
            entries.sort(key=lambda x: (-x[0].round, x[0].session, x[0].number))
            page = exams_path(subject)
            questions, anchors = [], set()
            for q, topic, name in entries:
                anchor = base = f"q-{q.round}-{q.session}-{q.number}"
                n = 1
                while anchor in anchors:
                    n += 1
                    anchor = f"{base}-{n}"
                anchors.add(anchor)
                if topic is not None:
                    self.exam_anchors.setdefault((id(topic), q.round, q.session, q.number), f"{page}#{anchor}")
                questions.append({"round": q.round, "session": q.session, "number": q.number,
                                  "question": q.question, "anchor": anchor, "topic": name,
                                  "title": topic.title if topic is not None else None,
                                  "link": _rel(page, self.paths[id(topic)]) if topic is not None else None})
            self.exam_pages[subject] = questions

    def _exams_page(self, subject: Subject, questions: list[dict[str, Any]], nav_order: int) -> Page:
        path = exams_path(subject.id)
        rounds: dict[int, list[dict[str, Any]]] = {}
        for q in questions:
            rounds.setdefault(q["round"], []).append(q)
        return Page(path=path, kind="exams", title=EXAMS_TITLE,
                    view={"subject": subject, "subject_link": _rel(path, f"{subject.id}/index.md"),
                          "questions": questions, "missing": sum(q["link"] is None for q in questions),
                          "rounds": [{"round": r, "anchor": f"r-{r}", "questions": qs} for r, qs in rounds.items()]},
                    nav={"short_title": EXAMS_TITLE, "parent": subject.title, "nav_order": nav_order})

    def _check_paths(self, pages: list[Page]) -> None:
        seen: dict[str, Page] = {}
        for page in pages:
            other = seen.get(page.path)
            if other is not None:
                where = _topic_where(page.topic) if page.topic else Location(file="kbgen.yml")
                self.report.error("duplicate-path", where,
                                  f"'{page.title}' and '{other.title}' would both be written to {page.path}",
                                  "give the topic another `slug:` in its YAML file, or rename the category id")
            seen[page.path] = page


EXAMS_TITLE = "📝 기출문제"


def exams_path(subject_id: str) -> str:
    return f"{subject_id}/exams.md"


def topic_path(topic: Topic) -> str:
    folder = topic.subject if topic.category is None else f"{topic.subject}/{topic.category}"
    return f"{folder}/{topic.slug}.md"


def _figure_path(run, name: str) -> str:
    return f"assets/snippets/{run.key}/{name}"


def _rel(here: str, target: str) -> str:
    """A Markdown link from page `here` to page `target` (both docs-relative, no `..`)."""
    start = here.split("/")[:-1]
    parts = target.split("/")
    common = 0
    while common < len(start) and common < len(parts) - 1 and start[common] == parts[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + parts[common:])


def _topic_where(topic: Topic) -> Location:
    if topic.origin.row is not None:
        return Location(file=topic.origin.csv_file or "", row=topic.origin.row, line=topic.origin.line)
    return Location(file=topic.origin.yaml_file or "")


def plan_site(project: Project, site_title: str = "기술사 학습 노트", runs: dict | None = None,
              link: bool = True) -> SitePlan:
    return Planner(project, site_title, runs).plan(link)
