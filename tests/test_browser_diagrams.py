"""Every generated diagram source is valid for mermaid and draws each label exactly as written.

Hundreds of loop and "where this concept fits" flowcharts, made by the project's own
`mermaid.py` from seeded-random hostile labels (all ASCII punctuation, mermaid keywords, HTML,
emoji with ZWJ sequences and flags, right-to-left text, tabs and other invisible characters, long
labels), are drawn with the site's own mermaid.min.js in one chromium page.
"""

from __future__ import annotations

import random
import string
import time
from typing import Any

import pytest

from conftest import ROOT
from knowledge_cards.core.model import Loop, LoopFeedback, LoopStage
from knowledge_cards.render.mermaid import Flowchart, loop_flowchart, position_flowchart

pytestmark = pytest.mark.browser

MERMAID_JS = ROOT / "generator" / "knowledge_cards" / "assets" / "vendor" / "mermaid.min.js"
LOOPS = 125
POSITIONS = 125

# Pieces labels are made of: each one has broken a naive generator somewhere.
PIECES = [
    *string.punctuation,
    *string.ascii_letters,
    *string.digits,
    " ",
    "A-->B",
    "end",
    "%%",
    "classDef x fill:#f00",
    "click n0 call alert(1)",
    "subgraph",
    "graph TD",
    "style",
    ":::",
    "-.->",
    "==>",
    "|",
    "&amp;",
    "#60;",
    "#quot;",
    "<b>x</b>",
    "</script>",
    "<img src=x onerror=window.__pwned=1>",
    "{{ x }}",
    "{% raw %}",
    "[[not-a-link]]",
    "`code`",
    "**bold**",
    "😬",
    "👩‍👩‍👧‍👦",
    "🏳️‍🌈",
    "🇺🇦",
    "🇯🇵",
    "1️⃣",
    "👍🏽",
    "שלום",
    "مرحبا",
    "Café",
    "naïve",
    "日本語",
    "\t",
    "\u00a0",
    "\u200b",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2028",
]


def hostile_label(rng: random.Random) -> str:
    """A label as the validator would hand it on: non-empty, no leading or trailing whitespace."""
    size = rng.choice([1, 2, 3, 5, 8, 12, 40])
    label = "".join(rng.choice(PIECES) for _ in range(size)).strip()
    return label or rng.choice(string.punctuation)


def distinct_labels(rng: random.Random, count: int) -> list[str]:
    labels: list[str] = []
    while len(labels) < count:
        label = hostile_label(rng)
        if label not in labels:
            labels.append(label)
    return labels


def sample_loop(rng: random.Random) -> tuple[Flowchart, list[str]]:
    labels = distinct_labels(rng, rng.randint(2, 8))
    stages = tuple(LoopStage(label, rng.choice([None, "some-card"])) for label in labels)
    feedback = tuple(
        LoopFeedback(rng.choice(labels), rng.choice(labels), rng.choice(["", hostile_label(rng)]))
        for _ in range(rng.randint(0, 3))
    )
    loop = Loop(stages, feedback, tuple(rng.sample(labels, rng.randint(0, 2))), rng.choice(["LR", "TD"]))
    chart = loop_flowchart(loop, lambda slug: f"../{slug}/", lambda slug: rng.random() < 0.5)
    return chart, [arrow.label for arrow in feedback if arrow.label]


def sample_position(rng: random.Random) -> tuple[Flowchart, list[str]]:
    slugs = [f"card-{n}" for n in range(rng.randint(1, 9))]
    titles = {slug: hostile_label(rng) for slug in slugs}  # two cards may share a title
    center, rest = slugs[0], slugs[1:]
    parent = rest.pop() if rest and rng.random() < 0.8 else None
    cut = rng.randint(0, len(rest))
    chart = position_flowchart(
        center,
        parent,
        sorted([center, *rest[:cut]]),
        rest[cut:],
        title_of=titles.__getitem__,
        href_of=lambda slug: f"../{slug}/",
        is_unwritten=lambda slug: rng.random() < 0.3,
    )
    return chart, []


def samples() -> list[tuple[Flowchart, list[str]]]:
    """(diagram, the feedback labels its author wrote): each must be drawn on some arrow."""
    rng = random.Random(7)
    return [sample_loop(rng) for _ in range(LOOPS)] + [sample_position(rng) for _ in range(POSITIONS)]


# Draw each source as Material does (mermaid.render, then the SVG into the page) and read back
# every node's label by its id, and the text of every edge label.
RENDER_ALL = """
async (sources) => {
  mermaid.initialize({startOnLoad: false});
  const host = document.getElementById("host");
  const results = [];
  for (const [index, source] of sources.entries()) {
    try {
      const {svg} = await mermaid.render(`d${index}`, source);
      host.innerHTML = svg;
      const nodes = {};
      for (const node of host.querySelectorAll("g.node")) {
        const id = node.id.replace(/^flowchart-/, "").replace(/-\\d+$/, "");
        nodes[id] = node.querySelector(".nodeLabel").textContent;
      }
      const edges = [...host.querySelectorAll("g.edgeLabel")].map(e => e.textContent);
      results.push({nodes, edges, error: /Syntax error/.test(host.textContent) ? "Syntax error" : null});
    } catch (error) {
      results.push({nodes: {}, edges: [], error: String(error && error.message || error)});
    }
  }
  return results;
}
"""


def test_generated_diagrams_draw_every_label_exactly(page) -> None:  # type: ignore[no-untyped-def]
    if not MERMAID_JS.is_file():
        pytest.fail(f"{MERMAID_JS} is missing: run `make site` (or `make test`) to fetch the pinned mermaid")
    drawn = samples()
    charts = [chart for chart, _ in drawn]
    page.set_content(
        '<!doctype html><html><head><meta charset="utf-8"></head><body><div id="host"></div></body></html>'
    )
    page.add_script_tag(path=str(MERMAID_JS))
    started = time.perf_counter()
    results: list[dict[str, Any]] = page.evaluate(RENDER_ALL, [chart.source() for chart in charts])
    print(f"\n{len(charts)} diagram sources drawn in {time.perf_counter() - started:.1f} s")
    problems = []
    for (chart, labels), result in zip(drawn, results, strict=True):
        expected_nodes = {node.id: node.label for node in chart.nodes}
        expected_edges = sorted(edge.label for edge in chart.edges if edge.label)
        drawn_edges = sorted(label for label in result["edges"] if label)
        lost = [label for label in labels if not any(label in drawn for drawn in drawn_edges)]
        if result["error"] or result["nodes"] != expected_nodes or drawn_edges != expected_edges or lost:
            wrong = {k: (v, result["nodes"].get(k)) for k, v in expected_nodes.items() if result["nodes"].get(k) != v}
            problems.append(
                f"{chart.source()}\n{result['error']} nodes {wrong} edges {expected_edges} != {drawn_edges}, lost {lost}"
            )
    assert problems == [], f"{len(problems)} of {len(charts)} diagrams:\n" + "\n".join(problems[:5])
    assert len(charts) == LOOPS + POSITIONS
    assert page.evaluate("() => window.__pwned") is None
    assert page.errors == []
