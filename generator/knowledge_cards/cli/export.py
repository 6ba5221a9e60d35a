"""The knowledge graph for other tools: JSON, Graphviz DOT and mermaid, whole or around one card."""

from __future__ import annotations

import json
from collections import deque

from ..core.graph import Edge, KnowledgeGraph
from ..render.mermaid import PLACEHOLDER_STYLE, DiagramEdge, DiagramNode, Flowchart


def neighbourhood(graph: KnowledgeGraph, root: str, depth: int) -> set[str]:
    """Slugs within `depth` links of `root`, following links in both directions."""
    adjacent: dict[str, set[str]] = {slug: set() for slug in graph.nodes}
    for edge in graph.edges:
        adjacent[edge.source].add(edge.target)
        adjacent[edge.target].add(edge.source)
    seen = {root}
    queue = deque([(root, 0)])
    while queue:
        slug, distance = queue.popleft()
        if distance == depth:
            continue
        for other in sorted(adjacent[slug]):
            if other not in seen:
                seen.add(other)
                queue.append((other, distance + 1))
    return seen


def _selection(graph: KnowledgeGraph, keep: set[str] | None) -> tuple[list[str], list[Edge]]:
    slugs = [slug for slug in graph.nodes if keep is None or slug in keep]
    chosen = set(slugs)
    edges = sorted(
        (e for e in graph.edges if e.source in chosen and e.target in chosen),
        key=lambda e: (e.source, e.kind, e.target),
    )
    return slugs, edges


def to_json(graph: KnowledgeGraph, keep: set[str] | None = None) -> str:
    """graph.json's shape, with URLs derived from each card's path (directory URLs)."""
    slugs, _ = _selection(graph, keep)
    urls = {slug: graph.node(slug).path[: -len(".md")] + "/" for slug in slugs}
    data = graph.as_json(urls)
    data["nodes"] = [node for node in data["nodes"] if node["slug"] in urls]  # type: ignore[attr-defined]
    data["edges"] = [e for e in data["edges"] if e["source"] in urls and e["target"] in urls]  # type: ignore[attr-defined]
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def _dot_string(text: str) -> str:
    """A double-quoted DOT string: backslashes and quotes escaped, newlines as spaces."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def to_dot(graph: KnowledgeGraph, keep: set[str] | None = None) -> str:
    """Graphviz: placeholders dashed, parent links solid, other links dashed and labelled."""
    slugs, edges = _selection(graph, keep)
    lines = ["digraph knowledge {", "  rankdir=LR;", "  node [shape=box, style=rounded];"]
    for slug in slugs:
        node = graph.node(slug)
        style = ', style="rounded,dashed", color=gray50' if node.status.is_unwritten else ""
        lines.append(f"  {_dot_string(slug)} [label={_dot_string(node.title)}{style}];")
    for edge in edges:
        style = "" if edge.kind == "parent" else ", style=dashed"
        lines.append(
            f"  {_dot_string(edge.source)} -> {_dot_string(edge.target)} [label={_dot_string(edge.kind)}{style}];"
        )
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_mermaid(graph: KnowledgeGraph, keep: set[str] | None = None) -> str:
    """A mermaid flowchart with every label escaped, ready to paste into a card."""
    slugs, edges = _selection(graph, keep)
    ids = {slug: f"n{index}" for index, slug in enumerate(slugs)}
    nodes = tuple(
        DiagramNode(
            ids[slug], graph.node(slug).title, None, ("placeholder",) if graph.node(slug).status.is_unwritten else ()
        )
        for slug in slugs
    )
    arrows = tuple(
        DiagramEdge(ids[e.source], ids[e.target], "" if e.kind == "parent" else e.kind, e.kind != "parent")
        for e in edges
    )
    return Flowchart("LR", nodes, arrows, {"placeholder": PLACEHOLDER_STYLE}).source() + "\n"
