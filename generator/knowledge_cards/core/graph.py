"""Stage 3, resolve: the knowledge graph of cards, placeholders and their links.

Computed once per build from validated cards; every generated section reads it.
"""

from __future__ import annotations

import graphlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .model import Card, Status
from .problems import Code, Problem, error


class EdgeKind:
    """The ways one card names another; the strings appear in graph.json."""

    PARENT = "parent"
    PREREQUISITE = "prerequisite"
    EXPLORE = "explore"
    RELATED = "related"
    LOOP = "loop"
    BODY = "body"


@dataclass(frozen=True)
class Node:
    """A card in the graph: written, or a placeholder for one not written yet."""

    slug: str
    title: str
    status: Status
    summary: str = ""
    tags: tuple[str, ...] = ()
    path: str = ""
    """Source path relative to the cards folder; placeholders get `<slug>.md`."""

    @property
    def is_placeholder(self) -> bool:
        return self.status is Status.PLACEHOLDER


class Edge(NamedTuple):
    """`source` names `target` as its `kind` (parent, explore, ...). A named tuple: a 5,000-card graph
    has 65,000 edges, and a frozen dataclass took three times as long to make each."""

    source: str
    target: str
    kind: str


# Pages the plugin generates at the site root; a placeholder with one of these slugs moves aside.
RESERVED_PAGES = frozenset({"index", "progress", "map", "tags", "to-write"})


def placeholder_path(slug: str) -> str:
    """Where a placeholder page lives: `<slug>.md`, or `concepts/<slug>.md` for a reserved name."""
    return f"concepts/{slug}.md" if slug in RESERVED_PAGES else f"{slug}.md"


def placeholder_title(slug: str) -> str:
    """A readable title for a card not written yet: `unit-economics` -> `Unit Economics`."""
    return " ".join(word.capitalize() for word in slug.split("-"))


def _edges_of(card: Card) -> list[Edge]:
    slug = card.slug
    edges = [Edge(slug, card.parent.slug, EdgeKind.PARENT)] if card.parent else []
    edges += [Edge(slug, entry.slug, EdgeKind.PREREQUISITE) for entry in card.prerequisites]
    edges += [Edge(slug, entry.slug, EdgeKind.EXPLORE) for entry in card.explore]
    edges += [Edge(slug, entry.slug, EdgeKind.RELATED) for entry in card.related]
    if card.loop:
        edges += [Edge(slug, stage.slug, EdgeKind.LOOP) for stage in card.loop.stages if stage.slug]
    edges += [Edge(slug, link.slug, EdgeKind.BODY) for link in card.body_links]
    return edges


class KnowledgeGraph:
    """Cards and placeholders as nodes, typed links as edges, with the lookups pages need."""

    def __init__(
        self, cards: Iterable[Card], broken: Mapping[str, str] | None = None, wanted: Iterable[str] = ()
    ) -> None:
        """`broken` maps slugs of card files that failed validation to their paths:
        links to them lead to their (error) page, never to a placeholder. `wanted` slugs
        (e.g. learning path steps) get placeholders even when no card links to them."""
        self.cards: dict[str, Card] = {card.slug: card for card in cards}
        nodes: dict[str, Node] = {
            slug: Node(slug, placeholder_title(slug), Status.DRAFT, path=path)
            for slug, path in (broken or {}).items()
            if slug not in self.cards
        }
        nodes.update(
            {
                card.slug: Node(card.slug, card.title, card.status, card.summary, card.tags, card.path)
                for card in self.cards.values()
            }
        )
        edges: dict[Edge, None] = {}  # in order, each once
        for card in self.cards.values():
            for edge in _edges_of(card):
                if edge in edges:
                    continue
                edges[edge] = None
                if edge.target not in nodes:
                    nodes[edge.target] = Node(
                        edge.target,
                        placeholder_title(edge.target),
                        Status.PLACEHOLDER,
                        path=placeholder_path(edge.target),
                    )
        for slug in wanted:
            if slug not in nodes:
                nodes[slug] = Node(slug, placeholder_title(slug), Status.PLACEHOLDER, path=placeholder_path(slug))
        self.nodes: dict[str, Node] = dict(sorted(nodes.items()))
        self.edges: tuple[Edge, ...] = tuple(edges)
        children: dict[str, list[str]] = defaultdict(list)
        incoming: dict[str, set[str]] = defaultdict(set)
        for edge in self.edges:
            if edge.kind == EdgeKind.PARENT:
                children[edge.target].append(edge.source)
            if edge.source != edge.target:
                incoming[edge.target].add(edge.source)
        self._order = {slug: (node.title.casefold(), slug) for slug, node in self.nodes.items()}
        self._children = {slug: tuple(sorted(kids, key=self._order_key)) for slug, kids in children.items()}
        self._incoming = {slug: tuple(sorted(sources, key=self._order_key)) for slug, sources in incoming.items()}

    def _order_key(self, slug: str) -> tuple[str, str]:
        return self._order.get(slug) or (slug, slug)

    def node(self, slug: str) -> Node:
        return self.nodes[slug]

    @property
    def placeholders(self) -> list[Node]:
        return [node for node in self.nodes.values() if node.is_placeholder]

    def parent_of(self, slug: str) -> str | None:
        card = self.cards.get(slug)
        return card.parent.slug if card and card.parent else None

    def children_of(self, slug: str) -> tuple[str, ...]:
        """Cards naming `slug` as parent, ordered by title."""
        return self._children.get(slug, ())

    def linking_to(self, slug: str) -> tuple[str, ...]:
        """Backlinks: every card that names `slug` in any way, ordered by title."""
        return self._incoming.get(slug, ())

    def roots(self) -> list[str]:
        """Written cards with no written parent: the top level of the navigation."""
        return sorted(
            (slug for slug, card in self.cards.items() if not card.parent or card.parent.slug not in self.cards),
            key=self._order_key,
        )

    def cycles(self, display_paths: Mapping[str, str]) -> list[Problem]:
        """An error for every cycle of parents and of prerequisites among written cards."""
        problems = []
        for kind, label in ((EdgeKind.PARENT, "parent"), (EdgeKind.PREREQUISITE, "prerequisite")):
            pairs = {(e.source, e.target) for e in self.edges if e.kind == kind and e.target in self.cards}
            while True:
                sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
                for source, target in sorted(pairs):
                    sorter.add(source, target)
                try:
                    sorter.prepare()
                    break
                except graphlib.CycleError as exc:
                    cycle: list[str] = exc.args[1]
                    # graphlib lists the cycle against the edge direction; show it as written.
                    written = list(reversed(cycle))
                    first = min(written[:-1])
                    start = written.index(first)
                    ordered = written[start:-1] + written[:start] + [first]
                    card = self.cards[first]
                    line = (
                        card.parent.line
                        if kind == EdgeKind.PARENT and card.parent
                        else next((entry.line for entry in card.prerequisites if entry.slug == ordered[1]), 1)
                    )
                    problems.append(
                        error(
                            display_paths.get(first, card.path),
                            line,
                            Code.CYCLE,
                            f"{label} cycle: {' -> '.join(ordered)}; {label}s must not lead back to the card",
                        )
                    )
                    pairs.discard((ordered[0], ordered[1]))
        return problems

    def as_json(self, url_of: Mapping[str, str]) -> dict[str, object]:
        """The published graph.json: nodes and edges, in a stable order."""
        return {
            "version": 1,
            "nodes": [
                {
                    "slug": node.slug,
                    "title": node.title,
                    "status": node.status.value,
                    "url": url_of.get(node.slug, ""),
                    "tags": list(node.tags),
                }
                for node in self.nodes.values()
            ],
            "edges": [
                {"source": edge.source, "target": edge.target, "kind": edge.kind}
                for edge in sorted(self.edges, key=lambda e: (e.source, e.kind, e.target))
            ],
        }
