"""`kbgen export anki`: the deck's cards as a text file Anki's import dialog takes as it is.

Anki (2.1.55+) reads file headers: `#separator:tab`, `#html:true`, `#tags column:3`,
`#guid column:4`. One note per line: front, back (HTML), tags (space-separated), and a
stable id, so importing a newer export updates the notes instead of adding copies.
Field text is HTML-escaped (quotes too: Anki reads a field that starts with `"` as
quoted), newlines become `<br>` and tabs `&#9;`, so no data can split a row or a field.
"""
from __future__ import annotations

import html

from ..project import Project
from ..render.pages import topic_path
from .cards import Card, build_cards

HEADER = "#separator:tab\n#html:true\n#tags column:3\n#guid column:4\n"
EXAM_TAG = "기출"


def _h(text: str | None) -> str:
    escaped = html.escape(text or "", quote=True)
    return escaped.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>").replace("\t", "&#9;")


def front(card: Card, where: str) -> str:
    return f"<div class='kb-where'><small>{_h(where)}</small></div><div class='kb-title'><b>{_h(card.title)}</b></div>"


def back(card: Card) -> str:
    parts = []
    if card.definition:
        parts.append(f"<p class='kb-definition'>{_h(card.definition)}</p>")
    if card.mnemonics:
        items = "".join(f"<li><code>{_h(token)}</code> {_h(' · '.join(expansion))}"
                        + (f" <small>({_h(section)})</small>" if section else "") + "</li>"
                        for token, expansion, section, _ in card.mnemonics)
        parts.append(f"<ul class='kb-mnemonics'>{items}</ul>")
    for name, rows in card.components:
        parts.append(f"<p><b>{_h(name)}</b></p>")
        if not any(desc or syl for _, desc, syl in rows):  # plain sentences: a list
            parts.append("<ul>" + "".join(f"<li>{_h(label)}</li>" for label, _, _ in rows) + "</ul>")
            continue
        marked = any(syl for _, _, syl in rows)
        parts.append("<table>" + "".join(
            "<tr>" + (f"<td><b>{_h(syl)}</b></td>" if marked else "") + f"<td>{_h(label)}</td><td>{_h(desc)}</td></tr>"
            for label, desc, syl in rows) + "</table>")
    if card.keywords:
        items = "".join(f"<li><b>{_h(term)}</b>" + (f" — {_h(desc)}" if desc else "") + "</li>"
                        for term, desc in card.keywords)
        parts.append(f"<p><b>키워드</b></p><ul>{items}</ul>")
    if card.exams:
        items = "".join(f"<li>{r}회 {s}교시 {n}번" + (f": {_h(q)}" if q else "") + "</li>"
                        for r, s, n, q in card.exams)
        parts.append(f"<p><b>기출</b></p><ul>{items}</ul>")
    return "".join(parts)


def anki_notes(project: Project) -> str:
    """The whole file: header lines, then one note per topic in the site's order."""
    cards = build_cards(project, {id(t): topic_path(t) for t in project.topics})
    subjects = project.config.subjects
    lines = [HEADER]
    for card in cards:
        subject = subjects[card.subject]
        category = subject.categories[card.category] if card.category is not None else None
        where = subject.title + (f" › {category.title}" if category else "")
        # Ids match `[a-z0-9][a-z0-9_-]*` (kbgen.yml is validated), so tags carry no spaces.
        tags = [subject.id] + ([f"{subject.id}::{category.id}"] if category else [])
        if card.exams:
            tags.append(EXAM_TAG)
        lines.append("\t".join([front(card, where), back(card), " ".join(tags), "kbgen:" + card.id]) + "\n")
    return "".join(lines)
