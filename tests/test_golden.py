"""Golden pages: the generated Markdown of four representative topics, read and approved
by a person. After an intended change, regenerate them and review the diff:

    KBGEN_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""
from __future__ import annotations

import os

import pytest

from conftest import ROOT
from kbgen.build import generate

GOLDEN = os.path.join(ROOT, "tests", "golden", "mkdocs")
PAGES = {
    "lstm.md": "ai/dl/lstm.md",  # every block: YAML overlay, diagram, equations, two mnemonics
    "perceptron.md": "ai/dl/퍼셉트론.md",  # a mnemonic column over a 구성요소 table, a 매커니즘 cell
    "bias-variance.md": "ai/eval/편향-분산-트레이드오프.md",  # a sheet row with no sections
    "transfer-learning.md": "ai/training/transfer-learning.md",  # YAML only, no sheet row
}


@pytest.fixture(scope="module")
def pages(bundled):
    _, pages, _ = generate(bundled)
    return pages


@pytest.fixture(scope="module")
def jekyll_pages(bundled):
    _, pages, _ = generate(bundled, "jekyll")
    return pages


@pytest.mark.parametrize("name", sorted(PAGES))
def test_golden_page(pages, name):
    check(os.path.join(GOLDEN, name), pages[PAGES[name]], name)


def test_golden_jekyll_lstm(jekyll_pages):
    """The seed page's anatomy (front matter, CSV_APPLIED marker, .fs-8 title, labels,
    highlight quote, concept and tech blocks, details), filled from the data."""
    check(os.path.join(ROOT, "tests", "golden", "jekyll", "lstm.md"), jekyll_pages["ai/dl/lstm.md"], "jekyll/lstm.md")


def check(path: str, text: str, name: str) -> None:
    if os.environ.get("KBGEN_UPDATE_GOLDEN"):
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    with open(path, encoding="utf-8", newline="") as fh:
        assert text == fh.read(), f"{name} differs from its golden page; see the module docstring"
