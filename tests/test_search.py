"""Korean-aware search: the analysis, the index the build writes, and the query set of
tests/search_queries.yml typed into Material's search box in chromium."""
from __future__ import annotations

import json
import os

import pytest

from kbgen.search.korean import Analyzer, build_vocabulary, segment

ASSETS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "kbgen", "templates", "mkdocs",
                      "assets")


def test_particles_and_compounds_split_against_the_vocabulary():
    vocab = build_vocabulary(["망각 게이트 (Forget Gate)", "셀 상태"], ["게이트를 둔다", "정보 저장 삭제", "속도 속도는"])
    a = Analyzer(vocab)
    assert a.analyze("게이트를") == (["게이트"], "를")
    assert a.analyze("망각게이트를") == (["망각", "게이트"], "를")
    assert a.analyze("정보저장삭제") == (["정보", "저장", "삭제"], None)
    assert a.analyze("셀상태") == (["셀", "상태"], None)
    assert a.analyze("속도") == (["속도"], None)  # 도 is a particle, but 속 is no word here
    assert a.analyze("속도는") == (["속도"], "는")
    assert a.analyze("게셀피모") == (["게셀피모"], None)  # nothing covers it: whole
    assert segment("RNN의 망각게이트를", a) == "RNN\u200b의\u200b \u200b망각\u200b게이트\u200b를"


def _index(site: str) -> dict:
    with open(os.path.join(site, "search", "search_index.json"), encoding="utf-8") as fh:
        return json.load(fh)


def test_built_index_is_segmented_and_pages_use_kbgens_worker(built_site):
    index = _index(built_site)
    assert "\\u200b" in index["config"]["separator"]
    words = set(index["config"]["korean"]["words"])
    assert {"망각", "게이트", "게셀피모"} <= words
    lstm = next(d for d in index["docs"] if d["location"] == "ai/dl/lstm/")
    assert "장단기\u200b \u200b메모리" in lstm["aliases"] and "게셀피모" in lstm["aliases"]
    with open(os.path.join(built_site, "ai", "dl", "lstm", "index.html"), encoding="utf-8") as fh:
        html = fh.read()
    assert "workers/kbgen-search.js" in html and "workers/search." not in html.split("__config")[1][:2000]
    assert os.path.isfile(os.path.join(built_site, "assets", "javascripts", "workers", "kbgen-search.js"))


def test_query_analysis_in_the_browser_matches_the_build(built_site, page):
    """korean.js (run by the worker on every query) splits every Korean word of the site
    and of the query set exactly as kbgen/search/korean.py split the indexed text."""
    from search_eval import load_queries
    index = _index(built_site)
    words = index["config"]["korean"]["words"]
    a = Analyzer(words)
    import re
    sample = sorted({w for d in index["docs"] for w in re.findall("[가-힣]+", (d.get("text", "") + d.get("title", ""))
                                                                   .replace("\u200b", ""))}
                    | {w for q in load_queries() for w in re.findall("[가-힣]+", q.text)})
    with open(os.path.join(ASSETS, "korean.js"), encoding="utf-8") as fh:
        page.set_content("<p>korean.js</p>")
        page.add_script_tag(content=fh.read())
    got = page.evaluate("""([words, particles, sample]) => {
        const a = new kbgenKorean.Analyzer(words, particles)
        return sample.map(w => a.analyze(w)) }""", [words, index["config"]["korean"]["particles"], sample])
    assert len(sample) > 500
    assert [[p, s] for p, s in (a.analyze(w) for w in sample)] == got


def test_query_set_meets_the_target_in_chromium(site_url, page):
    """At least 40 queries; recall@5 >= 0.95 overall and at least 0.9 in every class."""
    from search_eval import load_queries, run, score
    queries = load_queries()
    assert len(queries) >= 40
    results = run(page, site_url, queries)
    scores = score(queries, results)
    missed = {q.text: results[q.text][:5] for q in queries if not set(q.expect) <= set(results[q.text][:5])}
    assert scores["all"]["recall@5"] >= 0.95, (scores, missed)
    for cls, s in scores.items():
        assert s["recall@5"] >= 0.9, (cls, s, missed)
    # The site loads nothing from outside itself (offline): no request may leave localhost.
    page.watch.assert_clean()


@pytest.mark.parametrize("query, expected", [("망각게이트를", "망각 게이트"), ("LSTM의 게이트", "LSTM 게이트")])
def test_worker_rewrites_the_query(built_site, page, query, expected):
    index = _index(built_site)
    with open(os.path.join(ASSETS, "korean.js"), encoding="utf-8") as fh:
        page.set_content("<p>korean.js</p>")
        page.add_script_tag(content=fh.read())
    got = page.evaluate("([k, q]) => new kbgenKorean.Analyzer(k.words, k.particles).query(q)",
                        [index["config"]["korean"], query])
    assert got == expected


def _material_index():
    """Material's own search index, with the settings its plugin gives it, holding the
    entries of a few pages (one with tags, one whose text has particles and compounds)."""
    from material.plugins.search.plugin import SearchIndex, SearchPlugin
    plugin = SearchPlugin()
    errors, warnings = plugin.load_config({})
    assert not errors
    index = SearchIndex(**plugin.config)
    index.config["fields"] = {"title": {"boost": 1e3}, "text": {"boost": 1e0}, "tags": {"boost": 1e6}}
    index.entries = [
        {"location": "ai/dl/lstm/", "title": "LSTM (장단기 메모리)", "text": "망각게이트를 둔 RNN", "tags": ["RNN", "게이트"]},
        {"location": "ai/dl/lstm/#core", "title": "핵심 암기", "text": "정보저장삭제: 게이트와 셀 상태"},
        {"location": "ai/dl/gru/", "title": "GRU", "text": "망각 게이트를 갱신 게이트와 묶어 두 개로 줄인 구조"},
    ]
    return index


def test_index_segmented_in_memory_equals_materials_index_rewritten():
    """KoreanIndex writes the index in one dump: the same text as Material's own index,
    read back and rewritten (the way it was done before), and Material's entries and
    settings are left as they were (`mkdocs serve` keeps them for the next build)."""
    import copy

    from kbgen.search import KoreanIndex, index_json
    index = _material_index()
    before = copy.deepcopy((index.config, index.entries))
    aliases = {"ai/dl/lstm/": ["장단기 메모리", "게셀피모"]}
    expected = index_json(json.loads(index.generate_search_index(None)), aliases)
    korean = KoreanIndex(index, aliases)
    assert not korean.done
    assert korean(None) == expected
    assert korean.done
    assert (index.config, index.entries) == before
    data = json.loads(expected)
    assert data["docs"][0]["aliases"] == "장단기\u200b \u200b메모리\u200b · \u200b게셀피모"
    assert data["docs"][2]["text"] == "\u200b망각\u200b \u200b게이트\u200b를\u200b \u200b갱신\u200b \u200b게이트\u200b와\u200b " \
        "\u200b묶어\u200b \u200b두\u200b \u200b개로\u200b \u200b줄인\u200b \u200b구조".strip("\u200b")
    # A merge by Material (a previous index given) goes through Material's own text.
    prev = _material_index()
    prev.entries = [{"location": "ai/ml/svm/", "title": "SVM", "text": "서포트 벡터"}]
    merged = KoreanIndex(index, aliases)(prev)
    assert [d["location"] for d in json.loads(merged)["docs"]][0] == "ai/ml/svm/"
