"""Real MkDocs builds of tiny sites in temporary folders, and of the shipped cards."""

from __future__ import annotations

import json
import os
import re
from html import unescape
from pathlib import Path

from conftest import ROOT, TINY_MKDOCS_YML, BuildResult, run_mkdocs_build, write_tree

CHAIN = """\
---
title: Value Chain
summary: The loop from supplier to customer.
parent: commerce
explore:
  - unit-economics: Whether each sale pays
  - sourcing
related:
  - sourcing: where it starts
loop:
  title: The 2-stage loop
  stages:
    - Sourcing: sourcing
    - Service
  feedback:
    - {from: Service, to: Sourcing, label: feedback}
  highlight: [Service]
  key: Solid arrows go forward.
sources:
  - title: Porter
    by: HBS
    note: The original
---
## What is it?

See [[sourcing]] and [[unit-economics|the economics]].[^1]

!!! plain
    Plain words.

## How does it work?

Stages.

[^1]: A footnote.
"""
COMMERCE = "---\ntitle: Commerce\nsummary: Selling online.\n---\nThe parent.\n"
SOURCING = "---\ntitle: Sourcing\nsummary: Getting products.\nparent: commerce\nstatus: stub\n---\n"


def test_card_page_has_every_generated_section(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result: BuildResult = tiny_site(
        {"cards/ops/chain.md": CHAIN, "cards/commerce.md": COMMERCE, "cards/ops/sourcing.md": SOURCING}, "--strict"
    )
    assert result.returncode == 0, result.output
    html = result.page("ops/chain")
    text = unescape(re.sub(r"<[^>]+>", "", html))
    for heading in ("At a glance", "Concepts to explore next", "Where this concept fits", "Sources", "Footnotes"):
        assert re.search(rf"<h2 id=\"[^\"]+\">{heading}<", html), heading
    assert re.search(r"<h2 id=\"[^\"]+\">Cards that link here<", result.page("ops/sourcing"))
    assert "The 2-stage loop (click to expand)" in text
    assert "In plain terms" in text
    assert "Some cards don't exist yet" in text
    # Explore table: status read from the target card; placeholders read as stubs.
    rows = re.findall(r"<tr>(.*?)</tr>", html, re.S)
    cells = [unescape(re.sub(r"<[^>]+>", "", row)).split() for row in rows[1:]]
    assert [c[0] for c in cells] == ["unit-economics", "sourcing"]
    assert cells[0][-1] == "stub" and cells[1][-1] == "stub"
    # Unwritten links look different and lead to their pages.
    assert re.search(
        r'<a class="kc-link kc-link--unwritten" href="../../unit-economics/" title="Not written yet">the economics</a>',
        html,
    )
    assert 'href="../../unit-economics/"' in html and 'href="../sourcing/"' in html
    # Diagrams are mermaid blocks for Material's loader.
    assert html.count('class="mermaid"') == 2
    assert 's2 -.-&gt;|"feedback"| s1' in html


def test_placeholder_page_lists_linking_cards(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site(
        {"cards/ops/chain.md": CHAIN, "cards/commerce.md": COMMERCE, "cards/ops/sourcing.md": SOURCING}, "--strict"
    )
    html = result.page("unit-economics")
    assert "This card doesn" in html and "placeholder for future learning" in html
    assert '<a class="kc-link" href="../ops/chain/">Value Chain</a>' in html


def test_graph_json_is_published(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site({"cards/ops/chain.md": CHAIN, "cards/commerce.md": COMMERCE, "cards/ops/sourcing.md": SOURCING})
    data = json.loads((result.site / "graph.json").read_text(encoding="utf-8"))
    nodes = {node["slug"]: node for node in data["nodes"]}
    assert nodes["chain"] == {
        "slug": "chain",
        "title": "Value Chain",
        "status": "complete",
        "url": "ops/chain/",
        "tags": [],
    }
    assert nodes["unit-economics"]["status"] == "placeholder" and nodes["unit-economics"]["url"] == "unit-economics/"
    assert {"source": "chain", "target": "commerce", "kind": "parent"} in data["edges"]
    assert {"source": "chain", "target": "sourcing", "kind": "loop"} in data["edges"]


def test_nav_puts_cards_under_their_parent(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site({"cards/ops/chain.md": CHAIN, "cards/commerce.md": COMMERCE, "cards/ops/sourcing.md": SOURCING})
    html = result.page("commerce")
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    assert nav.index(">\n    Commerce") < nav.index("Value Chain") if ">\n    Commerce" in nav else "Value Chain" in nav
    assert "unit-economics" not in nav[: nav.index("</nav>")]


def test_hostile_titles_are_escaped_everywhere(tiny_site) -> None:  # type: ignore[no-untyped-def]
    evil = '<img src=x onerror="alert(1)"> "Quotes" | [brackets] #hash; & 😬 שלום'
    card = (
        "---\n"
        f"title: '{evil.replace(chr(39), chr(39) * 2)}'\n"
        "summary: '<script>alert(2)</script> *not emphasis*'\n"
        "explore:\n  - other: '<b>bold?</b>'\n"
        "loop:\n  stages:\n    - '<i>x</i> \"q\" | y'\n    - '😬 #1; [z]'\n"
        "  feedback:\n    - {from: '😬 #1; [z]', to: '<i>x</i> \"q\" | y', label: 'a|b \"c\"'}\n"
        "---\nBody.\n"
    )
    other = "---\ntitle: Other\nsummary: x\nparent: evil\n---\n"
    result = tiny_site({"cards/evil.md": card, "cards/other.md": other}, "--strict")
    assert result.returncode == 0, result.output
    html = result.page("evil")
    assert "<img src=x" not in html and "<script>alert(2)" not in html and "<b>bold?</b>" not in html
    assert "&lt;img src=x" in html or "&#60;img src=x" in html
    assert "*not emphasis*" in html
    assert "#60;i#62;x#60;#47;i#62; #34;q#34; #124; y" in html
    other_html = result.page("other")
    assert "<img src=x" not in other_html


def test_strict_build_stops_on_errors_and_never_touches_cards(tiny_site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    files = {
        "cards/a.md": "---\ntitle: A\nsummary: S\nstatus: nope\n---\n",
        "cards/b.md": "---\ntitle: [x\n---\n",
        "cards/c.md": "---\ntitle: C\nsummary: S\nparent: ../bad\n---\n",
    }
    result = tiny_site(files, "--strict")
    assert result.returncode != 0
    assert result.lines(": error: ") == [
        "cards/a.md:4:1: error: status: 'nope' is not one of complete, draft, stub",
        "cards/b.md:2:1: error: invalid YAML in front matter: while parsing a flow sequence, did not find expected ',' or ']'",
        "cards/c.md:4:1: error: parent: '../bad' is not a valid slug (lower-case letters and digits joined by single hyphens, e.g. 'unit-economics')",
    ]
    assert "Traceback" not in result.output
    for rel, content in files.items():
        assert (tmp_path / rel).read_text(encoding="utf-8") == content
    assert sorted(p.name for p in (tmp_path / "cards").iterdir()) == ["a.md", "b.md", "c.md"]


def test_non_strict_build_shows_errors_on_the_card_page_and_fails(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site({"cards/a.md": "---\ntitle: A\nsummary: S\nstatus: nope\n---\nBody\n"})
    # One verdict: the site is written, but a build with card errors fails, as `kcards check` does, and
    # says why in its last line.
    assert result.returncode == 1
    assert result.output.strip().splitlines()[-1] == (
        "Aborted with 1 error in the cards (listed above): the site is written, each card's errors shown on "
        "its page; fix them before publishing"
    )
    html = result.page("a")
    assert "This card has errors" in html
    text = unescape(re.sub(r"<[^>]+>", "", html))
    assert "cards/a.md:4:1: error: status: 'nope' is not one of complete, draft, stub" in text


def test_unknown_key_is_a_warning_with_suggestion(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site({"cards/a.md": "---\ntitle: A\nsummary: S\ntagz: [x]\n---\n"})
    assert result.returncode == 0
    assert result.lines(": warning: ") == [
        "cards/a.md:4:1: warning: unknown key 'tagz' in front matter (did you mean 'tags'?); it is ignored"
    ]


def test_shipped_site_builds_strictly(shipped_site: Path) -> None:
    assert (shipped_site / "e-commerce" / "e-commerce-value-chain" / "index.html").is_file()
    assert (shipped_site / "unit-economics" / "index.html").is_file()
    assert (shipped_site / "assets" / "kcards" / "vendor" / "mermaid.min.js").is_file()
    data = json.loads((shipped_site / "graph.json").read_text(encoding="utf-8"))
    written = {node["slug"] for node in data["nodes"] if node["status"] == "complete"}
    assert {
        "e-commerce",
        "e-commerce-value-chain",
        "business-models",
        "e-commerce-technology-stack",
        "catalogue-management",
        "compliance",
        "customer-journey-mapping",
    } <= written
    assert "unit-economics" not in written
    assert not list((ROOT / "cards").rglob("*.html"))
    assert not (shipped_site / "kcards").exists(), "page templates must not be published"


def test_reserved_names_never_replace_generated_pages_silently(tiny_site) -> None:  # type: ignore[no-untyped-def]
    result = tiny_site(
        {
            "cards/a.md": "---\ntitle: A\nsummary: S\ntags: single-word\nexplore: [map, progress]\n---\nBody\n",
            "cards/tags.md": "---\ntitle: Tags Card\nsummary: S\n---\nBody\n",
        }
    )
    assert result.returncode == 0, result.output
    assert "Knowledge map" in result.page("map")  # the generated map page is still there
    assert "This card doesn" in result.page("concepts/map")  # the placeholder moved aside
    assert '<a class="kc-link kc-link--unwritten" href="../concepts/map/"' in result.page("a")
    assert result.lines("takes the place") == [
        "cards/tags.md:1:1: warning: this card takes the place of the generated Tags page; move it into a folder to keep both"
    ]


def test_two_builds_of_the_same_sources_are_byte_identical(tmp_path: Path) -> None:
    import subprocess
    import sys

    from conftest import ENV

    sites = []
    for name in ("one", "two"):
        out = tmp_path / name
        env = {**ENV, "SOURCE_DATE_EPOCH": "1700000000"}  # a sitemap's dates, as `make build` sets them
        proc = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
            cwd=ROOT,
            env=env,
            capture_output=True,
        )
        assert proc.returncode == 0, proc.stderr
        sites.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert sites[0].keys() == sites[1].keys()
    different = [str(path) for path in sites[0] if sites[0][path] != sites[1][path]]
    assert different == []
    assert Path("search/search_index.json") in sites[0] and Path("graph.json") in sites[0]


def test_sections_rendered_in_a_second_process_are_the_same(tmp_path: Path) -> None:
    """`background_pages`: a build that renders the generated sections in a worker writes the same site as
    one that renders them in order, also for a page whose body has a heading named like a generated one."""
    cards = {
        "cards/ops/chain.md": CHAIN.replace("## How does it work?", "## Cards that link here\n\n## How does it work?"),
        "cards/commerce.md": COMMERCE,
        "cards/ops/sourcing.md": SOURCING + "See [[chain]].\n",
        "quizzes/chain.yml": "questions:\n  - type: reflect\n    prompt: Why a loop?\n    answer: Because.\n",
    }
    sites = {}
    for pages in (0, 1):
        project = tmp_path / f"background-{pages}"
        yml = TINY_MKDOCS_YML.format(overrides=ROOT / "site_overrides").replace(
            "  - knowledge-cards\n", f"  - knowledge-cards:\n      background_pages: {pages}\n"
        )
        write_tree(project, {"mkdocs.yml": yml, **cards})
        result = run_mkdocs_build(project, "--strict", "--verbose")
        assert result.returncode == 0, result.output
        used = "rendered in a second process" in result.output
        assert used == (pages == 1 and len(os.sched_getaffinity(0)) > 1), result.output  # a worker needs a core
        sites[pages] = {p.relative_to(result.site): p.read_bytes() for p in result.site.rglob("*") if p.is_file()}
    assert sites[0].keys() == sites[1].keys()
    assert [path for path in sites[0] if sites[0][path] != sites[1][path]] == []
    chain = sites[1][Path("ops/chain/index.html")].decode()
    assert chain.count('id="cards-that-link-here"') == 1 and 'id="cards-that-link-here_1"' in chain


def test_front_matter_reaches_the_theme_without_a_second_parse(tiny_site) -> None:  # type: ignore[no-untyped-def]
    """MkDocs does not read a valid card again: its page metadata is the front matter the cards were
    loaded with, so theme keys the plugin does not know (Material's `hide`) still work."""
    card = "---\ntitle: Chain\nsummary: Loop.\nhide: [toc]\n---\n## First\n\nText.\n\n## Second\n\nMore.\n"
    result = tiny_site({"cards/chain.md": card, "cards/other.md": card.replace("hide: [toc]\n", "")})
    assert result.returncode == 0, result.output
    assert "warning" not in result.output  # Material's page keys are a card's too
    sidebar = re.compile(r'<div class="md-sidebar md-sidebar--secondary"[^>]*data-md-type="toc"[^>]*>')
    assert re.search(r'data-md-type="toc"\s+hidden', sidebar.search(result.page("chain")).group(0))  # type: ignore[union-attr]
    assert "hidden" not in sidebar.search(result.page("other")).group(0)  # type: ignore[union-attr]
    assert "<title>Chain - Tiny</title>" in result.page("chain")


def test_written_cards_rank_above_placeholders_in_search(tiny_site) -> None:  # type: ignore[no-untyped-def]
    """Material's search weighs each page by its `boost`: a placeholder's is lower than a written card's."""
    result = tiny_site({"cards/pricing-basics.md": "---\ntitle: Pricing Basics\nsummary: S\n---\nSee [[pricing]].\n"})
    assert result.returncode == 0, result.output
    index = json.loads((result.site / "search/search_index.json").read_text(encoding="utf-8"))
    boost = {doc["location"]: doc.get("boost", 1) for doc in index["docs"] if "#" not in doc["location"]}
    assert boost["pricing/"] < boost["pricing-basics/"] == 1
