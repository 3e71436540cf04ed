"""kbgen.navcache: Material's navigation rendered once per group of sibling pages and
reused gives the same site, file by file and byte for byte, as stock Material rendering
it on every page (`reuse_nav: false`), whatever the shape of the nav."""
from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys

import pytest
from mkdocs.utils import get_theme_dir

from conftest import copy_project, files
from kbgen.navcache import _slots

REUSED = re.compile(r"kbgen: Material's navigation reused on (\d+) page\(s\)")


def set_option(project, **opts) -> None:
    """The kbgen plugin's options in mkdocs.yml set to `opts` (any earlier ones dropped)."""
    path = os.path.join(project, "mkdocs.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    values = {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in opts.items()}
    block = "  - kbgen:" + "".join(f"\n      {k}: {v}" for k, v in values.items())
    text, n = re.subn(r"^  - kbgen\b.*$(\n      \w+: .*$)*", block, text, count=1, flags=re.MULTILINE)
    assert n == 1
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def edit(project, old: str, new: str) -> None:
    path = os.path.join(project, "mkdocs.yml")
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    assert text.count(old) == 1, old
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text.replace(old, new))


def append(project, text: str) -> None:
    """Top-level keys, or entries of `nav:` (the last block of the bundled mkdocs.yml)."""
    with open(os.path.join(project, "mkdocs.yml"), "a", encoding="utf-8") as fh:
        fh.write(text)


def write(project, pages: dict[str, str]) -> None:
    for rel, text in pages.items():
        path = os.path.join(project, "docs", rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)


def build_verbose(project, site: str, **options) -> str:
    """`mkdocs build --strict -v` in one process with the plugin's `options` into `site`;
    returns the log, which must hold no warning."""
    set_option(project, workers=1, **options)
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-v", "-d", site],
                            cwd=project, capture_output=True, text=True, timeout=300, check=False,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    assert "WARNING" not in output, output[-3000:]
    return output


def build(project, reuse: bool) -> tuple[str, int | None]:
    """The site folder, and how many pages the log says reused the navigation (None: no
    such line)."""
    site = os.path.join(project, "site-on" if reuse else "site-off")
    output = build_verbose(project, site, reuse_nav=reuse)
    # Material's tabs (kbgen.themecache) are reused with the navigation, never without.
    assert ("Material's tabs reused on" in output) == reuse, output[-3000:]
    counts = REUSED.findall(output)
    assert len(counts) <= 1, counts
    return site, int(counts[0]) if counts else None


def assert_same(on: str, off: str) -> dict[str, bytes]:
    """Every file of the two sites byte-identical; else the first difference, as a diff."""
    a, b = files(on), files(off)
    assert sorted(a) == sorted(b)
    differ = sorted(path for path in a if a[path] != b[path])
    if differ:
        first = differ[0]
        diff = difflib.unified_diff(b[first].decode("utf-8", "replace").splitlines(),
                                    a[first].decode("utf-8", "replace").splitlines(),
                                    "reuse_nav: false", "reuse_nav: true", lineterm="", n=2)
        pytest.fail(f"{len(differ)} file(s) differ: {differ[:5]}; {first}:\n" + "\n".join(list(diff)[:40]))
    return a


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    return tmp_path


def test_the_bundled_site_is_the_same_with_the_navigation_reused(project):
    """Also Material's tabs and labels (kbgen.themecache), which `reuse_nav` switches too."""
    off, none = build(project, False)
    on, reused = build(project, True)
    site = assert_same(on, off)
    assert none is None  # stock rendering: the cache is not even installed
    # Most topic pages have siblings in their category: reuse is the common case.
    assert reused is not None and reused > 10
    assert len([p for p in site if p.endswith("index.html")]) > 30


HEADINGS = "# {title}\n\nText.\n\n## Part one\n\nMore.\n\n### Detail\n\nEnd.\n\n## Part two\n\nLast.\n"

# Hand-written pages in the shapes the cache must get right or leave alone.
PAGES = {
    "notes/index.md": HEADINGS.format(title="Notes overview"),  # a section's index page
    "notes/a.md": HEADINGS.format(title="A"),
    "notes/a/b.md": HEADINGS.format(title="B under A"),  # its URL under a.md's (directory URLs)
    "notes/c.md": HEADINGS.format(title="C"),
    "notes/deep/d.md": HEADINGS.format(title="D deeper"),  # same section, another folder
    "notes/plain.md": "No heading at all, so no table of contents.\n\nA second paragraph.\n",
    "notes/deep/e.md": HEADINGS.format(title="E deeper"),
    "notes/hidden.md": "---\nhide:\n  - navigation\n  - toc\n---\n" + HEADINGS.format(title="Hidden"),
    "notes/sub/index.md": HEADINGS.format(title="Sub overview"),
    "notes/sub/f.md": HEADINGS.format(title="F"),
    "notes/sub/g.md": HEADINGS.format(title="G"),
    "notes/sub/deeper/h.md": HEADINGS.format(title="H"),
    "notes/x.md": HEADINGS.format(title="X shallow in a deep section"),
    "notes/sub/deeper/i.md": HEADINGS.format(title="I"),
    "other/j.md": HEADINGS.format(title="J"),
    "other/k.md": "# K\n\nOnly a title.\n",
}
NAV = """  - Notes:
      - notes/index.md
      - notes/a.md
      - notes/a/b.md
      - notes/c.md
      - notes/deep/d.md
      - notes/plain.md
      - notes/deep/e.md
      - notes/hidden.md
      - Sub:
          - notes/sub/index.md
          - notes/sub/f.md
          - notes/sub/g.md
          - Deeper:
              - notes/sub/deeper/h.md
              - notes/x.md
              - notes/sub/deeper/i.md
  - Other:
      - other/j.md
      - other/k.md
"""


@pytest.mark.parametrize("indexes,directory_urls", [(True, True), (False, True), (True, False)],
                         ids=["indexes", "no-indexes", "no-directory-urls"])
def test_hand_written_nav_shapes_are_the_same_with_the_navigation_reused(project, indexes, directory_urls):
    write(project, PAGES)
    append(project, NAV)
    if not indexes:
        edit(project, "    - navigation.indexes", "")
    if not directory_urls:
        append(project, "use_directory_urls: false\n")
    off, _ = build(project, False)
    on, reused = build(project, True)
    site = assert_same(on, off)
    assert reused is not None and reused > 10
    # The hand-written pages are built, where the URL style puts them.
    for rel in ("notes/a/b", "notes/plain", "notes/sub/deeper/i", "other/k"):
        assert (os.path.join(rel, "index.html") if directory_urls else rel + ".html") in site


def test_which_pages_share_their_navigation(tmp_path):
    """The groups of the hand-written nav, as `_slots` makes them: the pages left out are
    left out, and pages in one section share only within their URL folder."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.nav import get_navigation

    write(tmp_path, {**PAGES, "index.md": "# Home\n"})

    def slots(**extra):
        with open(tmp_path / "mkdocs.yml", "w", encoding="utf-8") as fh:
            fh.write("site_name: t\nnav:\n  - index.md\n" + NAV)
        config = load_config(str(tmp_path / "mkdocs.yml"), **extra)
        nav = get_navigation(get_files(config), config)
        found = _slots(nav)
        return {page.file.src_uri: found[id(page)] for page in nav.pages if id(page) in found}

    got = slots()
    # The home page, index pages, and a page with another page's URL under its own.
    for left_out in ("index.md", "notes/index.md", "notes/sub/index.md", "notes/a.md"):
        assert left_out not in got
    key = {rel: slot.key for rel, slot in got.items()}
    assert key["notes/c.md"] == key["notes/plain.md"] == key["notes/hidden.md"]
    assert key["notes/deep/d.md"] == key["notes/deep/e.md"] != key["notes/c.md"]
    assert key["notes/sub/f.md"] == key["notes/sub/g.md"]
    assert key["notes/sub/deeper/h.md"] == key["notes/sub/deeper/i.md"] != key["notes/x.md"]
    assert key["other/j.md"] != key["notes/c.md"]
    assert key["notes/a/b.md"] not in {key["notes/c.md"], key["notes/deep/d.md"]}
    # Each page's place as nav.html passes it to Material's macro.
    assert (got["notes/c.md"].level, got["notes/c.md"].path) == (2, "__nav_2_4")
    assert (got["notes/sub/deeper/h.md"].level, got["notes/sub/deeper/h.md"].path) == (4, "__nav_2_9_4_1")
    # With .html URLs a page's links are relative to its folder, whatever is under it.
    assert "notes/a.md" in slots(use_directory_urls=False)


@pytest.mark.parametrize("partial", ["partials/nav-item.html", "partials/nav.html"])
def test_a_theme_override_of_the_navigation_turns_reuse_off(project, partial):
    # A copy of Material's partial that prints, per page, which page it is rendered for:
    # harmless for the site, but a reused navigation would carry the first page's URL.
    with open(os.path.join(get_theme_dir("material"), partial), encoding="utf-8") as fh:
        source = fh.read()
    marker = "<!-- kbgen test: rendered for {{ page.url }} -->"
    if partial == "partials/nav-item.html":
        old = '<a href="{{ nav_item.url | url }}" class="md-nav__link">\n'
        assert source.count(old) >= 1
        source = source.replace(old, old + marker + "\n")
    else:
        source += marker + "\n"
    path = project / "overrides" / partial
    path.parent.mkdir(parents=True)
    path.write_text(source, encoding="utf-8")
    edit(project, "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    off, _ = build(project, False)
    on, reused = build(project, True)
    assert reused is None  # install() left Material's rendering alone
    site = assert_same(on, off)
    lstm = site[os.path.join("ai", "dl", "lstm", "index.html")].decode()
    assert "<!-- kbgen test: rendered for ai/dl/lstm/ -->" in lstm  # the override is in use


# The two tests below are the same page linked twice in the navigation: once as its own
# entry and once by another entry that is not it. On that page the other link is "./",
# on its siblings "../name/".

def test_a_page_listed_in_two_sections_keeps_its_links(project):
    # p.md in both sections: its entry is in Second (MkDocs gives a page one parent, the
    # last), and First, pruned (navigation.prune), shows a link to its first page, p.
    write(project, {"notes/p.md": HEADINGS.format(title="P"), "notes/q.md": HEADINGS.format(title="Q")})
    append(project, "  - First:\n      - notes/p.md\n  - Second:\n      - notes/p.md\n      - notes/q.md\n")
    off, _ = build(project, False)
    on, reused = build(project, True)
    assert reused
    assert_same(on, off)


def test_a_nav_link_to_a_page_is_relative_to_each_page(project):
    # A relative link in the nav to a page's URL (MkDocs reports it at
    # validation.nav.not_found, here lowered so that --strict passes).
    write(project, {"notes/p.md": HEADINGS.format(title="P"), "notes/q.md": HEADINGS.format(title="Q")})
    append(project, "  - Section:\n      - notes/p.md\n      - notes/q.md\n  - Shortcut to Q: notes/q/\n"
                    "validation:\n  nav:\n    not_found: info\n")
    off, _ = build(project, False)
    on, reused = build(project, True)
    assert reused
    assert_same(on, off)
