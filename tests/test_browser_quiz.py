"""What a learner does with a quiz in chromium: by mouse, by keyboard alone, across reloads and tabs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, VALUE_CHAIN_STAGES, serve

pytestmark = pytest.mark.browser

VALUE_CHAIN = "e-commerce/e-commerce-value-chain/"
AXE = ROOT / "tests" / ".vendor" / "axe.min.js"
QUIZ_SLUGS = sorted(p.stem for p in (ROOT / "quizzes").glob("*.yml"))


def card_url(slug: str) -> str:
    graph = json.loads((ROOT / "site" / "graph.json").read_text()) if (ROOT / "site" / "graph.json").exists() else None
    if graph:
        return next(node["url"] for node in graph["nodes"] if node["slug"] == slug)
    return next(
        p.relative_to(ROOT / "cards").with_suffix("").as_posix() + "/" for p in (ROOT / "cards").rglob(f"{slug}.md")
    )


def open_quiz(page, url: str):  # type: ignore[no-untyped-def]
    page.goto(url)
    quiz = page.locator(".kc-quiz")
    quiz.locator("details.quiz > summary").click()
    page.wait_for_selector(".kc-quiz.kc-quiz--ready")
    return quiz


def question(quiz, kind: str, nth: int = 0):  # type: ignore[no-untyped-def]
    return quiz.locator(f".kc-q[data-kc-type={kind}]").nth(nth)


# -- keyboard driving: reach an element with Tab / Shift+Tab only ------------------------------
# Tabbable elements in DOM order, roughly as the browser sees them (one radio per group).
TABBABLE = """
(target) => {
  const all = [...document.querySelectorAll('a[href], button, input, textarea, select, summary, [tabindex]')]
    .filter(el => !el.disabled && el.tabIndex >= 0 && el.getClientRects().length > 0);
  const seen = new Set();
  const list = all.filter(el => {
    if (el.type !== 'radio') return true;
    if (seen.has(el.name)) return false;
    seen.add(el.name); return true;
  });
  const active = document.activeElement;
  const key = el => (el.type === 'radio' ? list.find(x => x.name === el.name) : el);
  const from = active && active !== document.body ? list.indexOf(key(active)) : -1;
  const to = list.indexOf(key(target));
  return {here: active === target, steps: to - from};
}
"""


# Where `el` lies from the focused element: "here", "after" or "before".
WHERE = """
el => { const a = document.activeElement;
        if (a === el) return "here";
        if (!a || a === document.body) return "after";
        return (a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) ? "after" : "before"; }
"""


def tab_to(page, target, limit: int = 400) -> None:  # type: ignore[no-untyped-def]
    """Press Tab (or Shift+Tab) until `target` has focus; fails if it is not reachable.

    The distance is estimated once so most Tabs go in one call; single steps then finish.
    """
    for _ in range(max(target.evaluate(TABBABLE)["steps"] - 2, 0)):
        page.keyboard.press("Tab")
    for _ in range(limit):
        where = target.evaluate(WHERE)
        if where == "here":
            return
        page.keyboard.press("Tab" if where == "after" else "Shift+Tab")
    raise AssertionError("element not reachable by keyboard")


def answer_by_keyboard(page, q, right: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Answer one question using only Tab, Shift+Tab, arrows, Space, Enter and typing."""
    kind = q.get_attribute("data-kc-type")
    if kind in ("single", "true_false"):
        flags = [o.get_attribute("data-kc-correct") == "true" for o in q.locator(".kc-opt").all()]
        index = flags.index(right)
        tab_to(page, q.locator(".kc-opt input").first)
        if index == 0:
            page.keyboard.press("Space")
        for _ in range(index):
            page.keyboard.press("ArrowDown")
    elif kind == "multiple":
        for option in q.locator(".kc-opt").all():
            if (option.get_attribute("data-kc-correct") == "true") == right:
                tab_to(page, option.locator("input"))
                page.keyboard.press("Space")
    elif kind == "order":
        count = q.locator(".kc-order__item").count()
        for place in range(1, count + 1):
            item = q.locator(f".kc-order__item[data-kc-position='{place}']")
            current = item.evaluate("li => [...li.parentNode.children].indexOf(li) + 1")
            if current > place:
                tab_to(page, item.locator(".kc-order__up"))
                for _ in range(current - place):
                    page.keyboard.press("Enter")
    elif kind == "reflect":
        tab_to(page, q.locator("textarea"))
        page.keyboard.type("Returns and service data feed back into earlier stages.")
    tab_to(page, q.locator(".kc-q__check"))
    page.keyboard.press("Enter")
    if kind == "reflect":
        page.keyboard.press("Enter" if right else "Tab")  # focus moved to "Yes, I got it"
        if not right:
            page.keyboard.press("Enter")


def answer_by_mouse(q, right: bool = True) -> None:  # type: ignore[no-untyped-def]
    kind = q.get_attribute("data-kc-type")
    if kind in ("single", "true_false", "multiple"):
        for option in q.locator(".kc-opt").all():
            correct = option.get_attribute("data-kc-correct") == "true"
            if correct == right and (kind == "multiple" or not q.locator(".kc-opt input:checked").count()):
                option.locator("label").click()
    elif kind == "order" and right:  # a wrong answer leaves the shuffled order, never the right one
        count = q.locator(".kc-order__item").count()
        for place in range(1, count + 1):
            item = q.locator(f".kc-order__item[data-kc-position='{place}']")
            while item.evaluate("li => [...li.parentNode.children].indexOf(li) + 1") > place:
                item.locator(".kc-order__up").click()
    elif kind == "reflect":
        q.locator("textarea").fill("My answer")
    q.locator(".kc-q__check").click()
    if kind == "reflect":
        q.locator(".kc-reflect__yes" if right else ".kc-reflect__no").click()


# -- tests ----------------------------------------------------------------------------------------
def test_answer_right_and_wrong_gives_feedback_and_score(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    quiz = open_quiz(page, shipped_url + VALUE_CHAIN)
    wrong = question(quiz, "single", 0)
    answer_by_mouse(wrong, right=False)
    result = wrong.locator(".kc-q__result").inner_text()
    assert result.startswith("Not quite.") and "The right answer:" in result
    chosen = wrong.locator(".kc-opt--wrong .kc-opt__feedback").inner_text()
    assert chosen and chosen in result  # the chosen option's own feedback is announced
    assert wrong.locator("input:disabled").count() == wrong.locator("input").count()
    assert quiz.locator(".kc-quiz__score").inner_text().startswith("Score: 0 of 1 answered")
    right = question(quiz, "multiple", 0)
    answer_by_mouse(right, right=True)
    assert right.locator(".kc-q__result").inner_text().startswith("Correct.")
    assert quiz.locator(".kc-quiz__score").inner_text().startswith("Score: 1 of 2 answered")
    assert wrong.locator(".kc-q__result").get_attribute("aria-live") == "polite"
    assert page.errors == []


def test_order_question_by_keyboard_only(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    quiz = open_quiz(page, shipped_url + VALUE_CHAIN)
    order = question(quiz, "order")
    before = order.locator(".kc-order__text").all_inner_texts()
    assert before != VALUE_CHAIN_STAGES
    answer_by_keyboard(page, order)
    assert order.locator(".kc-order__text").all_inner_texts() == VALUE_CHAIN_STAGES
    assert order.locator(".kc-q__result").inner_text().startswith("Correct.")
    assert "position" in order.locator(".kc-order__status").inner_text()


def test_try_again_resets_and_reshuffles(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    quiz = open_quiz(page, shipped_url + VALUE_CHAIN)
    for q in quiz.locator(".kc-q").all():
        answer_by_mouse(q)
    assert quiz.locator(".kc-quiz__score").inner_text().startswith("You scored 12 of 12 (100%). Passed!")
    orders = set()
    for _ in range(4):
        quiz.locator(".kc-quiz__retry").click()
        orders.add(tuple(question(quiz, "single", 0).locator("label").all_inner_texts()))
        assert quiz.locator(".kc-q__result:not(:empty)").count() == 0
        assert quiz.locator("input:checked").count() == 0 and quiz.locator("input:disabled").count() == 0
    assert len(orders) > 1, "options were not reshuffled"


def test_progress_survives_reload_shows_on_my_progress_and_resets(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    quiz = open_quiz(page, shipped_url + VALUE_CHAIN)
    questions = quiz.locator(".kc-q").all()
    for index, q in enumerate(questions):
        answer_by_mouse(q, right=index != 0)
    assert quiz.locator(".kc-quiz__score").inner_text().startswith("You scored 11 of 12 (92%). Passed!")
    page.reload()
    # The date in the site's language (`<html lang="en">`), its month in words: never 04/05 read wrongly.
    assert re.match(
        r"Your best: 11 of 12 \(92%\), passed\. Last attempt: 11 of 12 on "
        r"(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}\.",
        page.locator("[data-kc-quiz-progress]").inner_text(),
    )
    # Instant navigation to "My progress" (Material swaps the page without a reload).
    page.locator(".md-nav__link", has_text="My progress").first.click()
    page.wait_for_url("**/progress/")
    row = page.locator("tr[data-kc-progress-slug='e-commerce-value-chain']")
    row.locator("[data-kc-state]", has_text="Passed").wait_for()
    assert row.locator("[data-kc-best]").inner_text() == "11 of 12 (92%)"
    assert page.locator("tr[data-kc-progress-slug='compliance'] [data-kc-state]").inner_text() == "Not started"
    assert (
        page.locator("[data-kc-progress-summary]").inner_text() == f"Quizzes taken: 1 of {len(QUIZ_SLUGS)}. Passed: 1."
    )
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-kc-reset]").click()
    assert row.locator("[data-kc-state]").inner_text() == "Not started"
    page.reload()
    assert (
        page.locator("tr[data-kc-progress-slug='e-commerce-value-chain'] [data-kc-state]").inner_text() == "Not started"
    )
    assert page.errors == []


def test_progress_page_follows_another_tab(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + "progress/")
    other = page.context.new_page()
    quiz = open_quiz(other, shipped_url + card_url("compliance"))
    for q in quiz.locator(".kc-q").all():
        answer_by_mouse(q)
    page.locator("tr[data-kc-progress-slug='compliance'] [data-kc-state]", has_text="Passed").wait_for(timeout=5000)
    other.close()


def test_corrupt_or_old_stored_data_is_ignored(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url)
    page.evaluate(
        """() => { localStorage.setItem('kcards:v1:quiz:e-commerce-value-chain', '{not json');
                   localStorage.setItem('kcards:v1:quiz:compliance', JSON.stringify({best: 99, total: 3}));
                   localStorage.setItem('kcards:v0:quiz:business-models', JSON.stringify({best: 1, total: 7})); }"""
    )
    page.goto(shipped_url + "progress/")
    page.wait_for_selector(".kc-progress--ready")
    states = page.locator("[data-kc-state]").all_inner_texts()
    assert set(states) == {"Not started"}
    quiz = open_quiz(page, shipped_url + VALUE_CHAIN)
    assert quiz.locator("[data-kc-quiz-progress]").is_hidden()
    for q in quiz.locator(".kc-q").all():
        answer_by_mouse(q)
    assert quiz.locator("[data-kc-quiz-progress]").inner_text().startswith("Your best: 12 of 12 (100%), passed.")
    assert page.errors == []


@pytest.mark.parametrize("slug", QUIZ_SLUGS)
def test_every_shipped_quiz_by_keyboard_alone(page, shipped_url: str, slug: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + card_url(slug))
    summary = page.locator("details.quiz > summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    quiz = page.locator(".kc-quiz.kc-quiz--ready")
    questions = quiz.locator(".kc-q").all()
    assert questions
    for q in questions:
        answer_by_keyboard(page, q)
        assert q.locator(".kc-q__result").inner_text().startswith(("Correct.", "Marked as got it.")), q.locator(
            "legend"
        ).inner_text()
    total = len(questions)
    assert quiz.locator(".kc-quiz__score").inner_text().startswith(f"You scored {total} of {total} (100%). Passed!")
    assert page.errors == []


@pytest.mark.parametrize("slug", QUIZ_SLUGS)
def test_every_shipped_quiz_by_mouse(page, shipped_url: str, slug: str) -> None:  # type: ignore[no-untyped-def]
    quiz = open_quiz(page, shipped_url + card_url(slug))
    questions = quiz.locator(".kc-q").all()
    for q in questions:
        answer_by_mouse(q, right=False)
        assert q.locator(".kc-q__result").inner_text().startswith(("Not quite.", "Marked as not yet."))
    assert quiz.locator(".kc-quiz__score").inner_text().startswith(f"You scored 0 of {len(questions)} (0%).")
    page.reload()
    assert page.locator("[data-kc-quiz-progress]").inner_text().startswith(f"Your best: 0 of {len(questions)} (0%).")


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_quiz_page_has_no_serious_axe_violations(page, shipped_url: str, dark: bool) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(color_scheme="dark" if dark else "light")
    quiz = open_quiz(page, shipped_url + VALUE_CHAIN)
    questions = quiz.locator(".kc-q").all()
    for index, q in enumerate(questions[:4]):
        answer_by_mouse(q, right=index % 2 == 0)
    questions[-1].locator("textarea").fill("draft")
    questions[-1].locator(".kc-q__check").click()  # the model answer and its mark buttons are shown
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


HOSTILE_QUIZ = """\
questions:
  - type: single
    prompt: "<img src=x onerror=\\"window.__pwned='prompt'\\"> pick one"
    hint: "<script>window.__pwned='hint'</script>"
    options:
      - {text: "<img src=x onerror=\\"window.__pwned='option'\\">", correct: true, feedback: "<script>window.__pwned='fb'</script>"}
      - {text: "[link](javascript:window.__pwned='link')", feedback: "<svg onload=\\"window.__pwned='svg'\\">"}
    explain: "<iframe src=\\"javascript:window.__pwned='explain'\\"></iframe>"
  - type: order
    prompt: order
    items: ["<b onmouseover=\\"window.__pwned='item'\\">one</b>", "two & <i>three</i>"]
  - type: reflect
    prompt: reflect
    answer: "<script>window.__pwned='answer'</script> model"
"""


def test_injected_payloads_in_a_quiz_run_nothing(page, tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site(
        {"cards/evil.md": "---\ntitle: Evil\nsummary: s\n---\nBody\n", "quizzes/evil.yml": HOSTILE_QUIZ}, "--strict"
    )
    assert result.returncode == 0, result.output
    html = result.page("evil")
    assert re.search(r"<(script|img|iframe|svg|b)\b[^>]*pwned", html) is None  # payloads only as escaped text
    assert 'href="javascript:' not in html
    url, stop = serve(Path(result.site))
    try:
        quiz = open_quiz(page, url + "evil/")
        for q in quiz.locator(".kc-q").all():
            answer_by_mouse(q, right=False)
        quiz.locator(".kc-q__hint summary").click()
        quiz.locator(".kc-order__item").first.hover()
        assert quiz.locator("a", has_text="link").count() == 0
        page.wait_for_timeout(300)
        assert page.evaluate("() => window.__pwned") is None
        text = quiz.inner_text()
        assert "<img src=x onerror=" in text and "<script>window.__pwned='answer'</script> model" in text
        assert page.errors == []
    finally:
        stop()


def test_quiz_without_javascript_lists_questions_with_answers_behind_a_click(browser, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(shipped_url + VALUE_CHAIN)
        quiz = page.locator(".kc-quiz")
        quiz.locator("details.quiz > summary").click()
        legends = quiz.locator("legend").all_inner_texts()
        assert len(legends) == 12 and legends[0].startswith("Question 1.")
        assert quiz.locator(".kc-q__check").first.is_hidden()  # no dead buttons without the script
        order = question(quiz, "order")
        answer = order.locator(".kc-q__answer")
        assert answer.locator("ol li").first.is_hidden()
        answer.locator("summary").click()
        assert answer.locator("ol li").all_inner_texts() == VALUE_CHAIN_STAGES
    finally:
        context.close()


def test_order_question_by_drag_and_drop(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    quiz = open_quiz(page, shipped_url + VALUE_CHAIN)
    order = question(quiz, "order")
    count = order.locator(".kc-order__item").count()
    for place in range(1, count + 1):
        item = order.locator(f".kc-order__item[data-kc-position='{place}']")
        if item.evaluate("li => [...li.parentNode.children].indexOf(li) + 1") != place:
            target = order.locator(".kc-order__item").nth(place - 1)
            item.drag_to(target, target_position={"x": 20, "y": 2})
    assert order.locator(".kc-order__text").all_inner_texts() == VALUE_CHAIN_STAGES
    order.locator(".kc-q__check").click()
    assert order.locator(".kc-q__result").inner_text().startswith("Correct.")
