"""In the real browser: the exam index filters by round and session and leads to the
topics; cross-links lead between topics and the other side lists the backlink."""
from __future__ import annotations

import re

from browser import screenshot, watch


def settle(page) -> None:
    """Wait until the page has loaded everything it will: MathJax typesets and fetches its
    fonts after `load`, and leaving earlier aborts them (recorded as failed requests)."""
    page.wait_for_load_state("networkidle")
    page.evaluate("""async () => {
        if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
        await document.fonts.ready;
    }""")
    page.wait_for_load_state("networkidle")


def visible(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.filter(e => e.offsetParent !== null).map(e => e.id)")


def test_exam_index_filters_and_leads_to_the_topic(page, site_url):
    page.goto(site_url + "ai/exams/")
    total = page.locator(".kb-exam-q").count()
    assert total >= 27
    assert len(visible(page, ".kb-exam-q")) == total
    output = page.locator("[data-kb-exam-filter] output")
    assert output.inner_text() == f"{total} / {total}문제"

    page.select_option("[data-kb-exam-filter] select[name=round]", "136")
    shown = visible(page, ".kb-exam-q")
    assert shown == ["q-136-1-12", "q-136-3-1"]
    assert visible(page, ".kb-exam-round") == ["r-136"]
    assert output.inner_text() == f"2 / {total}문제"
    assert page.url.endswith("?round=136")

    page.select_option("[data-kb-exam-filter] select[name=session]", "2-4")
    assert visible(page, ".kb-exam-q") == ["q-136-3-1"]
    page.select_option("[data-kb-exam-filter] select[name=round]", "")
    essays = visible(page, ".kb-exam-q")
    assert essays and all(page.get_attribute(f"#{q}", "data-session") != "1" for q in essays)
    page.select_option("[data-kb-exam-filter] select[name=session]", "1")
    short = visible(page, ".kb-exam-q")
    assert len(short) + len(essays) == total
    page.select_option("[data-kb-exam-filter] select[name=session]", "")
    page.select_option("[data-kb-exam-filter] select[name=round]", "136")
    screenshot(page, "exam-index")

    settle(page)
    page.click("#q-136-3-1 a")
    page.wait_for_url(re.compile(r"/ai/dl/lstm/$"))
    assert page.locator("article h1").inner_text().startswith("LSTM (Long Short Term Memory)")
    # and back: the topic's 기출 block links to the question in the index
    settle(page)
    page.click("#exams ~ * a[href$='exams/#q-136-3-1']")
    page.wait_for_url(re.compile(r"/ai/exams/#q-136-3-1$"))
    assert page.locator("#q-136-3-1").is_visible()
    page.watch.assert_clean()  # no console or page errors, no request left localhost


def test_without_javascript_every_question_is_shown(browser, site_url):
    context = browser.new_context(java_script_enabled=False, service_workers="block")
    try:
        pg = context.new_page()
        w = watch(pg)
        pg.goto(site_url + "ai/exams/")
        items = pg.locator(".kb-exam-q")
        assert items.count() >= 27
        assert all(items.nth(i).is_visible() for i in range(items.count()))
        assert not pg.locator("[data-kb-exam-filter]").is_visible()  # no controls that cannot work
        w.assert_clean()
    finally:
        context.close()


def test_cross_link_and_backlink(page, site_url):
    page.goto(site_url + "ai/dl/lstm/")
    settle(page)
    # the definition's first mention of RNN links to the RNN page
    page.click("#core ~ .admonition a:text-is('RNN')")
    page.wait_for_url(re.compile(r"/ai/dl/rnn/$"))
    backlinks = page.locator("#backlinks + ul a")
    assert "LSTM (Long Short Term Memory)" in backlinks.all_inner_texts()
    settle(page)
    screenshot(page, "topic-backlinks")
    backlinks.filter(has_text="LSTM").click()
    page.wait_for_url(re.compile(r"/ai/dl/lstm/$"))
    # a link inside a technique table (raw HTML, resolved by the plugin) works too
    settle(page)
    page.click("table a.kb-xref:text-is('Gated Recurrent Unit')")
    page.wait_for_url(re.compile(r"/ai/dl/gru/$"))
    assert page.locator("article h1").inner_text().startswith("GRU")
    page.watch.assert_clean()  # no console or page errors, no request left localhost
