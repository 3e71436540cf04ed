"""kbgen.search.sections: a page's search sections read without HTMLParser are Material's,
section by section, for generated HTML and for the bundled site; HTML outside the
subset it reads goes to Material's own parser."""
from __future__ import annotations

import os

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from material.plugins.search.plugin import Parser, SearchIndex, SearchPlugin

from conftest import copy_project, files
from kbgen.search import sections as fast
from test_navcache import assert_same, build_verbose


def material(html: str) -> list[tuple]:
    parser = Parser()
    parser.feed(html)
    parser.close()
    return shape(parser.data)


def shape(data) -> list[tuple]:
    """Everything of a section that Material's index entry is made from."""
    return [(s.el.tag, s.el.attrs, s.depth, s.id, s.title, s.text, s.is_excluded()) for s in data]


def same(html: str) -> bool:
    """True when `sections` read the HTML (and agrees with Material); False when it
    left the HTML to Material's parser."""
    try:
        expected = material(html)
    except ValueError:  # Material's parser fails on some unbalanced HTML; so must the page
        assert fast.sections(html) is None
        return False
    got = fast.sections(html)
    if got is None:
        return False
    assert shape(got) == expected, html
    return True


# --- the rules Material applies, one case each --------------------------------------------

CASES = {
    "preface and headings": '<p>before</p>\n<h1 id="t">Title</h1>\n<p>a</p>\n<h2 id="x">X<a class="headerlink" href="#x">¶</a></h2>\n<p>b</p>',
    "first heading not h1": '<h2 id="a">A</h2><p>text</p><h3 id="b">B</h3>',
    "heading without id": "<h2>Plain</h2><p>text</p>",
    "whitespace collapsed, kept in pre": "<p>a\nb</p>\n\n  \n<pre><code>x\n  y\n\n</code></pre>",
    "empty kept tags dropped": "<ul>\n<li> </li>\n<li>x</li>\n<li>\n</li>\n</ul><p></p>",
    "first occurrence decides": "<ul><li>a</li><li> </li></ul>",
    "excluded by attribute, same-tag nesting": '<div data-search-exclude><div>in</div><p>still</p></div><p>after</p>',
    "excluded heading section": '<h2 id="d" data-search-exclude>Hidden</h2><p>x</p><h2 id="e">Shown</h2><p>y</p>',
    "line numbers skipped": '<table><tr><td class="linenodiv"><pre>1\n2</pre></td><td><pre>code</pre></td></tr></table>',
    "object skipped for good": "<object><p>gone</p></object><p>also gone? no</p>",
    "entities in text and attributes": '<h2 id="a&amp;b">A &amp; B &lt;tag&gt;</h2><p>&nbsp;x&#39;s &unknown; &#x41;</p>',
    "void and self-closing": '<p>a<br>b<br/>c<img src="x.png" alt="y"/>d<span/>e</p><hr>',
    "mismatched end tags ignored": "<p>a</span>b</div></p><p>c",
    "nested heading closes back": '<div><h2 id="in">In</h2><p>x</p></div><p>out</p>',
    "comment splits data": "<p>a <!-- c --> b</p><p> <!--x-->\n</p>",
    "uppercase tags": '<P>Up</P><H2 ID="u">U</H2>',
    "bare and empty attributes": '<p hidden class="">x</p><input checked type="radio">',
    "keep tags in title": '<h2 id="k">A <code>b</code> <sub>2</sub></h2>',
}


@pytest.mark.parametrize("html", CASES.values(), ids=CASES.keys())
def test_material_rules_case_by_case(html):
    assert same(html)


LEFT_TO_MATERIAL = {
    "script": "<p>a</p><script>if (a < b) {}</script>",
    "style": "<style>p > a {}</style><p>x</p>",
    "a bare <": "<p>a < b</p>",
    "unquoted attribute": "<p class=x>y</p>",
    "single-quoted attribute": "<p class='x'>y</p>",
    "doctype": "<!DOCTYPE html><p>x</p>",
    "processing instruction": "<?xml version='1.0'?><p>x</p>",
    "comment with --": "<!-- a -- b --><p>x</p>",
    "end tag with attribute": '<p>x</p class="y">',
    "textarea": "<textarea><p>x</p></textarea>",
}


@pytest.mark.parametrize("html", LEFT_TO_MATERIAL.values(), ids=LEFT_TO_MATERIAL.keys())
def test_html_outside_the_subset_is_left_to_material(html):
    assert fast.sections(html) is None


# --- generated HTML ---------------------------------------------------------------------

TAGS = ["p", "div", "span", "a", "code", "pre", "ul", "ol", "li", "sub", "sup", "strong",
        "h1", "h2", "h3", "h6", "table", "tr", "td", "details", "summary", "object", "em"]
VOID = ["br", "hr", "img", "input", "wbr"]
ATTRS = ['id="s1"', 'id="s2"', 'id="x&amp;y"', 'class="headerlink"', 'class="linenodiv"',
         "data-search-exclude", 'data-search-exclude=""', 'class="x"', 'title="a &lt; b"', "hidden"]
TEXT = st.sampled_from(["", " ", "\n", "  \n  ", "텍스트", "a\nb", "x &amp; y", "&lt;b&gt;", "&nbsp;",
                        "&#39;", "&unknown;", "&", "¶", "1 > 0", "\t"])


def attrs():
    return st.lists(st.sampled_from(ATTRS), max_size=2).map(lambda a: "".join(" " + x for x in a))


def node(children):
    element = st.tuples(st.sampled_from(TAGS), attrs(), children, st.sampled_from(["close", "open", "wrong"]))
    return st.one_of(
        TEXT,
        st.tuples(st.sampled_from(VOID), attrs(), st.sampled_from([">", "/>", " />"])).map(lambda v: f"<{v[0]}{v[1]}{v[2]}"),
        st.sampled_from(["<!-- c -->", "<!---->", "<span/>", "<p/>"]),
        element.map(lambda e: f"<{e[0]}{e[1]}>{e[2]}" + {"close": f"</{e[0]}>", "open": "", "wrong": "</div>"}[e[3]]),
    )


HTML = st.recursive(TEXT, lambda inner: st.lists(node(inner), max_size=5).map("".join), max_leaves=40)


@given(HTML)
@example('<h2 id="s1"><p>x</p></h2><li> </li><li>y</li>')
def test_generated_html_gives_materials_sections(html):
    same(html)


@given(st.lists(node(TEXT), max_size=12).map("".join))
def test_generated_html_is_mostly_read_here(html):
    """The subset is the common case: well-formed generated HTML is read here, not
    passed on (what Material's parser cannot read, neither does `sections`)."""
    try:
        material(html)
    except ValueError:
        return
    assert same(html)


# --- where it is used -------------------------------------------------------------------

class Page:
    def __init__(self, content: str, meta: dict | None = None):
        self.content, self.meta, self.toc, self.url, self.title = content, meta or {}, [], "p/", "P"


def test_install_keeps_materials_entries_and_counts():
    plugin = SearchPlugin()
    plugin.search_index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    reference = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    entries = fast.install(plugin)
    assert entries is not None and plugin.search_index.add_entry_from_context is entries
    pages = [Page('<h1 id="t">T</h1><p>a</p><h2 id="b">B</h2><p>b</p>', {"tags": ["x"]}),
             Page("<p>a < b</p>"),  # Material's parser reads this one
             Page("<p>hidden</p>", {"search": {"exclude": True}})]
    for page in pages:
        plugin.search_index.add_entry_from_context(page)
        reference.add_entry_from_context(page)
    assert plugin.search_index.entries == reference.entries
    assert (entries.read, entries.passed) == (1, 1)
    # The class is untouched: another index still runs Material's own method.
    assert "add_entry_from_context" not in vars(reference)


def test_install_leaves_other_indexes_alone():
    class Other(SearchIndex):
        pass

    plugin = SearchPlugin()
    plugin.search_index = Other(lang=["en"], separator="", pipeline=[], fields={})
    assert fast.install(plugin) is None
    assert "add_entry_from_context" not in vars(plugin.search_index)
    assert fast.install(None) is None


def build(project, on: bool) -> tuple[str, str]:
    site = os.path.join(project, "site-on" if on else "site-off")
    return site, build_verbose(project, site, fast_search_index=on)


def test_the_bundled_site_and_its_search_index_are_the_same(tmp_path):
    copy_project(str(tmp_path))
    off, log_off = build(tmp_path, False)
    on, log_on = build(tmp_path, True)
    assert "search sections read" not in log_off
    line = next(line for line in log_on.splitlines() if "search sections read" in line)
    read = int(line.split("read on ")[1].split(" ")[0])
    assert read > 30  # nearly every page of the bundled site: the fast path is the common one
    site = assert_same(on, off)
    assert len(site["search/search_index.json"]) > 10_000
    assert files(on) == files(off)
