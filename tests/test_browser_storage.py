"""Tampered browser storage: kcards.js validates every stored value before it is shown or followed.

Another script on the same origin, an extension or a curious reader can write anything into
localStorage. Whatever is there, "Continue" goes only to a page the site links to itself, scores are
whole numbers within their totals, percentages lie in 0..100, dates are real dates, and nothing throws.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from test_browser_quiz import answer_by_mouse, open_quiz

pytestmark = pytest.mark.browser

CARD = "e-commerce/e-commerce-value-chain/"
SLUG = "e-commerce-value-chain"
TOTAL = 12  # questions in the card's quiz
QUIZ = f"kcards:v1:quiz:{SLUG}"
LAST = "kcards:v1:last"
VISITED = f"kcards:v1:visited:{SLUG}"
NOW = 1_760_000_000_000  # a real time, in ms
COMPLIANCE = "/e-commerce/compliance/"  # a card the home page links to
GOOD_LAST = {"best": 5, "total": TOTAL, "passed": False}
HUGE = "x" * 1_000_000
# Text a reader must never see from our widgets.
BAD_WORDS = re.compile(r"\b(?:Infinity|NaN|undefined|null|Invalid Date|object Object)\b")
# Everything kcards.js writes from storage.
WIDGETS = "[data-kc-quiz-progress], [data-kc-state], [data-kc-best], [data-kc-last], [data-kc-progress-summary], [data-kc-progress-text], [data-kc-continue], [data-kc-path-go]"


def last(url: object, title: object = "Compliance") -> str:
    return json.dumps({"slug": "compliance", "title": title, "url": url, "at": NOW})


def quiz(best: object, total: object = TOTAL, **more: object) -> str:
    return json.dumps({"best": best, "total": total, "passed": True, **more})


# id -> (raw localStorage values, the card's state on My progress, whether "Continue" shows)
CASES = {
    # "Continue where you left off": only to one of the site's own pages, linked from the home page.
    "continue-https-other-site": ({LAST: last("https://evil.example/")}, "Not started", False),
    "continue-javascript-url": ({LAST: last("javascript:alert(1)")}, "Not started", False),
    "continue-protocol-relative": ({LAST: last("//evil.example/")}, "Not started", False),
    "continue-backslash-host": ({LAST: last("/\\evil.example/")}, "Not started", False),
    "continue-encoded-slashes": ({LAST: last("/%2F%2Fevil.example/")}, "Not started", False),
    "continue-data-url": ({LAST: last("data:text/html,<script>alert(1)</script>")}, "Not started", False),
    "continue-unknown-page": ({LAST: last("/no/such/page/")}, "Not started", False),
    "continue-url-number": ({LAST: last(42)}, "Not started", False),
    "continue-url-object": ({LAST: last({"href": "https://evil.example/"})}, "Not started", False),
    "continue-record-array": ({LAST: json.dumps([COMPLIANCE])}, "Not started", False),
    "continue-huge-url": ({LAST: last("/" + HUGE)}, "Not started", False),
    "continue-hostile-title": ({LAST: last(COMPLIANCE, "<img src=x onerror=alert(1)>")}, "Not started", True),
    "continue-huge-title": ({LAST: last(COMPLIANCE, HUGE)}, "Not started", True),
    "continue-title-object": ({LAST: last(COMPLIANCE, {"a": 1})}, "Not started", True),
    # Quiz results: whole numbers, a score within its total, a real date.
    "score-1e999": ({QUIZ: quiz(best="__1e999__")}, "Not started", False),
    "total-1e999": ({QUIZ: quiz(best=3, total="__1e999__")}, "Not started", False),
    "score-NaN": ({QUIZ: '{"best": NaN, "total": 12}'}, "Not started", False),
    "score-negative": ({QUIZ: quiz(best=-1)}, "Not started", False),
    "score-over-total": ({QUIZ: quiz(best=13)}, "Not started", False),
    "score-fraction": ({QUIZ: quiz(best=2.5)}, "Not started", False),
    "score-string": ({QUIZ: quiz(best="12")}, "Not started", False),
    "score-nested-object": ({QUIZ: quiz(best={"valueOf": 12}, total={"n": 12})}, "Not started", False),
    "total-zero": ({QUIZ: quiz(best=0, total=0)}, "Not started", False),
    "total-huge": ({QUIZ: quiz(best=10**300, total=10**300)}, "Not started", False),
    "record-array": ({QUIZ: "[5, 12]"}, "Not started", False),
    "record-string": ({QUIZ: '"passed"'}, "Not started", False),
    "record-null": ({QUIZ: "null"}, "Not started", False),
    "invalid-json": ({QUIZ: "{not json"}, "Not started", False),
    "huge-string": ({QUIZ: HUGE}, "Not started", False),
    "last-at-1e999": ({QUIZ: quiz(5, last={"score": 5, "total": TOTAL, "at": "__1e999__"})}, "Passed", False),
    "last-at-out-of-dates": ({QUIZ: quiz(5, last={"score": 5, "total": TOTAL, "at": -1e20})}, "Passed", False),
    "last-at-string": ({QUIZ: quiz(5, last={"score": 5, "total": TOTAL, "at": "yesterday"})}, "Passed", False),
    "last-score-over-total": ({QUIZ: quiz(5, last={"score": 99, "total": TOTAL, "at": NOW})}, "Passed", False),
    "last-array": ({QUIZ: quiz(5, last=[5, TOTAL, NOW])}, "Passed", False),
    "passed-string": ({QUIZ: json.dumps({**GOOD_LAST, "passed": "yes"})}, "Not passed yet", False),
    # Visited cards: only a real time counts.
    "visited-at-string": ({VISITED: '{"at": "now"}'}, "Not started", False),
    "visited-at-1e999": ({VISITED: '{"at": 1e999}'}, "Not started", False),
    # Everything at once.
    "all-hostile": (
        {LAST: last("//evil.example/"), QUIZ: quiz(best="__1e999__"), VISITED: "[1]", "kcards:v1:quiz:compliance": "{"},
        "Not started",
        False,
    ),
}


def raw(values: dict[str, str]) -> dict[str, str]:
    """JSON cannot say 1e999 (Infinity once parsed): written as a marker, put back as raw text."""
    return {key: value.replace('"__1e999__"', "1e999") for key, value in values.items()}


def static_offsite_links(site: Path, url: str) -> set[str]:
    """The absolute links the built page itself holds (Material's footer, a card's sources)."""
    html = (site / url / "index.html").read_text(encoding="utf-8")
    return {unescape(h) for h in re.findall(r'<a\b[^>]*\shref="([^"]*)"', html) if re.match(r"https?://", h)}


def assert_reader_sees_nothing_odd(page, site: Path, url: str) -> str:  # type: ignore[no-untyped-def]
    """No off-site link the page did not have when built, no bad words, percentages in 0..100."""
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    origin = page.evaluate("() => location.origin")
    offsite = {h for h in hrefs if not h.startswith(origin + "/")}
    assert offsite <= static_offsite_links(site, url), offsite
    text = "\n".join(page.locator(WIDGETS).all_inner_texts() if page.locator(WIDGETS).count() else [])
    assert not BAD_WORDS.search(text), text
    for number in re.findall(r"([-+\d.e]+)\s*%", text):
        assert re.fullmatch(r"\d+", number) and 0 <= int(number) <= 100, text
    return text


@pytest.mark.parametrize("values, state, shows_continue", list(CASES.values()), ids=list(CASES))
def test_tampered_storage_is_ignored(page, shipped_url: str, shipped_site: Path, values, state, shows_continue) -> None:  # type: ignore[no-untyped-def]
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.add_init_script(
        f"try {{ for (const [k, v] of Object.entries({json.dumps(raw(values))})) localStorage.setItem(k, v); }} catch (e) {{}}"
    )
    page.goto(shipped_url)
    page.wait_for_selector("[data-kc-progress-text]:not(:has-text('Progress is kept'))")
    assert_reader_sees_nothing_odd(page, shipped_site, "")
    box = page.locator("[data-kc-continue]")
    assert box.is_visible() == shows_continue
    if shows_continue:  # the page's own link and title, never the stored ones
        link = box.locator("[data-kc-continue-link]")
        href = link.evaluate("a => a.href")
        assert (href, link.inner_text()) == (shipped_url + "e-commerce/compliance/", "Compliance")
    page.goto(shipped_url + "progress/")
    page.wait_for_selector(".kc-progress--ready")
    text = assert_reader_sees_nothing_odd(page, shipped_site, "progress/")
    row = page.locator(f"tr[data-kc-progress-slug='{SLUG}']")
    assert row.locator("[data-kc-state]").inner_text() == state
    if state != "Not started":
        assert row.locator("[data-kc-best]").inner_text() == "5 of 12 (42%)"
        assert row.locator("[data-kc-last]").inner_text() == "—"
    assert "Quizzes taken: " in text
    open_quiz(page, shipped_url + CARD)
    shown = assert_reader_sees_nothing_odd(page, shipped_site, CARD)
    assert ("Your best: 5 of 12 (42%)" in shown) == (state != "Not started"), shown
    assert page.errors == []
    assert page.console_errors == []


@pytest.mark.parametrize("stored", ["score-1e999", "score-NaN", "total-huge", "last-array"])
def test_a_quiz_taken_over_tampered_storage_saves_a_sound_result(page, shipped_url: str, stored: str) -> None:  # type: ignore[no-untyped-def]
    """Finishing the quiz replaces a tampered record with a good one (never merged into Infinity)."""
    page.add_init_script(
        f"if (!sessionStorage.getItem('set')) {{ sessionStorage.setItem('set', 1);"
        f" for (const [k, v] of Object.entries({json.dumps(raw(CASES[stored][0]))})) localStorage.setItem(k, v); }}"
    )
    quiz_box = open_quiz(page, shipped_url + CARD)
    for q in quiz_box.locator(".kc-q").all():
        answer_by_mouse(q)
    assert quiz_box.locator(".kc-quiz__score").inner_text().startswith("You scored 12 of 12 (100%). Passed!")
    record = json.loads(page.evaluate(f"() => localStorage.getItem({QUIZ!r})"))
    assert (record["best"], record["total"], record["passed"], record["last"]["score"]) == (12, 12, True, 12)
    page.reload()
    assert page.locator("[data-kc-quiz-progress]").inner_text().startswith("Your best: 12 of 12 (100%), passed.")
    assert page.errors == []
