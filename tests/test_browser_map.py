"""The "Knowledge map" page in chromium: every node of graph.json drawn offline, cards opened by
mouse and keyboard, tag and text filters, the accessible list, axe, and 500 cards drawn in time."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest

from conftest import ROOT, serve

pytestmark = pytest.mark.browser

MAP = "map/"
AXE = Path(__file__).resolve().parent / ".vendor" / "axe.min.js"
STATE = "() => { const c = document.querySelector('[data-kc-map]'); return c && c.getAttribute('data-kc-map-state'); }"
# Every drawn node: id, classes, shown or filtered out, and the style properties that tell statuses apart.
DRAWN = """
() => document.querySelector('[data-kc-map]').__kcMap.cy.nodes().map(n => ({
  id: n.id(), classes: n.classes(), visible: n.visible(),
  border: n.style('border-style'), fill: n.style('background-color'), pie: n.style('pie-1-background-size'),
  card: n.style('pie-1-background-color'), width: n.style('border-width')
}))
"""
EDGES = "() => document.querySelector('[data-kc-map]').__kcMap.cy.edges().map(e => [e.source().id(), e.target().id(), e.data('kind'), e.style('line-style')])"


def open_map(page, base: str, timeout: float = 15000) -> None:  # type: ignore[no-untyped-def]
    page.goto(base + MAP)
    page.wait_for_function(f"() => ({STATE})() === 'ready'", timeout=timeout)


def visible_nodes(page) -> set[str]:  # type: ignore[no-untyped-def]
    """Nodes cytoscape shows, read after a frame (its visible() is only brought up to date by drawing)."""
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    return {n["id"] for n in page.evaluate(DRAWN) if n["visible"]}


def assert_offline_and_clean(page) -> None:  # type: ignore[no-untyped-def]
    assert [url for url in page.requests if not url.startswith("http://127.0.0.1:")] == []
    assert page.errors == []


@pytest.fixture(scope="module")
def shipped_graph(shipped_site: Path) -> dict:
    return json.loads((shipped_site / "graph.json").read_text(encoding="utf-8"))


def test_map_draws_every_node_and_link_offline(page, shipped_url: str, shipped_graph: dict) -> None:  # type: ignore[no-untyped-def]
    open_map(page, shipped_url)
    drawn = page.evaluate(DRAWN)
    assert sorted(n["id"] for n in drawn) == sorted(n["slug"] for n in shipped_graph["nodes"])
    assert all(n["visible"] for n in drawn)
    assert page.get_attribute("[data-kc-map]", "data-kc-map-nodes") == str(len(shipped_graph["nodes"]))
    # One line per linked pair, of its strongest kind; parent lines solid, the others dashed or dotted.
    pairs = {(e["source"], e["target"]) for e in shipped_graph["edges"] if e["source"] != e["target"]}
    edges = page.evaluate(EDGES)
    assert {(s, t) for s, t, _, _ in edges} == pairs
    styles = {kind: style for _, _, kind, style in edges}
    assert styles.pop("parent") == "solid"
    assert styles and set(styles.values()) == {"dashed"}
    # Cytoscape came from the site itself, once.
    assert len([url for url in page.requests if url.endswith("/assets/kcards/vendor/cytoscape.min.js")]) == 1
    assert_offline_and_clean(page)


def test_placeholders_look_unwritten(page, shipped_url: str, shipped_graph: dict) -> None:  # type: ignore[no-untyped-def]
    open_map(page, shipped_url)
    status = {n["slug"]: n["status"] for n in shipped_graph["nodes"]}
    drawn = {n["id"]: n for n in page.evaluate(DRAWN)}
    placeholders = [slug for slug, s in status.items() if s == "placeholder"]
    assert placeholders
    for slug in placeholders:
        assert "kc-placeholder" in drawn[slug]["classes"]
        assert drawn[slug]["border"] == "dashed"
    for slug in (slug for slug, s in status.items() if s == "complete"):
        assert drawn[slug]["border"] == "solid"
    # The legend names every status, and the list shows placeholders as not written yet.
    legend = page.locator(".kc-map__legend").inner_text()
    for label in ("Complete", "Draft", "Stub", "Not written yet", "Parent"):
        assert label in legend
    item = page.locator('[data-kc-map-list] li[data-kc-slug="unit-economics"]')
    assert item.inner_text() == "Unit Economics (not written yet)"


def test_clicking_a_node_opens_its_card(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    open_map(page, shipped_url)
    x, y = page.evaluate(
        """() => { const m = document.querySelector('[data-kc-map]').__kcMap;
                   const p = m.cy.$id('compliance').renderedPosition();
                   const box = m.parts.canvas.getBoundingClientRect();
                   return [box.left + p.x, box.top + p.y]; }"""
    )
    page.mouse.move(x, y)
    assert "Compliance" in page.locator(".kc-map__tip").inner_text()
    page.mouse.click(x, y)
    page.wait_for_url("**/e-commerce/compliance/")
    assert page.locator("h1").inner_text().rstrip("¶") == "Compliance"
    # A placeholder opens its placeholder page (tap emitted the way cytoscape reports touches).
    open_map(page, shipped_url)
    page.evaluate("() => { document.querySelector('[data-kc-map]').__kcMap.cy.$id('unit-economics').emit('tap'); }")
    page.wait_for_url("**/unit-economics/")
    assert_offline_and_clean(page)


def test_keyboard_moves_between_cards_and_enter_opens_one(page, shipped_url: str, shipped_graph: dict) -> None:  # type: ignore[no-untyped-def]
    open_map(page, shipped_url)
    page.focus(".kc-map__canvas")
    assert page.evaluate("() => document.activeElement.getAttribute('role')") == "application"
    page.keyboard.press("ArrowRight")
    first = page.evaluate("() => document.querySelector('[data-kc-map]').__kcMap.active")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowDown")
    active = page.evaluate("() => document.querySelector('[data-kc-map]').__kcMap.active")
    assert first and active
    node = next(n for n in shipped_graph["nodes"] if n["slug"] == active)
    assert (
        page.locator("[data-kc-map-announce]").inner_text()
        == f"{node['title']}, {'Not written yet (placeholder)' if node['status'] == 'placeholder' else node['status'].capitalize()}. Press Enter to open."
    )
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/{node['url']}")
    assert_offline_and_clean(page)


def test_view_buttons_zoom_and_fit(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    open_map(page, shipped_url)
    zoom = "() => document.querySelector('[data-kc-map]').__kcMap.cy.zoom()"
    start = page.evaluate(zoom)
    page.get_by_role("button", name="Zoom in").click()
    assert page.evaluate(zoom) > start
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    assert page.evaluate(zoom) < start
    page.get_by_role("button", name="Show all").click()
    assert page.evaluate(zoom) == pytest.approx(start)


def test_tag_and_text_filters_narrow_the_map_and_the_list(page, shipped_url: str, shipped_graph: dict) -> None:  # type: ignore[no-untyped-def]
    open_map(page, shipped_url)
    every = {n["slug"] for n in shipped_graph["nodes"]}
    legal = {n["slug"] for n in shipped_graph["nodes"] if "legal" in n["tags"]}
    assert visible_nodes(page) == every
    page.get_by_label("Filter by tag").select_option("legal")
    assert visible_nodes(page) == legal and 0 < len(legal) < len(every)
    assert page.locator("[data-kc-map-count]").inner_text() == f"Showing {len(legal)} of {len(every)} concepts."
    shown = page.locator("[data-kc-map-list] li:visible:not(.kc-map__item--context)")
    assert {shown.nth(i).get_attribute("data-kc-slug") for i in range(shown.count())} == legal
    page.get_by_label("Filter by tag").select_option("")
    page.get_by_label("Find a card").fill("value chain")
    page.wait_for_function("() => document.querySelector('[data-kc-map-count]').textContent.startsWith('Showing 1 ')")
    assert visible_nodes(page) == {"e-commerce-value-chain"}
    page.get_by_label("Find a card").fill("")
    page.wait_for_function("() => document.querySelector('[data-kc-map-count]').textContent.startsWith('Showing all')")
    assert visible_nodes(page) == every
    # The legend's line kinds are switches.
    shown_kinds = "() => [...new Set(document.querySelector('[data-kc-map]').__kcMap.cy.edges().filter(e => e.visible()).map(e => e.data('kind')))].sort()"
    kinds = page.evaluate(shown_kinds)
    assert "explore" in kinds
    page.get_by_label("Explore next").uncheck()
    visible_nodes(page)
    assert page.evaluate(shown_kinds) == [k for k in kinds if k != "explore"]
    assert_offline_and_clean(page)


def test_instant_navigation_draws_the_map_once(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(shipped_url)
    page.locator(".md-nav a", has_text="Knowledge map").first.click()
    page.wait_for_url("**/map/")
    page.wait_for_function(f"() => ({STATE})() === 'ready'", timeout=15000)
    page.locator(".md-nav a", has_text="Home").first.click()
    page.wait_for_url(shipped_url)
    page.locator(".md-nav a", has_text="Knowledge map").first.click()
    page.wait_for_function(f"() => ({STATE})() === 'ready'", timeout=15000)
    counts = page.evaluate(
        """() => [document.querySelectorAll('script[data-kc-cytoscape]').length,
                  document.querySelectorAll('link[data-kc-map-css]').length,
                  document.querySelectorAll('.kc-map__toolbar').length,
                  document.querySelectorAll('.kc-map__canvas > div').length]"""
    )
    assert counts == [1, 1, 1, 1]
    assert_offline_and_clean(page)


def test_a_missing_graph_says_so_and_points_to_the_cards(page, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    page.route("**/graph.json", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(shipped_url + MAP)
    page.wait_for_function(f"() => ({STATE})() === 'error'", timeout=15000)
    assert "could not be drawn" in page.locator("[data-kc-map-count]").inner_text()
    assert page.locator("[data-kc-map-count] a").get_attribute("href") == "../#all-concepts"
    assert not page.locator(".kc-map__stage").is_visible()
    assert_offline_and_clean(page)


def test_without_javascript_the_page_points_to_every_card(browser, shipped_url: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(shipped_url + MAP)
        note = tab.locator("noscript")
        assert "needs JavaScript" in tab.locator("article").inner_text()
        assert note.count() == 1
        tab.get_by_role("link", name="All concepts").click()
        tab.wait_for_url("**/#all-concepts")
        assert tab.locator("h2#all-concepts").count() == 1
    finally:
        context.close()


def test_template_lists_cards_without_javascript_when_given_the_nodes() -> None:
    from knowledge_cards.render.templates import make_environment

    env = make_environment([ROOT / "site_overrides" / "kcards"])
    context = {
        "graph_url": "../graph.json",
        "site_root": "..",
        "tags": ["a,b", "<t>"],
        "card_count": 1,
        "placeholder_count": 1,
        "card_list": "",
    }
    plain = env.get_template("map.md.j2").render(**context)
    assert plain.startswith("---\nhide:\n  - toc\n---\n")
    assert 'data-kc-root="../"' in plain and 'data-kc-tags="a,b,&lt;t&gt;"' in plain
    nodes = [
        {"title": "Z <script>", "url": "z/", "status": "draft"},
        {"title": "A & B", "url": "a/", "status": "placeholder"},
    ]
    listed = env.get_template("map_list.html.j2").render(nodes=nodes, root="../")
    assert '<li><a href="../a/">A &amp; B</a> (not written yet)</li>' in listed
    assert '<li><a href="../z/">Z &lt;script&gt;</a> (draft)</li>' in listed
    assert listed.index("A &amp; B") < listed.index("Z &lt;script&gt;")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_axe_violations_on_the_map(page, shipped_url: str, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page.emulate_media(color_scheme=scheme)
    open_map(page, shipped_url)
    # With a card focused and the list filtered, so that every part of the page is on show.
    page.focus(".kc-map__canvas")
    page.keyboard.press("ArrowRight")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    serious = [
        (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


# -- scale -----------------------------------------------------------------------------------
TAGS = ["pricing", "logistics", "payments", "catalogue", "marketing", "legal", "data", "service"]
STATUSES = ["complete"] * 6 + ["draft", "stub"]


def many_cards(count: int, seed: int = 7) -> dict[str, str]:
    """`count` cards in ten trees (parents), each with tags and 1-3 explore links, some to missing cards."""
    rnd = random.Random(seed)
    files = {}
    for i in range(count):
        lines = [
            "---",
            f"title: 'Concept {i} <b>&amp; \"{rnd.choice(TAGS)}\"'",
            f"summary: What concept {i} is about.",
            f"status: {rnd.choice(STATUSES)}",
            f"tags: [{', '.join(rnd.sample(TAGS, rnd.randint(1, 2)))}]",
        ]
        if i >= 10:
            lines.append(f"parent: concept-{rnd.randrange(i):03d}")
        targets = {
            f"missing-{rnd.randrange(50):02d}" if rnd.random() < 0.1 else f"concept-{rnd.randrange(count):03d}"
            for _ in range(rnd.randint(1, 3))
        }
        targets.discard(f"concept-{i:03d}")
        if targets:
            lines += ["explore:", *(f"  - {t}: Next step" for t in sorted(targets))]
        files[f"cards/concept-{i:03d}.md"] = "\n".join([*lines, "---", f"Body of concept {i}.", ""])
    return files


def test_500_cards_draw_every_node_in_time(page, tiny_site) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    result = tiny_site(many_cards(500))
    assert result.returncode == 0, result.output
    built = time.monotonic() - started
    graph = json.loads((result.site / "graph.json").read_text(encoding="utf-8"))
    assert len(graph["nodes"]) > 500 and {n["status"] for n in graph["nodes"]} == {
        "complete",
        "draft",
        "stub",
        "placeholder",
    }
    url, stop = serve(result.site)
    try:
        page.add_init_script(
            "window.__longTasks = []; new PerformanceObserver(list => list.getEntries()"
            ".forEach(e => window.__longTasks.push(Math.round(e.duration)))).observe({type: 'longtask', buffered: true});"
        )
        opened = time.monotonic()
        open_map(page, url, timeout=60000)
        waited = time.monotonic() - opened
        stats = page.evaluate(
            "() => { const m = document.querySelector('[data-kc-map]').__kcMap; return {ms: m.drawMs, timing: m.timing, nodes: m.cy.nodes().length, edges: m.cy.edges().length, longest: Math.max(0, ...window.__longTasks)}; }"
        )
        print(
            f"\n500 cards: {stats['nodes']} nodes, {stats['edges']} lines drawn {stats['ms']} ms after the map script started"
            f" (page open to ready {waited:.1f} s; steps {stats['timing']}; longest main-thread task {stats['longest']} ms; site built in {built:.0f} s)"
        )
        assert stats["nodes"] == len(graph["nodes"])

        # Drafts half filled, stubs an outline, placeholders dashed: all distinguishable.
        status = {n["slug"]: n["status"] for n in graph["nodes"]}
        looks = {}
        for node in page.evaluate(DRAWN):
            looks.setdefault(status[node["id"]], set()).add((node["border"], node["fill"], node["pie"]))
        assert all(len(v) == 1 for v in looks.values()), looks
        assert len({next(iter(v)) for v in looks.values()}) == 4

        # Titles are text: markup in them is shown, never parsed.
        title = graph["nodes"][0]["title"]
        assert "<b>" in title
        link = page.locator(f'[data-kc-map-list] li[data-kc-slug="{graph["nodes"][0]["slug"]}"] > a')
        assert link.inner_text() == title
        assert page.locator("[data-kc-map] b, .kc-map__tip b").count() == 0

        # Filtering a big map stays quick and only shows the tag's cards.
        page.get_by_label("Filter by tag").select_option("legal")
        legal = {n["slug"] for n in graph["nodes"] if "legal" in n["tags"]}
        assert visible_nodes(page) == legal
        assert_offline_and_clean(page)
    finally:
        stop()
