"""A new team member's walk: home page, the onboarding path by "next" alone, progress, instructors' pages."""

from __future__ import annotations

import pytest

from test_browser_quiz import answer_by_mouse, open_quiz

pytestmark = pytest.mark.browser

ONBOARDING = [
    "E-Commerce",
    "E-Commerce Value Chain",
    "Business Models",
    "Catalogue Management",
    "E-Commerce Technology Stack",
    "Customer Journey Mapping",
    "Compliance",
]


def heading(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("article h1").inner_text().rstrip("¶").strip()


def test_follow_the_path_to_its_end_by_next_alone_and_see_progress(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url)
    card = page.locator("[data-kc-path-progress='onboarding']")
    assert "7 cards, 7 with a quiz." in card.inner_text()
    assert card.locator("[data-kc-progress-text]").inner_text() == "Visited 0 of 7 cards; passed 0 of 7 quizzes."
    assert page.locator("[data-kc-continue]").is_hidden()
    card.locator("[data-kc-path-go]", has_text="Start: E-Commerce").click()
    seen = []
    for number in range(1, 8):
        page.wait_for_function(
            f"() => document.querySelector('.kc-path__step')?.textContent.startsWith('Step {number} of 7')"
        )
        seen.append(heading(page))
        nav = page.locator("nav.kc-path--top")
        assert nav.locator(".kc-path__step").inner_text() == f"Step {number} of 7 in New team member onboarding"
        if number < 7:
            nav.locator("a.kc-path__next").click()
        else:
            assert nav.locator("a.kc-path__next").count() == 0
            assert nav.locator(".kc-path__done").inner_text() == "Last step of this path."
    assert seen == ONBOARDING
    # Pass the last card's quiz, then go home.
    quiz = open_quiz(page, page.url)
    for q in quiz.locator(".kc-q").all():
        answer_by_mouse(q)
    page.locator(".md-nav__link", has_text="Home").first.click()
    page.wait_for_url(shipped_url)
    progress = page.locator("[data-kc-path-progress='onboarding'] [data-kc-progress-text]")
    assert progress.inner_text() == "Visited 7 of 7 cards; passed 1 of 7 quizzes."
    assert page.locator("[data-kc-path-go]").inner_text() == "Review: E-Commerce"
    assert page.locator("[data-kc-continue-link]").inner_text() == "Compliance"
    page.locator("[data-kc-continue-link]").click()
    page.wait_for_url("**/compliance/")
    assert page.errors == []


def test_previous_walks_back_and_home_offers_the_next_unvisited_card(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + "e-commerce/business-models/")
    page.locator("nav.kc-path--top a.kc-path__prev").click()
    page.wait_for_url("**/e-commerce-value-chain/")
    page.locator("nav.kc-path--bottom a.kc-path__prev").click()
    page.wait_for_url("**/e-commerce/e-commerce/")
    page.goto(shipped_url)
    assert page.locator("[data-kc-progress-text]").inner_text() == "Visited 3 of 7 cards; passed 0 of 7 quizzes."
    assert page.locator("[data-kc-path-go]").inner_text() == "Continue: Catalogue Management"
    page.locator(".kc-pathcard__steps summary").click()
    visited = page.locator(".kc-step--visited a").all_inner_texts()
    assert visited == ["E-Commerce", "E-Commerce Value Chain", "Business Models"]


def test_cards_to_write_lists_unit_economics_with_its_linking_cards(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + "to-write/")
    rows = page.locator("article table tbody tr")
    texts = [rows.nth(i).inner_text() for i in range(rows.count())]
    unit = next(t for t in texts if "unit-economics" in t)
    assert "E-Commerce Value Chain" in unit and "Business Models" in unit
    counts = [int(rows.nth(i).locator("td").nth(3).inner_text()) for i in range(rows.count())]
    assert counts == sorted(counts, reverse=True)
    page.locator("article table a", has_text="unit-economics").click()
    page.wait_for_url("**/unit-economics/")


def test_tags_page_groups_cards(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + "tags/")
    text = page.locator("article").inner_text()
    assert "operations" in text and "E-Commerce Value Chain" in text
