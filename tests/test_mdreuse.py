"""kbgen.mdreuse: one Markdown converter per build process, reset between pages, gives
every page exactly what a new converter per page (MkDocs's way) gives."""
from __future__ import annotations

import os

import markdown
import pytest

from conftest import copy_project
from kbgen import mdreuse
from test_navcache import assert_same, build_verbose

# Each extension's settings as a site would set them; every name in VERIFIED is here.
CONFIGS = {
    "toc": {"permalink": True}, "tables": {}, "fenced_code": {}, "admonition": {}, "attr_list": {},
    "def_list": {}, "footnotes": {}, "abbr": {}, "md_in_html": {}, "sane_lists": {}, "nl2br": {},
    "smarty": {}, "meta": {}, "pymdownx.details": {},
    "pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid",
                                                "format": __import__("pymdownx.superfences").superfences.fence_code_format}]},
    "pymdownx.tabbed": {"alternate_style": True}, "pymdownx.tasklist": {"custom_checkbox": True},
    "pymdownx.arithmatex": {"generic": True}, "pymdownx.highlight": {}, "pymdownx.inlinehilite": {},
    "pymdownx.mark": {}, "pymdownx.caret": {}, "pymdownx.tilde": {}, "pymdownx.keys": {},
    "pymdownx.betterem": {}, "pymdownx.smartsymbols": {}, "pymdownx.emoji": {}, "pymdownx.critic": {},
    "pymdownx.magiclink": {},
}

# Documents that leave state behind in a converter that is not reset: footnote numbers,
# abbreviations, link references, tab set counters, heading ids, meta data, stashed code.
DOCS = [
    """title: First
tags: a

# Title

Text with a footnote[^1] and an abbreviation HTML, a [ref link][r] and <https://example.com>.

[^1]: The note.
*[HTML]: Hyper Text Markup Language
[r]: https://example.org

## Same

## Same

=== "One"

    Tab one with $x^2$ and `#!python print(1)`.

=== "Two"

    Tab two.

??? note "Folded"

    Inside. ==mark== ^^ins^^ ~~del~~ ++ctrl+c++ "quotes" -- (c)

- [ ] open task
- [x] done task

Term
:   Definition

<div markdown="1">**inside html**</div>

```mermaid
graph LR; A-->B
```

```python
def f(x):
    return x
```

| a | b |
|---|---|
| 1 | 2 |

{++added++} :smile:
""",
    """# Second

Another footnote[^1], HTML again, [r] unresolved here, and a second tab set:

=== "A"

    a

=== "B"

    b

## Same

!!! tip
    Tip $$y = 1$$

```text
plain
```
""",
    "# Third\n\nNo state at all: just HTML and text.\n\n1. one\n2. two\n",
]


def convert_fresh(extensions: list[str], docs: list[str]) -> list[tuple[str, list, dict]]:
    out = []
    for doc in docs:
        md = markdown.Markdown(extensions=extensions, extension_configs={e: CONFIGS[e] for e in extensions})
        out.append((md.convert(doc), getattr(md, "toc_tokens", []), getattr(md, "Meta", {})))
    return out


def convert_reused(extensions: list[str], docs: list[str], reset: bool = True) -> list[tuple[str, list, dict]]:
    md = markdown.Markdown(extensions=extensions, extension_configs={e: CONFIGS[e] for e in extensions})
    out = []
    for doc in docs:
        if reset:
            md.reset()
        out.append((md.convert(doc), getattr(md, "toc_tokens", []), getattr(md, "Meta", {})))
    return out


def test_every_verified_extension_has_settings_here():
    assert set(CONFIGS) == mdreuse.VERIFIED


@pytest.mark.parametrize("extension", sorted(mdreuse.VERIFIED))
def test_each_verified_extension_converts_alike_reused(extension):
    docs = DOCS + DOCS[::-1]  # each document after each other one
    assert convert_reused([extension], docs) == convert_fresh([extension], docs)


def test_all_verified_extensions_together_convert_alike_reused():
    extensions = sorted(mdreuse.VERIFIED)
    docs = DOCS + DOCS[::-1] + DOCS
    fresh = convert_fresh(extensions, docs)
    assert convert_reused(extensions, docs) == fresh
    # The documents do leave state behind: without reset() the second page differs.
    stale = convert_reused(extensions, docs, reset=False)
    assert stale[1][0] != fresh[1][0]


class _Config(dict):
    pass


def test_why_not():
    config = _Config(markdown_extensions=["toc", "tables", "markdown.extensions.fenced_code", "pymdownx.tabbed"],
                     mdx_configs={})
    assert mdreuse.why_not(config) is None
    config["markdown_extensions"] = ["toc", "pymdownx.snippets", "my_ext"]
    assert mdreuse.why_not(config) == "markdown extension(s) my_ext, pymdownx.snippets not known to reset"
    config["markdown_extensions"] = ["toc", markdown.extensions.Extension()]
    assert "not known to reset" in mdreuse.why_not(config)


def test_an_unknown_page_render_is_not_replaced(monkeypatch):
    from mkdocs.structure import pages

    def render(self, config, files):  # another MkDocs's render
        self.content = ""

    monkeypatch.setattr(pages.Page, "render", render)
    assert mdreuse.why_not(_Config(markdown_extensions=["toc"], mdx_configs={})) == \
        "MkDocs's Page.render is not the one kbgen knows"


def test_only_pages_that_render_as_mkdocs_does_are_converted_by_it(monkeypatch):
    from mkdocs.structure import pages

    converter = mdreuse.Converter(_Config(markdown_extensions=["toc"], mdx_configs={}))

    class Page(pages.Page):  # no __init__ needed: `applies` reads the type and the instance
        def __init__(self):
            pass

    class Post(Page):  # a plugin's page type with its own conversion
        def render(self, config, files):
            self.content = ""

    assert converter.applies(Page())
    assert not converter.applies(Post())
    replaced = Page()
    replaced.render = lambda config, files: None  # kbgen.parallel's page of the other process
    assert not converter.applies(replaced)
    monkeypatch.setattr(pages.Page, "render", Post.render)  # patched after the check
    assert not converter.applies(Page())


PAGES = {
    "notes/first.md": DOCS[1].replace("# Second", "# Notes first"),
    "notes/second.md": "# Notes second\n\nA footnote[^1] here too.\n\n[^1]: Its own note.\n\n=== \"X\"\n\n    x\n",
}


def test_the_bundled_site_is_the_same_with_one_converter(tmp_path):
    """Hand-written pages with footnotes and tabs too, next to kbgen's."""
    project = str(tmp_path)
    copy_project(project)
    for rel, text in PAGES.items():
        path = os.path.join(project, "docs", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    with open(os.path.join(project, "mkdocs.yml"), "a", encoding="utf-8") as fh:
        fh.write("  - 메모: [notes/first.md, notes/second.md]\n")
    with open(os.path.join(project, "mkdocs.yml"), encoding="utf-8") as fh:
        text = fh.read()
    with open(os.path.join(project, "mkdocs.yml"), "w", encoding="utf-8") as fh:
        fh.write(text.replace("markdown_extensions:\n", "markdown_extensions:\n  - footnotes\n", 1))
    off_log = build_verbose(project, os.path.join(project, "site-off"), reuse_markdown=False)
    on_log = build_verbose(project, os.path.join(project, "site-on"), reuse_markdown=True)
    site = assert_same(os.path.join(project, "site-on"), os.path.join(project, "site-off"))
    assert "one Markdown converter" not in off_log
    converted = int(on_log.split("kbgen: pages converted by one Markdown converter: ")[1].split()[0])
    assert converted == len([p for p in site if p.endswith(".html") and p != "404.html"])
    # the search index is segmented in memory and written once (kbgen.search.KoreanIndex)
    assert "kbgen: the search index was segmented before Material wrote it" in on_log
    assert 'class="footnote"' in site["notes/second/index.html"].decode("utf-8")


HOOK = '''
def on_config(config):
    config.markdown_extensions.append("{name}")
    return config
'''


@pytest.mark.parametrize("name", ["footnotes", "pymdownx.snippets"])
def test_an_extension_another_plugin_adds_in_on_config_is_seen(tmp_path, name):
    """Hooks' (and other plugins') on_config run after kbgen's: the converter is made
    later, from the final list of extensions."""
    project = str(tmp_path)
    copy_project(project)
    path = os.path.join(project, "docs", "notes.md")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("# Notes\n\nA footnote[^1].\n\n[^1]: The note.\n")
    with open(os.path.join(project, "hooks.py"), "w", encoding="utf-8") as fh:
        fh.write(HOOK.format(name=name))
    with open(os.path.join(project, "mkdocs.yml"), "a", encoding="utf-8") as fh:
        fh.write("  - notes.md\nhooks:\n  - hooks.py\n")
    output = build_verbose(project, os.path.join(project, "site"))
    with open(os.path.join(project, "site", "notes", "index.html"), encoding="utf-8") as fh:
        html = fh.read()
    if name == "footnotes":
        assert 'class="footnote"' in html
        assert "kbgen: pages converted by one Markdown converter" in output
    else:
        assert "kbgen: a Markdown converter per page (markdown extension(s) pymdownx.snippets not known to reset)" in output
        assert "one Markdown converter" not in output
