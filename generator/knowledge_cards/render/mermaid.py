"""Mermaid flowchart sources for loop and position diagrams, with safe labels.

Every label is quoted and every character other than ASCII letters, digits and
spaces is written as a mermaid entity code (`#34;` for a quote), so any title
draws exactly as written and can never break the diagram's syntax.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from ..core.model import Loop

HIGHLIGHT_STYLE = "fill:#4a9ede,color:#fff,stroke:#2b6fa8"
PLACEHOLDER_STYLE = "fill:#fff,color:#555,stroke:#999,stroke-dasharray:5 4"


@functools.lru_cache(maxsize=4096)
def escape_label(text: str) -> str:
    """A quoted mermaid label that draws `text` verbatim (kept: a card's title is drawn on every page
    near it)."""
    return '"' + "".join(ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"#{ord(ch)};" for ch in text) + '"'


def _href(url: str) -> str:
    """A click target that cannot close its quotes (URLs from slugs are already safe)."""
    return '"' + quote(url, safe="/#.-_~:?=&%") + '"'


@dataclass(frozen=True)
class DiagramNode:
    """One box: a generated id, its label, where it links, and its style classes."""

    id: str
    label: str
    href: str | None = None
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiagramEdge:
    """An arrow; dashed arrows are feedback, labels are optional."""

    source: str
    target: str
    label: str = ""
    dashed: bool = False


@dataclass(frozen=True)
class Flowchart:
    """A mermaid flowchart described as data, rendered by `source()`."""

    direction: str
    nodes: tuple[DiagramNode, ...]
    edges: tuple[DiagramEdge, ...]
    class_styles: dict[str, str] = field(default_factory=dict)

    def source(self) -> str:
        lines = [f"graph {self.direction}"]
        for node in self.nodes:
            lines.append(f"  {node.id}[{escape_label(node.label)}]")
        for edge in self.edges:
            arrow = "-.->" if edge.dashed else "-->"
            label = f"|{escape_label(edge.label)}|" if edge.label else ""
            lines.append(f"  {edge.source} {arrow}{label} {edge.target}")
        for node in self.nodes:
            if node.href:
                lines.append(f"  click {node.id} href {_href(node.href)}")
        for name, style in self.class_styles.items():
            members = [node.id for node in self.nodes if name in node.classes]
            if members:
                lines.append(f"  classDef {name} {style}")
                lines.append(f"  class {','.join(members)} {name}")
        return "\n".join(lines)


def loop_flowchart(loop: Loop, href_of: Callable[[str], str | None], is_unwritten: Callable[[str], bool]) -> Flowchart:
    """The "At a glance" loop: stages in a solid chain, feedback as dashed labelled arrows."""
    ids = {stage.label: f"s{index}" for index, stage in enumerate(loop.stages, start=1)}
    nodes = []
    for stage in loop.stages:
        classes = []
        if stage.label in loop.highlight:
            classes.append("highlight")
        if stage.slug and is_unwritten(stage.slug):
            classes.append("placeholder")
        nodes.append(
            DiagramNode(ids[stage.label], stage.label, href_of(stage.slug) if stage.slug else None, tuple(classes))
        )
    edges = [DiagramEdge(ids[a.label], ids[b.label]) for a, b in zip(loop.stages, loop.stages[1:], strict=False)]
    edges += _feedback_edges(loop, ids)
    return Flowchart(
        loop.direction,
        tuple(nodes),
        tuple(edges),
        {"placeholder": PLACEHOLDER_STYLE, "highlight": HIGHLIGHT_STYLE},
    )


def _feedback_edges(loop: Loop, ids: dict[str, str]) -> list[DiagramEdge]:
    """Dashed feedback arrows, in order; several arrows from a stage back to itself become one.

    Mermaid draws only the last of several arrows from a box to itself, so their labels are
    joined on the first one (" / ") instead of silently disappearing with the others.
    """
    arrows: list[tuple[str, str, list[str]]] = []
    self_loops: dict[str, list[str]] = {}
    for feedback in loop.feedback:
        source, target = ids[feedback.source], ids[feedback.target]
        if source == target and source in self_loops:
            labels = self_loops[source]
            if feedback.label and feedback.label not in labels:
                labels.append(feedback.label)
            continue
        labels = [feedback.label] if feedback.label else []
        if source == target:
            self_loops[source] = labels
        arrows.append((source, target, labels))
    return [DiagramEdge(source, target, " / ".join(labels), dashed=True) for source, target, labels in arrows]


MAX_SHOWN = 12
"""Siblings, children or linked cards drawn around a card; beyond, one "+N more" box."""


def position_flowchart(
    center: str,
    parent: str | None,
    siblings: Sequence[str],
    children: Iterable[str],
    title_of: Callable[[str], str],
    href_of: Callable[[str], str | None],
    is_unwritten: Callable[[str], bool],
    linked: Sequence[str] = (),
) -> Flowchart:
    """ "Where this concept fits": the parent, this card highlighted, its siblings and children; for a
    card with neither parent nor children (a note of a flat vault), the cards it links with, by dashed
    lines. At most MAX_SHOWN of each, then "+N more"."""
    ids: dict[str, str] = {}

    def node(slug: str, *classes: str) -> DiagramNode:
        ids[slug] = f"n{len(ids)}"
        extra = ("placeholder",) if is_unwritten(slug) else ()
        return DiagramNode(ids[slug], title_of(slug), href_of(slug), classes + extra)

    nodes: list[DiagramNode] = []
    edges: list[DiagramEdge] = []

    def more(source: str, count: int) -> None:
        if count > 0:
            nodes.append(DiagramNode(f"n{len(ids)}m", f"+{count} more"))
            edges.append(DiagramEdge(source, nodes[-1].id))

    if parent:
        nodes.append(node(parent))
    nodes.append(node(center, "current"))
    if parent:
        others = [s for s in siblings if s != center]
        for slug in [center, *others[: MAX_SHOWN - 1]]:
            if slug not in ids:
                nodes.append(node(slug))
            edges.append(DiagramEdge(ids[parent], ids[slug]))
        more(ids[parent], len(others) - (MAX_SHOWN - 1))
    below = [slug for slug in children if slug not in ids]
    for slug in below[:MAX_SHOWN]:
        nodes.append(node(slug))
        edges.append(DiagramEdge(ids[center], ids[slug]))
    more(ids[center], len(below) - MAX_SHOWN)
    if not parent and not below:
        around = [slug for slug in dict.fromkeys(linked) if slug not in ids]
        for slug in around[:MAX_SHOWN]:
            nodes.append(node(slug))
            edges.append(DiagramEdge(ids[center], ids[slug], dashed=True))
        more(ids[center], len(around) - MAX_SHOWN)
    return Flowchart(
        "TD",
        tuple(nodes),
        tuple(edges),
        {"placeholder": PLACEHOLDER_STYLE, "current": HIGHLIGHT_STYLE},
    )
