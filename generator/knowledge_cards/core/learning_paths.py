"""Learning paths: instructor-curated orders of cards (paths.yml), or one derived from the graph.

New team members follow a path, not a graph. A path is checked against the
graph: unknown cards are placeholders (warned), repeats are errors, and a card
placed before one of its prerequisites is a warning naming both.
"""

from __future__ import annotations

import graphlib
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .frontmatter import YamlError, load_yaml
from .graph import EdgeKind, KnowledgeGraph
from .load import read_text
from .model import is_slug
from .names import slug_of
from .problems import Code, Problem, error, warning
from .validate import SLUG_HINT, did_you_mean, duplicate_key_warnings

PATH_KEYS = ("id", "title", "description", "cards")
DEFAULT_PATH_ID = "all-concepts"


@dataclass(frozen=True)
class LearningPath:
    """An ordered walk through cards, with a title and a short description."""

    id: str
    title: str
    description: str
    cards: tuple[str, ...]
    derived: bool = False
    """True for the path made from prerequisites and parents when paths.yml defines none."""


@dataclass(frozen=True)
class PathStep:
    """Where a card stands in one path: for "Step k of n" and previous/next links."""

    path: LearningPath
    index: int
    """0-based position of the card in the path."""

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def previous(self) -> str | None:
        return self.path.cards[self.index - 1] if self.index > 0 else None

    @property
    def next(self) -> str | None:
        return self.path.cards[self.index + 1] if self.index + 1 < len(self.path.cards) else None


def _reading_order(graph: KnowledgeGraph, slug: str) -> tuple[str, bool, str, str]:
    """Where a card comes among cards that may come in any order: folder by folder, as the sidebar shows
    them (a folder's note first), then by title."""
    path = graph.cards[slug].path if slug in graph.cards else slug
    folder = posixpath.dirname(path)
    folder_note = bool(folder) and slug == slug_of(posixpath.basename(folder))
    return (folder.casefold(), not folder_note, graph.node(slug).title.casefold(), slug)


def derived_path(graph: KnowledgeGraph) -> LearningPath:
    """Every written card, parents and prerequisites first, then folder by folder (a flat vault's notes
    read as their folders group them), ties broken by title: the same order every build."""
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for slug in graph.cards:
        sorter.add(slug)
    for edge in graph.edges:
        if (
            edge.kind in (EdgeKind.PARENT, EdgeKind.PREREQUISITE)
            and edge.target in graph.cards
            and edge.source != edge.target
        ):
            sorter.add(edge.source, edge.target)
    order: list[str] = []
    try:
        sorter.prepare()
    except graphlib.CycleError:  # cycles are reported as errors elsewhere; fall back to titles
        order = sorted(graph.cards, key=lambda slug: _reading_order(graph, slug))
    else:
        while sorter.is_active():
            ready = sorted(sorter.get_ready(), key=lambda slug: _reading_order(graph, slug))
            order.extend(ready)
            sorter.done(*ready)
    return LearningPath(
        DEFAULT_PATH_ID,
        "Every concept in learning order",
        "Every card, each after its parent and its prerequisites.",
        tuple(order),
        derived=True,
    )


def load_paths(file: Path, display: str, graph: KnowledgeGraph) -> tuple[list[LearningPath], list[Problem]]:
    """Read and check paths.yml; problems instead of exceptions. No file means no curated paths."""
    if not file.is_file():
        return [], []
    text, problems = read_text(file, display)
    if text is None:
        return [], problems
    if not text.strip():
        return [], []
    try:
        located = load_yaml(text)
    except YamlError as exc:
        return [], [error(display, exc.line, Code.YAML, f"invalid YAML: {exc.message}")]
    data = located.data
    if not isinstance(data, dict) or not isinstance(data.get("paths"), list):
        return [], [error(display, 1, Code.NOT_MAPPING, "paths.yml must be a mapping with 'paths:', a list of paths")]
    problems = []

    def at(*keys: Any) -> int:
        return located.line_of(*keys)

    problems += duplicate_key_warnings(display, located)
    for key in data:
        if key != "paths":
            problems.append(
                warning(display, at(key), Code.UNKNOWN_KEY, f"unknown key '{key}' in paths.yml; it is ignored")
            )
    paths: list[LearningPath] = []
    ids: set[str] = set()
    for index, raw in enumerate(data["paths"]):
        where = ("paths", index)
        if not isinstance(raw, dict):
            problems.append(
                error(
                    display, at(*where), Code.BAD_VALUE, "each path is a mapping with id, title, description and cards"
                )
            )
            continue
        for key in raw:
            if key not in PATH_KEYS:
                problems.append(
                    warning(
                        display,
                        at(*where, key),
                        Code.UNKNOWN_KEY,
                        f"unknown key '{key}' in a path{did_you_mean(str(key), PATH_KEYS)}; it is ignored",
                    )
                )
        path_id = raw.get("id")
        ok = True
        for key in ("title", "description"):  # shown as text: a list or mapping would show as Python's repr
            value = raw.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, (str, int, float))):
                problems.append(
                    error(
                        display,
                        at(*where, key),
                        Code.BAD_VALUE,
                        f"a path's '{key}:' must be text, not a list or mapping",
                    )
                )
                ok = False
        title = raw.get("title") if isinstance(raw.get("title"), (str, int, float)) else ""
        title = str(title).strip()
        if path_id is None:
            problems.append(
                error(display, at(*where), Code.MISSING_KEY, "a path needs an 'id:', a slug such as 'onboarding'")
            )
            ok = False
        elif not is_slug(path_id):
            problems.append(
                error(
                    display,
                    at(*where, "id"),
                    Code.INVALID_SLUG,
                    f"path id '{path_id}' is not a valid slug ({SLUG_HINT})",
                )
            )
            ok = False
        elif path_id in ids:
            problems.append(
                error(display, at(*where, "id"), Code.DUPLICATE_SLUG, f"path id '{path_id}' is used by two paths")
            )
            ok = False
        if not title and not isinstance(raw.get("title"), (list, dict)):
            problems.append(error(display, at(*where), Code.MISSING_KEY, "a path needs a 'title:'"))
            ok = False
        cards = raw.get("cards")
        if not isinstance(cards, list) or not cards:
            problems.append(
                error(
                    display,
                    at(*where, "cards"),
                    Code.MISSING_KEY,
                    "a path needs 'cards:', a non-empty list of card slugs",
                )
            )
            continue
        steps: list[str] = []
        for position, slug in enumerate(cards):
            line = at(*where, "cards", position)
            if not is_slug(slug):
                problems.append(
                    error(
                        display,
                        line,
                        Code.INVALID_SLUG,
                        f"path '{path_id}': '{slug}' is not a valid slug ({SLUG_HINT})",
                    )
                )
                ok = False
            elif slug in steps:
                problems.append(
                    error(display, line, Code.PATH, f"path '{path_id}': '{slug}' appears twice; each card is one step")
                )
                ok = False
            else:
                if slug not in graph.nodes or graph.node(slug).is_placeholder:
                    hint = did_you_mean(slug, sorted(graph.cards))
                    problems.append(
                        warning(
                            display,
                            line,
                            Code.PATH,
                            f"path '{path_id}': no card '{slug}' yet{hint}; the step shows its placeholder",
                        )
                    )
                steps.append(slug)
        if not ok:
            continue
        ids.add(str(path_id))
        for position, slug in enumerate(steps):
            card = graph.cards.get(slug)
            for prerequisite in card.prerequisites if card else ():
                if prerequisite.slug in steps[position + 1 :]:
                    problems.append(
                        warning(
                            display,
                            at(*where, "cards", position),
                            Code.PATH,
                            f"path '{path_id}': '{slug}' comes before its prerequisite '{prerequisite.slug}'",
                        )
                    )
        paths.append(
            LearningPath(
                str(path_id),
                title,
                str(raw.get("description") or "").strip()
                if isinstance(raw.get("description"), (str, int, float))
                else "",
                tuple(steps),
            )
        )
    return paths, problems


def steps_of(paths: list[LearningPath], slug: str) -> list[PathStep]:
    """Every path the card belongs to, with its position."""
    return [PathStep(path, path.cards.index(slug)) for path in paths if slug in path.cards]
