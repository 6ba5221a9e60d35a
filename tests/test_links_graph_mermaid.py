"""Pure stages: link finding, the knowledge graph, diagram sources and escaping."""

from __future__ import annotations

import posixpath
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge_cards.core.graph import KnowledgeGraph
from knowledge_cards.core.links import find_links, relative_path, relative_url
from knowledge_cards.core.model import Card, LinkEntry, Loop, LoopFeedback, LoopStage, Status
from knowledge_cards.render.callouts import expand_callouts
from knowledge_cards.render.mermaid import escape_label, loop_flowchart, position_flowchart
from knowledge_cards.render.templates import md_text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("[[unit-economics]]", [("wiki", "unit-economics", None, True)]),
        ("[[unit-economics|Unit economics]]", [("wiki", "unit-economics", "Unit economics", True)]),
        ("[[unit-economics#margins]]", [("wiki", "unit-economics", None, True)]),
        ("[the chain](e-commerce-value-chain.md)", [("inline", "e-commerce-value-chain", "the chain", True)]),
        ("[up](../x.md)", [("inline", "../x.md", "up", False)]),
        ("[[Bad Slug]]", [("wiki", "Bad Slug", None, False)]),
        ("`[[in-code]]` and ![img](pic.md)", []),
        ("```\n[[in-fence]]\n```\n[[after]]", [("wiki", "after", None, True)]),
        ("[site](https://example.org/a.md) [root](/abs.md)", [("inline", "/abs.md", "root", False)]),
    ],
)
def test_find_links(body: str, expected: list[tuple[str, str, str | None, bool]]) -> None:
    assert [(link.form, link.target, link.text, link.valid) for link in find_links(body)] == expected


@pytest.mark.parametrize("line", ["[" * 100_000, "[[a|" * 25_000, "[](<" * 25_000, "[[" * 50_000])
def test_link_finding_takes_linear_time(line: str) -> None:
    # Each of these 100 KB lines took from seconds to minutes when every bracket started a scan to the end.
    started = time.perf_counter()
    assert [link.target for link in find_links(line + "\n[[after]]")] == ["after"]
    assert time.perf_counter() - started < 1.0


def test_existing_relative_file_is_an_ordinary_link() -> None:
    assert find_links("[b](../area/b.md)", exists=lambda path: path == "../area/b.md") == []


def test_relative_paths_and_urls() -> None:
    assert relative_path("a/b.md", "c/d.md") == "../c/d.md"
    assert relative_path("b.md", "c/d.md") == "c/d.md"
    assert relative_url("a/b/", "c/d/") == "../../c/d/"
    assert relative_url("a/b/", "a/b/") == "./"
    assert relative_url("", "c/") == "c/"


def card(slug: str, parent: str | None = None, **kw: object) -> Card:
    return Card(
        slug=slug,
        path=f"{slug}.md",
        title=slug.title(),
        summary="s",
        parent=LinkEntry(parent) if parent else None,
        **kw,
    )  # type: ignore[arg-type]


def test_graph_children_backlinks_placeholders() -> None:
    graph = KnowledgeGraph(
        [
            card("root"),
            card("b", "root", explore=(LinkEntry("missing", "later"),)),
            card("a", "root", related=(LinkEntry("b"),)),
        ]
    )
    assert graph.children_of("root") == ("a", "b")
    assert graph.linking_to("b") == ("a",)
    assert graph.linking_to("missing") == ("b",)
    assert [n.slug for n in graph.placeholders] == ["missing"]
    assert graph.node("missing").title == "Missing" and graph.node("missing").status is Status.PLACEHOLDER
    assert graph.roots() == ["root"]
    data = graph.as_json({"root": "root/", "a": "a/", "b": "b/", "missing": "missing/"})
    assert {"slug": "missing", "title": "Missing", "status": "placeholder", "url": "missing/", "tags": []} in data[
        "nodes"
    ]
    assert {"source": "b", "target": "missing", "kind": "explore"} in data["edges"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Plain 12", '"Plain 12"'),
        ('Say "hi"', '"Say #34;hi#34;"'),
        ("a|b", '"a#124;b"'),
        ("x;y#z", '"x#59;y#35;z"'),
        ("<b>&", '"#60;b#62;#38;"'),
        ("Café", '"Caf#233;"'),
        ("😬", '"#128556;"'),
        ("[x](y){z}", '"#91;x#93;#40;y#41;#123;z#125;"'),
    ],
)
def test_escape_label(text: str, expected: str) -> None:
    assert escape_label(text) == expected


def test_loop_flowchart_source() -> None:
    loop = Loop(
        stages=(LoopStage("Sourcing", "sourcing"), LoopStage("Service")),
        feedback=(LoopFeedback("Service", "Sourcing", "feedback"),),
        highlight=("Service",),
    )
    source = loop_flowchart(loop, href_of=lambda slug: f"../{slug}/", is_unwritten=lambda slug: True).source()
    assert source.splitlines() == [
        "graph LR",
        '  s1["Sourcing"]',
        '  s2["Service"]',
        "  s1 --> s2",
        '  s2 -.->|"feedback"| s1',
        '  click s1 href "../sourcing/"',
        "  classDef placeholder fill:#fff,color:#555,stroke:#999,stroke-dasharray:5 4",
        "  class s1 placeholder",
        "  classDef highlight fill:#4a9ede,color:#fff,stroke:#2b6fa8",
        "  class s2 highlight",
    ]


def test_arrows_from_a_stage_to_itself_share_one_arrow() -> None:
    # Mermaid draws one arrow from a box to itself; a second one would silently replace the first.
    stages = (LoopStage("Plan"), LoopStage("Measure"))
    feedback = (
        LoopFeedback("Measure", "Measure", "daily"),
        LoopFeedback("Measure", "Plan", "gaps"),
        LoopFeedback("Measure", "Measure", ""),
        LoopFeedback("Measure", "Measure", "weekly"),
        LoopFeedback("Measure", "Measure", "daily"),
    )
    source = loop_flowchart(Loop(stages, feedback), href_of=lambda slug: None, is_unwritten=lambda slug: False)
    assert [(e.source, e.target, e.label) for e in source.edges] == [
        ("s1", "s2", ""),
        ("s2", "s2", "daily / weekly"),
        ("s2", "s1", "gaps"),
    ]


def test_position_flowchart_highlights_current_and_links_every_node() -> None:
    source = position_flowchart(
        "vc",
        "ec",
        ["bm", "vc"],
        ["child"],
        title_of=str.upper,
        href_of=lambda slug: f"../{slug}/",
        is_unwritten=lambda slug: slug == "child",
    ).source()
    assert '  n0["EC"]' in source and "  n0 --> n1" in source and "  n0 --> n2" in source and "  n1 --> n3" in source
    assert "  class n1 current" in source and "  class n3 placeholder" in source
    assert all(f'click n{i} href "../' in source for i in range(4))


def test_md_text_makes_markup_inert() -> None:
    assert md_text("<script>*x*|[y]") == "&#60;script&#62;&#42;x&#42;&#124;&#91;y&#93;"


def test_callouts_get_titles_outside_code() -> None:
    source = '!!! plain\n    text\n??? analogy\n```\n!!! rule\n```\n!!! rule "Custom"'
    assert expand_callouts(source).splitlines() == [
        '!!! plain "In plain terms"',
        "    text",
        '??? analogy "Think of it like..."',
        "```",
        "!!! rule",
        "```",
        '!!! rule "Custom"',
    ]


# Site paths never climb out of the site (no ".."), but may hold "." and repeated names.
_SEGMENT = st.sampled_from(["a", "b", "c", "index.md", "x.md", ".", "ü"])


@settings(max_examples=500, deadline=None)
@given(st.lists(_SEGMENT, max_size=4), st.lists(_SEGMENT, max_size=4), st.booleans(), st.booleans())
def test_relative_links_match_posixpath(to: list[str], start: list[str], to_dir: bool, from_dir: bool) -> None:
    """The fast relative path and URL agree with posixpath.relpath on every shape of path."""
    target = "/".join(to) + ("/" if to_dir and to else "")
    origin = "/".join(start) + ("/" if from_dir and start else "")
    if target:
        assert relative_path(origin, target) == posixpath.relpath(target, posixpath.dirname(origin) or ".")
    base = origin if origin.endswith("/") or not origin else posixpath.dirname(origin) + "/"
    expected = posixpath.relpath("/" + target, "/" + base) if target else posixpath.relpath("/", "/" + base)
    if target.endswith("/") and not expected.endswith("/"):
        expected += "/"
    assert relative_url(origin, target) == ("./" if expected in (".", "./") else expected)
