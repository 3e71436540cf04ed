"""`kbgen apply` on an existing Jekyll site holding the seed page: the old body is backed
up once, reapplying changes nothing, user additions survive, unmapped pages are never
touched, new topics get new pages, and the result builds in a real Jekyll."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import ROOT, copy_project, run_kbgen, snapshot

SEED = os.path.join(ROOT, "tests", "fixtures", "seeds", "lstm_csv_page_just_the_docs.md")  # copy of ../shared/seeds
LSTM = os.path.join("site", "docs", "ai", "deep-learning", "lstm.md")
BACKUP = "<summary>🗂️ 기존 내용 (백업)</summary>"


@pytest.fixture
def project(tmp_path):
    copy_project(str(tmp_path))
    (tmp_path / "site" / "docs" / "ai" / "deep-learning").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / LSTM)
    (tmp_path / "site" / "docs" / "about.md").write_text("---\ntitle: 소개\n---\n손으로 쓴 소개\n", encoding="utf-8")
    with open(tmp_path / "kbgen.yml", "a", encoding="utf-8") as fh:
        fh.write("jekyll:\n  site: site\n  folder: docs\n  pages:\n"
                 "    - {topic: ai/15, page: docs/ai/deep-learning/lstm.md}\n")
    return tmp_path




def test_first_application_backs_up_the_old_body_once(project):
    with open(SEED, encoding="utf-8") as fh:
        seed = fh.read()
    front, body = seed[:seed.index("\n---\n", 3) + 5], seed[seed.index("\n---\n", 3) + 5:]
    result = run_kbgen("apply", cwd=str(project))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "docs/ai/deep-learning/lstm.md: applied for the first time" in result.stdout
    page = (project / LSTM).read_text(encoding="utf-8")
    assert page.startswith(front)  # the site's own front matter, as it was
    assert page.count(BACKUP) == 1 and page.count(body) == 1  # the old body, byte for byte, once
    assert page.index("<!-- kbgen:end -->") < page.index(BACKUP)
    assert "해결한 순환 신경망" in page and "핵심 개념/대상" in page.split(BACKUP)[1]
    assert (project / "site" / "docs" / "about.md").read_text(encoding="utf-8") == "---\ntitle: 소개\n---\n손으로 쓴 소개\n"
    gru = (project / "site" / "docs" / "ai" / "dl" / "gru.md").read_text(encoding="utf-8")
    assert 'parent: "2. 딥러닝"' in gru and 'grand_parent: "AI (인공지능)"' in gru


def test_twenty_reapplications_change_nothing_and_keep_additions(project):
    assert run_kbgen("apply", cwd=str(project)).returncode == 0
    with open(project / LSTM, "a", encoding="utf-8") as fh:
        fh.write("\n## 덧붙인 메모\n\n시험장에서는 게이트 순서부터.\n")
    before = snapshot(project / "site")
    for _ in range(20):
        again = run_kbgen("apply", cwd=str(project))
        assert again.returncode == 0 and again.stdout.strip().endswith(" unchanged, 0 refused"), again.stdout
        assert again.stdout.startswith("0 written, "), again.stdout
    assert snapshot(project / "site") == before
    csv = project / "data" / "ai" / "기술사_기본필수노트_AI - AI.csv"
    csv.write_bytes(csv.read_bytes().replace("해결한 순환 신경망".encode(), "해결한 RNN 변형".encode(), 1))
    assert run_kbgen("apply", cwd=str(project)).returncode == 0
    page = (project / LSTM).read_text(encoding="utf-8")
    assert "해결한 RNN 변형" in page.split(BACKUP)[0] and page.count(BACKUP) == 1
    assert page.endswith("## 덧붙인 메모\n\n시험장에서는 게이트 순서부터.\n")
    old = before[os.path.join("docs", "ai", "deep-learning", "lstm.md")][0].decode("utf-8")
    assert page.split(BACKUP)[1] == old.split(BACKUP)[1]  # backup and additions byte for byte


def test_damaged_markers_leave_the_page_alone(project):
    assert run_kbgen("apply", cwd=str(project)).returncode == 0
    damaged = (project / LSTM).read_text(encoding="utf-8").replace("<!-- kbgen:end -->", "")
    (project / LSTM).write_text(damaged, encoding="utf-8")
    result = run_kbgen("apply", cwd=str(project))
    assert result.returncode == 2 and "docs/ai/deep-learning/lstm.md: error: left untouched" in result.stdout
    assert (project / LSTM).read_text(encoding="utf-8") == damaged


def test_applied_site_builds_in_jekyll(project):
    assert shutil.which("jekyll"), "Jekyll is missing: run `bash .ci/deps`"
    assert run_kbgen("apply", cwd=str(project)).returncode == 0
    site = project / "site"
    (site / "_layouts").mkdir()
    (site / "_layouts" / "default.html").write_text("<html><body><main>{{ content }}</main></body></html>\n",
                                                   encoding="utf-8")
    (site / "_config.yml").write_text("markdown: kramdown\n", encoding="utf-8")
    built = subprocess.run(["jekyll", "build", "--quiet", "-s", str(site), "-d", str(project / "_site")],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    html = (project / "_site" / "docs" / "ai" / "deep-learning" / "lstm.html").read_text(encoding="utf-8")
    assert "🗂️ 기존 내용 (백업)" in html and 'class="fs-8"' in html
    assert "<h2" in html.split("기존 내용 (백업)")[1]  # the backed-up body is still rendered Markdown
