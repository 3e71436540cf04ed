"""Cross-links: which mentions of other topics link (the linker), that a link never opens
a hole in the escaping (text stays text), and where links land on a real page."""
from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from kbgen.model import Item, Keyword, Section, Topic
from kbgen.project import Project
from kbgen.render.links import Linker
from kbgen.render.pages import Planner, _rel
from kbgen.render.renderer import Renderer
from kbgen.render.text import Linked, html_linked, md_linked
from test_escape import NASTY, convert, norm, text, text_of  # noqa: F401 (fixture)


def topic(title, slug, subject="ai", aliases=(), **fields):
    return Topic(title=title, slug=slug, aliases=list(aliases), subject=subject, **fields)


RNN = topic("RNN (Recurrent Neural Network)", "rnn")
LSTM = topic("LSTM (Long Short Term Memory)", "lstm", aliases=["장단기 메모리"])
GRU = topic("GRU (Gated Recurrent Unit)", "gru")
GATE = topic("게이트", "gate")
ATTN = topic("어텐션 (Attention Mechanism)", "attention")
SELF_ATTN = topic("셀프 어텐션 (Self-Attention)", "self-attention")
CLASSIFY = topic("분류", "classify")
SUPERVISED = topic("지도학습", "supervised")
ALL = [RNN, LSTM, GRU, GATE, ATTN, SELF_ATTN, CLASSIFY, SUPERVISED]


@pytest.fixture
def linker():
    return Linker(ALL, {id(t): f"ai/{t.slug}.md" for t in ALL}, _rel)


def mentions(linked) -> list[tuple[str, str]]:
    """(linked text, target) of each link in a value the linker returned."""
    if not isinstance(linked, Linked):
        return []
    return [(str(linked)[s:e], target) for s, e, target in linked.links]


def test_particles_attached_to_a_name_still_match(linker):
    link = linker.page(SELF_ATTN, "ai/self-attention.md")
    out = link("RNN의 한계를 LSTM은 게이트를 써서 풀었다")
    assert mentions(out) == [("RNN", "rnn.md"), ("LSTM", "lstm.md"), ("게이트", "gate.md")]
    assert str(out) == "RNN의 한계를 LSTM은 게이트를 써서 풀었다"  # the text itself is unchanged


@pytest.mark.parametrize("sentence, expected", [
    ("어텐션으로의 발전", ["어텐션"]),  # particles combine: 으로 + 의
    ("과정에서 어텐션이다", ["어텐션"]),
    ("분류기를 학습한다", []),  # 기 is not a particle: another word
    ("분류가 끝나면", ["분류"]),
    ("RNNs and GRU2 are not RNN or GRU", ["RNN", "GRU"]),  # Latin goes on: not a mention
    ("BiRNN 구조", []),  # letters before the name
    ("비지도학습과 지도학습", ["지도학습"]),  # 비지도학습 is not 지도학습
    ("(RNN)", ["RNN"]),
    ("RNN기반 모델", ["RNN"]),  # after Latin any Hangul may follow
    ("rnn 과 lstm", ["rnn", "lstm"]),  # Latin case does not matter
])
def test_word_boundaries(linker, sentence, expected):
    link = linker.page(SELF_ATTN, "ai/self-attention.md")
    assert [t for t, _ in mentions(link(sentence))] == expected


def test_longest_match_wins(linker):
    link = linker.page(GATE, "ai/gate.md")
    out = link("셀프 어텐션과 어텐션, LSTM (Long Short Term Memory)의 구조")
    # `셀프 어텐션` is one topic, not `어텐션` after a word; the full title beats `LSTM`.
    assert mentions(out) == [("셀프 어텐션", "self-attention.md"), ("어텐션", "attention.md"),
                             ("LSTM (Long Short Term Memory)", "lstm.md")]


def test_first_mention_only_across_the_page(linker):
    link = linker.page(GATE, "ai/gate.md")
    first = link("LSTM은 RNN을 개선했다")
    second = link("LSTM (Long Short Term Memory)와 GRU, 그리고 장단기 메모리")
    assert mentions(first) == [("LSTM", "lstm.md"), ("RNN", "rnn.md")]
    assert mentions(second) == [("GRU", "gru.md")]  # LSTM's other names are later mentions
    assert link.targets == [LSTM, RNN, GRU]


def test_no_self_link_and_the_own_name_is_consumed(linker):
    link = linker.page(SELF_ATTN, "ai/self-attention.md")
    # `셀프 어텐션` is this page's own topic: no link, and `어텐션` inside it is not a mention.
    assert mentions(link("셀프 어텐션은 Self-Attention이라고도 한다")) == []
    assert link.targets == []


def test_same_subject_wins_for_a_shared_name():
    ai, sec = topic("게이트웨이", "gw", subject="ai"), topic("게이트웨이", "gw", subject="sec")
    here = topic("방화벽", "fw", subject="sec")
    linker = Linker([ai, sec, here], {id(ai): "ai/gw.md", id(sec): "sec/gw.md", id(here): "sec/fw.md"}, _rel)
    assert mentions(linker.page(here, "sec/fw.md")("게이트웨이를 둔다")) == [("게이트웨이", "gw.md")]


def test_nothing_to_link_returns_the_value_itself(linker):
    link = linker.page(GATE, "ai/gate.md")
    for value in (None, "", "관련 없는 문장"):
        assert link(value) == value and not isinstance(link(value), Linked)


def project_of(topics):
    from kbgen.config import Category, ProjectConfig, Subject
    from kbgen.diagnostics import Report
    config = ProjectConfig(root="/nonexistent", path="kbgen.yml",
                           subjects=[Subject(id="ai", title="AI", categories=[Category(id="dl", title="딥러닝")])])
    return Project(config=config, report=Report(), topics=topics)


def test_links_only_in_prose_never_in_headings_code_tokens_or_the_source_block():
    """A page mentions RNN everywhere it could: only its prose links, once."""
    from kbgen.model import Mnemonic
    from kbgen.notation import parse_cell
    rnn = topic("RNN", "rnn", category="dl", definition="순환 신경망")
    cell = parse_cell("RNN 계열 모델\n[RNN 비교]\n- RNN: 순환 구조", "기술요소", frozenset())
    page_topic = topic(
        "LSTM", "lstm", category="dl", definition="게이트를 둔 모델", cells=[cell],
        mnemonics=[Mnemonic(token="RNN")], keywords=[Keyword(term="RNN", description="RNN을 잇는 기억 구조")],
        sections=[Section(name="RNN 비교", items=[Item(term="구조", description="RNN보다 복잡")])],
        equations=["RNN"], diagram="flowchart LR\n  RNN --> LSTM", checklist=["RNN과 비교할 수 있는가?"])
    project = project_of([rnn, page_topic])
    planner = Planner(project)
    site = planner.plan()
    page = next(p for p in site.pages if p.topic is page_topic)
    out = Renderer().render(page, site)
    links = [line for line in out.splitlines() if "rnn.md" in line]
    # The first mention in prose is the keyword's description (the definition has none).
    assert links == ['<tr><td><strong>RNN</strong></td><td><a class="kb-xref" href="rnn.md">RNN</a>'
                     '을 잇는 기억 구조</td></tr>'], out
    # and the other page lists this one as linking to it
    rnn_page = next(p for p in site.pages if p.topic is rnn)
    assert rnn_page.context()["backlinks"] == [{"title": "LSTM", "link": "lstm.md"}]


def test_jekyll_links_name_the_html_page():
    rnn = topic("RNN", "rnn", category="dl", definition="순환 신경망")
    lstm = topic("LSTM", "lstm", category="dl", definition="RNN의 은닉층에 게이트를 더한 모델",
                 sections=[Section(name="비교", items=[Item(term="GRU", description="RNN보다 단순")])])
    site = Planner(project_of([rnn, lstm])).plan()
    page = next(p for p in site.pages if p.topic is lstm)
    out = Renderer(fmt="jekyll").render(page, site)
    assert "[RNN](rnn.html){: .kb-xref }의 은닉층" in out
    assert "rnn.md" not in out


# --- text stays text: a link never opens a hole in the escaping -------------------

@st.composite
def linked_text(draw):
    """Text of nasty pieces with some of them (titles are data too) marked as links."""
    pieces = draw(st.lists(st.tuples(st.one_of(st.sampled_from(NASTY), st.text(alphabet="ab 가나", max_size=3)),
                                     st.booleans()), min_size=1, max_size=10))
    value, links = "", []
    for piece, linked in pieces:
        piece_core = piece.strip()
        if linked and piece_core and "\n" not in piece_core:
            start = len(value) + piece.index(piece_core)
            links.append((start, start + len(piece_core), f"t{len(links)}.md"))
        value += piece
    return Linked(value, links)


def anchors(html: str) -> list[tuple[str, str]]:
    from bs4 import BeautifulSoup
    found = BeautifulSoup(html, "html.parser").find_all("a")
    assert all(a.get("class") == ["kb-xref"] for a in found), html
    return [(a.get("href"), a.get_text()) for a in found]


@given(value=linked_text())
def test_linked_markdown_renders_the_text_and_only_the_links(convert, value):
    if not value.strip():
        return
    out = convert(f"- {md_linked(value)}\n- other")
    got, tags = text_of(out, "li")
    assert norm(got) == norm(value), out
    assert not {"em", "script", "img", "b", "code"} & set(tags), out
    assert [(h, norm(x)) for h, x in anchors(out)] == [(t, norm(value[s:e])) for s, e, t in value.links], out


@given(value=linked_text())
def test_linked_html_renders_the_text_and_only_the_links(convert, value):
    out = convert(f"<table>\n<tbody>\n<tr><td>{html_linked(value)}</td><td>tail</td></tr>\n</tbody>\n</table>")
    got, tags = text_of(out, "td")
    assert norm(got) == norm(value), out
    assert not {"em", "script", "img", "b"} & set(tags), out
    assert [(h, norm(x)) for h, x in anchors(out)] == [(t, norm(value[s:e])) for s, e, t in value.links], out
