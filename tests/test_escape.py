"""Text is text: whatever a cell holds reaches the HTML as the characters typed, through
the site's real Markdown extensions, in every context a renderer puts data in."""
from __future__ import annotations

import os
from html.parser import HTMLParser

import markdown
import pytest
from hypothesis import given, strategies as st
from mkdocs.config import load_config

from conftest import ROOT
from kbgen.render.text import html_text, md


@pytest.fixture(scope="module")
def convert():
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    cfg = load_config(os.path.join(ROOT, "mkdocs.yml"))
    md_ = markdown.Markdown(extensions=cfg.markdown_extensions, extension_configs=cfg.mdx_configs)

    def run(source: str) -> str:
        md_.reset()
        return md_.convert(source)
    return run


class _Text(HTMLParser):
    def __init__(self, tag: str):
        super().__init__(convert_charrefs=True)
        self.tag, self.depth, self.parts, self.tags, self.seen = tag, 0, [], [], 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == self.tag:
            self.seen += 1
            if self.seen == 1 or self.depth:  # the first such element only
                self.depth += 1
        if tag == "br" and self.depth:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == self.tag and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.parts.append(data)


def text_of(html_text: str, tag: str) -> tuple[str, list[str]]:
    p = _Text(tag)
    p.feed(html_text)
    return "".join(p.parts), p.tags


# Where renderers put data: the marked element holds exactly the escaped text.
CONTEXTS = {
    "p": "{x}\n\nafter",
    "li": "- {x}\n- other",
    "td": "| a | b |\n|---|---|\n| {x} | tail |",
    "h3": "### {x}",
    "strong": "**{x}**: rest",
    "code": "<code>{x}</code>",
}

NASTY = ["<", ">", "&", "*", "_", "|", "{", "}", "`", "$", "\\", "[", "]", "(", ")", "#", "+", "-",
         "!", "~", "^", "=", ":", "\"", "'", "1.", "1)", "&lt;", "&#42;", "<b>", "</td>", "{: .x }",
         "$$", "<!--", "-->", "```", "{{ x }}", "{% if %}", "**", "__", "- ", "> ", "# ", "==",
         "http://a.b", "<script>alert(1)</script>", "ReLU(x) = { 0 if x < 0", " > ", "망각게이트", "x^2"]

text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(alphabet="ab 가나\t", max_size=3)),
                max_size=12).map("".join).filter(lambda s: s.strip())


def norm(s: str) -> str:
    return " ".join(s.split())


@pytest.mark.parametrize("context", list(CONTEXTS))
@given(value=text)
def test_escaped_text_renders_as_typed(convert, context, value):
    source = CONTEXTS[context].replace("{x}", md(value))
    out = convert(source)
    got, tags = text_of(out, context)
    got = got.removesuffix("¶")  # the heading's permalink
    tags = [t for t in tags if t != "a"] if context == "h3" else tags
    assert norm(got) == norm(value), (source, out)
    assert not {"em", "script", "a", "img", "b"} & set(tags), out
    assert "arithmatex" not in out


# kbgen's raw HTML blocks (tables, the source list): Markdown leaves them alone.
HTML_CONTEXTS = {
    "td": "<table>\n<tbody>\n<tr><td>{x}</td><td>tail</td></tr>\n</tbody>\n</table>",
    "li": "<details class=\"note\">\n<summary>s</summary>\n<ul>\n<li>{x}</li>\n</ul>\n</details>",
}


@pytest.mark.parametrize("context", list(HTML_CONTEXTS))
@given(value=text)
def test_html_escaped_text_renders_as_typed(convert, context, value):
    out = convert(HTML_CONTEXTS[context].replace("{x}", html_text(value)))
    got, tags = text_of(out, context)
    assert norm(got) == norm(value), out
    assert not {"em", "script", "a", "img", "b"} & set(tags), out


def test_multiline_value_stays_in_one_table_cell(convert):
    out = convert("| a | b |\n|---|---|\n| " + md("first | line\n- second") + " | tail |")
    got, _ = text_of(out, "td")
    assert got.split("tail")[0] == "first | line\n- second"
