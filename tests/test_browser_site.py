"""What a reader sees in chromium: diagrams drawn offline, statuses, placeholders, search."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest

from conftest import VALUE_CHAIN_STAGES, serve

pytestmark = pytest.mark.browser

VALUE_CHAIN = "e-commerce/e-commerce-value-chain/"

# Text of every drawn mermaid diagram on the page, read through the opened shadow roots.
DRAWN_DIAGRAMS = """
() => [...document.querySelectorAll("div.mermaid")].map(host => {
  const svg = host.shadowRoot && host.shadowRoot.querySelector("svg");
  return svg ? {text: svg.textContent, links: [...svg.querySelectorAll("a")].map(a => a.getAttribute("xlink:href") || a.getAttribute("href"))} : null;
})
"""


def wait_for_diagrams(page, count: int) -> list[dict]:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        f"() => [...document.querySelectorAll('div.mermaid')].filter(h => h.shadowRoot && h.shadowRoot.querySelector('svg')).length >= {count}",
        timeout=15000,
    )
    return page.evaluate(DRAWN_DIAGRAMS)


def test_reference_card_diagrams_render_offline(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + VALUE_CHAIN)
    assert page.locator("pre.mermaid, div.mermaid").count() == 2
    drawn = wait_for_diagrams(page, 2)
    assert all(d is not None for d in drawn)
    assert not any("Syntax error" in d["text"] for d in drawn)
    loop, position = drawn
    for label in [*VALUE_CHAIN_STAGES, "feedback", "returns", "data"]:
        assert label in loop["text"]
    assert "../catalogue-management/" in loop["links"]
    for title in (
        "E-Commerce",
        "E-Commerce Value Chain",
        "Business Models",
        "Catalogue Management",
        "Compliance",
        "E-Commerce Technology Stack",
    ):
        assert title in position["text"]
    assert len(position["links"]) == 6
    external = [url for url in page.requests if not url.startswith("http://127.0.0.1:")]
    assert external == []
    assert page.errors == []


def test_reference_card_shows_every_section(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + VALUE_CHAIN)
    text = page.locator("article").inner_text()
    for section in (
        "E-Commerce Value Chain",
        "What is it?",
        "In plain terms",
        "At a glance",
        "How does it work?",
        "Think of it like...",
        "Concept to explore",
        "Why do we use it?",
        "Key reasons",
        "When do we use it?",
        "Rule of thumb",
        "How can I think about it?",
        "Concepts to explore next",
        "Some cards don't exist yet",
        "Where this concept fits",
        "Position in the knowledge graph",
        "Related concepts",
        "Sources",
        "Further reading",
        "Footnotes",
    ):
        assert section in text, section
    assert page.locator(".kc-summary").inner_text().startswith("The end-to-end loop of activities")


def test_explore_table_shows_target_statuses(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + VALUE_CHAIN)
    table = page.locator("h2#concepts-to-explore-next + div table, h2#concepts-to-explore-next + table").first
    rows = table.locator("tbody tr")
    seen = {
        rows.nth(i).locator("td").nth(0).inner_text().strip(" ○"): rows.nth(i).locator("td").nth(2).inner_text()
        for i in range(rows.count())
    }
    assert seen == {
        "catalogue-management": "complete",
        "e-commerce-technology-stack": "complete",
        "customer-journey-mapping": "complete",
        "unit-economics": "stub",
    }
    written = table.locator("a", has_text="catalogue-management")
    unwritten = table.locator("a", has_text="unit-economics")
    assert "kc-link--unwritten" not in (written.get_attribute("class") or "")
    assert "kc-link--unwritten" in (unwritten.get_attribute("class") or "")
    style_written = written.evaluate("a => getComputedStyle(a).textDecorationStyle")
    style_unwritten = unwritten.evaluate("a => getComputedStyle(a).textDecorationStyle")
    assert (style_written, style_unwritten) == ("solid", "dashed")


def test_unit_economics_link_lands_on_its_placeholder(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + VALUE_CHAIN)
    page.locator("table a", has_text="unit-economics").click()
    page.wait_for_url("**/unit-economics/")
    text = page.locator("article").inner_text()
    assert "Unit Economics" in text
    assert "This card doesn't exist yet" in text and "placeholder for future learning" in text
    linking = page.locator("h2#cards-that-link-here + ul a")
    assert "E-Commerce Value Chain" in [linking.nth(i).inner_text() for i in range(linking.count())]


def test_search_finds_a_card(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url)
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially("fulfilment", delay=20)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10000)
    titles = unescape(" ".join(results.all_inner_texts()))
    assert "E-Commerce Value Chain" in titles
    assert [url for url in page.requests if not url.startswith("http://127.0.0.1:")] == []


def test_diagram_node_opens_its_card(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url + VALUE_CHAIN)
    wait_for_diagrams(page, 2)
    page.evaluate(
        """() => { const host = document.querySelectorAll('div.mermaid')[1];
                   const link = [...host.shadowRoot.querySelectorAll('a')].find(a => a.textContent.includes('Business Models'));
                   link.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true})); }"""
    )
    page.wait_for_url("**/e-commerce/business-models/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Business Models"


def test_hostile_labels_draw_exactly_as_written(page, tiny_site) -> None:  # type: ignore[no-untyped-def]
    labels = ['Say "hi"', "a|b", "x;y#z", "<b>&amp;</b>", "[x](y){z}", "Café 😬", "שלום"]
    stages = "\n".join(f"    - '{label}'" for label in labels)
    card = f"---\ntitle: 'T \"q\" | #; <i>'\nsummary: s\nloop:\n  stages:\n{stages}\n  feedback:\n    - {{from: 'a|b', to: 'Say \"hi\"', label: 'back | \"1\"'}}\n---\nBody\n"
    result = tiny_site({"cards/t.md": card}, "--strict")
    assert result.returncode == 0, result.output
    url, stop = serve(Path(result.site))
    try:
        page.goto(url + "t/")
        drawn = wait_for_diagrams(page, 2)
        loop_text, position_text = drawn[0]["text"], drawn[1]["text"]
        for label in labels + ['back | "1"']:
            assert label in loop_text, label
        assert 'T "q" | #; <i>' in position_text
        assert page.errors == []
    finally:
        stop()


AXE = Path(__file__).resolve().parent / ".vendor" / "axe.min.js"


@pytest.mark.parametrize(
    "path",
    ["", VALUE_CHAIN, "unit-economics/", "progress/", "tags/", "to-write/", "404.html"],
    ids=["home", "card-on-a-path", "placeholder", "progress", "tags", "to-write", "404"],
)
@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_no_serious_axe_violations(page, shipped_url: str, path: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(color_scheme="dark" if scheme == "slate" else "light")
    page.goto(shipped_url + path)
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == scheme
    if path == VALUE_CHAIN:  # the card shows its learning path, "Step k of n", at the top and the bottom
        assert (
            page.locator(".kc-path .kc-path__step").all_inner_texts()
            == ["Step 2 of 7 in New team member onboarding"] * 2
        )
        assert page.locator(".kc-path__prev").count() == page.locator(".kc-path__next").count() == 2
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")
    ]
    assert serious == []
