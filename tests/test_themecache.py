"""kbgen.themecache: Material's tabs made once per distinct set of links, and its labels
looked up once, give the same site as Material's templates (the sites themselves are
compared in tests/test_navcache.py, whose `reuse_nav` switches these on and off too)."""
from __future__ import annotations

import os
import re

import pytest
from mkdocs.utils import get_relative_url, get_theme_dir, normalize_url

from conftest import copy_project
from kbgen.themecache import Tabs, _first_page
from test_navcache import NAV, PAGES, assert_same, build_verbose, edit, write

TABS_REUSED = re.compile(r"kbgen: Material's tabs reused on (\d+) page\(s\)")


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "html-urls"])
def test_pages_that_share_a_tabs_key_have_the_same_tab_links(tmp_path, directory_urls):
    """The key's promise, checked page by page on the hand-written nav (index pages,
    a page under another page, pages in several folders): two pages with one key
    have the same active tab and the same link for every tab."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    write(tmp_path, {**PAGES, "index.md": "# Home\n"})
    with open(tmp_path / "mkdocs.yml", "w", encoding="utf-8") as fh:
        fh.write("site_name: t\nnav:\n  - index.md\n" + NAV)
    config = load_config(str(tmp_path / "mkdocs.yml"), use_directory_urls=directory_urls)
    nav = get_navigation(get_files(config), config)
    tabs = Tabs(None)
    seen: dict[tuple, tuple] = {}
    shared = 0
    for page in nav.pages:
        for item in nav.items:  # what Material's build sets for this page
            item.active = False
        page.active = True
        base = get_relative_url(".", page.url)  # as MkDocs sets it for a page
        context = {"nav": nav, "page": page, "base_url": base}
        key = tabs._key(context)
        links = tuple((bool(item.active), normalize_url(str(_first_page(item).url), page=page, base=base))
                      for item in nav.items)
        if key in seen:
            assert seen[key] == links, page.file.src_uri
            shared += 1
        seen[key] = links
        page.active = False
    assert shared >= len(nav.pages) // 2  # a folder's pages share their tabs


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


def override(project, partial: str, old: str, new: str) -> None:
    with open(os.path.join(get_theme_dir("material"), partial), encoding="utf-8") as fh:
        source = fh.read()
    assert source.count(old) == 1
    path = project / "overrides" / partial
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source.replace(old, new), encoding="utf-8")


def test_a_theme_override_of_the_tabs_turns_their_reuse_off(project):
    # Material's tabs.html, printing per page the page it is rendered for.
    override(project, "partials/tabs.html", '<nav class="md-tabs"',
             "<!-- kbgen test: tabs for {{ page.url }} -->\n<nav class=\"md-tabs\"")
    edit(project, "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    off = build_verbose(project, str(project / "site-off"), reuse_nav=False)
    on = build_verbose(project, str(project / "site-on"), reuse_nav=True)
    assert not TABS_REUSED.search(on) and not TABS_REUSED.search(off)
    assert "navigation reused" in on  # the rest of the reuse still runs
    site = assert_same(str(project / "site-on"), str(project / "site-off"))
    assert "<!-- kbgen test: tabs for ai/dl/lstm/ -->" in site[os.path.join("ai", "dl", "lstm", "index.html")].decode()


def test_a_theme_override_of_the_labels_keeps_them(project):
    # A label of our own for the search box: an override the cached labels must not hide.
    override(project, "partials/language.html", "{% macro t(key) %}{{ lang.t(key) or fallback.t(key) or key }}",
             '{% macro t(key) %}{{ "찾기 (test)" if key == "search.placeholder" else lang.t(key) or fallback.t(key) or key }}')
    edit(project, "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    build_verbose(project, str(project / "site-off"), reuse_nav=False)
    on = build_verbose(project, str(project / "site-on"), reuse_nav=True)
    assert TABS_REUSED.search(on)  # the tabs are still reused
    site = assert_same(str(project / "site-on"), str(project / "site-off"))
    assert 'placeholder="찾기 (test)"' in site["index.html"].decode()
