"""The daily deck in a real browser (Debian's chromium): flip, grade, come back, filter,
search, touch on a phone-sized screen, and the scheduler's exact intervals."""
from __future__ import annotations

import json
import os
import time

import pytest

from browser import screenshot, watch
from kbgen.study.cards import ANSWERS_FILE, CARDS_FILE, read_deck_file


def cards(built_site) -> dict:
    """The deck's cards, each front joined with its back (deck/answers.js)."""
    def read(name):
        with open(os.path.join(built_site, *name.split("/")), "rb") as fh:
            return read_deck_file(name, fh.read())
    data = read(CARDS_FILE)
    for card, back in zip(data["c"], read(ANSWERS_FILE)["c"]):
        card.update(back)
    return data


def open_deck(page, site_url):
    """The deck with its first card shown and the answers (the cards' backs) read."""
    page.goto(site_url + "deck/")
    page.wait_for_selector("#kb-deck[data-ready='1'][data-answered='1']")


def due(page) -> int:
    return int(page.inner_text("[data-kb=due]"))


def title(page) -> str:
    return page.inner_text(".kb-card-title")


def test_flip_grade_reload_and_come_back_tomorrow(page, site_url, built_site):
    data = cards(built_site)
    open_deck(page, site_url)
    first = data["c"][0]
    assert title(page) == first["t"]
    start = due(page)
    assert start == min(20, len(data["c"]))  # no reviews yet: today's new cards
    assert page.is_hidden("[data-kb=back-face]")
    page.keyboard.press(" ")
    back = page.locator("[data-kb=back-face]")
    assert back.is_visible() and first["d"] in back.inner_text()
    today = page.evaluate("kbgenDeck.dayNumber()")
    page.keyboard.press("3")  # good
    assert "알맞음" in page.inner_text("[data-kb=message]")
    assert due(page) == start - 1
    assert title(page) == data["c"][1]["t"]  # the graded card left today's queue
    stored = page.evaluate("JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))")
    assert stored["cards"][first["i"]] == {"n": 1, "ef": 2.5, "iv": 1, "due": today + 1, "h": [[today, 3]]}

    page.reload()
    page.wait_for_selector("#kb-deck[data-ready='1']")
    assert due(page) == start - 1
    page.check("[data-kb=all]")
    assert title(page) == first["t"]
    tomorrow = page.evaluate("kbgenDeck.dayText(kbgenDeck.dayNumber() + 1)")
    assert page.inner_text("[data-kb=due-date]") == f"다음 복습 {tomorrow}"
    page.watch.assert_clean()


def haystack(card: dict) -> str:
    """What the deck's search box looks in, as deck.js builds it."""
    parts = [card["t"], card.get("d", ""), *card.get("a", [])]
    for m in card.get("m", []):
        parts += [m[0], *(m[1] if len(m) > 1 else [])]
    for k in card.get("k", []):
        parts += [k[0], k[1] if len(k) > 1 else ""]
    for _, rows in card.get("x", []):
        for r in rows:
            parts += [r[0], r[1] if len(r) > 1 else ""]
    return "\n".join(parts).lower()


def test_first_card_is_shown_before_the_answers_arrive(page, site_url, built_site):
    """The fronts (cards.js) draw the first card; the backs (answers.js) may come later:
    a flipped card says it is loading, a search waits for them, and both update on arrival."""
    data = cards(built_site)
    held = []
    page.route("**/deck/answers.js", lambda route: held.append(route))  # held: neither answered nor failed
    page.goto(site_url + "deck/")
    page.wait_for_selector("#kb-deck[data-ready='1']")
    first = data["c"][0]
    assert title(page) == first["t"] and page.get_attribute("#kb-deck", "data-answered") is None
    page.keyboard.press(" ")
    assert "답을 불러오는 중" in page.inner_text("[data-kb=back-face]")
    # A word of the first card's definition that no front (title, mnemonics) holds.
    fronts = "\n".join(c["t"] + " " + " ".join(m[0] + " " + " ".join(m[1] if len(m) > 1 else [])
                                               for m in c.get("m", [])) for c in data["c"]).lower()
    word = next(w for w in first["d"].split() if len(w) >= 3 and w.lower() not in fronts)
    expected = sum(word.lower() in haystack(c) for c in data["c"])
    page.fill("[data-kb=search]", word)
    page.wait_for_function("document.querySelector('[data-kb=pos]').textContent === '0 / 0'")
    assert held, "the page did not ask for the answers"
    for route in held:
        route.continue_()
    page.wait_for_selector("#kb-deck[data-answered='1']")
    page.wait_for_function(f"document.querySelector('[data-kb=pos]').textContent === '1 / {expected}'")
    page.fill("[data-kb=search]", "")
    page.wait_for_function(f"document.querySelector('[data-kb=pos]').textContent.endsWith(' / {min(20, len(data['c']))}')")
    page.keyboard.press("Escape")  # out of the search box: space flips again
    page.keyboard.press(" ")
    assert first["d"] in page.inner_text("[data-kb=back-face]")
    page.watch.assert_clean()


@pytest.mark.parametrize("missing, where, says", [
    ("cards.js", "[data-kb=front-face]", "카드 파일을 읽지 못했습니다: cards.js"),
    ("answers.js", "[data-kb=message]", "카드 뒷면 파일을 읽지 못했습니다"),
])
def test_a_missing_deck_file_is_reported_on_the_page(page, site_url, missing, where, says):
    page.route(f"**/deck/{missing}", lambda route: route.fulfill(status=404, body="not found"))
    page.goto(site_url + "deck/")
    page.wait_for_function("([sel, text]) => document.querySelector(sel).textContent.includes(text)",
                           arg=[where, says])
    assert [u for u in page.watch.failed if missing not in u] == []
    assert not page.watch.page_errors


def test_tomorrow_the_graded_card_is_due_first(browser, site_url, built_site):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    try:
        page = context.new_page()
        page.watch = watch(page)
        page.clock.install()
        data = cards(built_site)
        open_deck(page, site_url)
        page.keyboard.press(" ")
        page.keyboard.press("4")  # easy: due in 1 day
        assert due(page) == 19
        page.clock.set_system_time(time.time() + 86400)
        page.reload()
        page.wait_for_selector("#kb-deck[data-ready='1']")
        # Tomorrow: the review that fell due, then a fresh day's 20 new cards.
        assert due(page) == 21 and page.inner_text("[data-kb=new]") == "20"
        assert title(page) == data["c"][0]["t"]
        assert page.inner_text("[data-kb=due-date]").startswith("다음 복습 ")
        page.watch.assert_clean()
    finally:
        context.close()


def test_progress_export_reset_import(page, site_url, built_site, tmp_path):
    data = cards(built_site)
    open_deck(page, site_url)
    start = due(page)
    for _ in range(2):
        page.keyboard.press(" ")
        page.keyboard.press("3")
    assert due(page) == start - 2
    page.click(".kb-deck-tools summary")
    with page.expect_download() as info:
        page.click("[data-kb=export]")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.startswith("kbgen-deck-progress-") and saved.suffix == ".json"
    progress = json.loads(saved.read_text(encoding="utf-8"))
    assert sorted(progress["cards"]) == sorted(c["i"] for c in data["c"][:2])
    page.click("[data-kb=reset]")
    assert due(page) == start - 2  # the first click only asks
    page.click("[data-kb=reset]")
    assert due(page) == start
    page.set_input_files("[data-kb=import]", str(saved))
    page.wait_for_function(f"document.querySelector('[data-kb=due]').textContent === '{start - 2}'")
    assert "2장" in page.inner_text("[data-kb=message]")
    # A file that is not a progress file is refused and changes nothing.
    bad = tmp_path / "other.json"
    bad.write_text('{"v": 1, "cards": {"x": {"n": "one"}}}', encoding="utf-8")
    page.set_input_files("[data-kb=import]", str(bad))
    page.wait_for_function("document.querySelector('[data-kb=message]').textContent.includes('other.json')")
    assert "진도 파일이 아닙니다" in page.inner_text("[data-kb=message]") and due(page) == start - 2
    page.watch.assert_clean()


def test_filters_and_search(page, site_url, built_site):
    data = cards(built_site)
    open_deck(page, site_url)
    page.check("[data-kb=all]")
    assert page.inner_text("[data-kb=pos]") == f"1 / {len(data['c'])}"
    # One category: every card shown belongs to it, all of them, in order.
    page.select_option("[data-kb=subject]", "0")
    dl = data["s"][0][2].index(["dl", "2. 딥러닝"])
    page.select_option("[data-kb=category]", str(dl))
    members = [c["t"] for c in data["c"] if c.get("g") == dl]
    assert page.inner_text("[data-kb=pos]") == f"1 / {len(members)}"
    seen = []
    for _ in members:
        seen.append(title(page))
        assert "2. 딥러닝" in page.inner_text(".kb-card-where")
        page.keyboard.press("ArrowRight")
    assert seen == members and title(page) == members[0]  # wraps around
    page.keyboard.press("ArrowLeft")
    assert title(page) == members[-1]
    # Asked in past exams.
    page.select_option("[data-kb=category]", "")
    page.check("[data-kb=exam]")
    asked = [c for c in data["c"] if c.get("e")]
    assert 0 < len(asked) < len(data["c"])
    assert page.inner_text("[data-kb=pos]") == f"1 / {len(asked)}"
    page.uncheck("[data-kb=exam]")
    # Search: a mnemonic finds its topic; terms combine; nothing found says so.
    page.fill("[data-kb=search]", "게셀피모")
    page.wait_for_function("document.querySelector('[data-kb=pos]').textContent === '1 / 1'")
    assert title(page).startswith("LSTM")
    page.fill("[data-kb=search]", "게이트 셀")
    page.wait_for_function("document.querySelector('[data-kb=pos]').textContent !== '1 / 1'")
    page.fill("[data-kb=search]", "없는말없는말")
    page.wait_for_function("document.querySelector('[data-kb=pos]').textContent === '0 / 0'")
    assert "없습니다" in page.inner_text("[data-kb=front-face]")
    page.fill("[data-kb=search]", "게셀피모")
    page.wait_for_function("document.querySelector('[data-kb=pos]').textContent === '1 / 1'")
    page.keyboard.press("Escape")  # back from the box: space flips again
    page.keyboard.press(" ")
    back = page.inner_text("[data-kb=back-face]")
    assert "게셀피모 게이트(Gate) 구조 · 셀 상태(Cell State) · 피드백 연결 · 모듈 반복" in back
    assert "136회 3교시 1번" in back
    link = page.get_attribute(".kb-card-link", "href")
    assert link == site_url + "ai/dl/lstm/"
    screenshot(page, "deck-desktop")
    # The front can ask for the topic behind a mnemonic instead.
    page.keyboard.press(" ")
    page.select_option("[data-kb=front]", "mnemonic")
    assert page.locator(".kb-card-mnemonic code").all_inner_texts() == ["정연", "게셀피모"]
    assert page.locator(".kb-card-title").count() == 0
    page.watch.assert_clean()


def test_phone_touch_flip_grade_and_swipe(browser, site_url, built_site):
    context = browser.new_context(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True,
                                  device_scale_factor=2, service_workers="block")
    try:
        page = context.new_page()
        page.watch = watch(page)
        data = cards(built_site)
        open_deck(page, site_url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out
        page.tap(".kb-card")
        assert page.is_visible("[data-kb=back-face]")
        screenshot(page, "deck-mobile")
        start = due(page)
        page.tap("[data-grade='3']")
        assert due(page) == start - 1 and title(page) == data["c"][1]["t"]
        # A swipe to the left moves to the next card, to the right back; it does not flip.
        box = page.locator(".kb-card").bounding_box()
        y = box["y"] + box["height"] / 2
        cdp = context.new_cdp_session(page)

        def swipe(x0: float, x1: float) -> None:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y}]})
            for k in range(1, 6):
                x = x0 + (x1 - x0) * k / 5
                cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})

        swipe(box["x"] + box["width"] - 20, box["x"] + 20)
        assert title(page) == data["c"][2]["t"] and page.is_hidden("[data-kb=back-face]")
        swipe(box["x"] + 20, box["x"] + box["width"] - 20)
        assert title(page) == data["c"][1]["t"] and page.is_hidden("[data-kb=back-face]")
        page.watch.assert_clean()
    finally:
        context.close()


# SM-2 by hand (README): quality again=1 hard=3 good=4 easy=5; EF += 0.1-(5-q)(0.08+(5-q)0.02),
# min 1.3, 2 decimals; intervals 1, 6, then round(previous × EF); a fail: 0 days, run restarts.
SEQUENCES = [
    ([3, 3, 3, 3], [1, 6, 15, 38], 2.5),           # 6×2.5 = 15, 15×2.5 = 37.5 -> 38
    ([4, 4, 4], [1, 6, 17], 2.8),                   # EF 2.6, 2.7, 2.8: 6×2.8 = 16.8
    ([2, 2, 2], [1, 6, 12], 2.08),                  # EF 2.36, 2.22, 2.08: 6×2.08 = 12.48
    ([3, 3, 1, 3, 3, 3], [1, 6, 0, 1, 6, 15], 2.5),  # a fail restarts the run, EF kept
    ([3, 4, 2, 1, 3], [1, 6, 15, 0, 1], 2.46),      # EF 2.5, 2.6, 2.46: 6×2.46 = 14.76
    ([2] * 9, [1, 6, 12, 23, 41, 68, 103, 142, 185], 1.3),  # EF bottoms out at 1.3
]


def test_scheduler_intervals_exactly(page, site_url):
    open_deck(page, site_url)
    for grades, intervals, ease in SEQUENCES:
        result = page.evaluate("""grades => {
            let s = null; const out = [];
            for (const g of grades) { s = kbgenDeck.schedule(s, g, 20000); out.push([s.iv, s.due, s.ef, s.n]); }
            return out;
        }""", grades)
        assert [r[0] for r in result] == intervals, grades
        assert [r[1] for r in result] == [20000 + iv for iv in intervals], grades
        assert result[-1][2] == ease, grades
    with pytest.raises(Exception, match="grade must be"):
        page.evaluate("kbgenDeck.schedule(null, 5, 0)")


def test_deck_starts_after_material_instant_navigation(browser, tmp_path):
    """With `navigation.instant` Material swaps pages without reloading them: the deck
    must start on the page it brings, and keys must act once."""
    from browser import serve

    from conftest import copy_project, mkdocs_build
    copy_project(str(tmp_path))
    site = tmp_path / "site"
    site.mkdir()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    with serve(str(site)) as url:
        # Material navigates instantly only within site_url (its sitemap lists the pages).
        mkdocs_yml = tmp_path / "mkdocs.yml"
        text = mkdocs_yml.read_text(encoding="utf-8").replace(
            "    - navigation.tabs", "    - navigation.instant\n    - navigation.tabs", 1)
        mkdocs_yml.write_text(f"site_url: {url}\n" + text, encoding="utf-8")
        result = mkdocs_build(str(tmp_path), str(site))
        assert result.returncode == 0, result.stdout + result.stderr
        try:
            page = context.new_page()
            page.watch = watch(page)
            # Material runs the swapped-in page's scripts in the order they arrive: the
            # first time, the cards arrive before the deck's script, which still finds them.
            held, order = [], []
            page.route("**/assets/kbgen/deck.js", lambda route: held.append(route) if not order else route.continue_())

            def arrived(response):
                if response.url.endswith("/deck/cards.js") and held:
                    order.append("cards")
                    held.pop().continue_()
            page.on("response", arrived)
            page.goto(url)
            page.evaluate("window.kbStayed = true")  # gone if a page really reloads
            for _ in range(2):  # there, away, and back again
                page.click(".md-tabs__link:has-text('오늘의 카드')")
                page.wait_for_selector("#kb-deck[data-ready='1']")
                page.keyboard.press(" ")
                assert page.is_visible("[data-kb=back-face]")  # flipped once, not twice
                page.click(".md-tabs__link:has-text('홈')")
                page.wait_for_selector("#kb-deck", state="detached")
            assert page.evaluate("window.kbStayed === true") and order == ["cards"]
            page.watch.assert_clean()
        finally:
            context.close()
