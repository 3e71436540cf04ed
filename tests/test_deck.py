"""The daily deck's cards (built from the topic model) and `kbgen export anki`."""
from __future__ import annotations

import csv
import html
import io
import json
import os

import pytest

from conftest import copy_project, run_kbgen
from kbgen.build import build
from kbgen.project import load_project
from kbgen.render.pages import plan_site, topic_path
from kbgen.study.anki import HEADER, anki_notes
from kbgen.study.cards import ANSWERS_FILE, CARDS_FILE, DECK_PAGE, build_cards, deck_files, page_url, read_deck_file


FRONT_KEYS = {"i", "s", "g", "t", "m", "n"}  # what a card's front and the filters need
BACK_KEYS = {"u", "a", "d", "x", "k", "e"}  # read after the first card is shown


def joined(files: dict[str, bytes]) -> dict:
    """cards.js with each card's back from answers.js, as the deck page joins them."""
    fronts = read_deck_file(CARDS_FILE, files[CARDS_FILE])
    backs = read_deck_file(ANSWERS_FILE, files[ANSWERS_FILE])
    assert fronts["v"] == backs["v"] and len(fronts["c"]) == len(backs["c"])
    for front, back in zip(fronts["c"], backs["c"]):
        assert set(front) <= FRONT_KEYS and set(back) <= BACK_KEYS, (front, back)
        front.update(back)
    return fronts


def deck_data(project) -> dict:
    site = plan_site(project)
    deck = next(p for p in site.pages if p.path == DECK_PAGE)
    return joined(deck.files())


def by_id(data: dict) -> dict[str, dict]:
    return {c["i"]: c for c in data["c"]}


def test_a_card_per_topic_in_site_order_with_subjects_and_categories(bundled):
    data = deck_data(bundled)
    assert data["v"] == 3
    subject = bundled.config.subjects[0]
    assert data["s"] == [[subject.id, subject.title, [[c.id, c.title] for c in subject.categories]]]
    assert len(data["c"]) == len(bundled.topics)
    assert len({c["i"] for c in data["c"]}) == len(bundled.topics)
    # Categories in configured order, topics in sheet order inside them.
    order = [(c["s"], c.get("g", 99)) for c in data["c"]]
    assert order == sorted(order)
    for topic in bundled.topics:
        card = by_id(data)[f"{topic.subject}/{topic.slug}"]
        assert card["t"] == topic.title
        assert card["u"] == topic_path(topic)[:-3] + "/"
        assert card.get("d") == topic.definition
        category = subject.categories[card["g"]].id if "g" in card else None
        assert category == topic.category
        assert card.get("e", []) == [[e.round, e.session, e.number, e.question] for e in
                                     sorted(topic.exams, key=lambda e: (-e.round, e.session, e.number))]
        assert card.get("n", 0) == len(topic.exams)  # the front's count, for the filter and badge


def test_lstm_card_has_mnemonics_with_their_lists_components_keywords_exams(bundled):
    card = by_id(deck_data(bundled))["ai/lstm"]
    assert card["u"] == "ai/dl/lstm/"
    assert "LSTM" in card["a"] and "장단기 메모리" in card["a"]
    assert ["정연", ["정보저장삭제", "연산처리"], "구성요소"] in card["m"]
    assert ["게셀피모", ["게이트(Gate) 구조", "셀 상태(Cell State)", "피드백 연결", "모듈 반복"], "특징"] in card["m"]
    sections = dict(card["x"])
    # A spelled section's items carry the syllable that stands for them.
    assert sections["구성요소"] == [["정보저장삭제", "", "정"], ["연산처리", "", "연"]]
    assert [row[2] for row in sections["특징"]] == ["게", "셀", "피", "모"]
    assert sections["특징"][0][:2] == ["게이트(Gate) 구조", "시그모이드 게이트 3개와 tanh 층 1개, 모두 4개 층이 서로 상호작용"]
    # Items without a mnemonic have no third field; a term keeps its description.
    assert ["Forget Gate", "f_t = σ(W_f·[h_{t-1}, x_t] + b_f), 출력 0~1 (0이면 삭제, 1이면 그대로 유지)"] in sections["동작 원리"]
    lstm = bundled.find("ai", "lstm")
    assert card["k"] == [[k.term, k.description] for k in lstm.keywords]
    assert [e[:3] for e in card["e"]] == [[136, 3, 1], [125, 1, 3]]


def test_card_urls_are_pages_of_the_built_site(built_site):
    files = {}
    for name in (CARDS_FILE, ANSWERS_FILE):
        with open(os.path.join(built_site, *name.split("/")), "rb") as fh:
            files[name] = fh.read()
    data = joined(files)
    assert data["c"]
    for card in data["c"]:
        assert os.path.isfile(os.path.join(built_site, *card["u"].split("/"), "index.html")), card["u"]
    assert os.path.isfile(os.path.join(built_site, "deck", "index.html"))


def test_deck_files_are_compact_and_deterministic(bundled):
    paths = {id(t): topic_path(t) for t in bundled.topics}
    first = deck_files(bundled, build_cards(bundled, paths))
    again = load_project(bundled.config.root + "/kbgen.yml")
    second = deck_files(again, build_cards(again, {id(t): topic_path(t) for t in again.topics}))
    assert first == second and sorted(first) == [ANSWERS_FILE, CARDS_FILE]
    for name, kind in ((CARDS_FILE, "cards"), (ANSWERS_FILE, "answers")):
        text, data = first[name].decode("utf-8"), read_deck_file(name, first[name])
        # One JSON line pushed onto the deck's queue: no spaces between tokens, Hangul as
        # UTF-8 (not \\u escapes).
        push = f'(window.kbgenDeckQueue = window.kbgenDeckQueue || []).push(["{kind}", '
        assert text == push + json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "]);\n"
        for card in data["c"]:  # empty fields are left out, not written empty
            assert all(value not in ("", [], None) for value in card.values()), card
    # The fronts are a small part of the whole: the first card waits only for them.
    assert len(first[CARDS_FILE]) * 3 < len(first[ANSWERS_FILE])


def test_read_deck_file_refuses_other_files():
    with pytest.raises(ValueError, match="not a kbgen deck file"):
        read_deck_file(CARDS_FILE, b'{"v": 3, "c": []}\n')
    with pytest.raises(ValueError, match="not a kbgen deck file"):
        read_deck_file(ANSWERS_FILE, b'(window.kbgenDeckQueue = window.kbgenDeckQueue || []).push(["cards", {}]);\n')


def test_hostile_text_survives_json_and_anki(tmp_path):
    config = copy_project(str(tmp_path))
    path = tmp_path / "data" / "ai" / "topics" / "hostile.yml"
    path.write_text(
        "title: \"Tab\\tand \\\"quotes\\\" <b>&amp; #not a comment\"\n"
        "slug: hostile\ncategory: dl\n"
        "definition: \"첫 줄\\n둘째 줄\\twith tab, </script> and \\\\u0000-ish\"\n"
        "keywords:\n  - term: \"\\\"quoted\\\"\"\n    description: \"a\\r\\nb\"\n",
        encoding="utf-8")
    project = load_project(config)
    assert not project.report.errors, [d.format() for d in project.report.errors]
    topic = project.find("ai", "hostile")
    card = by_id(deck_data(project))[f"ai/{topic.slug}"]
    assert card["t"] == topic.title and card["d"] == topic.definition
    assert card["k"] == [[topic.keywords[0].term, topic.keywords[0].description]]

    text = anki_notes(project)
    rows = text.splitlines()[4:]
    assert len(rows) == len(project.topics)
    row = next(r for r in rows if r.endswith(f"kbgen:ai/{topic.slug}"))
    fields = row.split("\t")
    assert len(fields) == 4 and '"' not in row
    assert topic.title in html.unescape(fields[0])  # the tab comes back from &#9;
    assert "&#9;" in fields[0] and "&lt;b&gt;&amp;amp;" in fields[0]
    assert "첫 줄<br>둘째 줄&#9;with tab, &lt;/script&gt;" in fields[1]


def parse_anki(text: str) -> tuple[list[str], list[list[str]]]:
    """Read the file the way Anki's importer does: `#` header lines, then tab-separated
    records (csv with tab delimiter; no field may start with a quote)."""
    lines = text.split("\n")
    header = [line for line in lines if line.startswith("#")]
    body = "\n".join(line for line in lines if not line.startswith("#"))
    rows = list(csv.reader(io.StringIO(body), delimiter="\t"))
    return header, [r for r in rows if r]


def test_export_anki_cli_writes_a_file_anki_reads(tmp_path, bundled):
    copy_project(str(tmp_path))
    result = run_kbgen("export", "anki", "--out", "out/deck.txt", cwd=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(bundled.topics)} notes" in result.stdout
    text = (tmp_path / "out" / "deck.txt").read_text(encoding="utf-8")
    assert text.startswith(HEADER)
    header, rows = parse_anki(text)
    assert header == ["#separator:tab", "#html:true", "#tags column:3", "#guid column:4"]
    assert len(rows) == len(bundled.topics) and all(len(r) == 4 for r in rows)
    notes = {r[3]: r for r in rows}
    front, back, tags, _ = notes["kbgen:ai/lstm"]
    assert "LSTM (Long Short Term Memory)" in html.unescape(front)
    assert "AI (인공지능) › 2. 딥러닝" in html.unescape(front)
    assert "<code>정연</code> 정보저장삭제 · 연산처리" in back
    assert "<td><b>정</b></td><td>정보저장삭제</td>" in back
    assert "136회 3교시 1번" in back and "셀 상태 (Cell State)" in back
    assert tags.split(" ") == ["ai", "ai::dl", "기출"]
    for _, _, tags, _ in rows:
        assert tags and all(t and " " not in t for t in tags.split(" "))
    no_exam = next(t for t in bundled.topics if not t.exams)
    assert "기출" not in notes[f"kbgen:ai/{no_exam.slug}"][2].split(" ")
    # The same data gives the same file (re-import updates by guid).
    again = run_kbgen("export", "anki", "--out", "out/deck.txt", cwd=str(tmp_path))
    assert again.returncode == 0 and (tmp_path / "out" / "deck.txt").read_text(encoding="utf-8") == text


def test_export_anki_reports_bad_data_without_writing(tmp_path):
    copy_project(str(tmp_path))
    (tmp_path / "data" / "ai" / "topics" / "broken.yml").write_text("title: x\ncategory: dl\nkeyword: []\n",
                                                                   encoding="utf-8")
    result = run_kbgen("export", "anki", "--out", "deck.txt", cwd=str(tmp_path))
    assert result.returncode == 2
    assert "broken.yml" in result.stdout and "keyword" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert not (tmp_path / "deck.txt").exists()


def test_deck_files_go_only_where_the_deck_page_goes(tmp_path):
    config = copy_project(str(tmp_path))
    mkdocs = build(config, str(tmp_path / "mk"))
    assert not mkdocs.report.errors
    assert (tmp_path / "mk" / "deck" / "index.md").is_file() and (tmp_path / "mk" / "deck" / "cards.js").is_file()
    assert (tmp_path / "mk" / "deck" / "answers.js").is_file()
    jekyll = build(config, str(tmp_path / "jk"), "jekyll")
    assert not jekyll.report.errors and jekyll.written
    assert not (tmp_path / "jk" / "deck").exists()  # just-the-docs has no deck page (yet)


@pytest.mark.parametrize("path, url", [("ai/dl/lstm.md", "ai/dl/lstm/"), ("ai/x.md", "ai/x/"),
                                       ("deck/index.md", "deck/"), ("index.md", "")])
def test_page_url_follows_mkdocs_directory_urls(path, url):
    assert page_url(path) == url
