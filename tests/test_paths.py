"""Nothing from the data decides where a file goes outside the output folder: slugs are
made of letters, digits, Hangul and dashes; snippet and Jekyll page paths stay inside
their folders; two topics that would share a path are an error naming both."""
from __future__ import annotations

import os
import re
import unicodedata

import pytest

from bad_inputs import BASE, GOOD_TOPIC, HEADER
from conftest import run_kbgen
from kbgen.apply import outside_site
from kbgen.diagnostics import Report
from kbgen.model import SLUG_PATTERN, Topic
from kbgen.project import load_project, make_slug
from kbgen.schema import Validator
from test_bad_input import make_project


@pytest.mark.parametrize("title, slug", [
    ("LSTM (Long Short Term Memory)", "lstm"),
    ("ＬＳＴＭ 장단기 메모리", "lstm-장단기-메모리"),  # full-width letters read as letters
    (unicodedata.normalize("NFD", "합성곱 신경망"), "합성곱-신경망"),  # typed on macOS
    ("..／..／etc／passwd", "etc-passwd"),
    ("．．\u2025\u2026 숨은 점", "숨은-점"),  # full-width dots, two- and three-dot leaders
    ("\u202eevil\u202c 제목\u200f", "evil-제목"),  # bidi marks and zero-width characters go
    ("C:\\Windows\\System32", "c-windows-system32"),
    ("제목.  ", "제목"),  # no trailing dots or spaces
    ("이름\0널", "이름-널"),
    ("가" * 300, "가" * 80),  # 240 bytes: a file name stays under 255 bytes
])
def test_slugs_are_safe_readable_and_stable(title, slug):
    assert make_slug(title) == slug
    assert re.match(SLUG_PATTERN, slug)


@pytest.mark.parametrize("value", ["..", "../x", "a/b", "a\\b", "/abs", "C:x", "．．", "\u2025", "x\0y", "\u202ex",
                                   "Caps", "a b", "x" * 81, ".hidden", "-x"])
def test_a_slug_in_a_topic_file_cannot_name_a_path(value):
    report = Report()
    assert Validator(report, "t.yml").build(Topic, {"title": "t", "slug": value}) is None
    assert report.errors and report.errors[0].where.field == "slug"


@pytest.mark.parametrize("rel", ["../x", "docs/../../x", "/etc", "\\\\server\\share", "C:/x", "c:x", "docs\\..\\..\\x",
                                 "docs/.. /x", "docs/.../x", "x\0y"])
def test_jekyll_page_paths_outside_the_site_are_refused(rel):
    assert outside_site(rel)


@pytest.mark.parametrize("rel", ["docs/ai/lstm.md", "docs", "", "./docs", "a.b/c..d.md"])
def test_jekyll_page_paths_inside_the_site_are_kept(rel):
    assert not outside_site(rel)


def test_kbgen_apply_refuses_a_folder_outside_the_site(tmp_path):
    project = tmp_path / "p"
    project.mkdir()
    make_project(project, {})
    with open(project / "kbgen.yml", "a", encoding="utf-8") as fh:
        fh.write("jekyll:\n  site: site\n  folder: ../../escaped\n")
    result = run_kbgen("apply", cwd=str(project))
    assert result.returncode == 2
    assert ("kbgen.yml, field 'jekyll.folder': error: folder '../../escaped' is outside the site "
            "(give a folder inside the Jekyll site, e.g. docs)") in result.stdout
    assert not (tmp_path / "escaped").exists() and not (project / "site").exists()


def test_a_snippet_that_links_outside_the_snippets_folder_is_refused(tmp_path):
    make_project(tmp_path, {"kbgen.yml": BASE["kbgen.yml"] + "snippets: snippets\n",
                            "data/topics/t.yml": GOOD_TOPIC + "snippets:\n  - path: snippets/run.py\n"})
    (tmp_path / "snippets").mkdir()
    outside = tmp_path / "elsewhere.py"
    outside.write_text("print('ran')\n", encoding="utf-8")
    os.symlink(outside, tmp_path / "snippets" / "run.py")
    project = load_project(str(tmp_path / "kbgen.yml"))
    assert [d.format() for d in project.report.errors] == [
        "data/topics/t.yml, line 5, column 5, field 'snippets[0].path': error: snippet path 'snippets/run.py' "
        "leads outside snippets (keep snippets inside snippets: they are run by the build)"]


def test_two_titles_that_normalise_to_one_slug_are_an_error_naming_both(tmp_path):
    rows = HEADER + "1,딥러닝,LSTM,,정의 하나,\r\n2,딥러닝,ＬＳＴＭ,,정의 둘,\r\n"
    make_project(tmp_path, {"data/ai.csv": rows})
    result = run_kbgen("lint", cwd=str(tmp_path))
    assert result.returncode == 2
    assert ("data/ai.csv, row 3 (line 3): error: topics 'LSTM' (data/ai.csv, row 2 (line 2)) and 'ＬＳＴＭ' "
            "share the slug 'lstm' (give one of them its own `slug:` in a YAML file)") in result.stdout
